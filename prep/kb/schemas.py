"""JSON Schemas for the content files, generated from the models so they never drift."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

from prep.kb.models import SCHEMAS

FILE_NAMES = {"resume": "resume.schema.json", "deck": "deck.schema.json", "story-front-matter": "story.schema.json"}


def json_schema(kind: str, model: type[BaseModel] | None = None) -> dict:
    """The schema of a content file kind; `model` for kinds defined above the kb layer
    (interview profiles live in prep.mock)."""
    schema = (model or SCHEMAS[kind]).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"prep {kind}"
    return schema


def write_all(out: Path, extra: Mapping[str, type[BaseModel]] | None = None) -> list[Path]:
    """Every schema as `<kind>.schema.json` in `out` (the content kinds, plus `extra`)."""
    out.mkdir(parents=True, exist_ok=True)
    models: dict[str, type[BaseModel]] = {**SCHEMAS, **(extra or {})}
    written = []
    for kind, model in models.items():
        path = out / FILE_NAMES.get(kind, f"{kind}.schema.json")
        path.write_text(json.dumps(json_schema(kind, model), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
