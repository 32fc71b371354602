"""Everything the dashboard shows, gathered in one call off the UI thread.

At 50k cards the counts, the claim readiness and the due forecast take tens of
milliseconds of queries and Python, and the dashboard refreshes every time a screen
over it closes: run on the UI thread, that froze the terminal on every return. The
dashboard's thread worker calls `gather` on its own connection and posts the result;
nothing here touches a widget (and nothing here imports Textual).

At launch the first reading is taken by `Prefetch`, on a thread started with the app:
its queries (two thirds of it, run with the GIL released) overlap Textual starting up,
composing and drawing, instead of waiting for the first frame (~100 ms at 50k cards).
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from prep.index import read
from prep.index.conn import Database
from prep.index.db import open_db
from prep.index.views import Stats
from prep.study import engine
from prep.study.interviews import next_interview
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
    countdown = None
    if interview:  # the plan module (FSRS run forward) only for a KB with an interview ahead
        from prep.study.plan import headline

        countdown = headline(interview, now, lang)
    ready = claim_readiness(db, now, settings, lang)
    return DashboardData(
        now=now,
        stats=s,
        streak=engine.streak(db, now, settings),
        countdown=countdown,
        claims=sorted(ready, key=lambda c: (RISK_ORDER.get(c["risk"], 3), c["score"])),
        forecast=engine.forecast(db, now, 14, settings),
        daily=engine.daily_reviews(db, now, 84, settings),
    )


Gather = Callable[[Database, dt.datetime, Settings, str], DashboardData]


class Prefetch:
    """`gather` on a thread of its own, started now; `take(now)` hands its result over once,
    and only while the database is as it was when the thread started (no write on this
    connection, no commit by another) and within MAX_AGE of its `now` (`prep study` shows
    the dashboard only when the review closes), so the figures shown are those a refresh
    started then would read."""

    MAX_AGE = dt.timedelta(seconds=5)

    def __init__(self, db: Database, now: dt.datetime, settings: Settings, lang: str, gather: Gather) -> None:
        self._db, self._now = db, now
        row = db.execute("PRAGMA database_list").fetchone()
        path = row[2] if row else ""
        self._future: Future[DashboardData] | None = Future() if path else None  # in memory: no second connection
        self._mark = self._state()
        if self._future is not None:
            args = (self._future, path, now, settings, lang, gather)
            threading.Thread(target=_run, args=args, name="prep-dashboard-prefetch", daemon=True).start()

    def _state(self) -> tuple[int, int]:
        return self._db.conn.total_changes, self._db.execute("PRAGMA data_version").fetchone()[0]

    def take(self, now: dt.datetime) -> Future[DashboardData] | None:
        future, self._future = self._future, None
        fresh = dt.timedelta(0) <= now - self._now <= self.MAX_AGE
        return future if future is not None and fresh and self._state() == self._mark else None


_SWITCH_S = 0.0005  # the GIL's switch interval while a prefetch runs (Python's default: 5 ms)
_running = [0, 0.0]  # prefetches running, the interval to restore when none is
_lock = threading.Lock()


def _run(future: Future[DashboardData], path: str, now: dt.datetime, settings: Settings, lang: str, gather: Gather) -> None:
    # Each query gives the GIL up; taking it back from Textual's busy start-up waited a whole
    # switch interval, 5 ms times some 25 queries: the reading took 250 ms instead of 50 ms.
    with _lock:
        if _running[0] == 0:
            _running[1] = sys.getswitchinterval()
            sys.setswitchinterval(_SWITCH_S)
        _running[0] += 1
    try:
        db = open_db(path, migrate=False)
        try:
            future.set_result(gather(db, now, settings, lang))
        finally:
            db.close()
    except BaseException as error:  # raised again where the result is taken: a sentence there
        future.set_exception(error)
    finally:
        with _lock:
            _running[0] -= 1
            if _running[0] == 0:
                sys.setswitchinterval(_running[1])
