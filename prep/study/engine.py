"""The review engine: what to study next, and recording answers so none is ever lost.

Each answer is its own `BEGIN IMMEDIATE` transaction that reads the current state,
computes the next one with FSRS and writes both the state and a log row holding a
snapshot of the state before. So a kill -9 loses at most the card on screen, two
processes on one database serialize instead of overwriting each other, and undo
restores the exact previous state. No Textual here: the TUI and tests drive it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import dumps, get_meta, iso, set_meta, transaction
from prep.index.filters import card_filter
from prep.index.read import item_hash
from prep.study import srs
from prep.study.srs import Settings

STATE_COLS = ("fsrs", "due", "state", "reps", "lapses", "last_review", "leech", "reviewed_hash")
MODES = ("review", "cram", "rehearsal", "mock")


def load_settings(db: Database) -> Settings:
    raw = get_meta(db, "settings")
    return Settings.from_dict(json.loads(raw)) if raw else Settings()


def save_settings(db: Database, settings: Settings) -> None:
    with transaction(db):
        set_meta(db, "settings", dumps(settings.to_dict()))


@dataclass(frozen=True)
class QueueItem:
    item_type: str
    item_id: str
    new: bool
    due: str | None = None


def done_today(db: Database, now: dt.datetime, settings: Settings, item_type: str = "card") -> tuple[int, int]:
    """(reviews, new items introduced) since the start of today's study day."""
    start = iso(srs.day_start(now, settings))
    reviews, new = db.execute(
        """SELECT count(*), coalesce(sum(json_extract(before, '$.last_review') IS NULL), 0)
           FROM review_log WHERE item_type = ? AND mode = 'review' AND undone = 0 AND reviewed_at >= ?""",
        [item_type, start],
    ).fetchone()
    return reviews, new


def build_queue(
    db: Database,
    now: dt.datetime,
    settings: Settings | None = None,
    *,
    deck=None,
    claim=None,
    tag=None,
    kind=None,
    cram: bool = False,
    ids=None,
) -> list[QueueItem]:
    """Due cards first (oldest due first), then new cards in deck order, within the daily
    limits. Cram: every selected card, weakest first, no limits, schedule untouched."""
    settings = settings or load_settings(db)
    where, params = card_filter("c", deck=deck, claim=claim, tag=tag, kind=kind, ids=ids)
    base = f"""FROM cards c LEFT JOIN review_state s ON s.item_type = 'card' AND s.item_id = c.id WHERE {where}"""
    if cram:
        rows = db.execute(f"SELECT c.id, s.due, s.fsrs {base} ORDER BY c.position", params).fetchall()
        scheduler = srs.make_scheduler(settings)
        weak = sorted(rows, key=lambda r: srs.retrievability(scheduler, json.loads(r[2]) if r[2] else None, now))
        return [QueueItem("card", r[0], r[1] is None, r[1]) for r in weak]
    reviews, new_done = done_today(db, now, settings)
    # Let SQLite pick and limit: the next card must come in milliseconds at 50k cards.
    due = db.execute(
        f"SELECT c.id, s.due {base} AND s.due <= ? ORDER BY s.due LIMIT ?",
        [*params, iso(now), max(0, settings.max_reviews_per_day - reviews)],
    ).fetchall()
    new = db.execute(
        f"SELECT c.id {base} AND s.item_id IS NULL ORDER BY c.position LIMIT ?",
        [*params, max(0, settings.new_per_day - new_done)],
    ).fetchall()
    from prep.study import interview_mode  # (it builds on this module)

    return interview_mode.apply(
        db,
        now,
        settings,
        [QueueItem("card", r[0], False, r[1]) for r in due],
        [QueueItem("card", r[0], True) for r in new],
        base,
        params,
        reviews,
        new_done,
    )


def get_state(db: Database, item_type: str, item_id: str) -> dict | None:
    row = db.execute(f"SELECT {', '.join(STATE_COLS)} FROM review_state WHERE item_type = ? AND item_id = ?", [item_type, item_id]).fetchone()
    return dict(zip(STATE_COLS, row, strict=True)) if row else None


def fsrs_state(db: Database, item_type: str, item_id: str, now: dt.datetime) -> srs.CardDict:
    row = get_state(db, item_type, item_id)
    return json.loads(row["fsrs"]) if row else srs.new_state(item_type, item_id, now)


def intervals(db: Database, item_type: str, item_id: str, now: dt.datetime, settings: Settings | None = None) -> dict[int, str]:
    """The footer's "Again 1m / Hard 6m / Good 10m / Easy 8d"."""
    settings = settings or load_settings(db)
    scheduler = srs.make_scheduler(settings)
    return {r: srs.format_interval(d) for r, d in srs.preview(scheduler, fsrs_state(db, item_type, item_id, now), now).items()}


