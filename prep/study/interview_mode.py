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

from prep.index.conn import Database
from prep.index.db import dumps, iso
from prep.study import srs
from prep.study.engine import QueueItem
from prep.study.interviews import next_interview
from prep.study.plan import RISK_RANK, pull_quota, r_at, study_moments
from prep.study.srs import Settings


def risk_sql(claims: tuple[str, ...]) -> tuple[str, list]:
    """SQL for card `c`'s best risk rank among the interview's claims (all claims when
    none); NULL when it backs none of them. Walks the links index, card by card."""
    ranks = " ".join(f"WHEN '{k}' THEN {v}" for k, v in RISK_RANK.items())
    only = " AND l.dst IN (SELECT value FROM json_each(?))" if claims else ""
    sql = f"""(SELECT min(CASE cl.risk {ranks} ELSE 1 END) FROM links l JOIN claims cl ON cl.id = l.dst
               WHERE l.src_type = 'card' AND l.src = c.id AND l.rel = 'backs' AND l.dst_type = 'claim'
               AND cl.archived = 0{only})"""
    return sql, [dumps(list(claims))] if claims else []


def pulled_today(db: Database, now: dt.datetime, settings: Settings) -> int:
    """Cards answered today before they were due at all: only interview mode brings cards forward."""
    start = srs.day_start(now, settings)
    return db.execute(
        """SELECT count(*) FROM review_log WHERE item_type = 'card' AND mode = 'review' AND undone = 0
           AND reviewed_at >= ? AND json_extract(before, '$.due') >= ?""",
        [iso(start), iso(start + dt.timedelta(days=1))],
    ).fetchone()[0]


def apply(
    db: Database,
    now: dt.datetime,
    settings: Settings,
    due: list[QueueItem],
    new: list[QueueItem],
    base: str,
    params: list,
    reviews_done: int,
    new_done: int,
) -> list[QueueItem]:
    """The day's queue with the interview's cards brought forward and its new cards first.
    `base`/`params`: build_queue's FROM ... WHERE over cards c and review_state s."""
    interview = next_interview(db, now)
    if interview is None:
        return due + new
    risk, risk_params = risk_sql(interview.claims)
    scheduler = srs.make_scheduler(settings)
    moments = study_moments(now, interview.at)
    in_queue = {q.item_id for q in due}
    cands = []
    for item_id, fsrs, due_at, rank in db.execute(
        f"SELECT * FROM (SELECT c.id, s.fsrs, s.due, {risk} AS rank {base} AND s.due > ?) WHERE rank IS NOT NULL",
        [*risk_params, *params, iso(moments[-1])],
    ):
        r = r_at(scheduler, json.loads(fsrs), interview.at)
        if item_id not in in_queue and r < settings.desired_retention:
            cands.append((rank, r, item_id, due_at))
    cands.sort()
    room = max(0, settings.max_reviews_per_day - reviews_done - len(due))
    quota = min(room, pull_quota(len(cands), pulled_today(db, now, settings), len(moments)))
    pulled = [QueueItem("card", item_id, False, due_at) for _, _, item_id, due_at in cands[:quota]]
    new_room = max(0, settings.new_per_day - new_done)
    first: list[str] = []
    for rank in sorted(set(RISK_RANK.values())):  # high-risk claims first, each in deck order
        if len(first) >= new_room:
            break
        # Walk the deck-order index and stop at the limit: no rank is computed for every new card.
        first += [
            r[0]
            for r in db.execute(
                f"SELECT c.id {base} AND s.item_id IS NULL AND {risk} = ? ORDER BY c.position LIMIT ?",
                [*params, *risk_params, rank, new_room],
            )
            if r[0] not in first
        ][: new_room - len(first)]
    rest = [q.item_id for q in new if q.item_id not in set(first)]
    fresh = [QueueItem("card", i, True) for i in (first + rest)[:new_room]]
    return due + pulled + fresh


def interview_stories(db: Database, now: dt.datetime, settings: Settings) -> set[str]:
    """Stories of the next interview's claims to rehearse before it: never told yet, or
    below the desired retention at the interview and not due again before it."""
    interview = next_interview(db, now)
    if interview is None:
        return set()
    scheduler = srs.make_scheduler(settings)
    last = study_moments(now, interview.at)[-1]
    wanted = set(interview.claims)
    out = set()
    for story_id, fsrs, due in db.execute(
        """SELECT DISTINCT l.src, s.fsrs, s.due FROM links l JOIN stories t ON t.id = l.src AND t.archived = 0
           LEFT JOIN review_state s ON s.item_type = 'story' AND s.item_id = l.src
           WHERE l.src_type = 'story' AND l.rel = 'backs' AND l.dst_type = 'claim'
           AND (? OR l.dst IN (SELECT value FROM json_each(?)))""",
        [not wanted, dumps(sorted(wanted))],
    ):
        if fsrs is None or (due > iso(last) and r_at(scheduler, json.loads(fsrs), interview.at) < settings.desired_retention):
            out.add(story_id)
    return out
