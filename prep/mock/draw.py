"""Draw a mock interview: which questions, weighted toward what would hurt most.

A real interviewer probes the riskiest resume lines and keeps drilling; practice is
worth most on what is weak. So the draw fills a profile's slots (prep.mock.profiles) by
weighted sampling without replacement: weak items (low FSRS retrievability, many
lapses, never rehearsed) and items behind high-risk claims are likelier, questions
asked in the last few mock sessions are left out, and each pick from a project
already in the set is discounted so a round covers the resume. It is pure given the
database state, `now` and the seed (`random.Random(seed)`): the same seed on the
same history gives the same set, so a sheet can be re-printed or shared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import iso
from prep.index.db import loads as _j
from prep.index.facts import Citations
from prep.index.sync import no_gc
from prep.kb.vocab import claim_text, pick
from prep.mock.drawset import DEEP_DIVE, GENERIC_PROMPT, NO_RISK_CLAIM, PROMPTS, SHORT_SLOT, SLOT_LABELS, Draw, Followup, Question
from prep.mock.pool import FLOOR, RISK_FACTOR, weighted_pick
from prep.mock.pool import Pool as _Pool
from prep.mock.specs import ProfileSpec, SlotSpec

if TYPE_CHECKING:
    from prep.mock.profiles import Profile
    from prep.study.srs import Settings

COVERAGE = 0.3  # weight multiplier per question already drawn from the same project


def scale_counts(counts: list[int], n: int) -> list[int]:
    """Spread `n` questions over the slots in proportion to their counts (largest
    remainder), every slot getting at least one while `n` allows, earlier slots first."""
    live = [i for i, c in enumerate(counts) if c > 0]
    out = [0] * len(counts)
    if n <= len(live):
        for i in live[: max(n, 0)]:
            out[i] = 1
        return out
    total = sum(counts)
    exact = [c * n / total for c in counts]
    out = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order[: n - sum(out)]:
        out[i] += 1
    for i in live:
        if not out[i]:
            out[max(range(len(out)), key=lambda j: out[j])] -= 1
            out[i] = 1
    return out


class _Drawer:
    def __init__(self, pool: _Pool, rng: random.Random, exclude: set, claim: str | Sequence[str] | None, project: str | None, lang: str = "zh"):
        self.pool, self.rng, self.lang = pool, rng, lang
        self.exclude, self.project = exclude, project
        self.claims_wanted = {claim} if isinstance(claim, str) else set(claim or ())  # an interview's claims
        self.used: set[tuple[str, str]] = set()
        self.per_project: dict[str, int] = {}
        self.competencies: set[str] = set()
        self._scope: set[str] | None = None

    def _coverage(self, project: str | None) -> float:
        return COVERAGE ** self.per_project.get(project, 0) if project else 1.0

    def _take(self, item_type: str, item_id: str, project: str | None) -> None:
        self.used.add((item_type, item_id))
        if project:
            self.per_project[project] = self.per_project.get(project, 0) + 1

    def _in_scope(self, claims: list[str], project: str | None) -> bool:
        if self.claims_wanted and not self.claims_wanted.intersection(claims):
            return False
        return not self.project or project == self.project or any(self.pool.claims.get(c, {}).get("project") == self.project for c in claims)

    def _free(self, item_type: str, item_id: str) -> bool:
        return (item_type, item_id) not in self.used and (item_type, item_id) not in self.exclude

    def chain(self, start: list[str], depth: int, fallback: Sequence[str] = ()) -> list[str]:
        """A drill-down: from `start`, follow one weighted followup per step, `depth` deep."""
        out: list[str] = []
        options = start
        while len(out) < depth:
            cands = sorted({c for c in options if c in self.pool.cards and ("card", c) not in self.used and c not in out})
            if not cands:
                cands = sorted({c for c in fallback if ("card", c) not in self.used and c not in out})
                if not cands:
                    break
            c = weighted_pick(self.rng, cands, [self.pool.weakness("card", x)[0] for x in cands])
            out.append(c)
            options = self.pool.cards[c]["followups"]
        self.used |= {("card", c) for c in out}  # asked as a followup: not again as a question
        return out

    # -- one question per slot kind --------------------------------------------
    def deep_dive(self, slot: SlotSpec, readiness: dict, warnings: list[str]) -> tuple | None:
        pool = self.pool
        cands = [c for c in pool.claims.values() if self._free("claim", c["id"]) and self._in_scope([c["id"]], c["project"])]
        if slot.risk:
            risky = [c for c in cands if c["risk"] in slot.risk]
            if cands and not risky:
                warnings.append(pick(NO_RISK_CLAIM, self.lang).format(risk="/".join(slot.risk)))
            cands = risky or cands
        weights = [RISK_FACTOR.get(c["risk"], 1.0) * (FLOOR + 1.0 - readiness.get(c["id"], 0.0)) * self._coverage(c["project"]) for c in cands]
        c = weighted_pick(self.rng, cands, weights)
        if c is None:
            return None
        self._take("claim", c["id"], c["project"])
        backing = pool.backing_cards(c["id"])
        followed = {f for b in backing for f in pool.cards[b]["followups"]}
        heads = [b for b in backing if b not in followed] or backing
        chain = self.chain(heads, slot.depth, fallback=backing)
        why = f"{c['risk']}-risk claim, ready {round(readiness.get(c['id'], 0.0) * 100)}%"
        return "claim", c["id"], c["project"], [c["id"]], chain, why

    def card(self, slot: SlotSpec) -> tuple | None:
        pool = self.pool
        cards = pool.cards
        kinds = set(slot.card_kinds or ["concept", "design", "defend-the-number", "trivia"])
        only = self._scope_cards()
        if slot.tags:
            tagged = pool.cards_with_tags(slot.tags)  # live cards only
            only = tagged if only is None else tagged & only
        if slot.skills:
            from prep.index.skills import skill_cards

            only = skill_cards(pool.db) & (only if only is not None else set(cards.ids))
        if slot.decks:
            decks = set(slot.decks)
            in_decks = cards.in_decks(decks)
            only = in_decks & only if only is not None else in_decks
        cands = pool.candidates(kinds, slot.min_difficulty, slot.max_difficulty, only)

        def accept(cid: str) -> float:
            return pool.card_risk(cid) * self._coverage(cards[cid]["project"]) if self._free("card", cid) else 0.0

        picked = cands.pick(self.rng, accept)
        if picked is None:
            return None
        x = cards[picked]
        self._take("card", x["id"], x["project"])
        chain = self.chain(x["followups"], slot.depth)
        # the reason is worded for the drawn card only
        why, (_, top) = pool.weakness("card", x["id"])[1], pool.risk(x["claims"])
        return "card", x["id"], x["project"], x["claims"], chain, why + (f"; backs a {top}-risk claim" if top else "")

    def _scope_cards(self) -> set[str] | None:
        """Cards inside --claim/--project, or None when the draw is not narrowed."""
        if not (self.claims_wanted or self.project):
            return None
        if self._scope is None:
            scope = set(self.pool.cards.ids)
            if self.claims_wanted:
                scope = {c for claim in self.claims_wanted for c in self.pool.backing_cards(claim)}
            if self.project:
                scope &= self.pool.cards_of_project(self.project)
            self._scope = scope
        return self._scope

    def story(self, slot: SlotSpec) -> tuple | None:
        pool = self.pool
        cands = [
            s
            for s in pool.stories.values()
            if (not slot.competencies or set(slot.competencies) & set(s["competencies"]))
            and self._free("story", s["id"])
            and self._in_scope(s["claims"], s["project"])
        ]
        weights, whys = [], {}
        for s in cands:
            weak, why = pool.weakness("story", s["id"])
            risk, top = pool.risk(s["claims"])
            fresh = 1.0 if not s["competencies"] or set(s["competencies"]) - self.competencies else 0.5
            weights.append(weak * risk * self._coverage(s["project"]) * fresh)
            whys[s["id"]] = why + (f"; backs a {top}-risk claim" if top else "")
        s = weighted_pick(self.rng, cands, weights)
        if s is None:
            return None
        self._take("story", s["id"], s["project"])
        comps = sorted(set(slot.competencies or s["competencies"]) & set(s["competencies"]))
        comps = [c for c in comps if c not in self.competencies] or comps
        comp = self.rng.choice(comps) if comps else None
        if comp:
            self.competencies.add(comp)
        return "story", s["id"], s["project"], s["claims"], comp, whys[s["id"]]


def _card_text(db: Database, card_id: str, lang: str, cite: Citations | None = None) -> tuple[str, str]:
    """(question, expected key points): the card's gist when it has one, else its answer;
    fact citations read as the facts' text."""
    q, a, gist = db.execute("SELECT q, a, gist FROM cards WHERE id = ?", [card_id]).fetchone()
    cite = cite or Citations(db)
    return cite(pick(_j(q), lang), lang), cite(pick(_j(gist), lang) or pick(_j(a), lang), lang)


