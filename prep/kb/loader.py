"""Load a knowledge base folder into validated models, or say everything wrong with it.

Parsing (the slow part) is per file and cacheable: `parse_file` gives plain data and
a line map that the store keeps, so an unchanged file is never parsed twice. Checking
(`build`) runs over every file, because a link in an unchanged deck can break when
another file changes; `collect` is its first half (each file's items, their ids and
links), which the incremental sync runs on the changed files alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from prep.errors import ContentError, ContentErrors
from prep.kb import chains, truth
from prep.kb.layout import kind_of, list_files, outside  # the loader's API; layout has no pydantic
from prep.kb.models import Card, Claim, Deck, Project, Resume, Story
from prep.kb.salvage import Kept, original, salvage
from prep.kb.yamlsrc import LineMap, line_for, parse_yaml, read_text

RESUME = "stories/resume.yaml"
SUGGEST_LINKS = 20


@dataclass
class Parsed:
    """One file after parsing: plain data (None if unparseable) and where each value was."""

    rel: str
    kind: str  # resume | story | deck
    raw: Any
    lines: LineMap
    errors: list[ContentError]
    model: Any = None  # set by check()
    checked: bool = False
    kept: Kept = field(default_factory=dict)  # a salvaged model's list indexes in the file


def check(p: Parsed) -> None:
    """Validate once and keep the model; the caller may then drop `raw`."""
    if not p.checked:
        p.model, p.errors = validate(p)
        p.checked = True


def link_lines(lines: LineMap) -> LineMap:
    """The lines that cross-file checks report (ids and links): all a cached file needs.
    Keeping every value's line for 50k cards would cost ~100 MB."""
    keep = {}
    for key, line in lines.items():
        parts = key.rsplit(".", 2)  # the last two segments are all that matter
        if key in ("", "project") or parts[-1] == "id" or (len(parts) > 1 and parts[-2] in ("claims", "followups")):
            keep[key] = line
    return keep


@dataclass
class KnowledgeBase:
    root: Path
    resume: Resume = field(default_factory=Resume)
    projects: dict[str, Project] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    claim_project: dict[str, str] = field(default_factory=dict)
    decks: dict[str, Deck] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    card_deck: dict[str, str] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    # (kind, id) -> (file relative to root, line)
    where: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def cards_for_claim(self, claim_id: str) -> list[Card]:
        return [c for c in self.cards.values() if claim_id in c.claims]

    def stories_for_claim(self, claim_id: str) -> list[Story]:
        return [s for s in self.stories.values() if claim_id in s.claims]


def parse_file(root: Path, rel: str, data: bytes | None = None) -> Parsed:
    kind = kind_of(rel)
    if kind is None:
        raise ValueError(f"{rel}: not a content file (see list_files)")
    target = outside(root, rel)
    if target is not None:
        message = f"is a symbolic link to {target}, outside the knowledge base; copy the file in instead"
        return Parsed(rel, kind, None, {}, [ContentError(rel, 0, "", message)])
    text, errors = read_text(root / rel, rel, data)
    if text is None:
        return Parsed(rel, kind, None, {}, errors)
    if kind == "story":
        from prep.kb.story_md import parse_story

        raw, lines, errors = parse_story(text, rel)
    else:
        raw, lines, errors = parse_yaml(text, rel)
        if raw is None and not errors:
            raw = {}
    return Parsed(rel, kind, raw, lines, errors)


def _pydantic_errors(p: Parsed, exc: ValidationError) -> list[ContentError]:
    # The error explainer (and its spelling hints) only when a file is wrong: a resync of a
    # valid edit never loads it.
    from prep.kb.explain import ROOTS, explain

    return explain(p.rel, p.lines, exc, ROOTS.get(p.kind))


def validate(p: Parsed) -> tuple[Any, list[ContentError]]:
    """Turn one parsed file into its model (Resume, Deck or Story)."""
    if p.raw is None:
        return None, list(p.errors)
    models: dict[str, type[BaseModel]] = {"resume": Resume, "deck": Deck, "story": Story}
    model = models[p.kind]
    if not isinstance(p.raw, dict):
        return None, [*p.errors, ContentError(p.rel, line_for(p.lines, ()) or 1, "", "the file must be a mapping of keys")]
    try:
        return model.model_validate(p.raw), list(p.errors)
    except ValidationError as exc:
        # Keep what did validate, so the id, link and cycle checks still run on it.
        found = _pydantic_errors(p, exc)
        from prep.kb.explain import clean_loc

        salvaged, p.kept = salvage(model, p.raw, [clean_loc(e["loc"]) for e in exc.errors()])
        return salvaged, p.errors + found


# (file, line, field, target kind, target id): a reference another item must satisfy.
Link = tuple[str, int, str, str, str]


