"""Opening the SQLite database safely.

The database holds the user's review history, which no content error, upgrade,
crash or second process may damage. So: refuse files that are not SQLite or come
from a newer prep (and leave them untouched), copy the file aside before running
migrations, use WAL with a busy timeout so two processes wait rather than fail, and
commit every answer on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from prep.errors import PrepError
from prep.index.migrations import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(t: dt.datetime) -> str:
    if t.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")


def loads(value):
    return json.loads(value) if value else None


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise PrepError(f"{path}: is a folder, not a prep database")
    with path.open("rb") as f:
        head = f.read(16)
    if head and head != SQLITE_MAGIC:
        raise PrepError(f"{path}: not a SQLite database (left untouched). Move it away or pass --db to use another file.")


def _backup(conn: sqlite3.Connection, path: Path, label: str) -> Path:
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    dest = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
    return dest


def open_db(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and upgrade the database at `path`."""
    path = Path(path)
    _check_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        applied = [m.name for m in migrations.applied(db)]
    except sqlite3.DatabaseError as e:
        raise PrepError(f"{path}: cannot open the database ({e}); the file was left untouched") from e
    if mode.lower() != "wal":  # pragma: no cover - e.g. a read-only medium
        raise PrepError(f"{path}: could not switch to WAL journaling (got {mode})")
    known = [m.name for m in migrations._migrations]
    newer = [name for name in applied if name not in known]
    if newer:
        conn.close()
        raise PrepError(
            f"{path}: written by a newer version of prep (schema {newer[-1]}); upgrade prep. The file was left untouched."
        )
    if migrate:
        pending = migrations.pending(db)
        if pending:
            if existed and applied:
                _backup(conn, path, f"before-{pending[0].name}")
            try:
                migrations.apply(db)
            except sqlite3.OperationalError as e:
                # Another process migrated first: what matters is that nothing is pending now.
                if migrations.pending(db):
                    raise PrepError(f"{path}: migration failed ({e})") from e
    return db


def schema_version(db: Database) -> str | None:
    applied = migrations.applied(db)
    return applied[-1].name if applied else None


def get_meta(db: Database, key: str, default=None):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


class transaction:
    """`BEGIN IMMEDIATE` ... `COMMIT`: take the write lock up front.

    A deferred transaction that reads then writes can fail with SQLITE_BUSY at once
    when another process holds the lock; IMMEDIATE waits for the busy timeout instead.
    """

    def __init__(self, db: Database):
        self.conn = db.conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        return False
