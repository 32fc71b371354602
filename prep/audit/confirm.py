"""Confirming an assumption: the one edit `prep confirm` (CLI and TUI) makes to content.

An assumption is confirmed by making the file say the truth without the marker: a span
`[11:40 午餐高峰]{.assumed}` becomes its text (or the text the candidate gives instead),
an assumed fact's `status: assumed` becomes `confirmed`. The edit touches one line, is
checked by parsing the edited file before anything is written (a replacement that would
break the YAML is refused), and is written atomically; the next sync indexes it.
"""

from __future__ import annotations

from pathlib import Path

from prep import fsio
from prep.audit.assumptions import Assumption
from prep.errors import PrepError
from prep.kb import loader

_STATUS = "status: assumed"


class ConfirmError(PrepError):
    """The assumption cannot be confirmed in place (moved, edited, or the edit breaks the file)."""


def _lines(root: Path, rel: str) -> tuple[Path, list[str]]:
    path = root / rel
    try:
        return path, path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfirmError(f"{rel}: cannot read it ({e})", zh=f"{rel}：读不了（{e}）") from None


def _fact_status_line(lines: list[str], start: int) -> int:
    """The `status: assumed` line of the fact whose id is on line `start` (0-based)."""
    for i in range(start, min(start + 40, len(lines))):
        if i > start and lines[i].lstrip().startswith("- id:"):
            break
        if lines[i].strip().split("#")[0].strip() == _STATUS:
            return i
    return -1


def confirm(root: Path, a: Assumption, replacement: str | None = None) -> str:
    """Confirm `a` in its file, with `replacement` instead of the assumed text if given.
    Returns a sentence saying what changed."""
    root = Path(root)
    path, lines = _lines(root, a.file)
    i = a.line - 1
    if a.kind == "fact":
        if replacement:
            raise ConfirmError(
                f"{a.file}:{a.line}: a fact's text is edited in the file; confirm keeps it as written",
                zh=f"{a.file}:{a.line}：事实的文字要在文件里改；确认只能保留原文",
            )
        j = _fact_status_line(lines, i) if 0 <= i < len(lines) else -1
        if j < 0:
            raise ConfirmError(
                f"{a.file}:{a.line}: no 'status: assumed' under {a.item} (edited since the audit?)",
                zh=f"{a.file}:{a.line}：{a.item} 下面没有 'status: assumed'（审查之后改过？）",
            )
        lines[j] = lines[j].replace(_STATUS, "status: confirmed", 1)
        done = f"{a.file}:{j + 1}: {a.item} is now confirmed"
    else:
        if replacement is not None and ("\n" in replacement or not replacement.strip()):
            raise ConfirmError("the replacement must be one non-empty line", zh="替换的文字必须是一行，且不能为空")
        if not (0 <= i < len(lines)) or a.source not in lines[i]:
            raise ConfirmError(
                f"{a.file}:{a.line}: '{a.source}' is no longer on this line (edited since the audit?)",
                zh=f"{a.file}:{a.line}：这一行已经没有 '{a.source}'（审查之后改过？）",
            )
        new = replacement.strip() if replacement is not None else a.text
        lines[i] = lines[i].replace(a.source, new, 1)
        done = f"{a.file}:{a.line}: confirmed" + (f" as '{new}'" if replacement is not None else "")
    text = "\n".join(lines)
    parsed = loader.parse_file(root, a.file, text.encode("utf-8"))
    if parsed.errors:
        raise ConfirmError(
            f"{a.file}:{a.line}: the edit would break the file ({parsed.errors[0].message}); nothing written",
            zh=f"{a.file}:{a.line}：这样改会让文件出错（{parsed.errors[0].message}）；什么都没有写入",
        )
    fsio.write_text(path, text)
    return done
