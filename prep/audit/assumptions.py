"""What only the candidate can confirm: assumed facts and `[..]{.assumed}` spans, per claim.

Stories and cards written for a candidate contain details the writer could not know (an
incident at 11:40, a colleague's objection, a measured figure). They are marked, and this
module lists each with its file, line and context, so the candidate can replace them with
the truth before an interview (`prep confirm` walks the same list).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from prep.audit.sources import Backing
from prep.kb import marks
from prep.kb.vocab import pick


@dataclass(frozen=True)
class Assumption:
    claim: str
    kind: str  # span | fact
    item: str  # "story checkout-latency", "fact acme.p99.measure"
    file: str
    line: int
    text: str
    context: str
    source: str = ""  # a span as written, `[text]{.assumed}`; '' for a fact

    def to_dict(self) -> dict:
        return asdict(self)


def _context(text: str, start: int, length: int, width: int = 50) -> str:
    plain_before = marks.plain(text[max(0, start - width) : start])
    plain_after = marks.plain(text[start + length : start + length + width])
    span = text[start : start + length]
    return " ".join((plain_before + span + plain_after).split())


def assumptions(b: Backing, locate, lang: str = "zh") -> list[Assumption]:
    """One claim's assumptions: its assumed facts, then spans in its notes, stories and cards."""
    out: list[Assumption] = []
    seen: set[tuple[str, int, str]] = set()
    for f in b.facts:
        if f.status == marks.ASSUMED:
            out.append(Assumption(b.claim, "fact", f"fact {f.id}", f.file, f.line, pick(f.text, lang), ""))
    for t in [*b.notes, *b.anchors, *b.items]:
        if t.kind == "fact":
            continue  # a fact's own status says whether it is assumed
        found, _ = marks.spans(t.text)
        for s in found:
            line = locate.line(t.file, t.line, s.source)
            key = (t.file, line, s.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(Assumption(b.claim, "span", t.label, t.file, line, marks.plain(s.source), _context(t.text, s.start, len(s.source)), s.source))
    return out


def unique(per_claim: dict[str, list[Assumption]]) -> list[Assumption]:
    """Every assumption once (a story backing two claims lists its spans once), by file and line."""
    out: dict[tuple[str, int, str], Assumption] = {}
    for items in per_claim.values():
        for a in items:
            out.setdefault((a.file, a.line, a.text), a)
    return sorted(out.values(), key=lambda a: (a.file, a.line))


def to_confirm(db, lang: str = "zh", claim: str | None = None) -> list[Assumption]:
    """Everything left to confirm (one claim's, if given), once each, by file and line."""
    from prep.audit.sources import backings, locator

    locate = locator(db)
    per_claim = {cid: assumptions(b, locate, lang) for cid, b in backings(db).items() if claim in (None, cid)}
    return unique(per_claim)
