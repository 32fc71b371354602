"""What backs each claim, as texts with their place: the material the truth checks read.

One claim's backing is the claim itself (its text in both languages, figures, before
wording), its facts, its notes, and every live story and card linked to it. Each text
keeps the file and line of its item so a flag can quote it as `file:line`; the line of
the quoted words themselves is found in the file (`Locator`) when it is readable.
Citations (`{{fact:ID}}`) are resolved to the fact's text in both languages, so a story
that cites a fact is read as saying what the fact says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prep.index.conn import Database
from prep.index.db import get_meta, loads
from prep.index.facts import FactRow, facts
from prep.kb.marks import Locator, resolve
from prep.kb.vocab import LANGS, STORY_SECTIONS, all_text


@dataclass(frozen=True)
class Text:
    """One text of a claim's backing. `kind`: claim | fact | note | story | card."""

    kind: str
    item: str  # item id
    file: str
    line: int
    text: str
    card_kind: str = ""  # for cards: concept, design, defend-the-number, ...
    role: str = ""  # 'before' for a claim's before wording, 'figure' for a fact's figure

    @property
    def label(self) -> str:
        return f"{self.kind} {self.item}"


@dataclass
class Backing:
    claim: str
    file: str
    line: int
    figures: list[dict]  # the claim's numbers: {value, before, note}
    anchors: list[Text] = field(default_factory=list)  # claim text, numbers, facts: the truth
    notes: list[Text] = field(default_factory=list)  # notes that may explain a difference
    items: list[Text] = field(default_factory=list)  # stories and cards
    facts: list[FactRow] = field(default_factory=list)


def _all_langs(text: str, cited: dict) -> str:
    """`text` with every citation resolved, once per language."""
    if "{{" not in (text or ""):
        return text or ""
    return "\n".join(dict.fromkeys(resolve(text, cited, lang) for lang in LANGS))


def _story_text(row) -> str:
    parts = [all_text(loads(row["title"]))]
    sections = loads(row["sections"]) or {}
    parts += [all_text(sections[k]) for k in STORY_SECTIONS if k in sections]
    for f in loads(row["followups"]) or []:
        parts += [all_text(f.get("question")), all_text(f.get("notes"))]
    return "\n".join(p for p in parts if p)


def locator(db: Database) -> Locator:
    return Locator(get_meta(db, "kb"))


def backings(db: Database) -> dict[str, Backing]:
    """claim id -> its backing, for every live claim, in resume order."""
    all_facts = facts(db)
    cited = {f.id: (f.text, "confirmed") for f in all_facts}  # resolved as plain text here
    out: dict[str, Backing] = {}
    for r in db.query("SELECT * FROM claims WHERE archived = 0 ORDER BY position"):
        b = Backing(r["id"], r["file"], r["line"], loads(r["numbers"]) or [])
        at = (r["file"], r["line"])
        b.anchors.append(Text("claim", r["id"], *at, all_text(loads(r["text"])) + "\n" + (r["en"] or "")))
        for fig in b.figures:
            b.anchors.append(Text("claim", r["id"], *at, fig["value"]))
            for old_wording in (fig.get("other_version"), fig.get("from_")):
                if old_wording:
                    b.anchors.append(Text("claim", r["id"], *at, old_wording, role="before"))
            if fig.get("note"):
                b.notes.append(Text("note", r["id"], *at, _all_langs(all_text(fig["note"]), cited)))
        if r["before"]:
            b.anchors.append(Text("claim", r["id"], *at, r["before"], role="before"))
        if loads(r["notes"]):
            b.notes.append(Text("note", r["id"], *at, _all_langs(all_text(loads(r["notes"])), cited)))
        out[r["id"]] = b
    for f in all_facts:
        if f.claim in out:
            out[f.claim].facts.append(f)
            out[f.claim].anchors.append(Text("fact", f.id, f.file, f.line, _all_langs(all_text(f.text), cited)))
            if f.figure:  # the figure a fact states is the truth; its text may mention others
                out[f.claim].anchors.append(Text("fact", f.id, f.file, f.line, f.figure, role="figure"))
    stories = {r["id"]: r for r in db.query("SELECT * FROM stories WHERE archived = 0")}
    cards = {r["id"]: r for r in db.query("SELECT id, q, a, gist, kind, file, line FROM cards WHERE archived = 0")}
    for src_type, src, dst in db.execute(
        "SELECT src_type, src, dst FROM links WHERE rel = 'backs' AND dst_type = 'claim' ORDER BY src_type DESC, rowid"
    ):
        claim = out.get(dst)
        if claim is None:
            continue
        if src_type == "story" and src in stories:
            s = stories[src]
            claim.items.append(Text("story", src, s["file"], s["line"], _all_langs(_story_text(s), cited)))
        elif src_type == "card" and src in cards:
            c = cards[src]
            text = "\n".join(all_text(loads(c[k])) for k in ("q", "gist", "a") if c[k])
            claim.items.append(Text("card", src, c["file"], c["line"], _all_langs(text, cited), card_kind=c["kind"]))
    return out


def excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    """`text[start:end]` with `width` characters either side, on one line, `…` where cut."""
    a, b = max(0, start - width), min(len(text), end + width)
    s = " ".join(text[a:b].split())
    return ("…" if a else "") + s + ("…" if b < len(text) else "")
