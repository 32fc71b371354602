"""Why a study queue is empty, so `prep study` can say so instead of showing a blank session.

An empty queue has a few causes a learner can act on: nothing selected, everything
already scheduled for later (and when the next card comes), or today's limits reached.
The TUI words these in the app's language; this module only counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prep.index.conn import Database
from prep.index.db import iso
from prep.index.filters import card_filter
from prep.study.engine import done_today, load_settings
from prep.study.srs import Settings


@dataclass(frozen=True)
class EmptyQueue:
    selected: int  # cards the filters select
    unseen: int  # of those, never studied
    next_due: dt.datetime | None  # the soonest scheduled card, if any
    new_limit_hit: bool  # new cards wait because today's new_per_day is used up
    review_limit_hit: bool  # due cards wait because today's max_reviews_per_day is used up


def why_empty(db: Database, now: dt.datetime, settings: Settings | None = None, **filters) -> EmptyQueue:
    settings = settings or load_settings(db)
    where, params = card_filter("c", **{k: v for k, v in filters.items() if v})
    base = f"FROM cards c LEFT JOIN review_state s ON s.item_type = 'card' AND s.item_id = c.id WHERE {where}"
    selected, unseen, due_now = db.execute(
        f"SELECT count(*), coalesce(sum(s.item_id IS NULL), 0), coalesce(sum(s.due <= ?), 0) {base}",
        [iso(now), *params],
    ).fetchone()
    soonest = db.execute(f"SELECT min(s.due) {base} AND s.due > ?", [*params, iso(now)]).fetchone()[0]
    reviews, new_done = done_today(db, now, settings)
    return EmptyQueue(
        selected=selected,
        unseen=unseen,
        next_due=dt.datetime.fromisoformat(soonest) if soonest else None,
        new_limit_hit=bool(unseen) and new_done >= settings.new_per_day,
        review_limit_hit=bool(due_now) and reviews >= settings.max_reviews_per_day,
    )