def _claim_question(db: Database, claim_id: str, chain: list[str], lang: str, cite: Citations) -> tuple[str, str, list[Followup]]:
    text, en, numbers, notes = db.execute("SELECT text, en, numbers, notes FROM claims WHERE id = ?", [claim_id]).fetchone()
    from prep.export.item import figure_line

    shown = claim_text(_j(text), en, lang)
    points = [f"- {figure_line(f, lang)}" for f in _j(numbers) or []]
    if notes:
        points += ["", pick(_j(notes), lang).strip()]
    stories = db.execute(
        "SELECT id, title FROM stories WHERE archived = 0 AND EXISTS (SELECT 1 FROM json_each(stories.claims) WHERE value = ?) ORDER BY position",
        [claim_id],
    ).fetchall()
    if stories:
        points += ["", pick({"en": "Stories: ", "zh": "相关故事："}, lang) + "; ".join(f"{pick(_j(t), lang)} (`{i}`)" for i, t in stories)]
    followups = [Followup(*_card_text(db, c, lang, cite), card=c) for c in chain]
    if not followups:
        for (fups,) in db.execute(
            "SELECT followups FROM stories WHERE archived = 0 AND EXISTS (SELECT 1 FROM json_each(stories.claims) WHERE value = ?) ORDER BY position",
            [claim_id],
        ):
            followups += [Followup(pick(f["question"], lang), pick(f.get("notes"), lang)) for f in _j(fups) or []]
    return pick(DEEP_DIVE, lang).format(text=shown.strip()), "\n".join(points).strip(), followups