def record_answer(
    db: Database,
    item_type: str,
    item_id: str,
    rating: int,
    now: dt.datetime,
    *,
    duration_ms: int | None = None,
    mode: str = "review",
    settings: Settings | None = None,
) -> int:
    """Record one answer and commit it; returns the review_log id (for undo)."""
    if rating not in srs.RATINGS:
        raise PrepError(f"rating must be 1-4, not {rating!r}", zh=f"评分必须是 1-4，不能是 {rating!r}")
    if mode not in MODES:
        raise PrepError(f"unknown review mode {mode!r}", zh=f"没有复习模式 {mode!r}")
    settings = settings or load_settings(db)
    scheduler = srs.make_scheduler(settings)
    with transaction(db):
        row = get_state(db, item_type, item_id)
        before_fsrs = json.loads(row["fsrs"]) if row else srs.new_state(item_type, item_id, now)
        if mode == "cram":
            # Cramming the night before must not distort the long-term schedule.
            after_row = None
        else:
            ans = srs.answer(scheduler, before_fsrs, rating, now)
            lapses = (row["lapses"] if row else 0) + int(ans.lapse)
            after_row = {
                "fsrs": dumps(ans.after),
                "due": iso(ans.due),
                "state": ans.state,
                "reps": (row["reps"] if row else 0) + 1,
                "lapses": lapses,
                "last_review": iso(now),
                "leech": int(lapses >= settings.leech_lapses or bool(row and row["leech"])),
                "reviewed_hash": item_hash(db, item_type, item_id),
            }
            db.conn.execute(
                f"""INSERT INTO review_state (item_type, item_id, {", ".join(STATE_COLS)}) VALUES (?, ?, {", ".join("?" * len(STATE_COLS))})
                    ON CONFLICT(item_type, item_id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in STATE_COLS)}""",
                [item_type, item_id, *after_row.values()],
            )
        cur = db.conn.execute(
            "INSERT INTO review_log (item_type, item_id, reviewed_at, rating, duration_ms, mode, before, after) VALUES (?,?,?,?,?,?,?,?)",
            [item_type, item_id, iso(now), rating, duration_ms, mode, dumps(row) if row else None, dumps(after_row) if after_row else None],
        )
        assert cur.lastrowid is not None  # set by every INSERT
        return cur.lastrowid


def undo(db: Database, log_id: int) -> tuple[str, str]:
    """Restore the exact state before answer `log_id`; refuses if a later answer to
    the same item exists (from another session), since undoing would erase it."""
    with transaction(db):
        row = db.execute("SELECT item_type, item_id, mode, before, undone, reviewed_at FROM review_log WHERE id = ?", [log_id]).fetchone()
        if not row:
            raise PrepError(f"no answer #{log_id} to undo", zh=f"没有可撤销的回答 #{log_id}")
        item_type, item_id, mode, before, undone, at = row
        if undone:
            raise PrepError(f"answer #{log_id} was already undone", zh=f"回答 #{log_id} 已经撤销过了")
        # Later in time, not in id: answers imported afterwards (Anki, another machine) may be older.
        later = db.execute(
            """SELECT count(*) FROM review_log WHERE item_type = ? AND item_id = ? AND undone = 0 AND mode != 'cram'
               AND (reviewed_at > ? OR (reviewed_at = ? AND id > ?))""",
            [item_type, item_id, at, at, log_id],
        ).fetchone()[0]
        if later and mode != "cram":
            raise PrepError(f"{item_id} was answered again after #{log_id}; undo that first", zh=f"{item_id} 在 #{log_id} 之后又回答过；先撤销那一次")
        if mode != "cram":
            snap = json.loads(before) if before else None
            if snap is None:
                db.conn.execute("DELETE FROM review_state WHERE item_type = ? AND item_id = ?", [item_type, item_id])
            else:
                db.conn.execute(
                    f"UPDATE review_state SET {', '.join(f'{c} = ?' for c in STATE_COLS)} WHERE item_type = ? AND item_id = ?",
                    [snap[c] for c in STATE_COLS] + [item_type, item_id],
                )
        db.conn.execute("UPDATE review_log SET undone = 1 WHERE id = ?", [log_id])
    return item_type, item_id


def forecast(db: Database, now: dt.datetime, days: int = 14, settings: Settings | None = None) -> list[int]:
    """Cards due on each of the next `days` study days (day 0 includes overdue)."""
    settings = settings or load_settings(db)
    start = srs.day_start(now, settings)
    counts = [0] * days
    for (due,) in db.execute("SELECT s.due FROM review_state s JOIN cards c ON c.id = s.item_id WHERE s.item_type = 'card' AND c.archived = 0"):
        d = (dt.datetime.fromisoformat(due) - start).days
        if d < days:
            counts[max(d, 0)] += 1
    return counts


def daily_reviews(db: Database, now: dt.datetime, days: int = 84, settings: Settings | None = None) -> list[int]:
    """Answers given on each of the last `days` study days, oldest first (for the heatmap)."""
    settings = settings or load_settings(db)
    today = srs.day_start(now, settings)
    first = today - dt.timedelta(days=days - 1)
    counts = [0] * days
    for (at,) in db.execute("SELECT reviewed_at FROM review_log WHERE undone = 0 AND reviewed_at >= ?", [iso(first)]):
        d = (dt.datetime.fromisoformat(at) - first).days
        if 0 <= d < days:
            counts[d] += 1
    return counts


def streak(db: Database, now: dt.datetime, settings: Settings | None = None) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday)."""
    counts = daily_reviews(db, now, days=366, settings=settings)
    if counts[-1] == 0:
        counts = counts[:-1]
    n = 0
    for c in reversed(counts):
        if not c:
            break
        n += 1
    return n
