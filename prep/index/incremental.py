"""Resync after an edit of a few files, without reading the rest of the knowledge base.

The full sync (prep.index.sync) checks every file again: at 50k cards it json-loaded
~40 MB of cached parses and validated them all to learn that one answer changed (1.7 s,
270 MB). Here only the files whose bytes changed are parsed and validated; what they
must agree with in the other files is checked against the index (prep.index.crosscheck),
and the index is written as the full sync would write it, in one transaction.

It steps aside (returns None, and the full sync runs) whenever it cannot plainly show
the change is right: any error (the full sync names them all, with file and line), a
resume that drops a fact or a project (citations are not indexed: only reading every
file finds the texts that cite it) or is deleted, many files changed, a symbolic link
leaving the knowledge base, or an index that is not this knowledge base's last
complete sync. An edited resume is otherwise checked like any file: its claims,
projects and facts replace the index's, and the other files' links to them are looked
up there. A slow error costs a second; a wrong accept would break the promise that
what you study is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prep.index import card_ids, crosscheck, rows
from prep.index.conn import Database
from prep.index.crosscheck import Fallback, Stale
from prep.index.db import LONG_WAIT_S, dumps, get_meta, iso, set_meta, transaction
from prep.index.facts import write_facts
from prep.index.read import remember_link_counts
from prep.index.sync import SyncResult
from prep.kb import layout

if TYPE_CHECKING:
    from prep.kb.loader import KnowledgeBase, Parsed

MIN_FILES = 10  # this many changed files always take the fast path...
SHARE = 10  # ... and up to one file in SHARE of a larger knowledge base
# SQLite's page cache while a resync runs, in KiB (the default is 2000). A resync reads
# each page once (the edited deck's cached parse and its cards' rows, mostly overflow
# pages) and writes a few: a full cache buys no speed and was 1.5 MB of a 40 MB peak.
RESYNC_CACHE_KIB = 256


@dataclass
class Plan:
    """Which files changed since the index was written, by their bytes."""

    kb_key: str
    version: str | None  # content_version when the files table was read
    parsed: list[str] = field(default_factory=list)  # new or edited, in list order
    data: dict[str, bytes] = field(default_factory=dict)
    sha: dict[str, str] = field(default_factory=dict)
    touched: list[str] = field(default_factory=list)  # stat changed, bytes did not
    removed: list[str] = field(default_factory=list)


def resync(db: Database, root: Path, kb_key: str, rels: list[str], stats: dict[str, tuple[int, int]], now: dt.datetime) -> SyncResult | None:
    """Sync the changed files of the knowledge base at `root` incrementally; None when
    the full sync must run instead (nothing was written then)."""
    plan = _plan(db, root, kb_key, rels, stats)
    if plan is None:
        return None
    result = SyncResult(kb=root, parsed=list(plan.parsed), checked="incremental")
    try:
        parsed = _parse(root, plan)
        with _small_page_cache(db), transaction(db, wait=LONG_WAIT_S):
            if _state(db, kb_key) != ("0", plan.version):  # another sync or `prep mv` came in between
                raise Fallback("the index changed meanwhile")
            files = {*plan.parsed, *plan.removed}
            cards_before = card_ids.of_files(db, files)
            same_backing = not files or _apply(db, root, parsed, plan, iso(now), result)
            cards_after = card_ids.of_files(db, files)
            _write_files(db, kb_key, stats, plan, parsed)
            version = str(int(plan.version or "0") + 1)
            set_meta(db, "content_version", version)
            remember_link_counts(db, version, (plan.version or "0") if same_backing else None)
            card_ids.remember(db, version, plan.version or "0", cards_before - cards_after, cards_after - cards_before)
    except sqlite3.Error:  # busy, full, read-only: the full sync would meet it too (and wait as long again)
        raise
    except Exception:  # a Fallback, or anything unforeseen: never worse than the full sync, which runs now
        return None
    return result


@contextmanager
def _small_page_cache(db: Database) -> Iterator[None]:
    """The page cache held to RESYNC_CACHE_KIB, and given back as it was: the command
    that resynced goes on to read with it (pages dropped are read again from the OS)."""
    was = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-RESYNC_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(was)}")


def _state(db: Database, kb_key: str) -> tuple[str, str | None] | None:
    """("0", content_version) when the index is this knowledge base's last complete sync."""
    if get_meta(db, "kb") != kb_key or get_meta(db, "search_stale") == "1" or get_meta(db, "index_complete") != "1":
        return None
    return "0", get_meta(db, "content_version")


