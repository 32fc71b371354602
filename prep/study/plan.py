"""The plan to an interview: what to study each day so every claim is ready on the day.

The forecast is FSRS itself, run forward: each study day (at the time of day it is
now) every due item is answered Good, learning steps included; then the interview's
items whose retrievability at the interview moment would still be below the desired
retention, and that will not come due again before it, are brought forward and spread
over the days left (high-risk claims first); new items of the interview's claims are
introduced first, within the daily limits. Readiness on the day is the claims'
readiness (prep.study.readiness) over the retrievability each item would have at the
interview: `Scheduler.get_card_retrievability(card, at)`, never a formula of our own.

Nothing here writes: the plan is a prediction, and the schedule stays what the answers make it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from fsrs import Card
from fsrs.card import CardDict

from prep.index.conn import Database
from prep.kb.vocab import say
from prep.study import srs
from prep.study.engine import done_today, load_settings
from prep.study.interviews import Interview, next_interview, zone
from prep.study.readiness import claim_readiness
from prep.study.srs import Settings

RISK_RANK = {"high": 0, "medium": 1, "low": 2}
Key = tuple[str, str]  # (item type, item id)


@dataclass
class Item:
    key: Key
    state: CardDict | None  # None: never studied
    due: dt.datetime | None
    target: bool = False
    risk: int = 3  # best (lowest) RISK_RANK of the interview claims it backs
    position: int = 0


@dataclass(frozen=True)
class PlanDay:
    date: str  # the local study day
    reviews: int  # card answers to cards already started (learning steps included)
    new: int  # cards introduced
    stories: int  # story rehearsals
    pulled: int  # of which brought forward for the interview


@dataclass(frozen=True)
class ClaimForecast:
    id: str
    risk: str
    text: str
    today: float  # readiness now
    untouched: float  # on the day, if nothing more is studied
    planned: float  # on the day, following the plan


@dataclass
class Plan:
    interview: Interview
    now: dt.datetime
    days: list[PlanDay] = field(default_factory=list)
    claims: list[ClaimForecast] = field(default_factory=list)
    unstarted: int = 0  # interview items the daily limits leave new on the day

    def to_dict(self) -> dict:
        return {
            "interview": self.interview.to_dict(),
            "now": self.now.isoformat(),
            "unstarted": self.unstarted,
            "days": [asdict(d) for d in self.days],
            "claims": [asdict(c) for c in self.claims],
        }


def study_moments(now: dt.datetime, at: dt.datetime) -> list[dt.datetime]:
    """One study session a day at the time of day it is now, from now until the interview."""
    out, t = [], now
    while t < at:
        out.append(t)
        t += dt.timedelta(days=1)
    return out


def target_items(db: Database, claims: Iterable[str]) -> dict[Key, int]:
    """(type, id) of the cards and stories backing the claims (all when none) -> best risk rank."""
    wanted = set(claims)
    risk = {cid: RISK_RANK.get(r, 1) for cid, r in db.execute("SELECT id, risk FROM claims WHERE archived = 0")}
    out: dict[Key, int] = {}
    for src_type, src, dst in db.execute("SELECT src_type, src, dst FROM links WHERE rel = 'backs' AND dst_type = 'claim'"):
        if dst in risk and (not wanted or dst in wanted):
            key = (src_type, src)
            out[key] = min(out.get(key, 3), risk[dst])
    return out


def r_at(scheduler, state: CardDict | None, at: dt.datetime) -> float:
    return srs.retrievability(scheduler, state, at)


def pull_quota(candidates: int, done: int, days_left: int) -> int:
    """How many to bring forward today so the candidates spread evenly over the days left."""
    if candidates <= 0:
        return 0
    return max(0, math.ceil((candidates + done) / max(days_left, 1)) - done)


def needs_pull(scheduler, item: Item, at: dt.datetime, last: dt.datetime, retention: float) -> bool:
    """Started, not coming due again within the plan, and short of the target at the interview."""
    return item.state is not None and item.due is not None and item.due > last and r_at(scheduler, item.state, at) < retention


def _load(db: Database, targets: dict[Key, int]) -> list[Item]:
    states = {
        (t, i): (json.loads(f), dt.datetime.fromisoformat(d)) for t, i, f, d in db.execute("SELECT item_type, item_id, fsrs, due FROM review_state")
    }
    items = []
    for table, kind in (("cards", "card"), ("stories", "story")):
        for item_id, pos in db.execute(f"SELECT id, position FROM {table} WHERE archived = 0 ORDER BY position"):
            key = (kind, item_id)
            state, due = states.get(key, (None, None))
            items.append(Item(key, state, due, key in targets, targets.get(key, 3), pos or 0))
    return items


class _Sim:
    """The forward run of FSRS over every item; answers Good, never writes."""

    def __init__(self, scheduler, settings: Settings, items: list[Item], at: dt.datetime, moments: list[dt.datetime]):
        self.scheduler, self.settings, self.items, self.at, self.moments = scheduler, settings, items, at, moments
        # Started items are scanned every day; new ones are taken in order once (50k cards).
        self.started = [i for i in items if i.state is not None]
        order = sorted((i for i in items if i.state is None), key=lambda i: (not i.target, i.risk, i.position))
        self.fresh_cards = [i for i in order if i.key[0] == "card"]
        self.fresh_stories = [i for i in order if i.key[0] == "story" and i.target]

    def answer(self, item: Item, when: dt.datetime, day_end: dt.datetime) -> int:
        """Good at `when`, then every learning step that falls due the same day; answers given."""
        n = 0
        while True:
            state = item.state or srs.new_state(*item.key, when)
            card, _ = self.scheduler.review_card(Card.from_dict(state), srs.Rating.Good, review_datetime=when)
            item.state, item.due, n = card.to_dict(), card.due, n + 1
            if card.due >= day_end or card.due >= self.at or n >= 10:
                return n
            when = max(when, card.due)

    def day(self, k: int, day_end: dt.datetime, room: int, new_room: int) -> PlanDay:
        when, cards, stories, new, pulled = self.moments[k], 0, 0, 0, 0
        answered: set[Key] = set()
        for item in sorted((i for i in self.started if i.due and i.due < day_end), key=lambda i: i.due or when):
            if item.key[0] == "story":
                self.answer(item, max(when, item.due or when), day_end)
                stories += 1
            elif cards < room:
                cards += self.answer(item, max(when, item.due or when), day_end)
            else:
                continue
            answered.add(item.key)
        last = self.moments[-1]
        retention = self.settings.desired_retention
        cands = sorted(
            (i for i in self.started if i.target and i.key not in answered and needs_pull(self.scheduler, i, self.at, last, retention)),
            key=lambda i: (i.risk, r_at(self.scheduler, i.state, self.at)),
        )
        for item in cands[: pull_quota(len(cands), 0, len(self.moments) - k)]:
            if item.key[0] == "card" and cards >= room:
                continue
            n = self.answer(item, when, day_end)
            stories, cards = (stories + 1, cards) if item.key[0] == "story" else (stories, cards + n)
            pulled += 1
        for item in self.fresh_stories:  # stories have no daily limit: the interview's all start now
            self.answer(item, when, day_end)
            stories += 1
        self.started += self.fresh_stories
        self.fresh_stories = []
        while self.fresh_cards and new < new_room and cards < room:
            item = self.fresh_cards.pop(0)
            cards += self.answer(item, when, day_end) - 1
            new += 1
            self.started.append(item)
        local = when.astimezone(zone())
        return PlanDay(local.date().isoformat(), cards, new, stories, pulled)


def build_plan(
    db: Database, now: dt.datetime, interview: Interview | None = None, settings: Settings | None = None, lang: str = "zh", days: int | None = None
) -> Plan | None:
    """The plan for `interview` (default: the next one); None when no interview is ahead.
    `days`: only the first few days, without the readiness forecast (the dashboard's today)."""
    interview = interview or next_interview(db, now)
    if interview is None or interview.at <= now:
        return None
    settings = settings or load_settings(db)
    # A forecast, not a schedule: no fuzz, so the same history always gives the same plan.
    scheduler = srs.make_scheduler(dataclasses.replace(settings, enable_fuzzing=False))
    targets = target_items(db, interview.claims)
    items = _load(db, targets)
    moments = study_moments(now, interview.at)
    sim = _Sim(scheduler, settings, items, interview.at, moments)
    plan = Plan(interview, now)
    reviews_done, new_done = done_today(db, now, settings)
    for k, when in enumerate(moments[:days]):  # the quota and "last" always see every day left
        day_end = srs.day_start(when, settings) + dt.timedelta(days=1)
        room = settings.max_reviews_per_day - (reviews_done if k == 0 else 0)
        new_room = settings.new_per_day - (new_done if k == 0 else 0)
        plan.days.append(sim.day(k, day_end, max(room, 0), max(new_room, 0)))
    plan.unstarted = sum(1 for i in items if i.target and i.state is None)
    if days is not None:
        return plan
    planned = {i.key: r_at(scheduler, i.state, interview.at) for i in items}
    wanted = set(interview.claims)
    today = {c["id"]: c for c in claim_readiness(db, now, settings, lang)}
    untouched = {c["id"]: c["score"] for c in claim_readiness(db, interview.at, settings, lang)}
    on_day = {c["id"]: c["score"] for c in claim_readiness(db, interview.at, settings, lang, retrievability=planned)}
    for cid, c in today.items():
        if not wanted or cid in wanted:
            plan.claims.append(ClaimForecast(cid, c["risk"], c["text"], c["score"], untouched[cid], on_day[cid]))
    plan.claims.sort(key=lambda c: (RISK_RANK.get(c.risk, 1), c.planned))
    return plan


# The dashboard's plan lines, in the reader's language (prep.kb.vocab.say).
WORDS: dict[str, dict[str, str]] = {
    "headline": {"zh": "面试 {title}：还有 {when}", "en": "Interview {title} in {when}"},
    "days_hours": {"zh": "{d} 天 {h} 小时", "en": "{d}d {h}h"},
    "hours_minutes": {"zh": "{h} 小时 {m} 分钟", "en": "{h}h {m}m"},
    "today": {
        "zh": "今天：复习 {reviews} 张、新卡 {new} 张、故事 {stories} 个（提前 {pulled} 张）· prep plan",
        "en": "today: {reviews} reviews, {new} new, {stories} stories ({pulled} brought forward) · prep plan",
    },
}


def headline(interview: Interview, now: dt.datetime, lang: str = "en") -> str:
    """The next interview and how far it is (cheap: the dashboard shows it at once)."""
    left = interview.at - now
    hours, minutes = left.seconds // 3600, left.seconds % 3600 // 60
    when = say(WORDS, "days_hours", lang, d=left.days, h=hours) if left.days else say(WORDS, "hours_minutes", lang, h=hours, m=minutes)
    return say(WORDS, "headline", lang, title=interview.title(), when=when)


def today_text(plan: Plan, lang: str = "en") -> str:
    """Today's share of the plan, for the dashboard."""
    d = plan.days[0]
    return say(WORDS, "today", lang, reviews=d.reviews, new=d.new, stories=d.stories, pulled=d.pulled)
