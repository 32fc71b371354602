"""Opening the database under attack: a migration race, another application's file, a
future schema in rollback-journal mode, a writer holding the lock. Each asserts the
message, the exit code and that the file (or its logical dump) is unchanged."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from prep.cli import cli
from prep.errors import PrepError
from prep.index.db import APPLICATION_ID, open_db
from prep.index.migrations import migrations

REPO = Path(__file__).resolve().parent.parent


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def old_db(path: Path) -> None:
    old = Database(path)
    migrations.apply(old, stop_before=migrations._migrations[1].name)
    old.execute(
        "INSERT INTO cards (id, deck, q, a, claims, tags, kind, difficulty, followups, hash, created_at, changed_at)"
        " VALUES ('c1', 'd', '\"q\"', '\"a\"', '[]', '[]', 'concept', 3, '[]', 'h', 't', 't')"
    )
    old.conn.commit()
    old.close()


def test_processes_opening_an_old_db_at_once_all_succeed(tmp_path):
    path = tmp_path / "old.db"
    old_db(path)
    start_at = time.time() + 1.5
    code = (
        "import sys, time; from prep.index.db import open_db;"
        "time.sleep(max(0, float(sys.argv[2]) - time.time())); db = open_db(sys.argv[1]);"
        "print(db.execute('SELECT count(*) FROM cards').fetchone()[0])"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), str(start_at)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, out.strip(), err) for p, (out, err) in zip(procs, outs, strict=True)] == [(0, "1", "")] * 4
    db = open_db(path)
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert len(list(tmp_path.glob("old.db.before-*.bak"))) == 1  # the losers found nothing pending
    assert not list(tmp_path.glob(".*partial"))
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def foreign_db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('not prep data')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_applications_sqlite_file_is_refused_byte_identical(tmp_path, kb):
    path = tmp_path / "other.sqlite"
    before = foreign_db(path)
    with pytest.raises(PrepError, match="a SQLite database of another application"):
        open_db(path)
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(path), "stats"])
    assert result.exit_code == 1
    assert (
        f"Error: {path}: a SQLite database of another application (application_id 0, 1 table); prep left it"
        " untouched. Pass --db with a new file name." in " ".join(result.stderr.split())
    )
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_a_file_marked_by_another_application_is_refused(tmp_path):
    path = tmp_path / "marked.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(PrepError, match=r"application_id 1234"):
        open_db(path)
    assert path.read_bytes() == before


def test_new_and_existing_prep_files_are_marked(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    legacy = tmp_path / "legacy.db"  # written by a prep from before application_id
    migrations.apply(Database(legacy))
    assert open_db(legacy).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_future_schema_in_rollback_journal_mode_is_refused_byte_identical(tmp_path):
    path = tmp_path / "future.db"
    db = open_db(path)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('prep', 'm999_future', 'x')")
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"  # rollback journal, not WAL
    with pytest.raises(PrepError, match=r"written by a newer version of prep \(schema m999_future\)"):
        open_db(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_a_held_write_lock_is_a_message_and_changes_nothing(tmp_path, kb):
    path = tmp_path / "prep.db"
    open_db(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = dump(path)
        result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(path), "config", "new_per_day", "5"])
        assert result.exit_code == 1, result.output
        assert " ".join(result.stderr.split()) == (
            f"Error: {path}: the database is busy (another prep process is writing to it); nothing was lost, try again in a moment"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(path) == before


def test_an_old_db_being_written_is_switched_to_wal_once_the_writer_is_done(tmp_path):
    # SQLite gives "locked" at once, without the busy handler, when the connection switching
    # the journal mode already reads and another holds the write lock: the two-process
    # race above. The switch waits for the writer instead of failing.
    import threading

    path = tmp_path / "old.db"
    old_db(path)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE cards SET difficulty = 4")
    done = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    done.start()
    try:
        db = open_db(path)
    finally:
        done.join()
        holder.close()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT difficulty FROM cards").fetchall() == [(4,)]
