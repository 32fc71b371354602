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
import re
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from prep.index.db import loads as _j
from prep.kb.models import STORY_SECTIONS, all_text, claim_text

MIN_CARDS = 3
FLAG_KINDS = ("no-story", "few-cards", "number-missing", "number-disagrees", "before-after")

# -- numbers ---------------------------------------------------------------------

# Multipliers written right after a number: 2k, 3 million, 300万, 300百万, 几w.
_MULT = {
    "k": 1e3, "K": 1e3, "w": 1e4, "W": 1e4, "M": 1e6, "十": 10, "百": 1e2, "千": 1e3, "万": 1e4, "十万": 1e5,
    "百万": 1e6, "千万": 1e7, "亿": 1e8, "thousand": 1e3, "million": 1e6, "billion": 1e9,
}
_NUM = re.compile(
    r"(?<![0-9A-Za-z_.])(?<!\d,)"
    r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s?(十万|百万|千万|万|亿|千|百|十|(?:thousand|million|billion)(?![A-Za-z])|[kKwWM](?![0-9A-Za-z])))?"
)
_UNIT = re.compile(r"\s*[+~]?\s*(%|[A-Za-z][A-Za-z/]*|[\u4e00-\u9fff]{1,3})")


@dataclass(frozen=True)
class Number:
    value: float
    raw: str
    start: int
    end: int


def numbers(text: str) -> list[Number]:
    """Every number in `text` with its multiplier applied: `2,000`, `2k` and `2千` are 2000."""
    out = []
    for m in _NUM.finditer(text or ""):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= _MULT[m.group(3)]
        out.append(Number(value, m.group(0), m.start(), m.end()))
    return out


def same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def leading(value: str) -> tuple[Number | None, str]:
    """The number a figure starts with, and the unit after it (`2000 tasks` -> 2000, 'tasks')."""
    found = numbers(value)
    if not found or value[: found[0].start].strip():
        return None, ""
    first = found[0]
    m = _UNIT.match(value, first.end)
    return first, (m.group(1) if m else "")


def _unit_follows(text: str, pos: int, unit: str) -> bool:
    """Is `unit` written right after position `pos` (`2000 tasks`, `99%`, `2000个任务`)?"""
    if not unit:
        return False
    rest = text[pos:].lstrip(" +~")
    if unit == "%":
        return rest.startswith("%")
    if not unit.isascii():
        head = unit.lstrip("个")[:2]
        return bool(head) and rest.lstrip("个").startswith(head)
    word = unit.lower().split("/")[0]
    stem = word[:-1] if len(word) > 3 and word.endswith("s") else word
    return re.match(re.escape(stem) + r"(?:e?s)?(?![a-z])", rest.lower()) is not None


def _strict_unit(value: float, unit: str) -> bool:
    # "1 TB/day": a bare "1" appears in any text, so a small number counts only with its unit.
    return value < 10 and bool(unit) and (unit == "%" or (unit.isascii() and len(unit.split("/")[0]) <= 4))


def find(figure: str, text: str) -> tuple[bool, list[Number]]:
    """(is the figure's number in `text`, numbers in `text` with the same unit but another value)."""
    lead, unit = leading(figure)
    if lead is None:
        return True, []  # nothing numeric to check
    hit, other = False, []
    for n in numbers(text):
        with_unit = _unit_follows(text, n.end, unit)
        if same(n.value, lead.value) and (with_unit or not _strict_unit(lead.value, unit)):
            hit = True
        elif with_unit:
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
            flags.append(Flag("number-missing", f"'{value}' ({lead.raw.strip()}) is not found {where}", [claim_quote]))
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
        if lead is not None and any(same(n.value, lead.value) for n in before_nums):
            continue
        said = ", ".join(n.raw.strip() for n in before_nums) or "no figure"
        (answered if fig.get("note") else flags).append(Flag("before-after", f"figure '{fig['value']}' disagrees with the before wording ({said})",
                          [{"source": f"{src} numbers: value", "text": fig["value"]},
                           {"source": f"{src} numbers: before", "text": fig["before"]}]))
    if not flags and not answered and claim["before"]:
        after = {round(n.value, 6): n.raw.strip() for n in numbers(claim["text_all"])}
        before = {round(n.value, 6): n.raw.strip() for n in numbers(claim["before"])}
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
