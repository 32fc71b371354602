"""Old spellings that still load, and the note that asks to rename them.

A figure's `before:` read as "the old value" to a new user; it meant the other resume
version's wording, so it is now `other_version:`. Files that say `before:` keep working;
`prep validate` lists each place, with its line, so the rename is a minute's work.
"""

from __future__ import annotations

from pathlib import Path

from prep.errors import ContentError
from prep.kb.loader import RESUME, parse_file
from prep.kb.yamlsrc import format_path, path_key


def notes(root: Path) -> list[ContentError]:
    """Deprecated keys in the knowledge base at `root`, each at its file and line."""
    if not (root / RESUME).is_file():
        return []
    p = parse_file(root, RESUME)
    out = []
    projects = p.raw.get("projects") if isinstance(p.raw, dict) else None
    for i, proj in enumerate(projects if isinstance(projects, list) else []):
        claims = proj.get("claims") if isinstance(proj, dict) else None
        for j, claim in enumerate(claims if isinstance(claims, list) else []):
            numbers = claim.get("numbers") if isinstance(claim, dict) else None
            for k, fig in enumerate(numbers if isinstance(numbers, list) else []):
                if isinstance(fig, dict) and "before" in fig:
                    path = ("projects", i, "claims", j, "numbers", k, "before")
                    out.append(
                        ContentError(
                            RESUME,
                            p.lines.get(path_key(path), 0),
                            format_path(path),
                            "`before:` is now `other_version:` (the other resume version's wording, "
                            "not an old value; an old value is `from:`); still read, please rename",
                        )
                    )
    return out
