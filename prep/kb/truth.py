"""Checks that keep one truth per claim: facts, citations of them, assumption spans.

Run from the loader's `build`, after every file is validated, because a citation in
an unchanged story breaks when the fact it names is renamed in resume.yaml. Every
problem is a `ContentError` with its file and line, all reported at once. (A gist's
length and a fact's status are checked by the models themselves.)

Fact ids share one id space with every other item: `meican.scheduler.wheel` may not
also be a card, a story or a claim, so a citation can never be ambiguous.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from typing import Any

from prep.errors import ContentError
from prep.kb.marks import Locator, citations, spans
from prep.kb.models import Claim, Fact
from prep.kb.salvage import original
from prep.kb.yamlsrc import line_for

RESUME = "stories/resume.yaml"


def facts_of(claims: dict[str, Claim]) -> dict[str, tuple[str, Fact]]:
    """fact id -> (claim id, fact), in resume order."""
    return {f.id: (cid, f) for cid, claim in claims.items() for f in claim.facts}


def _texts(field: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(f"{field}.{k}" if k not in ("zh", "en") else field, v)


def item_texts(kb) -> Iterator[tuple[str, str, int, str, str]]:
    """(file, item kind, item line, field, text) for every Markdown text in the knowledge base."""
    for deck_id, deck in kb.decks.items():
        for i, card in enumerate(deck.cards):
            where = kb.where.get(("card", card.id))
            if not where or kb.card_deck.get(card.id) != deck_id:
                continue
            for name in ("q", "a", "gist"):
                for fld, text in _texts(f"cards[{i}].{name}", getattr(card, name)):
                    yield where[0], "card", where[1], fld, text
    for sid, story in kb.stories.items():
        rel, line = kb.where[("story", sid)]
        yield from ((rel, "story", line, f, t) for f, t in _texts("title", story.title))
        for name, section in story.sections.items():
            yield from ((rel, "story", line, f, t) for f, t in _texts(f"sections.{name}", section))
        for j, fu in enumerate(story.followups):
            yield from ((rel, "story", line, f, t) for f, t in _texts(f"followups[{j}].question", fu.question))
            yield from ((rel, "story", line, f, t) for f, t in _texts(f"followups[{j}].notes", fu.notes))
    for cid, claim in kb.claims.items():
        rel, line = kb.where[("claim", cid)]
        yield from ((rel, "claim", line, f, t) for f, t in _texts(f"{cid}.notes", claim.notes))
        for k, fig in enumerate(claim.numbers):
            yield from ((rel, "claim", line, f, t) for f, t in _texts(f"{cid}.numbers[{k}].note", fig.note))
        for k, fact in enumerate(claim.facts):
            yield from ((rel, "claim", line, f, t) for f, t in _texts(f"{cid}.facts[{k}].text", fact.text))


def _fact_lines(kb, parsed: list) -> dict[str, tuple[str, int]]:
    resume = next((p for p in parsed if p.kind == "resume"), None)
    out: dict[str, tuple[str, int]] = {}
    if resume is None or kb.resume is None:
        return out
    kept = resume.kept  # a salvaged resume's list positions in the file
    for i, proj in original(kept, ("projects",), kb.resume.projects):
        for j, claim in original(kept, ("projects", i, "claims"), proj.claims):
            for k, fact in original(kept, ("projects", i, "claims", j, "facts"), claim.facts):
                line = line_for(resume.lines, ("projects", i, "claims", j, "facts", k, "id"))
                out.setdefault(fact.id, (resume.rel, line or kb.where.get(("claim", claim.id), (RESUME, 0))[1]))
    return out


def check(kb, parsed: list) -> list[ContentError]:
    """Register facts in `kb.where` (kind 'fact') and report every broken citation,
    malformed assumption span and fact id that clashes with another item."""
    errors: list[ContentError] = []
    lines = _fact_lines(kb, parsed)
    taken = {item_id: (kind, where) for (kind, item_id), where in kb.where.items()}
    seen: dict[str, tuple[str, int]] = {}
    for proj in kb.resume.projects if kb.resume else []:
        for claim in proj.claims:
            for fact in claim.facts:
                rel, line = lines.get(fact.id, kb.where.get(("claim", claim.id), (RESUME, 0)))
                first = seen.get(fact.id) or (taken[fact.id][1] if fact.id in taken else None)
                if first and first != (rel, line):
                    what = "fact" if fact.id in seen else taken[fact.id][0]
                    errors.append(
                        ContentError(
                            rel, line, "facts.id", f"id '{fact.id}' is already a {what} (at {first[0]}:{first[1]}); ids are unique across all kinds"
                        )
                    )
                    continue
                seen[fact.id] = (rel, line)
                kb.where[("fact", fact.id)] = (rel, line)
    known = set(seen) | set(facts_of(kb.claims))  # a clashing fact id is reported once, above, not at every citation
    return errors + text_errors(kb, known)


def text_errors(kb, known: Container[str]) -> list[ContentError]:
    """Every citation of a fact not in `known` and every malformed assumption span in the
    texts of `kb`'s items (which may be only some files' items: an incremental sync checks
    the files it parsed against the facts in the index)."""
    errors: list[ContentError] = []
    locate = Locator(kb.root)
    for rel, _kind, line, fld, text in item_texts(kb):
        for fid in citations(text):
            if fid not in known:
                at = locate.line(rel, line, "{{fact:" + fid)
                errors.append(ContentError(rel, at, fld, f"cites unknown fact '{fid}' (facts are listed under a claim's facts: in {RESUME})"))
        _, bad = spans(text)
        for snippet in bad:
            at = locate.line(rel, line, snippet.split(".assumed")[0][-20:] or snippet)
            errors.append(ContentError(rel, at, fld, f"unclosed or malformed assumption near '{snippet}': write [text]{{.assumed}}"))
    return errors
