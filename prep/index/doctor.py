"""`prep doctor`: check the database and repair what can be repaired (Anki's Check Database).

A damaged page must never be met by a traceback, nor silently written over. The doctor
runs SQLite's `quick_check` and FTS5's own integrity check on its own connection (it
works on files `open_db` refuses), rebuilds the search index when that is what is damaged
(it is derived data: the next sync refills it from the items), compacts the file, checks
again, and says which backups exist when the review history itself is damaged.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from prep.errors import PrepError
from prep.index.db import LONG_WAIT_S, backups
from prep.kb.vocab import say

# The report's lines, in the reader's language.
WORDS: dict[str, dict[str, str]] = {
    "all_ok": {"zh": "完整性检查（quick_check）：正常；搜索索引：正常", "en": "quick_check: ok; search index: ok"},
    "problem": {"zh": "完整性检查（quick_check）：{p}", "en": "quick_check: {p}"},
    "more": {"zh": "完整性检查（quick_check）：……另有 {n} 处", "en": "quick_check: ... and {n} more"},
    "search_damaged": {"zh": "搜索索引：已损坏（{p}）", "en": "search index: damaged ({p})"},
    "search_rebuilt": {
        "zh": "搜索索引：已重建（下次同步会从条目重新填充）",
        "en": "search index: rebuilt (it is refilled from the items by the next sync)",
    },
    "compacted": {"zh": "文件已压缩（VACUUM）：丢弃了损坏的空闲页", "en": "file compacted (VACUUM): damaged free pages dropped"},
    "remaining": {"zh": "修复后仍有损坏：{p}", "en": "still damaged after repair: {p}"},
    "history": {"zh": "复习记录可能受到影响：{hint}", "en": "your review history may be affected: {hint}"},
    "no_backup": {"zh": "没有备份（备份在每次升级数据库结构前写入）", "en": "no backup exists (backups are written before each schema upgrade)"},
    "restore": {
        "zh": "恢复一个备份（最新的在最后）：{names}；先把损坏的文件另存一边",
        "en": "restore a backup (newest last): {names}; keep the damaged file aside first",
    },
    "repaired": {"zh": "修复后的完整性检查（quick_check）：正常", "en": "quick_check after repair: ok"},
}

SEARCH = "search"


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)  # quick_check before any repair
    search_problem: str | None = None  # FTS5 integrity-check before any repair
    search_rebuilt: bool = False
    compacted: bool = False
    remaining: list[str] = field(default_factory=list)  # quick_check after repair
    backups: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.remaining

    def lines(self, lang: str = "en") -> list[str]:
        """The report, a line per finding (after the header line the caller prints)."""
        out: list[str] = []
        if not self.problems and not self.search_problem:
            out.append(say(WORDS, "all_ok", lang))
        out += [say(WORDS, "problem", lang, p=p) for p in self.problems[:10]]
        if len(self.problems) > 10:
            out.append(say(WORDS, "more", lang, n=len(self.problems) - 10))
        if self.search_problem:
            out.append(say(WORDS, "search_damaged", lang, p=self.search_problem))
        if self.search_rebuilt:
            out.append(say(WORDS, "search_rebuilt", lang))
        if self.compacted:
            out.append(say(WORDS, "compacted", lang))
        if self.remaining:
            out.append(say(WORDS, "remaining", lang, p="; ".join(self.remaining[:3])))
            out.append(say(WORDS, "history", lang, hint=self._backup_hint(lang)))
        elif self.problems or self.search_problem:
            out.append(say(WORDS, "repaired", lang))
        return out

    def _backup_hint(self, lang: str) -> str:
        if not self.backups:
            return say(WORDS, "no_backup", lang)
        return say(WORDS, "restore", lang, names=", ".join(str(b) for b in self.backups[-3:]))


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as e:
        return [str(e)]
    return [] if rows == ["ok"] else rows


def _search_check(conn: sqlite3.Connection) -> str | None:
    try:
        conn.execute(f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as e:
        return str(e)
    return None


SHADOWS = tuple(f"{SEARCH}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config"))


def _rebuild_search(conn: sqlite3.Connection) -> bool:
    """Forget the search table and its FTS5 shadow tables, drop their pages with VACUUM,
    and recreate the table from its own definition, marked stale for the next sync.

    A damaged FTS5 table cannot even be dropped (its constructor fails), so its schema
    rows are removed directly; VACUUM then rewrites the file without the orphaned pages."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [SEARCH]).fetchone()
    if not row:
        return False
    names = (SEARCH, *SHADOWS)
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(f"DELETE FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})", names)
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return False
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    with contextlib.suppress(sqlite3.DatabaseError):  # other damage: the second quick_check reports it
        conn.execute("VACUUM")
    conn.execute(row[0])
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stale', '1')")
    return True


def check(path: Path) -> Report:
    """Check the database at `path`, repair the derived parts, and report."""
    path = Path(path)
    if not path.is_file():
        raise PrepError(f"{path}: no database here (nothing to check)", zh=f"{path}：这里没有数据库（没有可检查的）")
    report = Report(path=path, backups=backups(path))
    conn = sqlite3.connect(path, isolation_level=None, timeout=LONG_WAIT_S)
    try:
        report.problems = _quick_check(conn)
        if any("not a database" in p for p in report.problems):
            report.remaining = report.problems
            return report
        report.search_problem = _search_check(conn)
        if report.problems or report.search_problem:
            report.search_rebuilt = _rebuild_search(conn)
            after = _quick_check(conn)
            if after:
                try:
                    conn.execute("VACUUM")
                    report.compacted = True
                except sqlite3.DatabaseError:
                    pass
                after = _quick_check(conn)
            report.remaining = after
    finally:
        conn.close()
    return report