def _story_question(db: Database, story_id: str, comp: str | None, depth: int, lang: str) -> tuple[str, str, list[Followup]]:
    title, sections, fups = db.execute("SELECT title, sections, followups FROM stories WHERE id = ?", [story_id]).fetchone()
    sections = _j(sections) or {}
    points = [f"Expected story: **{pick(_j(title), lang)}** (`{story_id}`)"]
    for name in ("Action", "Result"):
        if sections.get(name):
            points += ["", f"**{name}**", "", pick(sections[name], lang).strip()]
    followups = [Followup(pick(f["question"], lang), pick(f.get("notes"), lang)) for f in (_j(fups) or [])[:depth]]
    prompt = pick(PROMPTS.get(comp or "", GENERIC_PROMPT), lang)
    return prompt, "\n".join(points), followups


@dataclass(frozen=True)
class DrawOptions:
    """What to draw: the profile's `name` (recorded on the set), the seed, and narrowings."""

    name: str
    seed: int
    lang: str = "zh"
    n: int | None = None  # questions, spread over the profile's slots
    claim: str | tuple[str, ...] | None = None  # only questions about this claim (or these: an interview's)
    project: str | None = None  # only questions about this project
    minutes: float | None = None  # time budget: scales the number of questions and their time
    no_repeat: int | None = None  # leave out questions of the last N sessions (default: the profile's)

    def __post_init__(self) -> None:
        if self.n is not None and self.n < 1:
            raise PrepError("--n must be at least 1", zh="--n 至少是 1")
        if self.minutes is not None and self.minutes <= 0:
            raise PrepError("--minutes must be positive", zh="--minutes 必须是正数")


def _check_scope(pool: _Pool, claim: str | tuple[str, ...] | None, project: str | None) -> None:
    for c in (claim,) if isinstance(claim, str) else claim or ():
        if c not in pool.claims:
            from prep.index.suggest import unknown  # difflib: only for a name that is not there

            raise unknown("claim", c, pool.claims, "see `prep list claims`", "见 `prep list claims`")
    if project and project not in pool.projects:
        from prep.index.suggest import unknown

        raise unknown("project", project, pool.projects)


