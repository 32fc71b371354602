"""What edited files must agree with in the rest of the knowledge base, checked against the index.

The loader checks ids, links, follow-up chains and fact citations across every file
(prep.kb.loader.build). After an edit of a few files, the other files are exactly what
the index holds from the last sync, which passed those checks; so the edited files'
items are checked against the index's tables instead of against the other files' parses
(never loaded: ~40 MB at 50k cards). Each check only answers "plainly right or not":
on anything else the incremental sync steps aside and the full check names every error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prep.index.conn import Database
from prep.index.rows import OLD_COLS, Old
from prep.kb import chains, layout

if TYPE_CHECKING:
    from prep.kb.loader import KnowledgeBase, Link


class Fallback(Exception):
    """The incremental sync cannot show that this change is right: the full sync decides."""


def ids_in(db: Database, sql: str, ids: Iterable[str]) -> list[tuple]:
    """Rows of `sql`, whose `{}` is replaced by an IN list of `ids` (500 at a time)."""
    ids = list(ids)
    out: list[tuple] = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        out += db.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return out


@dataclass
class Stale:
    """The index's live items of the files being replaced (edited or deleted), and what
    the index holds under the ids the new versions use."""

    files: set[str]
    cards: dict[str, Old] = field(default_factory=dict)  # id -> row of a live card of a stale file
    claims: dict[str, Old] = field(default_factory=dict)  # id -> row of a live claim (resume replaced only)
    projects: set[str] = field(default_factory=set)  # live project ids
    facts: set[str] = field(default_factory=set)
    stories: dict[str, Old] = field(default_factory=dict)
    decks: dict[str, tuple[str, int]] = field(default_factory=dict)  # every live deck: id -> (file, position)
    # table -> id -> row, for every row (live or archived) under an id of the new items
    rows: dict[str, dict[str, Old]] = field(default_factory=dict)

    @property
    def resume(self) -> bool:
        """The resume is among the files replaced: what the index holds of it follows."""
        return any(layout.kind_of(rel) == "resume" for rel in self.files)


def stale_items(db: Database, files: set[str]) -> Stale:
    out = Stale(files)
    out.decks = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, file, position FROM decks WHERE archived = 0")}
    for did, (file, _) in out.decks.items():
        if file in files:  # by deck: the cards_deck index, not a scan of every card
            sql = f"SELECT id, {OLD_COLS} FROM cards WHERE deck = ? AND file = ? AND +archived = 0"  # + : not the archived index
            out.cards |= {r[0]: r[1:] for r in db.execute(sql, [did, file])}
    stories = db.execute(f"SELECT id, {OLD_COLS} FROM stories WHERE archived = 0").fetchall()  # one per file: few
    out.stories = {r[0]: r[1:] for r in stories if r[5] in files}
    if out.resume:
        out.claims = {r[0]: r[1:] for r in db.execute(f"SELECT id, {OLD_COLS} FROM claims WHERE archived = 0")}
        out.projects = {r[0] for r in db.execute("SELECT id FROM projects WHERE archived = 0")}
        out.facts = {r[0] for r in db.execute("SELECT id FROM facts")}
    return out


def check(db: Database, kb: KnowledgeBase, links: list[Link], stale: Stale) -> None:
    """Raise Fallback unless the items of `kb` (the parsed files alone) fit the index
    with `stale`'s items replaced by them: every check loader.build makes across files.
    (With the resume among them, `truth.check` has registered its facts in `kb` first.)"""
    _ids(db, kb, stale)
    _links(db, kb, links, stale)
    _removed(db, kb, stale)
    _resume(db, kb, stale)
    _cycles(db, kb, stale)
    _texts(db, kb, stale)
    _not_emptied(db, kb, stale)


def _ids(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """The new items' ids are used by no item of another file, of any kind (facts too).
    An id the stale files held already was unique last time, and no other file changed:
    only ids new to them are looked up (none when a card's text was edited)."""
    mine = {*stale.cards, *stale.stories, *(did for did, (file, _) in stale.decks.items() if file in stale.files)}
    mine |= {*stale.claims, *stale.projects, *stale.facts}  # (empty unless the resume is replaced)
    fresh = {item_id for _kind, item_id in kb.where} - mine
    for table in ("claims", "projects"):
        if ids_in(db, f"SELECT id FROM {table} WHERE archived = 0 AND id IN ({{}})", fresh):
            raise Fallback(f"an id of the parsed files is a live {table[:-1]}")
    if ids_in(db, "SELECT id FROM facts WHERE id IN ({})", fresh):
        raise Fallback("an id of the parsed files is a fact")
    if any(did in fresh and file not in stale.files for did, (file, _) in stale.decks.items()):
        raise Fallback("an id of the parsed files is another file's deck")
    for table, items, old in (("cards", kb.cards, stale.cards), ("stories", kb.stories, stale.stories)):
        # and the rows the new items take over: their own, or an archived one of the same id
        found = {r[0]: r[1:] for r in ids_in(db, f"SELECT id, {OLD_COLS} FROM {table} WHERE id IN ({{}})", fresh | (set(items) - set(old)))}
        if any(not row[1] and item_id not in old for item_id, row in found.items()):
            raise Fallback(f"an id of the parsed files is a live {table[:-1]} of another file")
        stale.rows[table] = found | {item_id: row for item_id, row in old.items() if item_id in items}
    if stale.resume:  # the rows the new claims take over: live, or archived under the same id
        stale.rows["claims"] = {r[0]: r[1:] for r in ids_in(db, f"SELECT id, {OLD_COLS} FROM claims WHERE id IN ({{}})", kb.claims)}


def _links(db: Database, kb: KnowledgeBase, links: list[Link], stale: Stale) -> None:
    """Every link of the new items names a live item: among them, or in another file."""
    wanted: dict[str, set[str]] = {"claim": set(), "project": set(), "card": set()}
    for _rel, _line, _fld, kind, target in links:
        if kind != "card" or target not in kb.cards:
            wanted[kind].add(target)
    if stale.resume:  # the claims and projects are the new resume's, not the index's
        if not (wanted["claim"] <= set(kb.claims) and wanted["project"] <= set(kb.projects)):
            raise Fallback("unknown claim or project")
        wanted["claim"], wanted["project"] = set(), set()
    for kind, table in (("claim", "claims"), ("project", "projects")):
        found = {r[0] for r in ids_in(db, f"SELECT id FROM {table} WHERE archived = 0 AND id IN ({{}})", wanted[kind])}
        if found != wanted[kind]:
            raise Fallback(f"unknown {kind}")
    found = {r[0] for r in ids_in(db, "SELECT id FROM cards WHERE archived = 0 AND id IN ({})", wanted["card"])}
    if found != wanted["card"] or found & set(stale.cards):  # a stale card not among the new ones is gone
        raise Fallback("unknown card")


def _removed(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """No card that left the parsed files is still a follow-up of another file's card."""
    gone = [i for i in stale.cards if i not in kb.cards]
    for src_type, src in ids_in(db, "SELECT src_type, src FROM links WHERE dst_type = 'card' AND dst IN ({})", gone):
        if src not in (stale.cards if src_type == "card" else stale.stories):
            raise Fallback(f"a removed card is still linked from {src_type} {src}")


def _resume(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """The new resume keeps every fact and project of the index (citations are not
    indexed, and decks name projects: the full sync finds what a removal breaks), and no
    item of another file backs a claim it dropped."""
    if not stale.resume:
        return
    from prep.kb.truth import facts_of

    if stale.facts - set(facts_of(kb.claims)) or stale.projects - set(kb.projects):
        raise Fallback("a fact or a project left the resume")
    gone = [cid for cid in stale.claims if cid not in kb.claims]
    for src_type, src in ids_in(db, "SELECT src_type, src FROM links WHERE dst_type = 'claim' AND dst IN ({})", gone):
        if src not in (stale.cards if src_type == "card" else stale.stories):
            raise Fallback(f"a removed claim is still backed by {src_type} {src}")


# Cards reachable from `starts` (origin, first card) along the follow-ups of cards outside
# the parsed files (their links in the index are current), stopping at the parsed files' cards.
_REACH = """
WITH RECURSIVE reach(origin, node) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)
    UNION
    SELECT r.origin, l.dst FROM reach r JOIN links l ON l.src_type = 'card' AND l.src = r.node AND l.rel = 'followup'
    WHERE r.node NOT IN (SELECT value FROM json_each(?2))
)
SELECT origin, node FROM reach WHERE node IN (SELECT value FROM json_each(?2))
"""


def _cycles(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """Follow-up chains still end. The index's chains had no cycle, so a new one runs
    through a new card: walk the graph of the new cards, an edge u -> v where v follows
    u directly or through other files' cards."""
    edges: dict[str, set[str]] = {cid: set() for cid in kb.cards}
    starts = []
    for cid, card in kb.cards.items():
        for nxt in card.followups:
            if nxt in kb.cards:
                edges[cid].add(nxt)
            else:
                starts.append([cid, nxt])
    if starts:
        mine = json.dumps([*kb.cards, *stale.cards])
        for origin, reached in db.execute(_REACH, [json.dumps(starts), mine]):
            if reached in kb.cards:
                edges[origin].add(reached)
            else:  # a stale card not among the new ones: _removed has refused it already
                raise Fallback("a follow-up chain reaches a removed card")
    if next(chains.cycles(edges, edges.__getitem__), None) is not None:
        raise Fallback("followup cycle")


class _FactIds:
    """The facts in the index, as a container `truth.text_errors` asks one id at a time."""

    def __init__(self, db: Database):
        self.db = db

    def __contains__(self, fid: object) -> bool:
        return self.db.execute("SELECT 1 FROM facts WHERE id = ?", [fid]).fetchone() is not None


def _texts(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """Citations name facts of the index (the resume is unchanged), spans are well formed.
    A new resume's facts: `truth.check` has checked every parsed text against them."""
    from prep.kb import truth

    if not stale.resume and truth.text_errors(kb, _FactIds(db)):
        raise Fallback("a citation or an assumption span")


def _not_emptied(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    """A sync that would leave no cards (or no stories) is the full sync's to refuse or allow."""
    for table, new, old in (("cards", kb.cards, stale.cards), ("stories", kb.stories, stale.stories)):
        if not new and db.execute(f"SELECT count(*) FROM {table} WHERE archived = 0").fetchone()[0] <= len(old):
            raise Fallback(f"no {table} would be left")
