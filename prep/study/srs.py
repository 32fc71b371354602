"""A thin, pure wrapper over the `fsrs` scheduler.

FSRS is the scheduler (we never write our own); this module only adapts it to
prep: state as JSON-able dicts, `now` always passed in (UTC, so tests are exact),
stable integer card ids derived from string ids, and human interval labels for
the footer ("10m", "3d"). fsrs is imported by the functions that schedule, not here:
`prep draw` and `prep stats` import this module for its settings, and a draw with no
reviews to weigh never needs a scheduler.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from prep.errors import PrepError
from prep.study.ratings import RATING_NAMES  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from fsrs import Scheduler
    from fsrs.card import CardDict

RATINGS = (1, 2, 3, 4)  # fsrs.Rating's values: Again, Hard, Good, Easy
_FSRS_NAMES = {"Card": "fsrs", "Rating": "fsrs", "Scheduler": "fsrs", "State": "fsrs", "DEFAULT_PARAMETERS": "fsrs.scheduler"}


def __getattr__(name: str) -> Any:
    """`srs.Rating`, `srs.Card`...: fsrs' own names, imported when first asked for."""
    if name in _FSRS_NAMES:
        import importlib

        return getattr(importlib.import_module(_FSRS_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Integer settings and the range that makes sense (beyond it SQLite and the queue break).
LIMITS = {
    "new_per_day": (0, 10_000),
    "max_reviews_per_day": (0, 100_000),
    "leech_lapses": (1, 1_000),
    "day_start_hour": (0, 23),  # an hour of the day
}


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    max_reviews_per_day: int = 200
    leech_lapses: int = 8
    day_start_hour: int = 4  # like Anki: a late-night session still counts as "today"
    enable_fuzzing: bool = True
    parameters: tuple[float, ...] = ()  # FSRS weights fitted by `prep optimize`; () = the defaults

    def __post_init__(self) -> None:
        # Checked here, not by whoever sets them, so no caller can schedule with nonsense.
        if not 0.7 <= self.desired_retention <= 0.99:
            raise PrepError("desired_retention must be between 0.7 and 0.99", zh="desired_retention 必须在 0.7 到 0.99 之间")
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise PrepError(f"{name} takes a whole number, not {value!r}", zh=f"{name} 必须是整数，不能是 {value!r}")
            if value < 0:
                raise PrepError(f"{name} must not be negative", zh=f"{name} 不能是负数")
            if name == "day_start_hour" and not low <= value <= high:
                raise PrepError(f"day_start_hour is an hour of the day, 0-23, not {value}", zh=f"day_start_hour 是一天中的小时，0-23，不能是 {value}")
            if not low <= value <= high:
                raise PrepError(f"{name} must be between {low} and {high}, not {value}", zh=f"{name} 必须在 {low} 到 {high} 之间，不能是 {value}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "parameters" in known:
            known["parameters"] = tuple(float(x) for x in known["parameters"] or ())
        return cls(**known)


def make_scheduler(settings: Settings) -> Scheduler:
    from fsrs import Scheduler
    from fsrs.scheduler import DEFAULT_PARAMETERS

    try:
        return Scheduler(
            parameters=settings.parameters or DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            enable_fuzzing=settings.enable_fuzzing,
        )
    except ValueError as e:  # a hand-edited or damaged database
        raise PrepError(
            f"the saved FSRS parameters are invalid ({e}); `prep optimize --reset` restores the defaults",
            zh=f"保存的 FSRS 参数无效（{e}）；`prep optimize --reset` 可恢复默认值",
        ) from e


def fsrs_id(item_type: str, item_id: str) -> int:
    return zlib.crc32(f"{item_type}:{item_id}".encode())


def _utc(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    return now.astimezone(dt.UTC)


def new_state(item_type: str, item_id: str, now: dt.datetime) -> CardDict:
    from fsrs import Card

    return Card(card_id=fsrs_id(item_type, item_id), due=_utc(now)).to_dict()


class Answer(NamedTuple):  # a NamedTuple: cheaper to define than a dataclass at start-up
    after: CardDict  # fsrs Card.to_dict() after the answer
    due: dt.datetime
    state: int
    lapse: bool  # a review card forgotten


def answer(scheduler: Scheduler, before: CardDict, rating: int, now: dt.datetime) -> Answer:
    from fsrs import Card, Rating, State

    card = Card.from_dict(before)
    new, _log = scheduler.review_card(card, Rating(rating), review_datetime=_utc(now))
    lapse = card.state == State.Review and rating == 1
    return Answer(after=new.to_dict(), due=new.due, state=int(new.state), lapse=lapse)


def preview(scheduler: Scheduler, before: CardDict, now: dt.datetime) -> dict[int, dt.timedelta]:
    """What each rating would do: the interval until the card is due again."""
    now = _utc(now)
    return {r: answer(scheduler, before, r, now).due - now for r in RATINGS}


def has_review(state: CardDict | None) -> bool:
    """Whether fsrs holds a memory of the item (else its retrievability is 0, no scheduler asked)."""
    return bool(state and state.get("last_review"))


def retrievability(scheduler: Scheduler, state: CardDict | None, now: dt.datetime) -> float:
    """Probability of recall now; 0 for a never-reviewed item."""
    if state is None or not has_review(state):
        return 0.0
    from fsrs import Card

    return float(scheduler.get_card_retrievability(Card.from_dict(state), _utc(now)))


def format_interval(delta: dt.timedelta) -> str:
    s = max(delta.total_seconds(), 0)
    if s < 60:
        return "<1m"
    if s < 3600:
        return f"{round(s / 60)}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def day_start(now: dt.datetime, settings: Settings) -> dt.datetime:
    """The start of the study day containing `now`, in the local time zone of `now`'s
    system, returned in UTC."""
    local = now.astimezone()
    start = local.replace(hour=settings.day_start_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= dt.timedelta(days=1)
    return start.astimezone(dt.UTC)
