"""`prep init`: a new knowledge base someone else can start from.

The sample files are commented templates that validate as they are, so the first
`prep validate` succeeds and each field is explained where it is used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from prep.errors import PrepError
from prep.kb.schemas import write_all

TEMPLATES = {
    "stories/resume.yaml": "resume.yaml",
    "stories/checkout-latency.md": "story.md",
    "decks/performance.yaml": "deck.yaml",
}


def scaffold(root: Path) -> list[Path]:
    existing = [rel for rel in TEMPLATES if (root / rel).exists()]
    if existing:
        raise PrepError(f"{root}: already has {', '.join(existing)}; not overwriting")
    written = []
    for rel, name in TEMPLATES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(resources.files("prep.kb.templates").joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(path)
    written += write_all(root / "schemas")
    return written