class _Collector:
    """Registers the items of parsed files in one id space and notes their links."""

    def __init__(self, root: Path):
        self.kb = KnowledgeBase(root=root)
        self.errors: list[ContentError] = []
        self.links: list[Link] = []
        self.seen: dict[str, tuple[str, str, int]] = {}  # id -> (kind, file, line)

    def register(self, kind: str, item_id: str, rel: str, line: int, fld: str) -> bool:
        # One id names one item across every kind: `prep show ID`, links and the
        # review history look items up by id alone.
        if item_id in self.seen:
            k0, f0, l0 = self.seen[item_id]
            self.errors.append(ContentError(rel, line, fld, f"id '{item_id}' is used by the {k0} at {f0}:{l0} and the {kind} at {rel}:{line}"))
            return False
        self.seen[item_id] = (kind, rel, line)
        self.kb.where[(kind, item_id)] = (rel, line)
        return True

    def resume(self, p: Parsed, obj: Resume) -> None:
        kb = self.kb
        kb.resume = obj
        for i, proj in original(p.kept, ("projects",), obj.projects):
            if self.register("project", proj.id, p.rel, line_for(p.lines, ("projects", i, "id")), f"projects[{i}].id"):
                kb.projects[proj.id] = proj
            for j, claim in original(p.kept, ("projects", i, "claims"), proj.claims):
                ln = line_for(p.lines, ("projects", i, "claims", j, "id"))
                if self.register("claim", claim.id, p.rel, ln, f"projects[{i}].claims[{j}].id"):
                    kb.claims[claim.id] = claim
                    kb.claim_project[claim.id] = proj.id

    def deck(self, p: Parsed, obj: Deck) -> None:
        kb, links = self.kb, self.links
        deck_id = Path(p.rel).stem
        if not self.register("deck", deck_id, p.rel, 1, ""):
            return
        kb.decks[deck_id] = obj
        if obj.project:
            links.append((p.rel, line_for(p.lines, ("project",)), "project", "project", obj.project))
        for i, card in original(p.kept, ("cards",), obj.cards):
            if not self.register("card", card.id, p.rel, line_for(p.lines, ("cards", i, "id")), f"cards[{i}].id"):
                continue
            kb.cards[card.id] = card
            kb.card_deck[card.id] = deck_id
            for j, c in original(p.kept, ("cards", i, "claims"), card.claims):
                links.append((p.rel, line_for(p.lines, ("cards", i, "claims", j)), f"cards[{i}].claims[{j}]", "claim", c))
            for j, c in original(p.kept, ("cards", i, "followups"), card.followups):
                links.append((p.rel, line_for(p.lines, ("cards", i, "followups", j)), f"cards[{i}].followups[{j}]", "card", c))

    def story(self, p: Parsed, obj: Story) -> None:
        if self.register("story", obj.id, p.rel, line_for(p.lines, ("id",)), "id"):
            self.kb.stories[obj.id] = obj
            for j, c in original(p.kept, ("claims",), obj.claims):
                self.links.append((p.rel, line_for(p.lines, ("claims", j)), f"claims[{j}]", "claim", c))


def collect(root: Path, parsed: list[Parsed]) -> tuple[KnowledgeBase, list[Link], list[ContentError]]:
    """Validate each file and register its items: the knowledge base of these files
    alone, the links its items make (not yet resolved), and the errors found so far
    (per file, and ids used twice among these files)."""
    c = _Collector(root)
    for p in sorted(parsed, key=lambda p: (p.kind != "resume", p.rel)):
        check(p)
        c.errors += p.errors
        if p.model is None:
            continue
        if p.kind == "resume":
            c.resume(p, p.model)
        elif p.kind == "deck":
            c.deck(p, p.model)
        else:
            c.story(p, p.model)
    return c.kb, c.links, c.errors


def build(root: Path, parsed: list[Parsed]) -> tuple[KnowledgeBase, list[ContentError]]:
    """Validate every file and the links between them."""
    kb, links, errors = collect(root, parsed)
    targets: dict[str, Mapping[str, object]] = {"claim": kb.claims, "card": kb.cards, "project": kb.projects}
    suggested = 0  # difflib over 50k ids is ~0.1 s a link: suggest for the first few only
    for rel, line, fld, kind, target in links:
        if target not in targets[kind]:
            from prep.kb.spelling import did_you_mean

            hint = did_you_mean(target, targets[kind]) if suggested < SUGGEST_LINKS else ""
            suggested += 1
            errors.append(ContentError(rel, line, fld, f"unknown {kind} '{target}'{hint}"))
    errors += _cycles(kb)
    errors += truth.check(kb, parsed)  # facts, citations, assumption spans
    return kb, errors


def _cycles(kb: KnowledgeBase) -> list[ContentError]:
    """Followup chains must end: report each cycle once, at the card that closes it."""
    errors = []
    for node, cycle in chains.cycles(kb.cards, lambda cid: kb.cards[cid].followups):
        rel, line = kb.where[("card", node)]
        errors.append(ContentError(rel, line, f"{node}.followups", "followup cycle: " + " -> ".join(cycle)))
    return errors


def load(root: Path) -> KnowledgeBase:
    """Parse and check a whole knowledge base without any cache; raise on any error."""
    root = Path(root)
    parsed = [parse_file(root, rel) for rel in list_files(root)]
    kb, errors = build(root, parsed)
    if not (root / "stories").is_dir() and not (root / "decks").is_dir():
        errors.append(ContentError(str(root), 0, "", "not a knowledge base: no stories/ or decks/ folder"))
    if errors:
        raise ContentErrors(errors)
    return kb
