"""The writes an Anki export makes beside its package: best effort, in short transactions.

An export keeps two things in the database for the next one: rendered HTML
(prep.export.html_cache) and when each note's content last changed
(prep.export.note_mods). Neither may cost the export: a full disk, a locked or
read-only database means the write is dropped (`guarded` says False, nothing is
raised). Nor may either hold the lock long: rows go in transactions of at most about
BATCH_S with GAP_S between them, as a large sync writes (prep.index.batches), so a
reviewer answering in the TUI meanwhile waits at most about half a second.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Sequence

from prep.index.batches import BATCH_S, GAP_S
from prep.index.db import BUSY_TIMEOUT_S

WRITE_WAIT_MS = 200  # how long a write waits for the lock before giving up (what it keeps can be lost)
ROWS_PER_CHECK = 500  # rows written between looks at the clock


def guarded(conn: sqlite3.Connection, write: Callable[[], None]) -> bool:
    """Run `write`; False (its transaction rolled back) when the database refused it."""
    try:
        write()
    except (sqlite3.Error, OSError, ValueError):  # ValueError: text SQLite cannot take
        with contextlib.suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return True


def write_rows(conn: sqlite3.Connection, sql: str, rows: Sequence[tuple]) -> None:
    """`sql` (one statement, executemany) for every row, in transactions of at most about
    BATCH_S, leaving the lock free for GAP_S between them so a waiting writer gets in."""
    pos = 0
    while pos < len(rows):
        if pos:
            time.sleep(GAP_S)
        begin(conn)
        start = time.monotonic()
        while True:  # at least one slice per transaction, however short BATCH_S
            conn.executemany(sql, rows[pos : pos + ROWS_PER_CHECK])
            pos += ROWS_PER_CHECK
            if pos >= len(rows) or time.monotonic() - start >= BATCH_S:
                break
        conn.execute("COMMIT")


def begin(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    conn.execute("BEGIN IMMEDIATE")
