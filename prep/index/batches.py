"""Writing a big sync in short transactions, so reviewers in other processes never wait long.

A 300k-card knowledge base takes many seconds to index; held as one write transaction,
every answer given meanwhile in the TUI waited for it and failed with "database is locked".
A large sync instead commits every BATCH_S seconds and then leaves the lock free for
GAP_S, longer than SQLite's longest busy-handler sleep (100 ms), so a waiting answer is
written in the gap: no reviewer waits more than about half a second.

Between batches other processes see a half-updated index (never a lost answer: sync only
writes content tables). The parse cache is written last, so a sync killed half-way is
simply redone by the next one. A lease in `meta` keeps two large syncs from interleaving.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable
from typing import Literal

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import BUSY_TIMEOUT_S, LONG_WAIT_S, get_meta, set_meta

BATCH_ITEMS = 20_000  # syncs writing more items than this are batched
BATCH_S = 0.5
GAP_S = 0.12
LEASE_S = 60.0  # a lease not renewed for this long belongs to a killed sync


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class Batches:
    """`with Batches(db, batched=...) as b:` ... `b.tick()` after each row ...: one
    transaction when not batched, else a commit (and a gap) every BATCH_S seconds."""

    def __init__(self, db: Database, *, batched: bool, on_commit: Callable[[], None] | None = None):
        self.conn = db.conn
        self.db = db
        self.batched = batched
        self.on_commit = on_commit
        self.since = 0.0
        self.commits = 0

    def _begin(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(LONG_WAIT_S * 1000)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.since = time.monotonic()

    def _lease(self) -> None:
        set_meta(self.db, "sync_lease", json.dumps({"pid": os.getpid(), "at": time.time()}))

    def _take_lease(self) -> None:
        deadline = time.monotonic() + LONG_WAIT_S
        while True:
            raw = get_meta(self.db, "sync_lease")
            lease = json.loads(raw) if raw else None
            if not lease or lease["pid"] == os.getpid() or time.time() - lease["at"] > LEASE_S or not _alive(lease["pid"]):
                self._lease()
                return
            self.conn.execute("COMMIT")
            if time.monotonic() > deadline:
                raise PrepError(
                    f"another prep process (pid {lease['pid']}) is indexing this knowledge base; try again when it finishes",
                    zh=f"另一个 prep 进程（pid {lease['pid']}）正在为这个知识库建索引；等它结束后再试",
                )
            time.sleep(GAP_S)
            self._begin()

    def __enter__(self) -> Batches:
        self._begin()
        if self.batched:
            self._take_lease()
        return self

    def tick(self) -> None:
        if not self.batched or time.monotonic() - self.since < BATCH_S:
            return
        self._lease()
        self.conn.execute("COMMIT")
        self.commits += 1
        if self.on_commit:
            self.on_commit()
        time.sleep(GAP_S)
        self._begin()

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        if exc_type is None:
            if self.batched:
                self.conn.execute("DELETE FROM meta WHERE key = 'sync_lease'")
            self.conn.execute("COMMIT")
            return False
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if self.batched and self.commits:  # release the lease an earlier batch committed
            with contextlib.suppress(sqlite3.Error):  # the original error matters more
                self.conn.execute("DELETE FROM meta WHERE key = 'sync_lease'")
        return False
