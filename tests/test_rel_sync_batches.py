"""A large sync commits in batches and frees the write lock between them, so an answer
from another process never waits for the whole sync; two large syncs never interleave."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from prep.errors import PrepError
from prep.index import batches
from prep.index.db import get_meta, open_db, set_meta
from prep.index.sync import sync


@pytest.fixture
def batched(monkeypatch):
    monkeypatch.setattr(batches, "BATCH_ITEMS", 0)  # batch even the small test KB
    monkeypatch.setattr(batches, "BATCH_S", 0.0)  # a commit after every row


def test_another_process_can_write_between_batches(tmp_path, kb, batched, monkeypatch):
    path = tmp_path / "prep.db"
    db = open_db(path)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)  # would fail at once if locked
    written = []

    def gap(_seconds):
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", [f"answer-{len(written)}"])
        other.execute("COMMIT")
        written.append(1)

    monkeypatch.setattr(batches.time, "sleep", gap)
    result = sync(db, kb)
    assert len(written) >= result.added > 5  # a gap after (nearly) every row
    assert db.execute("SELECT count(*) FROM meta WHERE key LIKE 'answer-%'").fetchone()[0] == len(written)
    assert get_meta(db, "sync_lease") is None
    assert db.execute("SELECT count(*) FROM cards WHERE archived = 0").fetchone()[0] == 4


def test_a_sync_interrupted_between_batches_is_redone(tmp_path, kb, batched, monkeypatch):
    db = open_db(tmp_path / "prep.db")
    calls = []

    def gap(_seconds):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(batches.time, "sleep", gap)
    with pytest.raises(KeyboardInterrupt):
        sync(db, kb)
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 0  # the parse cache comes last
    assert get_meta(db, "sync_lease") is None
    monkeypatch.setattr(batches.time, "sleep", lambda _s: None)
    result = sync(db, kb)
    assert not result.unchanged
    assert db.execute("SELECT count(*) FROM cards WHERE archived = 0").fetchone()[0] == 4
    assert (
        db.execute("SELECT count(*) FROM search").fetchone()[0]
        == db.execute("SELECT (SELECT count(*) FROM cards) + (SELECT count(*) FROM stories) + (SELECT count(*) FROM claims)").fetchone()[0]
    )


def test_a_killed_syncs_lease_is_taken_over(tmp_path, kb, batched, monkeypatch):
    monkeypatch.setattr(batches.time, "sleep", lambda _s: None)
    db = open_db(tmp_path / "prep.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    set_meta(db, "sync_lease", json.dumps({"pid": int(dead.stdout), "at": time.time()}))
    sync(db, kb)
    assert db.execute("SELECT count(*) FROM cards WHERE archived = 0").fetchone()[0] == 4


def test_a_live_sync_is_waited_for_then_a_sentence(tmp_path, kb, batched, monkeypatch):
    monkeypatch.setattr(batches.time, "sleep", lambda _s: None)
    monkeypatch.setattr(batches, "LONG_WAIT_S", 0.0)
    db = open_db(tmp_path / "prep.db")
    set_meta(db, "sync_lease", json.dumps({"pid": os.getppid(), "at": time.time()}))
    with pytest.raises(PrepError, match=rf"another prep process \(pid {os.getppid()}\) is indexing this knowledge base"):
        sync(db, kb)
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 0
