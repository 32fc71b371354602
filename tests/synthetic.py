"""A synthetic learner for optimizer tests and demos: reviews scheduled by FSRS with the
default parameters, recalled (or not) as FSRS with the learner's true parameters predicts."""

from __future__ import annotations

import datetime as dt
import random

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from prep.index.db import iso, transaction

# A forgetful learner: first-day stabilities a quarter of the defaults, faster decay.
TRUE_PARAMETERS = (*(x * 0.25 if i < 4 else x for i, x in enumerate(DEFAULT_PARAMETERS[:20])), 0.5)


def write_history(db, start: dt.datetime, *, cards: int = 120, days: int = 60, seed: int = 7, true=TRUE_PARAMETERS) -> int:
    """Insert the review log of `cards` cards studied for `days` days; returns how many answers."""
    rng = random.Random(seed)
    planner = Scheduler(enable_fuzzing=False)  # what the learner was shown
    truth = Scheduler(parameters=true, enable_fuzzing=False)  # what their memory did
    rows = []
    end = start + dt.timedelta(days=days)
    for c in range(cards):
        t = start + dt.timedelta(days=c * days / (2 * cards), hours=rng.random() * 8)
        shown, real = Card(card_id=c + 1, due=t), Card(card_id=c + 1, due=t)
        first = True
        while t < end:
            p = 1.0 if first else truth.get_card_retrievability(real, t)
            rating = Rating.Again if rng.random() > p else rng.choice([Rating.Hard, Rating.Good, Rating.Good, Rating.Good, Rating.Easy])
            first = False
            shown, _ = planner.review_card(shown, rating, review_datetime=t)
            real, _ = truth.review_card(real, rating, review_datetime=t)
            rows.append(("card", f"syn.{c}", iso(t), int(rating)))
            t = max(shown.due, t + dt.timedelta(minutes=1))
    with transaction(db):
        db.conn.executemany("INSERT INTO review_log (item_type, item_id, reviewed_at, rating, mode) VALUES (?, ?, ?, ?, 'review')", rows)
    return len(rows)
