"""Interview mode in the queue: while an interview is ahead, study towards it.

The normal queue (due cards, then new ones, within the daily limits) is kept; on top
of it, cards of the interview's claims that would be below the desired retention at
the interview moment and will not come due before it are brought forward, a fair
share each day (plan.pull_quota) within the review limit, high-risk claims first; and
the interview's new cards are introduced before any other new card. The FSRS state is
only ever changed by answers, so once the interview is past the queue is the normal
one again, with nothing to undo.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from prep.index.db import dumps, iso
from prep.study import srs
from prep.study.engine import QueueItem
from prep.study.interviews import next_interview
from prep.study.plan import pull_quota, r_at, study_moments, target_items
from prep.study.srs import Settings


def pulled_today(db: Database, now: dt.datetime, settings: Settings, ids: list[str]) -> int:
    """Cards of `ids` answered today before they were due at all (brought forward)."""
    start = srs.day_start(now, settings)
    return db.execute(
        """SELECT count(*) FROM review_log WHERE item_type = 'card' AND mode = 'review' AND undone = 0
           AND reviewed_at >= ? AND json_extract(before, '$.due') >= ?
           AND item_id IN (SELECT value FROM json_each(?))""",
        [iso(start), iso(start + dt.timedelta(days=1)), dumps(ids)],
    ).fetchone()[0]


def apply(
    db: Database, now: dt.datetime, settings: Settings, due: list[QueueItem], new: list[QueueItem],
    base: str, params: list, reviews_done: int, new_done: int,
) -> list[QueueItem]:
    """The day's queue with the interview's cards brought forward and its new cards first.
    `base`/`params`: build_queue's FROM ... WHERE over cards c and review_state s."""
    interview = next_interview(db, now)
    if interview is None:
        return due + new
    risk = {i: r for (t, i), r in target_items(db, interview.claims).items() if t == "card"}
    if not risk:
        return due + new
    scheduler = srs.make_scheduler(settings)
    ids = list(risk)
    last = study_moments(now, interview.at)[-1]
    in_queue = {q.item_id for q in due}
    cands = []
    for item_id, fsrs, due_at in db.execute(
        f"SELECT c.id, s.fsrs, s.due {base} AND s.due > ? AND c.id IN (SELECT value FROM json_each(?))",
        [*params, iso(last), dumps(ids)],
    ):
        r = r_at(scheduler, json.loads(fsrs), interview.at)
        if item_id not in in_queue and r < settings.desired_retention:
            cands.append((risk[item_id], r, item_id, due_at))
    cands.sort()
    room = max(0, settings.max_reviews_per_day - reviews_done - len(due))
    days_left = len(study_moments(now, interview.at))
    quota = min(room, pull_quota(len(cands), pulled_today(db, now, settings, ids), days_left))
    pulled = [QueueItem("card", item_id, False, due_at) for _, _, item_id, due_at in cands[:quota]]
    new_room = max(0, settings.new_per_day - new_done)
    first = [
        r[0] for r in db.execute(
            f"SELECT c.id, c.position {base} AND s.item_id IS NULL AND c.id IN (SELECT value FROM json_each(?)) ORDER BY c.position",
            [*params, dumps(ids)],
        )
    ]
    first.sort(key=lambda i: risk[i])  # stable: deck order within a risk level
    chosen = first[:new_room]
    rest = [q.item_id for q in new if q.item_id not in set(chosen)]
    fresh = [QueueItem("card", i, True) for i in (chosen + rest)[:new_room]]
    return due + pulled + fresh
