"""Audit the knowledge base against the resume: can every claim be defended?

An interviewer probes the resume line by line, so a claim with no story, too few
cards, or a figure no story or card mentions is a gap; a figure that the stories
state differently, or that the "before" wording of the resume stated differently,
is a trap. The audit finds both and quotes the sources, and adds each claim's
readiness (`prep.study.readiness`). It reads only the index, so the dashboard can show it
and CI can run `prep audit --strict` on a knowledge-base repository.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from prep.index.db import loads as _j
from prep.kb import marks
from prep.kb.figures import Found, Interval, figures, format_interval, parse_figure
from prep.kb.models import STORY_SECTIONS, all_text, claim_text

MIN_CARDS = 3
FLAG_KINDS = ("no-story", "few-cards", "number-missing", "number-disagrees", "before-after")

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


def excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    s = " ".join(text[a:b].split())
    return ("…" if a else "") + s + ("…" if b < len(text) else "")


# -- the audit -------------------------------------------------------------------


@dataclass
class Flag:
    kind: str
    message: str
    quotes: list[dict] = field(default_factory=list)  # {"source": ..., "text": ...}


def _story_text(row) -> str:
    parts = [all_text(_j(row["title"]))]
    sections = _j(row["sections"]) or {}
    parts += [all_text(sections[k]) for k in STORY_SECTIONS if k in sections]
    for f in _j(row["followups"]) or []:
        parts += [all_text(f.get("question")), all_text(f.get("notes"))]
    return "\n".join(p for p in parts if p)


def _backing(db: Database) -> dict[str, list[tuple[str, str, str]]]:
    """claim id -> [(kind, id, "file:line"), ...] for live backing stories and cards."""
    out: dict[str, list] = {}
    for src_type, src, dst, file, line in db.execute(
        """SELECT l.src_type, l.src, l.dst, coalesce(c.file, s.file), coalesce(c.line, s.line) FROM links l
           LEFT JOIN cards c ON l.src_type = 'card' AND c.id = l.src
           LEFT JOIN stories s ON l.src_type = 'story' AND s.id = l.src
           WHERE l.rel = 'backs' AND l.dst_type = 'claim' AND coalesce(c.archived, s.archived, 1) = 0
           ORDER BY l.src_type DESC, coalesce(c.position, s.position)"""
    ):
        out.setdefault(dst, []).append((src_type, src, f"{file}:{line}"))
    return out


def _texts(db: Database, backing: dict) -> dict[tuple[str, str], str]:
    wanted = {(t, i) for items in backing.values() for t, i, _ in items}
    out = {}
    for row in db.query("SELECT * FROM stories WHERE archived = 0"):
        if ("story", row["id"]) in wanted:
            out[("story", row["id"])] = _story_text(row)
    for cid, q, a in db.execute("SELECT id, q, a FROM cards WHERE archived = 0"):
        if ("card", cid) in wanted:
            out[("card", cid)] = all_text(_j(q)) + "\n" + all_text(_j(a))
    return out


def _number_flags(claim: dict, figures: list[dict], sources: list[tuple[str, str, str]], texts: dict) -> list[Flag]:
    flags = []
    for fig in figures:
        value = fig["value"]
        lead, _unit = leading(value)
        if lead is None:
            continue
        found, others = False, []
        for kind, item_id, where in sources:
            text = texts.get((kind, item_id), "")
            hit, other = find(value, text)
            found = found or hit
            others += [(f"{kind} {item_id} ({where})", excerpt(text, n.start, n.end)) for n in other]
        claim_quote = {"source": f"claim {claim['id']} ({claim['where']})", "text": value}
        if found:
            continue
        if others:
            flags.append(Flag("number-disagrees", f"'{value}' is stated differently in its backing stories/cards",
                              [claim_quote] + [{"source": s, "text": t} for s, t in others[:5]]))
        else:
            where = "in any backing story or card" if sources else "anywhere: nothing backs this claim"
            flags.append(Flag("number-missing", f"'{value}' ({format_interval(lead.interval)}) is not found {where}", [claim_quote]))
    return flags


def _before_after_flags(claim: dict, figures: list[dict]) -> tuple[list[Flag], list[Flag]]:
    """(flags, answered): a disagreement the knowledge base already answers (a note on
    the figure, or the claim's notes for its wording) is listed, not flagged: the point
    of the flag is to make sure the candidate has prepared what to say."""
    flags: list[Flag] = []
    answered: list[Flag] = []
    src = f"claim {claim['id']} ({claim['where']})"
    for fig in figures:
        if not fig.get("before"):
            continue
        lead, _ = leading(fig["value"])
        before_nums = numbers(fig["before"])
        if lead is not None and any(n.interval == lead.interval for n in before_nums):
            continue
        said = ", ".join(f"{n.raw} = {format_interval(n.interval)}" for n in before_nums) or "no figure"
        (answered if fig.get("note") else flags).append(Flag("before-after", f"figure '{fig['value']}' disagrees with the before wording ({said})",
                          [{"source": f"{src} numbers: value", "text": fig["value"]},
                           {"source": f"{src} numbers: before", "text": fig["before"]}]))
    if not flags and not answered and claim["before"]:
        after = {n.interval: n.raw for n in numbers(claim["text_all"])}
        before = {n.interval: n.raw for n in numbers(claim["before"])}
        if set(after) != set(before):
            said = f"text: {', '.join(after.values()) or 'no figure'}; before: {', '.join(before.values()) or 'no figure'}"
            (answered if claim["notes"] else flags).append(Flag(
                "before-after", f"the claim's figures differ between the sent text and the before wording ({said})",
                [{"source": f"{src} text", "text": claim["text_all"]}, {"source": f"{src} before", "text": claim["before"]}]))
    return flags, answered


def audit(db: Database, now: dt.datetime, settings=None, lang: str = "zh", min_cards: int = MIN_CARDS) -> dict:
    """Coverage, number checks and readiness for every live claim, as plain data."""
    from prep.study.readiness import claim_readiness

    ready = {r["id"]: r for r in claim_readiness(db, now, settings, lang)}
    backing = _backing(db)
    texts = _texts(db, backing)
    out, by_kind = [], dict.fromkeys(FLAG_KINDS, 0)
    for row in db.query("SELECT * FROM claims WHERE archived = 0 ORDER BY position"):
        text = _j(row["text"])
        claim = {
            "id": row["id"], "where": f"{row['file']}:{row['line']}", "before": row["before"] or "",
            "text_all": all_text(text), "notes": bool(_j(row["notes"])),
        }
        sources = backing.get(row["id"], [])
        stories = [i for t, i, _ in sources if t == "story"]
        cards = [i for t, i, _ in sources if t == "card"]
        flags = []
        if not stories:
            flags.append(Flag("no-story", "no STAR story backs this claim"))
        if len(cards) < min_cards:
            flags.append(Flag("few-cards", f"{len(cards)} card(s) back this claim; at least {min_cards} wanted"))
        figures = _j(row["numbers"]) or []
        flags += _number_flags(claim, figures, sources, texts)
        ba_flags, answered = _before_after_flags(claim, figures)
        flags += ba_flags
        for f in flags:
            by_kind[f.kind] += 1
        r = ready.get(row["id"], {})
        out.append({
            "id": row["id"], "project": row["project"], "risk": row["risk"],
            "text": claim_text(text, row["en"], lang),
            "file": row["file"], "line": row["line"], "stories": stories, "cards": cards,
            "readiness": r.get("score", 0.0),
            "readiness_detail": {k: r[k] for k in ("card_score", "story_score", "mock_score", "mock_answers", "last_rehearsed", "last_mock") if k in r},
            "flags": [asdict(f) for f in flags],
            "answered": [asdict(f) for f in answered],
        })
    flagged = sum(1 for c in out if c["flags"])
    return {
        "claims": out,
        "summary": {"claims": len(out), "flagged": flagged, "flags": sum(by_kind.values()), "by_kind": by_kind},
    }


def summary_line(report: dict, hint: str = "") -> str:
    """One line for the dashboard: 'Audit: 3 of 12 claims flagged (no-story 1, ...)'."""
    s = report["summary"]
    if not s["claims"]:
        return "Audit: no claims"
    if not s["flagged"]:
        return f"Audit: all {s['claims']} claims covered, figures consistent"
    kinds = ", ".join(f"{k} {n}" for k, n in s["by_kind"].items() if n)
    return f"Audit: {s['flagged']} of {s['claims']} claims flagged ({kinds}){hint}"


def format_text(report: dict) -> str:
    """The coverage matrix, then each flag with its quoted sources."""
    lines = [f"{'claim':<28} {'risk':<6} {'stories':>7} {'cards':>5} {'ready':>5}  flags"]
    for c in report["claims"]:
        kinds = ",".join(sorted({f["kind"] for f in c["flags"]})) or "ok"
        lines.append(f"{c['id']:<28} {c['risk']:<6} {len(c['stories']):>7} {len(c['cards']):>5} {round(c['readiness'] * 100):>4}%  {kinds}")
    details = [c for c in report["claims"] if c["flags"] or c.get("answered")]
    if details:
        lines.append("")
    for c in details:
        lines.append(f"{c['file']}:{c['line']}: {c['id']}: {c['text']}")
        for f in c["flags"] + c.get("answered", []):
            tag = f["kind"] if f in c["flags"] else f"{f['kind']}, answered in the notes"
            lines.append(f"  [{tag}] {f['message']}")
            for q in f["quotes"]:
                lines.append(f"      {q['source']}: \"{' '.join(q['text'].split())}\"")
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines)
