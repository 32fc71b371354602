"""Audit the knowledge base against the resume: can every claim be defended?

An interviewer probes the resume line by line, so a claim with no story, too few
cards, or a figure no story or card mentions is a gap; a figure that the stories
state differently, or that the "before" wording of the resume stated differently,
is a trap; so is a story that contradicts the claim's facts. The audit finds them and
quotes the sources (figures as intervals: prep.kb.figures; contradictions and
before/after: prep.audit.contradictions), lists what only the candidate can confirm
(prep.audit.assumptions), reports gist coverage, and adds each claim's readiness
(`prep.study.readiness`, lowered by contradictions and assumptions). It reads only the index, so the dashboard can show it
and CI can run `prep audit --strict` on a knowledge-base repository.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from prep.audit.skills import coverage as skill_coverage
from prep.audit.sources import Backing, backings, locator
from prep.audit.text import WORDS, format_text, summary_line
from prep.audit.unfinished import unfinished
from prep.index.conn import Database
from prep.index.db import loads as _j
from prep.index.db import set_meta
from prep.kb import marks
from prep.kb.figures import Found, Interval, figures, format_interval, parse_figure
from prep.kb.vocab import all_text, claim_text, count, say

__all__ = ["audit", "checks", "failed", "format_text", "remember", "summary_line"]

MIN_CARDS = 3
FLAG_KINDS = ("no-story", "few-cards", "number-missing", "contradiction", "before-after")

# -- numbers ---------------------------------------------------------------------
# Figures are read by prep.kb.figures (intervals with units, both languages).

Number = Found


def numbers(text: str) -> list[Found]:
    """Every figure in `text`: `2,000`, `2k`, `2千` and `两千` are 2000; `几千` is 2000-9999."""
    return figures(marks.plain(text or ""))


def leading(value: str) -> tuple[Found | None, str]:
    """The figure a value starts with, and its unit (`2000 tasks` -> 2000, 'tasks')."""
    found = parse_figure(value)
    return found, (found.interval.unit if found else "")


def _same_figure(a: Interval, b: Interval) -> bool:
    # A bare small number ("step 1") appears in any text: without a unit it is no match.
    if a.unit == b.unit:
        return a.overlaps(b)
    return not b.unit and a.lo == b.lo and a.hi == b.hi and (a.lo >= 10 or not a.unit)


def find(figure: str, text: str) -> tuple[bool, list[Found]]:
    """(is the figure in `text`, figures in `text` of the same unit that do not overlap it)."""
    lead = parse_figure(figure)
    if lead is None:
        return True, []  # nothing numeric to check
    hit, other = False, []
    for n in numbers(text):
        if _same_figure(lead.interval, n.interval):
            hit = True
        elif n.interval.unit and n.interval.unit == lead.interval.unit:
            other.append(n)
    return hit, other


# -- the audit -------------------------------------------------------------------


@dataclass
class Flag:
    kind: str
    message: str
    quotes: list[dict] = field(default_factory=list)  # {"source": ..., "text": ...}


def _number_flags(b: Backing, lang: str = "en") -> list[Flag]:
    """A claim figure no backing story or card states is a gap (a figure stated
    differently is a contradiction, found by prep.audit.contradictions)."""
    flags = []
    for fig in b.figures:
        value = fig["value"]
        lead, _unit = leading(value)
        if lead is None:
            continue
        if any(find(value, t.text)[0] for t in b.items):
            continue
        key = "missing_backed" if b.items else "missing_none"
        flags.append(
            Flag(
                "number-missing",
                say(WORDS, key, lang, value=value, interval=format_interval(lead.interval)),
                [{"source": f"claim {b.claim} ({b.file}:{b.line})", "text": value}],
            )
        )
    return flags


def _gists(db: Database) -> dict:
    """Gist coverage: a card without one has no answer to say in one breath."""
    rows = db.execute("SELECT id, gist FROM cards WHERE archived = 0 ORDER BY position").fetchall()
    missing = [cid for cid, gist in rows if not _j(gist)]
    return {"cards": len(rows), "with_gist": len(rows) - len(missing), "missing": missing}


def checks(db: Database, lang: str = "zh", min_cards: int = MIN_CARDS) -> list[dict]:
    """The content checks of every live claim (no review state): flags, answered
    before/after differences and assumptions."""
    from prep.audit import contradictions as contra
    from prep.audit.assumptions import assumptions

    locate = locator(db)
    out = []
    for row, b in _claims(db):
        stories = [t.item for t in b.items if t.kind == "story"]
        cards = [t.item for t in b.items if t.kind == "card"]
        flags = []
        if not stories:
            flags.append(Flag("no-story", say(WORDS, "no_story", lang)))
        if len(cards) < min_cards:
            flags.append(Flag("few-cards", say(WORDS, "few_cards", lang, cards=count(len(cards), "card", lang), min=min_cards)))
        flags += _number_flags(b, lang)
        found = [Flag(**f) for f in contra.contradictions(b, locate, lang)]
        ba, answered = contra.before_after(
            b, "\n".join(filter(None, [all_text(_j(row["text"])), row["en"]])), row["before"] or "", [t for t in b.items if t.kind == "card"], lang
        )
        out.append(
            {
                "id": row["id"],
                "project": row["project"],
                "risk": row["risk"],
                "text": claim_text(_j(row["text"]), row["en"], lang),
                "file": row["file"],
                "line": row["line"],
                "stories": stories,
                "cards": cards,
                "flags": [asdict(f) for f in flags + found] + ba,
                "answered": answered,
                "assumptions": [a.to_dict() for a in assumptions(b, locate, lang)],
            }
        )
    return out


def _claims(db: Database):
    backing = backings(db)
    for row in db.query("SELECT * FROM claims WHERE archived = 0 ORDER BY position"):
        yield row, backing[row["id"]]


def audit(db: Database, now: dt.datetime, settings=None, lang: str = "zh", min_cards: int = MIN_CARDS) -> dict:
    """Coverage, figures, contradictions, assumptions and readiness for every live claim."""
    from prep.audit.assumptions import Assumption, unique
    from prep.study.readiness import claim_readiness

    out = checks(db, lang, min_cards)
    counts = {c["id"]: (sum(f["kind"] == "contradiction" for f in c["flags"]), len(c["assumptions"])) for c in out}
    ready = {r["id"]: r for r in claim_readiness(db, now, settings, lang, checks=counts)}
    by_kind = dict.fromkeys(FLAG_KINDS, 0)
    for c in out:
        for f in c["flags"]:
            by_kind[f["kind"]] += 1
        r: Mapping[str, Any] = ready.get(c["id"], {})
        c["readiness"] = r.get("score", 0.0)
        c["readiness_detail"] = {k: r[k] for k in READINESS_KEYS if k in r}
        c["to_confirm"] = len(c["assumptions"])
    to_confirm = unique({c["id"]: [Assumption(**a) for a in c["assumptions"]] for c in out})
    left = unfinished(db)
    return {
        "lang": lang,  # the language of its texts (format_text words the report in it)
        "claims": out,
        "to_confirm": [a.to_dict() for a in to_confirm],
        "unfinished": [u.to_dict() for u in left],
        "summary": {
            "claims": len(out),
            "flagged": sum(1 for c in out if c["flags"]),
            "flags": sum(by_kind.values()),
            "by_kind": by_kind,
            "to_confirm": len(to_confirm),
            "unfinished": len(left),
            "gists": _gists(db),
            "skills": skill_coverage(db),
        },
    }


def remember(db: Database, report: dict, version: str) -> None:
    """Keep each claim's (contradictions, assumptions) for readiness until the content
    changes (`content_version`), so the dashboard need not audit to rank claims."""
    counts = {c["id"]: [sum(f["kind"] == "contradiction" for f in c["flags"]), c["to_confirm"]] for c in report["claims"]}
    set_meta(db, "audit_checks", json.dumps(counts))
    set_meta(db, "audit_checks_version", version)


READINESS_KEYS = ("card_score", "story_score", "mock_score", "mock_answers", "last_rehearsed", "last_mock", "contradictions", "to_confirm")
STRICT_KINDS = ("no-story", "few-cards", "number-missing", "contradiction", "before-after")


def failed(report: dict, confirmed: bool = False) -> bool:
    """Does the report fail `--strict` (and, with `--confirmed`, any assumption left)?"""
    s = report["summary"]
    return any(s["by_kind"].get(k) for k in STRICT_KINDS) or bool(s.get("unfinished")) or (confirmed and s["to_confirm"] > 0)
