"""What a draw picks from, read once and weighted once.

A draw at 50k cards must take milliseconds, so the pool never touches a card twice:
each slot's candidates (kind, difficulty) are selected in SQL over a covering index,
ids only; each card's weakness is computed once (one constant for the never-rehearsed,
so only reviewed cards cost a computation), and a slot draws by bisecting the
cumulative weakness of its candidates (cached per filter).
Risk, coverage and already-drawn items are applied by rejection: a proposal drawn by
weakness is kept with probability risk/max-risk x coverage, which gives exactly the
distribution weakness x risk x coverage over free items. JSON columns (claims,
followups, review state) are read and decoded only for the cards a draw looks at.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from prep.index import card_ids
from prep.index.conn import Database
from prep.index.db import loads as _j
from prep.kb.vocab import count
from prep.study import srs

if TYPE_CHECKING:
    from fsrs import Scheduler

FLOOR = 0.15  # even a well-known item can come up
NEVER_BONUS = 0.5  # never rehearsed: weaker than merely forgotten
NEVER = FLOOR + 1.0 + NEVER_BONUS  # the weakness of a never-rehearsed item
LAPSE_WEIGHT = 0.25  # per lapse, up to 4
RISK_FACTOR = {"high": 3.0, "medium": 1.5, "low": 1.0}
REJECTIONS = 64  # proposals before an exact pass (most candidates taken or excluded)


def weighted_pick(rng: random.Random, items: list, weights: list[float]):
    total = sum(weights)
    if not items or total <= 0:
        return None
    x = rng.random() * total
    for item, w in zip(items, weights, strict=True):
        x -= w
        if x < 0:
            return item
    return items[-1]


class Candidates(NamedTuple):
    """The cards one slot filter admits, with cumulative base weights for bisection."""

    ids: list[str]
    cum: list[float]

    def pick(self, rng: random.Random, accept: Callable[[str], float]) -> str | None:
        """An id drawn with probability proportional to base weight x accept(id)
        (accept: 0 for taken items, else the coverage factor, at most 1)."""
        if not self.ids or self.cum[-1] <= 0:
            return None
        total = self.cum[-1]
        for _ in range(REJECTIONS):
            j = min(bisect.bisect_right(self.cum, rng.random() * total), len(self.ids) - 1)
            a = accept(self.ids[j])
            if a >= 1.0 or (a > 0 and rng.random() < a):
                return self.ids[j]
        weights = [(c - p) * accept(i) for i, c, p in zip(self.ids, self.cum, [0.0, *self.cum[:-1]], strict=True)]
        return weighted_pick(rng, self.ids, weights)


class Pool:
    """The live cards, stories and claims, with review state, as of `now`."""

    def __init__(self, db: Database, now: dt.datetime, settings):
        self.db, self.now, self.settings = db, now, settings
        self._scheduler: Scheduler | None = None  # fsrs, made for the first reviewed item a draw weighs
        # raw JSON: decoded only for items whose weakness is asked
        self.states = {(t, i): (f, lapses) for t, i, f, lapses in db.execute("SELECT item_type, item_id, fsrs, lapses FROM review_state")}
        self.claims: dict[str, dict[str, Any]] = {
            r[0]: {"id": r[0], "project": r[1], "risk": r[2]}
            for r in db.execute("SELECT id, project, risk FROM claims WHERE archived = 0 ORDER BY id")
        }
        self.projects = {r[0] for r in db.execute("SELECT id FROM projects WHERE archived = 0")}
        self.cards = _Cards(db)
        self.stories: dict[str, dict[str, Any]] = {}
        for sid, claims, comps in db.execute("SELECT id, claims, competencies FROM stories WHERE archived = 0 ORDER BY id"):
            claims = _j(claims) or []
            proj = next((self.claims[c]["project"] for c in claims if c in self.claims), None)
            self.stories[sid] = {"id": sid, "claims": claims, "competencies": _j(comps) or [], "project": proj}
        self._weak: dict[tuple[str, str], tuple[float, str]] = {}
        self._reviewed_cards: dict[str, float] | None = None
        self._recall: dict[tuple[str, str], float] | None = None
        self._candidates: dict[tuple, Candidates] = {}

    def weakness(self, item_type: str, item_id: str) -> tuple[float, str]:
        key = (item_type, item_id)
        if key not in self._weak:
            st = self.states.get(key)
            if st is None:
                self._weak[key] = (NEVER, "never rehearsed")
            else:
                r = self.recall()[key]
                why = f"recall {round(r * 100)}%" + (f", {count(st[1], 'lapse')}" if st[1] else "")
                self._weak[key] = (FLOOR + (1.0 - r) + LAPSE_WEIGHT * min(st[1], 4), why)
        return self._weak[key]

    def recall(self) -> dict[tuple[str, str], float]:
        """Every item's FSRS retrievability now, as `prep.study.readiness` would read it from
        the stored states: computed once for the weights and the claims' readiness, and
        fsrs imported only if an item has actually been reviewed."""
        if self._recall is None:
            self._recall = {}
            for key, (raw, _) in self.states.items():
                state = _j(raw)
                if srs.has_review(state) and self._scheduler is None:
                    self._scheduler = srs.make_scheduler(self.settings)
                self._recall[key] = srs.retrievability(self._scheduler, state, self.now) if self._scheduler else 0.0
        return self._recall

    def risk(self, claim_ids: list[str]) -> tuple[float, str | None]:
        risks = [self.claims[c]["risk"] for c in claim_ids if c in self.claims]
        top = max(risks, key=lambda r: RISK_FACTOR.get(r, 1.0), default=None)
        return (RISK_FACTOR.get(top, 1.0) if top else 1.0), top

    def reviewed_card_weights(self) -> dict[str, float]:
        """The weakness of every reviewed card; every other card's is NEVER. Risk is
        applied by rejection (`card_risk`), for proposed cards only."""
        if self._reviewed_cards is None:
            self._reviewed_cards = {i: self.weakness("card", i)[0] for t, i in self.states if t == "card"}
        return self._reviewed_cards

    def card_risk(self, card_id: str) -> float:
        """The card's risk factor as a share of the largest (an acceptance probability)."""
        return self.risk(self.cards[card_id]["claims"])[0] / max(RISK_FACTOR.values())

    def candidates(self, kinds: set[str], lo: int, hi: int, only: set[str] | None = None) -> Candidates:
        """Cards of these kinds and difficulties (and in `only`, if given), cached per filter."""
        key = (tuple(sorted(kinds)), lo, hi, None if only is None else frozenset(only))
        if key not in self._candidates:
            ids = self.cards.select(kinds, lo, hi)
            if only is not None:
                ids = [c for c in ids if c in only]
            weights = self.reviewed_card_weights()
            self._candidates[key] = Candidates(ids, list(itertools.accumulate(map(weights.get, ids, itertools.repeat(NEVER)))))
        return self._candidates[key]

    def cards_with_tags(self, tags: list[str]) -> set[str]:
        marks = ",".join("?" * len(tags))
        sql = f"SELECT id FROM cards WHERE archived = 0 AND EXISTS (SELECT 1 FROM json_each(cards.tags) WHERE value IN ({marks}))"
        return {r[0] for r in self.db.execute(sql, tags)}

    def backing_cards(self, claim_id: str) -> list[str]:
        """Live cards backing a claim, by id (links hold only the live knowledge base)."""
        sql = "SELECT DISTINCT src FROM links WHERE dst_type = 'claim' AND dst = ? AND rel = 'backs' AND src_type = 'card' ORDER BY src"
        return [r[0] for r in self.db.execute(sql, [claim_id])]

    def cards_of_project(self, project: str) -> set[str]:
        """Cards that back one of the project's claims, or whose project it is: their deck's,
        else their first claim's (a card backing one of its claims either way)."""
        sql = """SELECT l.src FROM links l JOIN claims c ON c.id = l.dst AND c.archived = 0
                 WHERE l.src_type = 'card' AND l.rel = 'backs' AND c.project = ?
                 UNION SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck AND d.archived = 0
                 WHERE c.archived = 0 AND d.project = ?"""
        return {r[0] for r in self.db.execute(sql, [project, project])}


