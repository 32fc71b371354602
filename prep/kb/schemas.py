"""JSON Schemas for the content files, generated from the models so they never drift."""

from __future__ import annotations

import json
from pathlib import Path

from prep.kb.models import SCHEMAS

FILE_NAMES = {"resume": "resume.schema.json", "deck": "deck.schema.json", "story-front-matter": "story.schema.json"}


def json_schema(kind: str) -> dict:
    schema = SCHEMAS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"prep {kind}"
    return schema


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in FILE_NAMES.items():
        path = out / name
        path.write_text(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