def _plan(db: Database, root: Path, kb_key: str, rels: list[str], stats: dict[str, tuple[int, int]]) -> Plan | None:
    state = _state(db, kb_key)
    if state is None:
        return None
    plan = Plan(kb_key, version=state[1])
    files = {r[0]: r[1:] for r in db.execute("SELECT path, mtime_ns, size, sha1 FROM files WHERE kb = ?", [kb_key])}
    plan.removed = [rel for rel in files if rel not in stats]
    changed = [rel for rel in rels if files.get(rel, (None, None))[:2] != stats[rel]]
    if len(changed) + len(plan.removed) > max(MIN_FILES, len(rels) // SHARE):
        return None
    if any(layout.kind_of(rel) == "resume" for rel in plan.removed) or _leaves(root, rels):
        return None
    if changed:
        from prep.kb.yamlsrc import MAX_FILE_BYTES

        if any(stats[rel][1] > MAX_FILE_BYTES for rel in changed):
            return None
    for rel in changed:
        data = (root / rel).read_bytes()
        sha = hashlib.sha1(data).hexdigest()
        if rel in files and files[rel][2] == sha:
            plan.touched.append(rel)
            continue
        plan.parsed.append(rel)
        plan.data[rel], plan.sha[rel] = data, sha
    return plan


def _leaves(root: Path, rels: list[str]) -> bool:
    """Whether a content file is a symbolic link out of the knowledge base (the full sync
    refuses it, every time). Only links are resolved: a plain path under root stays in."""
    folders = {folder for folder in ("stories", "decks") if (root / folder).is_symlink()}
    return any(layout.outside(root, rel) is not None for rel in rels if rel.split("/")[0] in folders or (root / rel).is_symlink())


def _parse(root: Path, plan: Plan) -> list[Parsed]:
    """Parse and validate the new or edited files; any error in one is the full sync's to report."""
    if not plan.parsed:
        return []
    from prep.kb import loader

    parsed = []
    for rel in plan.parsed:
        p = loader.parse_file(root, rel, plan.data.pop(rel))
        loader.check(p)
        if p.errors or p.model is None:
            raise Fallback(f"{rel} has errors")
        parsed.append(p)
    return parsed


def _apply(db: Database, root: Path, parsed: list[Parsed], plan: Plan, now: str, result: SyncResult) -> bool:
    """Check the parsed files against the index, then write their items; whether every
    claim is backed by the same items as before (an answer edited, say)."""
    from prep.kb import loader

    kb, links, errors = loader.collect(root, parsed)
    if errors:
        raise Fallback("ids used twice among the parsed files")
    stale = crosscheck.stale_items(db, {*plan.parsed, *plan.removed})
    if stale.resume:
        from prep.kb import truth

        if truth.check(kb, parsed):  # registers the facts; clashes, citations against them
            raise Fallback("a fact, a citation or an assumption span")
    crosscheck.check(db, kb, links, stale)
    conn = db.conn
    rewritten = _write_cards(db, kb, stale, now, result, _unedited(db, plan.kb_key, parsed))
    rewritten += _write_stories(db, kb, stale, now, result)
    _write_decks(db, kb, stale)
    if stale.resume:
        _write_resume(db, kb, stale, now, result)
    return not rows.write_links(conn, kb, rewritten, lambda: None)


def _write_resume(db: Database, kb: KnowledgeBase, stale: Stale, now: str, result: SyncResult) -> None:
    """Claims, projects and facts: all from the resume, so written from it whole, as the
    full sync writes them; a claim it dropped is archived."""
    for pos, cid in enumerate(kb.claims):
        rows.write_item(db.conn, "claims", rows.item_row(kb, "claims", cid, pos), stale.rows["claims"].get(cid), now, result)
    gone = sorted((row[2], cid) for cid, row in stale.claims.items() if cid not in kb.claims)
    rows.archive(db.conn, "claims", [(cid, rowid) for rowid, cid in gone], result, lambda: None)  # claims make no links
    rows.write_projects(db.conn, kb)
    write_facts(db.conn, kb)
    set_meta(db, "skills", dumps(kb.resume.skills))


def _file_order(kb: KnowledgeBase, kind: str, items: Iterable[str]) -> dict[str, list[str]]:
    """file -> the ids of `kind` it holds, in their order there."""
    out: dict[str, list[str]] = {}
    for item_id in items:
        out.setdefault(kb.where[(kind, item_id)][0], []).append(item_id)
    return out


def _write(db: Database, table: str, row: dict, old: rows.Old | None, now: str, result: SyncResult, relinked: list[tuple[str, str]]) -> None:
    """Write one item as the full sync does; its links are written again only if its
    content (which holds its links) changed: an edit of one card rewrites one card's links."""
    if old is None or old[1] or old[0] != row["hash"]:
        relinked.append(("story" if table == "stories" else "card", row["id"]))
    rows.write_item(db.conn, table, row, old, now, result)


def _unedited(db: Database, kb_key: str, parsed: list[Parsed]) -> set[str]:
    """The cards of the parsed decks written exactly as before (by the cached parse of the
    same file): the same raw data validates to the same card, so its row is the same
    unless it moved. Spares building 500 rows to find the one card edited."""
    out: set[str] = set()
    for p in parsed:
        row = db.execute("SELECT raw FROM files WHERE kb = ? AND path = ?", [kb_key, p.rel]).fetchone() if p.kind == "deck" else None
        before = json.loads(row[0]) if row else None
        if not (isinstance(before, dict) and isinstance(p.raw, dict)):
            continue
        # `==` first (it is in C), then the types: equal values of another type (1, 1.0, true)
        # are not the same card. Dumping both sides as JSON to compare was 1000 calls a deck.
        old = {c.get("id"): c for c in before.get("cards") or [] if isinstance(c, dict)}
        out |= {c["id"] for c in p.raw.get("cards") or [] if isinstance(c, dict) and _same(old.get(c.get("id")), c)}
    return out


def _same(old, new) -> bool:
    """Whether two JSON values are equal and of the same types throughout."""
    return old == new and _types_agree(old, new)


def _types_agree(a, b) -> bool:
    # a == b already: a string equals only a string, so strings need no look
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        return all(type(v) is str or _types_agree(v, b[k]) for k, v in a.items())
    if kind is list:
        return all(type(x) is str or _types_agree(x, y) for x, y in zip(a, b, strict=True))
    return kind is not float or repr(a) == repr(b)  # -0.0 == 0.0


def _write_cards(db: Database, kb: KnowledgeBase, stale: Stale, now: str, result: SyncResult, unedited: set[str]) -> list[tuple[str, str]]:
    """The parsed files' cards written, the stale files' other cards archived, and every
    card's place kept: a card's position is its index among all cards, in file order."""
    new = _file_order(kb, "card", kb.cards)
    old: dict[str, list[tuple[int, str]]] = {}
    for cid, row in stale.cards.items():
        old.setdefault(row[4], []).append((row[3], cid))
    base = {file: min(old[file])[0] for file in new if file in old}
    if any(len(new.get(file, ())) != len(old.get(file, ())) for file in stale.files):
        base = _shift_cards(db, stale, {file: len(ids) for file, ids in new.items()})
    out: list[tuple[str, str]] = []
    for file, ids in new.items():
        for i, cid in enumerate(ids):
            was = stale.rows["cards"].get(cid)
            if cid in unedited and cid in stale.cards and was is not None and (was[3], was[4], was[5]) == (base[file] + i, *kb.where[("card", cid)]):
                continue  # the same card at the same place: the full sync would find its row the same
            _write(db, "cards", rows.item_row(kb, "cards", cid, base[file] + i), was, now, result, out)
    gone = sorted((row[2], cid) for cid, row in stale.cards.items() if cid not in kb.cards)
    return out + rows.archive(db.conn, "cards", [(cid, rowid) for rowid, cid in gone], result, lambda: None)


def _shift_cards(db: Database, stale: Stale, new_counts: dict[str, int]) -> dict[str, int]:
    """When the parsed files hold more or fewer cards than before, every later file's cards
    move: shift them, and return where each parsed file's cards now start."""
    counts = dict(db.execute("SELECT deck, count(*) FROM cards WHERE archived = 0 GROUP BY deck").fetchall())
    live = {file: (did, counts.get(did, 0)) for did, (file, _) in stale.decks.items()}  # every deck file the index holds
    old_base, at = {}, 0
    for file in sorted(live):
        old_base[file], at = at, at + live[file][1]
    base, at = {}, 0
    for file in sorted({*(f for f in live if f not in stale.files), *new_counts}):
        if file in new_counts:
            base[file], at = at, at + new_counts[file]
            continue
        did, n = live[file]
        if at != old_base[file]:
            db.execute("UPDATE cards SET position = position + ? WHERE deck = ? AND file = ? AND archived = 0", [at - old_base[file], did, file])
        at += n
    return base


def _write_stories(db: Database, kb: KnowledgeBase, stale: Stale, now: str, result: SyncResult) -> list[tuple[str, str]]:
    """Stories, one a file, in file order (the table is small: positions recomputed)."""
    others = [(r[1], r[0], r[2]) for r in db.execute("SELECT id, file, position FROM stories WHERE archived = 0") if r[1] not in stale.files]
    order = sorted([*others, *((kb.where[("story", sid)][0], sid, None) for sid in kb.stories)], key=lambda t: t[0])
    out: list[tuple[str, str]] = []
    for pos, (_file, sid, was) in enumerate(order):
        if sid not in kb.stories:
            if was != pos:
                db.execute("UPDATE stories SET position = ? WHERE id = ?", [pos, sid])
            continue
        _write(db, "stories", rows.item_row(kb, "stories", sid, pos), stale.rows["stories"].get(sid), now, result, out)
    gone = sorted((row[2], sid) for sid, row in stale.stories.items() if sid not in kb.stories)
    return out + rows.archive(db.conn, "stories", [(sid, rowid) for rowid, sid in gone], result, lambda: None)


def _write_decks(db: Database, kb: KnowledgeBase, stale: Stale) -> None:
    others = [(file, did, pos) for did, (file, pos) in stale.decks.items() if file not in stale.files]
    order = sorted([*others, *((kb.where[("deck", did)][0], did, None) for did in kb.decks)], key=lambda t: t[0])
    for pos, (file, did, was) in enumerate(order):
        if did in kb.decks:
            rows.write_deck(db.conn, did, kb.decks[did], pos, file)
        elif was != pos:
            db.execute("UPDATE decks SET position = ? WHERE id = ?", [pos, did])
    for did, (file, _) in stale.decks.items():
        if file in stale.files and did not in kb.decks:
            db.execute("UPDATE decks SET archived = 1 WHERE id = ?", [did])


def _write_files(db: Database, kb_key: str, stats: dict[str, tuple[int, int]], plan: Plan, parsed: list[Parsed]) -> None:
    """The parse cache, for the changed files only (the full sync reads it back)."""
    for p in parsed:
        from prep.kb.loader import link_lines  # loaded already: p was parsed

        db.execute(
            "INSERT OR REPLACE INTO files (kb, path, kind, mtime_ns, size, sha1, raw, lines) VALUES (?,?,?,?,?,?,?,?)",
            [kb_key, p.rel, p.kind, *stats[p.rel], plan.sha[p.rel], dumps(p.raw), json.dumps(link_lines(p.lines))],
        )
    for rel in plan.touched:
        db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE kb = ? AND path = ?", [*stats[rel], kb_key, rel])
    for rel in plan.removed:
        db.execute("DELETE FROM files WHERE kb = ? AND path = ?", [kb_key, rel])