class _Cards:
    """The live cards, read as a draw asks: a slot's candidate ids in one query over the
    covering index `cards_draw`; a card's deck, kind, difficulty, claims, followups and
    project for the few cards a draw looks at."""

    def __init__(self, db: Database):
        self.db = db
        self._ids: list[str] | None = None
        self._live: dict[str, bool] = {}
        self._decoded: dict[str, dict[str, Any]] = {}
        self._deck_project: dict[str, str] | None = None

    @property
    def ids(self) -> list[str]:
        """Every live card's id, sorted (for narrowed draws)."""
        if self._ids is None:
            self._ids = [r[0] for r in self.db.execute("SELECT id FROM cards WHERE archived = 0 ORDER BY id")]
        return self._ids

    def select(self, kinds: set[str], lo: int, hi: int) -> list[str]:
        """Live cards of these kinds and difficulties, sorted by id: as the last sync kept
        them (prep.index.card_ids), else from the cards table.

        Read as one string, split in C: a row per card cost ~0.8 us of Python each (40 ms
        at 50k cards), the string a third of that. Ids match ID_PATTERN (no newline), and
        Python's order of str is SQLite's BINARY order of their UTF-8, so sorting here
        gives what ORDER BY id would (the covering index hands them over nearly sorted)."""
        kept = card_ids.kept(self.db, kinds, lo, hi)
        if kept is not None:
            return kept
        marks = ",".join("?" * len(kinds))
        sql = f"SELECT group_concat(id, char(10)) FROM cards WHERE archived = 0 AND kind IN ({marks}) AND difficulty BETWEEN ? AND ?"
        joined = self.db.execute(sql, [*sorted(kinds), lo, hi]).fetchone()[0]
        ids = joined.split("\n") if joined else []
        ids.sort()
        return ids

    def in_decks(self, decks: set[str]) -> set[str]:
        marks = ",".join("?" * len(decks))
        return {r[0] for r in self.db.execute(f"SELECT id FROM cards WHERE archived = 0 AND deck IN ({marks})", sorted(decks))}

    def __contains__(self, card_id: object) -> bool:
        if not isinstance(card_id, str):
            return False
        if card_id not in self._live:
            self._live[card_id] = self.db.execute("SELECT 1 FROM cards WHERE id = ? AND archived = 0", [card_id]).fetchone() is not None
        return self._live[card_id]

    def __getitem__(self, card_id: str) -> dict[str, Any]:
        """One card as a dict (id, deck, kind, difficulty, project, claims, followups)."""
        if card_id not in self._decoded:
            row = self.db.execute("SELECT deck, kind, difficulty, claims, followups FROM cards WHERE id = ? AND archived = 0", [card_id]).fetchone()
            if row is None:
                raise KeyError(card_id)
            deck, kind, difficulty, claims_raw, followups_raw = row
            if self._deck_project is None:
                self._deck_project = dict(self.db.execute("SELECT id, project FROM decks WHERE archived = 0").fetchall())
            claims = _j(claims_raw) or []
            self._decoded[card_id] = {
                "id": card_id,
                "deck": deck,
                "kind": kind,
                "difficulty": difficulty,
                "claims": claims,
                "followups": _j(followups_raw) or [],
                "project": self._deck_project.get(deck) or self._claim_project(claims),
            }
        return self._decoded[card_id]

    def _claim_project(self, claims: list[str]) -> str | None:
        for c in claims:
            row = self.db.execute("SELECT project FROM claims WHERE id = ? AND archived = 0", [c]).fetchone()
            if row:
                return row[0]
        return None
