"""Writing output files without ever leaving a half-written one, or replacing a device.

Exports, mock sheets and database backups are written to a temporary file next to the
target and renamed over it only when complete: a full disk, a file-size limit or a
crash leaves the previous file (or nothing) and no stray temporary file. Only a regular
file may be replaced: `-o /dev/full` as root must not turn a device node into a file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from prep.errors import PrepError

# The C library's words are English; the failures a user meets, in Chinese.
ERRNO_ZH = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EFBIG: "文件太大（超过了文件大小上限）",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "没有这个文件或文件夹",
    errno.EISDIR: "是一个文件夹",
    errno.ENOTDIR: "不是文件夹",
    errno.EIO: "输入/输出错误",
    errno.EEXIST: "已经存在",
}


def os_reason(e: OSError, lang: str = "en") -> str:
    """'No space left on device', 'File too large', ...: the sentence for an errno."""
    if lang == "zh" and e.errno in ERRNO_ZH:
        return ERRNO_ZH[e.errno]
    return e.strerror or (os.strerror(e.errno) if e.errno else str(e))


WORDS: dict[str, dict[str, str]] = {
    "at": {"zh": "{file}：", "en": "{file}: "},
    "os_error": {"zh": "{where}{reason}；没有丢失任何内容", "en": "{where}{reason}; nothing was lost"},
}


def os_sentence(e: OSError, lang: str = "en") -> str:
    """The one sentence a user reads for a failed file operation (the CLI's and the TUI's)."""
    from prep.kb.vocab import say

    where = say(WORDS, "at", lang, file=e.filename) if e.filename else ""
    return say(WORDS, "os_error", lang, where=where, reason=os_reason(e, lang))


def check_target(path: Path) -> Path:
    """The file to write: `path` itself (or the regular file a symlink points to).

    Refuses folders, devices, pipes and sockets, and a missing parent folder."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise PrepError(f"{path}: cannot write there ({os_reason(e)})", zh=f"{path}：无法写入这里（{os_reason(e, 'zh')}）") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        folder = stat.S_ISDIR(st.st_mode)
        kind, kind_zh = ("a folder", "是一个文件夹") if folder else ("not a regular file", "不是普通文件")
        raise PrepError(
            f"{path}: {kind}; prep only replaces regular files. Choose another output path.",
            zh=f"{path}：{kind_zh}；prep 只替换普通文件。请换一个输出路径。",
        )
    if st is not None and path.is_symlink():
        path = path.resolve()
    if not path.parent.is_dir():
        raise PrepError(f"{path}: the folder {path.parent} does not exist", zh=f"{path}：文件夹 {path.parent} 不存在")
    return path


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


STALE_S = 3600  # a temporary file this old was left by a killed run


def _remove_stale(target: Path) -> None:
    """Temporary files a killed export left next to `target` (ours by their dot name)."""
    now = time.time()
    for old in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > STALE_S:
                old.unlink()


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to fill a temporary file next to `path`, then rename it to `path`."""
    target = check_target(Path(path))
    _remove_stale(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise PrepError(
            f"{target}: cannot write in {target.parent} ({os_reason(e)})", zh=f"{target}：无法在 {target.parent} 里写入（{os_reason(e, 'zh')}）"
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb") as f:  # a temporary file of ours, never a database in use
            os.fsync(f.fileno())
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else _umask_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        full = e.errno in (errno.EFBIG, errno.ENOSPC)
        extra = " (a file-size limit or a full disk)" if full else ""
        raise PrepError(
            f"{target}: could not write the file: {os_reason(e)}{extra}; nothing was replaced",
            zh=f"{target}：无法写入文件：{os_reason(e, 'zh')}；没有替换任何内容",
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text(path: Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def ensure_folder(path: Path) -> Path:
    """Create an output folder (and its parents), or say why not in one sentence."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise PrepError(f"{path}: exists and is not a folder", zh=f"{path}：已存在，但不是文件夹") from None
    except OSError as e:
        raise PrepError(f"{path}: cannot create the folder ({os_reason(e)})", zh=f"{path}：无法创建文件夹（{os_reason(e, 'zh')}）") from None
    return path
