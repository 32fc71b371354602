"""Contradictions within one claim's backing, and before/after differences left unanswered.

The claim's text, figures, before wording and its facts' figures are the truth a
candidate defends. Every figure a backing story or card states is held against it: a figure whose unit the
truth also states, but whose interval overlaps none of the truth's figures of that unit,
contradicts the claim ("250 ms" in a story of a claim that says "120 ms"; "百万级别" under
"300百万用户"). A note or fact that names both values explains the pair ("注册任务几千个，
同时执行约 2000"), and the pair is not flagged.

A figure the text marks as the old value ("from 24 h to under 5 minutes", "从 800ms 降到")
is held only against the truth's old values. Concept and trivia cards explain general
mechanisms (a 60-slot minute wheel in a textbook hierarchy), not the candidate's system,
so their figures are not held against the claim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from prep.audit.sources import Backing, Text, excerpt
from prep.audit.text import WORDS
from prep.kb import marks
from prep.kb.figures import Found, Interval, figures, parse_figure, show
from prep.kb.vocab import say

GENERAL_CARD_KINDS = ("concept", "trivia")
# A percentage says nothing until you know of what: 60% of orders at lunch is no
# contradiction of 99% availability. Percentages are compared only within one topic.
_PERCENT_TOPICS = {
    "availability": re.compile(r"可用|availability|uptime|SLA|SLO", re.I),
    "growth": re.compile(r"突增|增长|增量|burst|growth|increase", re.I),
    "errors": re.compile(r"错误率|失败率|error rate|failure rate", re.I),
}


def _topic(text: str, f: Found) -> str | None:
    window = text[max(0, f.start - 24) : f.end + 24]
    return next((name for name, rx in _PERCENT_TOPICS.items() if rx.search(window)), None)


@dataclass(frozen=True)
class Stated:
    """A figure stated somewhere in a claim's backing."""

    found: Found
    text: Text

    @property
    def iv(self) -> Interval:
        return self.found.interval


def _stated(t: Text) -> list[Stated]:
    return [Stated(f, t) for f in figures(marks.prose(t.text))]


def names(found: list[Found], target: Interval) -> bool:
    """Does a text (its figures) name the value `target`? A note may leave out the unit."""
    for f in found:
        iv = f.interval if f.interval.unit else Interval(f.interval.lo, f.interval.hi, target.unit, f.interval.hi_open)
        if iv.overlaps(target):
            return True
    return False


def _distance(a: Interval, b: Interval) -> float:
    def mid(iv: Interval) -> float:
        hi = iv.hi if math.isfinite(iv.hi) else iv.lo * 10
        return max((iv.lo + hi) / 2, 1e-12)

    return abs(math.log(mid(a)) - math.log(mid(b)))


def _quote(s: Stated, locate) -> dict:
    plain = marks.plain(s.text.text)
    line = locate.line(s.text.file, s.text.line, s.found.raw) if s.text.kind in ("story", "card") else s.text.line
    return {
        "source": f"{s.text.label} ({s.text.file}:{line})",
        "text": excerpt(plain, s.found.start, s.found.end),
        "figure": show(s.iv),
    }


def contradictions(b: Backing, locate, lang: str = "en") -> list[dict]:
    """Flags (kind 'contradiction') for one claim: each with both quotes."""
    truth = [s for t in b.anchors if t.kind != "fact" or t.role == "figure" for s in _stated(t) if s.iv.unit]
    explainers = [figures(marks.prose(t.text)) for t in [*b.notes, *b.anchors] if t.kind == "fact" or t.kind == "note"]
    flags, seen = [], set()
    for item in b.items:
        if item.kind == "card" and item.card_kind in GENERAL_CARD_KINDS:
            continue
        for s in _stated(item):
            if s.iv.hi == 0:
                continue  # "0 个槽会除零": a zero is an edge case, not a figure
            against = [a for a in truth if a.iv.unit == s.iv.unit]
            if s.iv.unit == "%":
                topic = _topic(marks.prose(item.text), s.found)
                against = [a for a in against if topic and _topic(marks.prose(a.text.text), a.found) == topic]
            if s.found.role == "before":
                against = [a for a in against if a.found.role == "before" or a.text.role == "before"]
            if not against or any(a.iv.overlaps(s.iv) for a in against):
                continue
            nearest = min(against, key=lambda a: _distance(a.iv, s.iv))
            if any(names(found, s.iv) and names(found, nearest.iv) for found in explainers):
                continue
            key = (item.label, s.iv, nearest.iv)
            if key in seen:
                continue
            seen.add(key)
            flags.append(
                {
                    "kind": "contradiction",
                    "message": say(
                        WORDS, "contradiction", lang, label=s.text.label, said=show(s.iv), claim=show(nearest.iv), source=nearest.text.label
                    ),
                    "quotes": [_quote(s, locate), _quote(nearest, locate)],
                }
            )
    return flags


def before_after(b: Backing, claim_text: str, before: str, cards: list[Text], lang: str = "en") -> tuple[list[dict], list[dict]]:
    """(unanswered, answered) differences between a claim's figures and its before wording.
    Answered only by a note, or a defend-the-number card of the claim, naming the figure's
    value and (if it has one) the before value."""
    answers = [figures(marks.prose(t.text)) for t in b.notes]
    answers += [figures(marks.prose(t.text)) for t in cards if t.card_kind == "defend-the-number"]
    src = f"claim {b.claim} ({b.file}:{b.line})"
    none = say(WORDS, "no_figure", lang)
    flags: list[dict] = []
    answered: list[dict] = []
    for fig in b.figures:
        if not fig.get("other_version"):
            continue
        lead = parse_figure(fig["value"])
        olds = figures(fig["other_version"])
        if lead is not None and any(n.interval == lead.interval for n in olds):
            continue
        said = ", ".join(f"{n.raw} = {show(n.interval)}" for n in olds) or none
        flag = {
            "kind": "before-after",
            "message": say(WORDS, "other_version", lang, value=fig["value"], said=said),
            "quotes": [
                {"source": f"{src} numbers: value", "text": fig["value"]},
                {"source": f"{src} numbers: other_version", "text": fig["other_version"]},
            ],
        }
        wanted = ([lead.interval] if lead else []) + [n.interval for n in olds]
        ok = bool(wanted) and any(all(names(found, w) for w in wanted) for found in answers)
        (answered if ok else flags).append(flag)
    if not flags and not answered and before:
        after = {n.interval: n.raw for n in figures(claim_text)}
        old = {n.interval: n.raw for n in figures(before)}
        if set(after) != set(old):
            flag = {
                "kind": "before-after",
                "message": say(WORDS, "text_before", lang, after=", ".join(after.values()) or none, before=", ".join(old.values()) or none),
                "quotes": [{"source": f"{src} text", "text": claim_text}, {"source": f"{src} before", "text": before}],
            }
            wanted = list(after) + list(old)
            ok = bool(wanted) and any(all(names(found, w) for w in wanted) for found in answers)
            (answered if ok else flags).append(flag)
    return flags, answered
