"""The review log as JSON Lines, to merge history between two machines.

Each answer carries a global identity, so a merge is idempotent in both directions:
an answer given in prep is named `<origin>:<log id>`, where the origin is a random id
of this database (stamped on first export); an imported one keeps the name its source
gave it (Anki's revlog id, another machine's name). Importing skips what the log
already has (the unique index on source, source_id) and replays each touched item's
FSRS state from its merged history. A file from another knowledge base, or with any
bad line, is refused whole: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prep.errors import ContentError, ContentErrors, PrepError
from prep.index.conn import Database
from prep.index.db import get_meta, iso, set_meta, transaction
from prep.study.engine import MODES, load_settings
from prep.study.replay import replay
from prep.study.srs import make_scheduler

FORMAT = "prep-review-log"
VERSION = 1
FIELDS = ("source", "source_id", "item_type", "item_id", "reviewed_at", "rating", "duration_ms", "mode")


@dataclass
class LogImport:
    lines: int = 0
    added: int = 0
    already: int = 0
    unknown_items: int = 0  # answers to items this knowledge base does not have
    items: int = 0


def _origin(db: Database) -> str:
    origin = get_meta(db, "log_origin")
    if not origin:
        origin = uuid.uuid4().hex[:12]
        set_meta(db, "log_origin", origin)
    return origin


def export_lines(db: Database, kb_id: str) -> Iterator[str]:
    """A header line, then every answer not undone, oldest first."""
    with transaction(db):  # name this database's own answers once, for good
        origin = _origin(db)
        db.conn.execute("UPDATE review_log SET source_id = ? || ':' || id WHERE source = 'prep' AND source_id IS NULL", [origin])
    yield json.dumps({"format": FORMAT, "version": VERSION, "kb": kb_id, "origin": origin})
    for row in db.execute(f"SELECT {', '.join(FIELDS)} FROM review_log WHERE undone = 0 ORDER BY reviewed_at, id"):
        yield json.dumps(dict(zip(FIELDS, row, strict=True)), ensure_ascii=False)


def _check(rec: Any, where: tuple[str, int]) -> list[ContentError]:
    file, line = where
    if not isinstance(rec, dict):
        return [ContentError(file, line, "", "not a JSON object")]
    errs = []

    def bad(field: str, message: str) -> None:
        errs.append(ContentError(file, line, field, message))

    for f in ("source", "source_id", "item_id", "reviewed_at"):
        if not isinstance(rec.get(f), str) or not rec.get(f):
            bad(f, "missing or not a string")
    if rec.get("item_type") not in ("card", "story"):
        bad("item_type", "must be card or story")
    if rec.get("mode") not in MODES:
        bad("mode", f"must be one of {', '.join(MODES)}")
    if not isinstance(rec.get("rating"), int) or not 1 <= rec["rating"] <= 4:
        bad("rating", "must be 1-4")
    if rec.get("duration_ms") is not None and not isinstance(rec.get("duration_ms"), int):
        bad("duration_ms", "must be a whole number of milliseconds")
    if isinstance(rec.get("reviewed_at"), str):
        try:
            at = dt.datetime.fromisoformat(rec["reviewed_at"])
            if at.tzinfo is None:
                bad("reviewed_at", "needs a time zone (UTC)")
        except ValueError:
            bad("reviewed_at", "not an ISO date-time")
    return errs


def parse(path: Path, lines: Iterable[str], kb_id: str) -> list[dict]:
    """Every record of the file, or ContentErrors naming each bad line; refuses another KB's log."""
    name = str(path)
    records, errors = [], []
    header = None
    for n, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as e:
            errors.append(ContentError(name, n, "", f"not JSON ({e.msg})"))
            continue
        if header is None:
            header = rec
            if not isinstance(rec, dict) or rec.get("format") != FORMAT:
                raise PrepError(
                    f"{name}:{n}: not a prep review log (export one with `prep log export`)",
                    zh=f"{name}:{n}：不是 prep 的复习记录（用 `prep log export` 导出一份）",
                )
            if rec.get("kb") != kb_id:
                raise PrepError(
                    f"{name}: the log of knowledge base '{rec.get('kb')}', not of this one ('{kb_id}'); pass --kb to choose the other",
                    zh=f"{name}：这是知识库 '{rec.get('kb')}' 的记录，不是这个知识库（'{kb_id}'）的；用 --kb 选那个知识库",
                )
            continue
        errors += _check(rec, (name, n))
        records.append(rec)
    if header is None:
        raise PrepError(f"{name}: empty; not a prep review log", zh=f"{name}：是空的；不是 prep 的复习记录")
    if errors:
        raise ContentErrors(errors)
    return records


def import_records(db: Database, records: list[dict]) -> LogImport:
    """Add the answers the log does not have, then replay every touched item; one transaction."""
    out = LogImport(lines=len(records))
    live = {("card", i) for (i,) in db.execute("SELECT id FROM cards")} | {("story", i) for (i,) in db.execute("SELECT id FROM stories")}
    settings = load_settings(db)
    scheduler = make_scheduler(settings)
    touched: dict[tuple[str, str], None] = {}
    with transaction(db):
        origin = get_meta(db, "log_origin")
        for r in records:
            key = (r["item_type"], r["item_id"])
            if key not in live:
                out.unknown_items += 1
                continue
            if r["source"] == "prep" and origin and r["source_id"].startswith(f"{origin}:"):
                out.already += 1  # this database's own answer, coming back
                continue
            cur = db.conn.execute(
                """INSERT OR IGNORE INTO review_log (item_type, item_id, reviewed_at, rating, duration_ms, mode, source, source_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [*key, iso(dt.datetime.fromisoformat(r["reviewed_at"])), r["rating"], r.get("duration_ms"), r["mode"], r["source"], r["source_id"]],
            )
            if cur.rowcount:
                out.added += 1
                if r["mode"] != "cram":
                    touched[key] = None
            else:
                out.already += 1
        for item_type, item_id in touched:
            replay(db, item_type, item_id, settings, scheduler)
    out.items = len(touched)
    return out
