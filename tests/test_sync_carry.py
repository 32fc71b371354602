"""A resync rewrites only what changed (issue 15): rows, search entries and links of the
files parsed now; the other files' items keep theirs and only move if their place
changed. Whatever the edit, the index must equal a full rebuild of the same files."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import write

from prep.index.db import open_db
from prep.index.sync import sync

TABLES = {
    "cards": "id, deck, q, a, claims, tags, kind, difficulty, followups, source, hash, archived, file, line, position",
    "claims": "id, project, text, hash, archived, file, line, position",
    "stories": "id, title, claims, hash, archived, file, line, position",
}


def index(db) -> dict:
    # live rows: archived ones are the history a rebuild from scratch never had
    out = {t: db.execute(f"SELECT {cols} FROM {t} WHERE archived = 0 ORDER BY id").fetchall() for t, cols in TABLES.items()}
    out["links"] = sorted(db.execute("SELECT * FROM links").fetchall())
    out["search"] = sorted(db.execute("SELECT type, id, title, body FROM search").fetchall())
    return out


def rebuilt(kb, tmp_path, now) -> dict:
    fresh = open_db(tmp_path / "rebuilt.db")
    sync(fresh, kb, now=now)
    return index(fresh)


EXTRA = """
    name: Extra
    cards:
      - id: ex.one
        q: One?
        a: One.
        claims: [acme.checkout-latency]
        followups: [ex.two]
      - id: ex.two
        q: Two?
        a: Two.
    """


def edit_answer(kb):
    deck = kb / "decks/time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("放到上层轮", "放到上一层的轮"), encoding="utf-8")


def add_deck_first(kb):  # sorts before the others: every later card's position moves
    write(kb, "decks/a-extra.yaml", EXTRA)


def drop_a_card(kb):
    deck = kb / "decks/time-wheel.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text[: text.index("  - id: tw.hier")].replace("    followups: [tw.hier]\n", ""), encoding="utf-8")


def move_a_card(kb):
    add_deck_first(kb)
    extra = kb / "decks/a-extra.yaml"
    extra.write_text(extra.read_text(encoding="utf-8").replace("ex.two", "ex.2"), encoding="utf-8")


@pytest.mark.parametrize("change", [edit_answer, add_deck_first, drop_a_card, move_a_card])
def test_incremental_resync_equals_a_full_rebuild(db, kb, tmp_path, now, change):
    sync(db, kb, now=now)
    change(kb)
    result = sync(db, kb, now=now)
    assert result.parsed and len(result.parsed) < 4  # only the changed files were parsed
    assert index(db) == rebuilt(kb, tmp_path, now)
    if change is drop_a_card:
        assert db.execute("SELECT archived FROM cards WHERE id = 'tw.hier'").fetchone() == (1,)


def test_unchanged_files_rows_are_not_rewritten(db, kb, now):
    sync(db, kb, now=now)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    edit_answer(kb)
    sync(db, kb, now=now + dt.timedelta(hours=1))
    db.conn.set_trace_callback(None)
    assert len([s for s in statements if s.startswith(("UPDATE cards", "UPDATE claims", "UPDATE stories"))]) == 1
    assert "DELETE FROM links" not in statements  # only the edited deck's links are rewritten
    assert db.execute("SELECT id FROM cards WHERE changed_at != created_at").fetchall() == [("tw.hier",)]


def test_switching_back_to_a_knowledge_base_rewrites_it(db, kb, tmp_path, now):
    other = tmp_path / "other"
    shutil.copytree(kb, other)
    deck = other / "decks/time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("放到上层轮", "OTHER"), encoding="utf-8")
    sync(db, kb, now=now)
    sync(db, other, now=now)
    sync(db, kb, now=now)  # kb's files are unchanged since its cache, but the rows are other's
    assert index(db) == rebuilt(kb, tmp_path, now)


def test_a_stale_search_index_is_rebuilt_in_full(db, kb, tmp_path, now):
    from prep.index.db import set_meta

    sync(db, kb, now=now)
    set_meta(db, "search_stale", "1")  # what a migration that changes the index does
    sync(db, kb, now=now)
    assert index(db) == rebuilt(kb, tmp_path, now)
    assert index(db)["search"]
