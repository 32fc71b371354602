"""`prep init`: a new knowledge base someone else can start from.

The sample files are commented templates that validate as they are, so the first
`prep validate` succeeds and each field is explained where it is used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from prep.errors import PrepError
from prep.kb.manifest import MANIFEST, write_manifest
from prep.kb.schemas import write_all

# Outputs prep writes into the working folder stay out of the KB's git history.
GITIGNORE = """# prep outputs (mock-interview sheets, exports)
mock-*/
*.apkg
"""

TEMPLATES = {
    "stories/resume.yaml": "resume.yaml",
    "stories/checkout-latency.md": "story.md",
    "decks/performance.yaml": "deck.yaml",
}


def scaffold(root: Path, title: str | None = None, lang: str | None = None) -> list[Path]:
    existing = [rel for rel in TEMPLATES if (root / rel).exists()]
    if existing:
        raise PrepError(f"{root}: already has {', '.join(existing)}; not overwriting")
    written = []
    for rel, name in TEMPLATES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(resources.files("prep.kb.templates").joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(path)
    gitignore = root / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
        written.append(gitignore)
    written += write_all(root / "schemas")
    write_manifest(root, title or root.resolve().name, lang)
    written.append(root / MANIFEST)
    return written
