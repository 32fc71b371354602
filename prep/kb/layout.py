"""Which files of a knowledge base folder are content, and of what kind.

Apart from the loader (pydantic, yaml) because every command's warm sync lists the
files and stats them, and must not pay for parsing machinery it will not use.
"""

from __future__ import annotations

from pathlib import Path


def kind_of(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) != 2:
        return None
    folder, name = parts
    if folder == "stories":
        if name == "resume.yaml":
            return "resume"
        if name.endswith(".md") and not name.startswith((".", "_")) and name.lower() != "readme.md":
            return "story"
    if folder == "decks" and name.endswith((".yaml", ".yml")) and not name.startswith((".", "_")):
        return "deck"
    return None


def list_files(root: Path) -> list[str]:
    """Content files of a knowledge base, relative, in a stable order."""
    out = []
    for folder in ("stories", "decks"):
        d = root / folder
        if d.is_dir():
            for p in sorted(d.iterdir()):
                rel = f"{folder}/{p.name}"
                if p.is_file() and kind_of(rel):
                    out.append(rel)
    return out


def outside(root: Path, rel: str) -> Path | None:
    """Where a content file really is, if a symbolic link takes it outside the knowledge
    base (refused, like images: a KB is one folder you can copy, share and audit)."""
    real = (root / rel).resolve()
    return None if real.is_relative_to(Path(root).resolve()) else real
