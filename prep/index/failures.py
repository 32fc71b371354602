"""What a failed database operation means for the user, in one sentence, in English or
Chinese: busy, read-only, full, damaged. `prep.index.db` raises with these, the command
line's error handler and the TUI print them.

Only text and a look at the disk live here: nothing opens the database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from prep.kb.vocab import say

FULL = "the disk is full (or a file-size limit was reached)"

WORDS: dict[str, dict[str, str]] = {
    "full": {"zh": "磁盘已满（或达到了文件大小上限）", "en": FULL},
    "busy": {
        "zh": "数据库正忙（另一个 prep 进程正在写入）；没有丢失任何内容，请稍后再试",
        "en": "the database is busy (another prep process is writing to it); nothing was lost, try again in a moment",
    },
    "readonly": {
        "zh": "数据库是只读的；prep 需要写入它（检查该文件及其所在文件夹的权限）",
        "en": "the database is read-only; prep needs to write to it (check the file's and its folder's permissions)",
    },
    "not_saved": {
        "zh": "{full}；最后一次改动没有保存，之前的内容都还在",
        "en": "{full}; the last change was not saved, everything before it is kept",
    },
    "io": {
        "zh": "磁盘报告了输入/输出错误；最后一次改动没有保存",
        "en": "the disk reported an input/output error; the last change was not saved",
    },
    "other": {"zh": "数据库错误（{text}）", "en": "database error ({text})"},
    "newest_backup": {"zh": "最新的备份是 {path}", "en": "the newest backup is {path}"},
    "backup_names": {"zh": "备份文件名形如 {name}.before-*.bak", "en": "backups would be named {name}.before-*.bak"},
    "damaged": {
        "zh": "{path}：数据库已损坏（{e}）；文件原样保留。运行 `prep doctor` 检查并修复能修复的部分；{where}。",
        "en": "{path}: the database is damaged ({e}); it was left untouched. Run `prep doctor` to check and repair what can be repaired; {where}.",
    },
}


def backups(path: Path) -> list[Path]:
    """The copies made before migrations, oldest first (listed, never opened)."""
    path = Path(path)
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def damaged_message(path: Path, e: Exception, lang: str = "en") -> str:
    found = backups(path)
    where = say(WORDS, "newest_backup", lang, path=found[-1]) if found else say(WORDS, "backup_names", lang, name=path.name)
    return say(WORDS, "damaged", lang, path=path, e=e, where=where)


def no_room(path: Path | str | None) -> bool:
    """Whether the folder of `path` has no room to write: SQLite reports a full disk or a
    file-size limit met while creating or growing a file as a bare "disk I/O error"."""
    if path is None:
        return False
    import resource  # only when something failed

    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if soft != resource.RLIM_INFINITY:
        return True  # a limit is set: the likely cause of a write error under it
    try:
        st = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024


def because(path: Path | str | None, e: sqlite3.Error, lang: str = "en") -> str:
    """What went wrong, to follow "cannot open the database": SQLite's words in brackets,
    or that the disk is full."""
    if "disk I/O" in str(e) and no_room(path):
        return ("：" if lang == "zh" else ": ") + say(WORDS, "full", lang)
    return f"（{e}）" if lang == "zh" else f" ({e})"


def sqlite_reason(e: sqlite3.Error, path: Path | str | None = None, lang: str = "en") -> str:
    """What a SQLite error means for the user, as the end of a sentence."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return say(WORDS, "busy", lang)
    if "readonly" in text or "read-only" in text:
        return say(WORDS, "readonly", lang)
    code = getattr(e, "sqlite_errorname", "")
    full = "full" in text or code in ("SQLITE_IOERR_WRITE", "SQLITE_IOERR_TRUNCATE", "SQLITE_IOERR_FSYNC")
    if full or ("disk I/O" in text and no_room(path)):
        return say(WORDS, "not_saved", lang, full=say(WORDS, "full", lang))
    if "disk I/O" in text:
        return say(WORDS, "io", lang)
    return say(WORDS, "other", lang, text=text)


def is_damage(e: sqlite3.Error) -> bool:
    """A damaged file (as opposed to a busy, full or read-only one)."""
    text = str(e)
    code = getattr(e, "sqlite_errorname", "")
    return code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        word in text for word in ("malformed", "not a database", "corrupt", "vtable constructor failed")
    )


def sqlite_message(path: Path | str, e: sqlite3.Error, lang: str = "en") -> str:
    """One sentence for a SQLite error raised while using the database at `path`."""
    if is_damage(e):
        return damaged_message(Path(path), e, lang)
    return f"{path}{'：' if lang == 'zh' else ': '}{sqlite_reason(e, path, lang)}"