def draw(db: Database, profile: Profile | ProfileSpec, options: DrawOptions, *, now: dt.datetime, settings: Settings | None = None) -> Draw:
    """Fill the profile's slots for this seed; pure given the database state and `now`."""
    # Tens of thousands of small rows stay alive to the end: the cyclic GC would only rescan them.
    with no_gc():
        return _draw(db, ProfileSpec.of(profile), options, now, settings)


def _draw(db: Database, profile: ProfileSpec, options: DrawOptions, now: dt.datetime, settings: Settings | None) -> Draw:
    from prep.mock.session import recent_items
    from prep.study.engine import load_settings

    name, seed, lang = options.name, options.seed, options.lang
    cite = Citations(db)  # the facts, read once: every question and followup cites them
    settings = settings or load_settings(db)
    pool = _Pool(db, now, settings)
    _check_scope(pool, options.claim, options.project)
    counts, total_minutes = _counts(profile, options)
    stretch = total_minutes / (sum(c * s.minutes for c, s in zip(counts, profile.slots, strict=True)) or 1.0)
    no_repeat = profile.no_repeat_sessions if options.no_repeat is None else options.no_repeat
    d = _Drawer(pool, random.Random(seed), recent_items(db, no_repeat, now), options.claim, options.project, lang)
    readiness = {}
    if any(s.kind == "deep-dive" and c for s, c in zip(profile.slots, counts, strict=True)):
        from prep.study.readiness import claim_readiness

        # the pool's recall: the same retrievability readiness computes, and no fsrs import
        # when nothing has been reviewed
        readiness = {r["id"]: r["score"] for r in claim_readiness(db, now, settings, lang, retrievability=pool.recall())}
    out = Draw(profile=name, title=pick(profile.title, lang), seed=seed, lang=lang, minutes=round(total_minutes, 1), drawn_at=iso(now))
    for slot, count in zip(profile.slots, counts, strict=True):
        label = pick(slot.label, lang) or pick(SLOT_LABELS[slot.kind], lang)
        got = 0
        for _ in range(count):
            if slot.kind == "deep-dive":
                r = d.deep_dive(slot, readiness, out.warnings)
            elif slot.kind == "card":
                r = d.card(slot)
            else:
                r = d.story(slot)
            if r is None:
                break
            got += 1
            out.questions.append(_question(db, slot, label, r, round(slot.minutes * stretch, 1), lang, cite))
        if got < count:
            out.warnings.append(pick(SHORT_SLOT, lang).format(label=label, got=got, count=count))
    return out


def _counts(profile: ProfileSpec, options: DrawOptions) -> tuple[list[int], float]:
    """How many questions each slot draws, and the minutes the whole round takes."""
    counts = [s.count for s in profile.slots]
    n, minutes = options.n, options.minutes
    if n is None and minutes is not None:
        n = max(1, round(sum(counts) * minutes / profile.minutes))
    if n is not None:
        counts = scale_counts(counts, n)
    planned = sum(c * s.minutes for c, s in zip(counts, profile.slots, strict=True)) or 1.0
    # --n alone keeps each question's time; --minutes (or the profile's budget) stretches them.
    return counts, minutes or (planned if n is not None else profile.minutes)


def _question(db: Database, slot: SlotSpec, label: str, drawn: tuple, minutes: float, lang: str, cite: Citations) -> Question:
    """The drawn item as a question, with its key points and followups in `lang`."""
    item_type, item_id, proj, claims, extra, why = drawn
    if item_type == "claim":
        q, points, fups = _claim_question(db, item_id, extra, lang, cite)
    elif item_type == "card":
        q, points = _card_text(db, item_id, lang, cite)
        fups = [Followup(*_card_text(db, c, lang, cite), card=c) for c in extra]
    else:
        q, points, fups = _story_question(db, item_id, extra, slot.depth, lang)
    # fact citations read as the facts' text on the sheets and in the TUI session
    q, points = cite(q, lang), cite(points, lang)
    fups = [dataclasses.replace(f, q=cite(f.q, lang), a=cite(f.a, lang)) for f in fups]
    return Question(
        slot=slot.kind,
        label=label,
        item_type=item_type,
        item_id=item_id,
        q=q,
        key_points=points,
        followups=fups,
        minutes=minutes,
        project=proj,
        claims=list(claims),
        why=why,
    )
