"""Migrations: a blank DB and an old one reach the current schema; bad files are refused untouched."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from prep.errors import PrepError
from prep.index.db import open_db, schema_version
from prep.index.migrations import migrations


def test_blank_db_gets_every_migration(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"cards", "stories", "claims", "review_state", "review_log", "search"} <= set(db.table_names())
    assert not list(tmp_path.glob("*.bak"))  # nothing to back up on a fresh file


def test_old_db_upgrades_with_data_intact_and_backup(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    first = migrations._migrations[0].name
    second = migrations._migrations[1].name
    migrations.apply(old, stop_before=second)
    old.execute(
        "INSERT INTO cards (id, deck, q, a, claims, tags, kind, difficulty, followups, hash, created_at, changed_at)"
        " VALUES ('c1', 'd', '\"q\"', '\"a\"', '[]', '[]', 'concept', 3, '[]', 'h', 't', 't')"
    )
    old.conn.commit()
    old.close()
    db = open_db(path)
    assert schema_version(db) == migrations._migrations[-1].name
    assert db.execute("SELECT id FROM cards").fetchall() == [("c1",)]
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert len(backups) == 1
    kept = Database(backups[0])
    assert [m.name for m in migrations.applied(kept)] == [first]
    assert kept.execute("SELECT id FROM cards").fetchall() == [("c1",)]


def test_newer_db_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    db = open_db(path)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('prep', 'm999_from_the_future', 'x')")
    db.conn.commit() if db.conn.in_transaction else None
    db.close()
    before = path.read_bytes()
    with pytest.raises(PrepError, match="newer version of prep"):
        open_db(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("payload", [b"this is not a database at all\n" * 10, b"\x00\x01garbage" * 100])
def test_non_sqlite_file_is_refused_untouched(tmp_path, payload):
    path = tmp_path / "prep.db"
    path.write_bytes(payload)
    with pytest.raises(PrepError, match=r"not a SQLite database|cannot open"):
        open_db(path)
    assert path.read_bytes() == payload


def test_corrupt_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "corrupt.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the magic header, destroy the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(PrepError, match="cannot open the database"):
        open_db(path)
    assert path.read_bytes() == bytes(data)


def sync_as_old(old, kb, now):
    """Index `kb` into a DB of an older schema. Today's sync writes what later migrations
    add (card gists, facts): lend them for this sync only, as the old code had neither."""
    from prep.index.sync import sync

    old.execute("ALTER TABLE cards ADD COLUMN gist TEXT")
    old.execute("CREATE TABLE facts (id, claim, text, figure, status, source, file, line, position)")
    sync(old, kb, now=now)
    old.execute("ALTER TABLE cards DROP COLUMN gist")
    old.execute("DROP TABLE facts")


def test_search_index_from_before_m003_is_rebuilt(tmp_path, kb, now):
    """A DB indexed before search rows were keyed by item rowid syncs cleanly and
    keeps every item's content-change time."""
    from prep.index import read
    from prep.index.sync import sync

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m003_search_rowids")
    old.close()
    old = open_db(path, migrate=False)
    sync_as_old(old, kb, now)
    # simulate the old layout: search rows with rowids unrelated to the items
    old.execute("DELETE FROM search")
    for i, (kind, item_id) in enumerate(
        [("card", r[0]) for r in old.execute("SELECT id FROM cards")] + [("claim", r[0]) for r in old.execute("SELECT id FROM claims")]
    ):
        old.execute("INSERT INTO search (rowid, type, id, title, body) VALUES (?, ?, ?, 'x', 'y')", [i + 1, kind, item_id])
    changed = old.execute("SELECT id, changed_at FROM cards ORDER BY id").fetchall()
    old.close()
    db = open_db(path)
    result = sync(db, kb, now=now.replace(year=2027))
    assert not result.unchanged and result.updated == 0
    assert db.execute("SELECT id, changed_at FROM cards ORDER BY id").fetchall() == changed
    assert {r["id"] for r in read.search(db, "时间轮")} >= {"tw.basic", "tw.hier"}
    assert db.execute("SELECT count(*) FROM search").fetchone()[0] == 6
    assert sync(db, kb, now=now).unchanged


def test_db_with_review_history_upgrades_with_history_intact(tmp_path, kb, now):
    """A DB from the first version that had review state (m002) keeps every answer,
    the exact FSRS state, and stays usable after upgrading to the current schema."""
    from prep.index.sync import sync
    from prep.study import engine
    from prep.study.srs import Settings

    path = tmp_path / "v2.db"
    old = Database(path)
    migrations.apply(old, stop_before=migrations._migrations[2].name)
    old.close()
    old = open_db(path, migrate=False)
    sync_as_old(old, kb, now)
    s = Settings(enable_fuzzing=False)
    for i, card in enumerate(("tw.basic", "tw.hier", "perf.p99")):
        engine.record_answer(old, "card", card, 1 + i, now, settings=s, duration_ms=1000 + i)
    log = old.execute("SELECT * FROM review_log ORDER BY id").fetchall()
    state = old.execute("SELECT * FROM review_state ORDER BY item_id").fetchall()
    old.close()

    db = open_db(path)
    assert schema_version(db) == migrations._migrations[-1].name
    cols = "id, item_type, item_id, reviewed_at, rating, duration_ms, mode, before, after, undone"
    assert db.execute(f"SELECT {cols} FROM review_log ORDER BY id").fetchall() == log
    assert db.execute("SELECT DISTINCT source, source_id FROM review_log").fetchall() == [("prep", None)]
    assert db.execute("SELECT * FROM review_state ORDER BY item_id").fetchall() == state
    assert len(list(tmp_path.glob("v2.db.before-*.bak"))) == 1
    sync(db, kb, now=now)
    engine.record_answer(db, "card", "tw.basic", 3, now.replace(hour=10), settings=s)
    assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 4
