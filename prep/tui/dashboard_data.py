"""Everything the dashboard shows, gathered in one call off the UI thread.

At 50k cards the counts, the claim readiness and the due forecast take tens of
milliseconds of queries and Python, and the dashboard refreshes every time a screen
over it closes: run on the UI thread, that froze the terminal on every return. The
dashboard's thread worker calls `gather` on its own connection and posts the result;
nothing here touches a widget (and nothing here imports Textual).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prep.index import read
from prep.index.conn import Database
from prep.index.views import Stats
from prep.study import engine
from prep.study.interviews import next_interview
from prep.study.plan import headline
from prep.study.readiness import ClaimReadiness, claim_readiness
from prep.study.srs import Settings

RISK_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class DashboardData:
    """One consistent reading of the dashboard's figures, taken at `now`."""

    now: dt.datetime
    stats: Stats
    streak: int
    countdown: str | None  # the next interview's line, None when none is ahead
    claims: list[ClaimReadiness]  # weakest first within each risk level
    forecast: list[int]  # cards due on each of the next 14 days
    daily: list[int]  # answers on each of the last 84 days


def gather(db: Database, now: dt.datetime, settings: Settings, lang: str) -> DashboardData:
    s = read.stats(db, now=now, lang=lang)
    interview = next_interview(db, now)
    ready = claim_readiness(db, now, settings, lang)
    return DashboardData(
        now=now,
        stats=s,
        streak=engine.streak(db, now, settings),
        countdown=headline(interview, now) if interview else None,
        claims=sorted(ready, key=lambda c: (RISK_ORDER.get(c["risk"], 3), c["score"])),
        forecast=engine.forecast(db, now, 14, settings),
        daily=engine.daily_reviews(db, now, 84, settings),
    )
