"""Recompute an item's FSRS state from its whole review history.

When answers arrive from elsewhere (Anki, another machine), they may fall before,
between or after the ones given in prep. FSRS state depends on the order of all of
them, so the only honest state is the one a single replay of the merged history in
time order gives. The replay also rewrites each log row's before/after snapshots, so
undo keeps restoring exactly the state before an answer. Ratings and times are never
changed: the log stays the record, the state is derived from it.
"""

from __future__ import annotations

import datetime as dt
import json

from fsrs import Scheduler

from prep.index.conn import Database
from prep.index.db import dumps, iso
from prep.index.read import item_hash
from prep.study import srs
from prep.study.srs import Settings

STATE_COLS = ("fsrs", "due", "state", "reps", "lapses", "last_review", "leech", "reviewed_hash")


def history(db: Database, item_type: str, item_id: str) -> list[tuple[int, str, int, str | None]]:
    """(log id, reviewed_at, rating, after snapshot) of the answers that shape the state, in time order.
    Cram answers never touch the schedule; undone ones do not count."""
    return db.execute(
        """SELECT id, reviewed_at, rating, after FROM review_log
           WHERE item_type = ? AND item_id = ? AND undone = 0 AND mode != 'cram'
           ORDER BY reviewed_at, id""",
        [item_type, item_id],
    ).fetchall()


def replay_state(scheduler: Scheduler, settings: Settings, item_type: str, item_id: str, answers: list[tuple[dt.datetime, int]]) -> dict | None:
    """The review_state row a single replay of `answers` (time, rating) gives, without
    the hash; None for no answers. Pure: the tests compare imports against it."""
    row = None
    for at, rating in sorted(answers, key=lambda a: a[0]):
        row = _step(scheduler, settings, item_type, item_id, row, at, rating, None)
    return row


def _step(scheduler, settings, item_type, item_id, row, at: dt.datetime, rating: int, item_hash):
    before = json.loads(row["fsrs"]) if row else srs.new_state(item_type, item_id, at)
    ans = srs.answer(scheduler, before, rating, at)
    lapses = (row["lapses"] if row else 0) + int(ans.lapse)
    return {
        "fsrs": dumps(ans.after),
        "due": iso(ans.due),
        "state": ans.state,
        "reps": (row["reps"] if row else 0) + 1,
        "lapses": lapses,
        "last_review": iso(at),
        "leech": int(lapses >= settings.leech_lapses or bool(row and row["leech"])),
        "reviewed_hash": item_hash,
    }


def replay(db: Database, item_type: str, item_id: str, settings: Settings, scheduler: Scheduler | None = None) -> dict | None:
    """Replay the item's history into review_state and the log's snapshots. Call it
    inside the caller's transaction (the import is one transaction)."""
    scheduler = scheduler or srs.make_scheduler(settings)
    current = item_hash(db, item_type, item_id)
    row: dict | None = None
    for log_id, at, rating, after in history(db, item_type, item_id):
        # An answer given in prep remembers which version of the item it saw.
        seen = (json.loads(after) or {}).get("reviewed_hash", current) if after else current
        new = _step(scheduler, settings, item_type, item_id, row, dt.datetime.fromisoformat(at), rating, seen)
        db.conn.execute("UPDATE review_log SET before = ?, after = ? WHERE id = ?", [dumps(row) if row else None, dumps(new), log_id])
        row = new
    if row is None:
        db.conn.execute("DELETE FROM review_state WHERE item_type = ? AND item_id = ?", [item_type, item_id])
        return None
    db.conn.execute(
        f"""INSERT INTO review_state (item_type, item_id, {", ".join(STATE_COLS)}) VALUES (?, ?, {", ".join("?" * len(STATE_COLS))})
            ON CONFLICT(item_type, item_id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in STATE_COLS)}""",
        [item_type, item_id, *(row[c] for c in STATE_COLS)],
    )
    return row
