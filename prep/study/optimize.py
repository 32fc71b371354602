"""FSRS fitted to the candidate: parameters learnt from their own review log.

The default FSRS parameters are fitted to millions of Anki users; a person's own
history predicts their recall better once there is enough of it (a few hundred
reviews). fsrs-rs-python does the fitting (a small Rust wheel, no torch), as an
optional extra: `pip install 'prep[optimize]'`. The fitted parameters are saved
only when they predict this history better (lower log loss) than the ones in use,
and every scheduler made from the settings uses them; desired retention is unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from prep.errors import PrepError
from prep.index.conn import Database
from prep.kb.vocab import count
from prep.study.engine import load_settings, save_settings
from prep.study.srs import Settings

MIN_REVIEWS = 512  # like py-fsrs's optimizer: fewer, and the fit is noise
EXTRA = "pip install 'prep[optimize]'"


class OptimizeError(PrepError):
    """Fitting cannot run: the optional package is missing, or the history is too short."""


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class Fit:
    reviews: int
    items: int  # training items (a review with the history before it)
    default: Score
    current: Score | None  # the saved parameters, when there are some
    fitted: Score
    parameters: tuple[float, ...]
    saved: bool


def _rs() -> Any:
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizeError(
            f"prep optimize needs the optional package fsrs-rs-python: {EXTRA}", zh=f"prep optimize 需要可选的包 fsrs-rs-python：{EXTRA}"
        ) from None
    return fsrs_rs_python


def histories(db: Database) -> dict[tuple[str, str], list[tuple[dt.datetime, int]]]:
    """Each item's answers (time, rating) in time order; cram and undone answers never count."""
    out: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = {}
    for item_type, item_id, at, rating in db.execute(
        """SELECT item_type, item_id, reviewed_at, rating FROM review_log
           WHERE undone = 0 AND mode != 'cram' ORDER BY item_type, item_id, reviewed_at, id"""
    ):
        out.setdefault((item_type, item_id), []).append((dt.datetime.fromisoformat(at), int(rating)))
    return out


def _day(at: dt.datetime, settings: Settings) -> int:
    # FSRS counts whole days between reviews, by the study day (which starts at day_start_hour).
    local = at.astimezone() - dt.timedelta(hours=settings.day_start_hour)
    return local.date().toordinal()


def training_items(rs: Any, history: Iterable[list[tuple[dt.datetime, int]]], settings: Settings) -> list[Any]:
    """fsrs-rs items: every review a day or more after the one before, with all before it
    (what FSRS predicts is recall across days; same-day steps are history, not targets)."""
    items = []
    for answers in history:
        reviews: list[Any] = []
        last = None
        for at, rating in answers:
            day = _day(at, settings)
            delta = 0 if last is None else day - last
            reviews.append(rs.FSRSReview(rating, delta))
            last = day
            if len(reviews) > 1 and delta > 0:
                items.append(rs.FSRSItem(list(reviews)))
    return items


def _score(rs: Any, parameters, items) -> Score:
    e = rs.FSRS(list(parameters)).evaluate(items)
    return Score(float(e.log_loss), float(e.rmse_bins))


def review_count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM review_log WHERE undone = 0 AND mode != 'cram'").fetchone()[0]


def optimize(db: Database, *, save: bool = True, min_reviews: int = MIN_REVIEWS) -> Fit:
    """Fit parameters to the review log; save them when they beat the ones in use."""
    rs = _rs()
    n = review_count(db)
    if n < min_reviews:
        raise OptimizeError(
            f"{count(n, 'review')} in the log; fitting FSRS needs at least {min_reviews} ({min_reviews - n} more). Nothing was changed.",
            zh=f"记录里有 {n} 次复习；拟合 FSRS 至少需要 {min_reviews} 次（还差 {min_reviews - n} 次）。没有改动。",
        )
    settings = load_settings(db)
    items = training_items(rs, histories(db).values(), settings)
    if not items:
        raise OptimizeError(
            f"{n} reviews, but none a day or more after an earlier one; keep studying. Nothing was changed.",
            zh=f"有 {n} 次复习，但没有一次距前一次一天或更久；继续学习吧。没有改动。",
        )
    fitted = tuple(float(x) for x in rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items))
    try:
        Scheduler(parameters=fitted)
    except ValueError as e:  # outside py-fsrs's bounds: never save what the scheduler refuses
        raise OptimizeError(
            f"the fitted parameters are out of range for the scheduler ({e}); nothing was changed",
            zh=f"拟合出的参数超出了调度器的范围（{e}）；没有改动",
        ) from e
    default = _score(rs, DEFAULT_PARAMETERS, items)
    current = _score(rs, settings.parameters, items) if settings.parameters else None
    score = _score(rs, fitted, items)
    better = score.log_loss < (current or default).log_loss
    if save and better:
        save_settings(db, dataclasses.replace(settings, parameters=fitted))
    return Fit(n, len(items), default, current, score, fitted, save and better)


def reset(db: Database) -> None:
    save_settings(db, dataclasses.replace(load_settings(db), parameters=()))
