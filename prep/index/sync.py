"""Index a knowledge base folder into the database, incrementally and all-or-nothing.

Every command that reads content calls `sync` first, so it must be nearly free when
nothing changed (a `stat` per file). When something did change, only changed files
are parsed; the whole knowledge base is then checked, and the index is written in
one transaction only if there is no error: a broken edit never touches the database.
(After an edit of a few files, prep.index.incremental checks them against the index
instead of re-checking every file, and steps aside for this full check on any doubt.)
Items are matched by id, so an edited card keeps its history; a card that disappears
is archived (history kept) and comes back if its id returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from prep.errors import ContentErrors, PrepError
from prep.index import batches, card_ids
from prep.index.conn import Database
from prep.index.db import dumps, get_meta, iso, set_meta, utcnow
from prep.index.read import remember_link_counts
from prep.kb import layout
from prep.kb.vocab import count, say

if TYPE_CHECKING:
    from prep.kb.loader import KnowledgeBase, Parsed


# What a sync says, in the reader's language (`prep sync`, and the hints every command prints).
WORDS: dict[str, dict[str, str]] = {
    "up_to_date": {"zh": "已是最新", "en": "up to date"},
    "summary": {
        "zh": "解析了 {files} 个文件；新增 {added}，更新 {updated}，归档 {archived}，恢复 {restored}",
        "en": "parsed {parsed}; {added} added, {updated} updated, {archived} archived, {restored} restored",
    },
    "archived": {
        "zh": "{items}已归档，共有 {total} 次复习记录：{ids}{more}；如果是改了 id，`prep mv {first} NEW` 会把记录带回来",
        "en": "{items} archived with {reviews}: {ids}{more}; if you renamed {which}, `prep mv {first} NEW` brings its history back",
    },
}


@dataclass
class SyncResult:
    kb: Path
    unchanged: bool = False
    parsed: list[str] = field(default_factory=list)  # files actually parsed this time
    added: int = 0
    updated: int = 0
    archived: int = 0
    restored: int = 0
    # (kind, id, reviews) of archived items that had a history: maybe a renamed id.
    archived_history: list[tuple[str, str, int]] = field(default_factory=list)
    # How the knowledge base was checked: "none" (nothing changed), "incremental" (the
    # changed files, against the index: prep.index.incremental) or "full" (every file).
    checked: Literal["none", "incremental", "full"] = "none"

    def hints(self, lang: str = "en") -> list[str]:
        """What the user should hear about archived items that had a history."""
        out = []
        for kind in ("card", "story"):
            items = [(i, n) for k, i, n in self.archived_history if k == kind]
            if not items:
                continue
            total = sum(n for _, n in items)
            out.append(
                say(
                    WORDS,
                    "archived",
                    lang,
                    items=count(len(items), kind, lang),
                    total=total,
                    reviews=count(total, "review"),
                    ids=", ".join(i for i, _ in items[:5]),
                    more=" ..." if len(items) > 5 else "",
                    which="it" if len(items) == 1 else "one",
                    first=items[0][0],
                )
            )
        return out

    def summary(self, lang: str = "en") -> str:
        if self.unchanged:
            return say(WORDS, "up_to_date", lang)
        n = {"added": self.added, "updated": self.updated, "archived": self.archived, "restored": self.restored}
        return say(WORDS, "summary", lang, files=len(self.parsed), parsed=count(len(self.parsed), "file"), **n)


def _sha1(data: bytes) -> str:
    import hashlib  # the slow path only: every command runs the warm one

    return hashlib.sha1(data).hexdigest()


def sync(db: Database, root: Path, *, now=None, force: bool = False, allow_empty: bool = False) -> SyncResult:
    root = Path(root).resolve()
    kb_key = str(root)
    now = now or utcnow()
    result = SyncResult(kb=root)
    rels = layout.list_files(root)
    stats = {}
    for rel in rels:
        st = (root / rel).stat()
        stats[rel] = (st.st_mtime_ns, st.st_size)
    # The warm path reads stat columns only: the cached parses (tens of MB at 100k cards)
    # are fetched below, and only when something changed.
    seen = {row[0]: (row[1], row[2]) for row in db.execute("SELECT path, mtime_ns, size FROM files WHERE kb = ?", [kb_key])}
    same_kb = get_meta(db, "kb") == kb_key
    rebuild_search = get_meta(db, "search_stale") == "1"
    if not force and not rebuild_search and same_kb and seen == stats:
        result.unchanged = True
        return result
    if not force and not rebuild_search and same_kb:
        from prep.index.incremental import resync  # only now: the warm path above imports nothing more

        with no_gc():  # the content models' import and one deck's parse: no cycles to collect
            done = resync(db, root, kb_key, rels, stats, now=now)
        if done is not None:
            return done
    cached = {row[0]: row for row in db.execute("SELECT path, kind, mtime_ns, size, sha1, raw, lines FROM files WHERE kb = ?", [kb_key])}

    with no_gc():
        scan = _Scan(root, kb_key, rels, stats, cached, now, force, rebuild_search, allow_empty)
        return _sync_changed(db, scan, result)


@contextlib.contextmanager
def no_gc():
    """Parsing allocates millions of small objects that all stay alive; the cyclic GC
    would rescan them again and again (a third of a 50k-card sync). Nothing here makes
    cycles worth collecting mid-way."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Scan:
    """What the cheap pass (a stat per file) found, for the slow path to act on."""

    root: Path
    kb_key: str
    rels: list[str]  # the content files, relative to root
    stats: dict[str, tuple[int, int]]  # rel -> (mtime_ns, size)
    cached: dict[str, Any]  # rel -> its files row (the parse cache)
    now: dt.datetime
    force: bool  # re-parse every file
    rebuild_search: bool
    allow_empty: bool  # allow a sync that archives every card or story


def _parse_all(db: Database, scan: _Scan, result: SyncResult) -> list[Parsed]:
    """Every file validated: the changed ones parsed (their cache rows kept aside in a temp
    table until the sync commits), the others from the parse cache."""
    root, kb_key, rels, stats = scan.root, scan.kb_key, scan.rels, scan.stats
    cached: Any = scan.cached  # sqlite rows, read by position below
    # Content models (pydantic) and the YAML parser are needed only now that a file changed.
    from prep.kb import loader, yamlsrc
    from prep.kb.loader import Parsed

    parsed: list[Parsed] = []
    # Parse-cache rows wait in a per-connection temp table until the whole knowledge base
    # validates: at 50k cards they are ~40 MB of JSON better kept out of the Python heap.
    db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS pending_files AS SELECT * FROM main.files WHERE 0")
    db.conn.execute("DELETE FROM temp.pending_files")
    pending = "INSERT INTO temp.pending_files (kb, path, kind, mtime_ns, size, sha1, raw, lines) VALUES (?,?,?,?,?,?,?,?)"
    limit = yamlsrc.MAX_FILE_BYTES
    for rel in rels:
        row = cached.get(rel)
        # A symlink that leaves the knowledge base is re-checked every time (and refused).
        again = scan.force or loader.outside(root, rel) is not None
        fresh = not (row and (row[2], row[3]) == stats[rel]) or again
        if fresh:
            data = (root / rel).read_bytes() if stats[rel][1] <= limit else None
            sha = _sha1(data) if data is not None else ""
            # Touched but not edited: keep the parse, refresh the stat.
            fresh = not (row and row[4] == sha) or again
        if not fresh:
            p = Parsed(rel, row[1], json.loads(row[5]), json.loads(row[6]), [])
            loader.check(p)
            p.raw = None
            parsed.append(p)
            if (row[2], row[3]) != stats[rel]:
                db.conn.execute(pending, (kb_key, rel, p.kind, *stats[rel], sha, row[5], row[6]))
            continue
        p = loader.parse_file(root, rel, data)
        result.parsed.append(rel)
        loader.check(p)
        # Keep the cache row as text and free the parse: dicts cost several times more.
        p.lines = loader.link_lines(p.lines)
        db.conn.execute(pending, (kb_key, rel, p.kind, *stats[rel], sha, dumps(p.raw), json.dumps(p.lines)))
        p.raw = None
        parsed.append(p)
    return parsed


def _sync_changed(db: Database, scan: _Scan, result: SyncResult) -> SyncResult:
    root, kb_key, rels, now = scan.root, scan.kb_key, scan.rels, scan.now
    force, rebuild_search, allow_empty = scan.force, scan.rebuild_search, scan.allow_empty
    result.checked = "full"
    parsed = _parse_all(db, scan, result)
    from prep.kb import loader

    kb, errors = loader.build(root, parsed)
    if errors:
        db.conn.execute("DELETE FROM temp.pending_files")
        raise ContentErrors(errors)
    if not allow_empty:
        _refuse_emptying(db, kb, root)
    from prep.index.rows import write_index

    big = len(kb.cards) + len(kb.stories) + len(kb.claims) > batches.BATCH_ITEMS
    with batches.Batches(db, batched=big) as batch:
        if big:  # until the last batch commits, the index is not the files' (prep.index.incremental)
            set_meta(db, "index_complete", "0")
            card_ids.forget(db)  # nor are the kept card lists the cards table's: a draw reads the table
        # Files parsed now are rewritten; the rest carry their rows over (same content hash).
        # (All rewritten when another knowledge base was indexed last: its rows may share ids.)
        rewrite = None if (force or rebuild_search or get_meta(db, "kb") != kb_key) else set(result.parsed)
        write_index(db, kb, iso(now), result, rebuild_search=rebuild_search, tick=batch.tick, fresh=rewrite)
        set_meta(db, "skills", dumps(kb.resume.skills))  # the resume's skills line, for the audit
        # The parse cache last: a sync interrupted between batches is redone by the next one.
        db.conn.execute("DELETE FROM files WHERE kb = ? AND path NOT IN ({})".format(",".join("?" * len(rels))), [kb_key, *rels])
        last = db.conn.execute("SELECT coalesce(max(rowid), 0) FROM temp.pending_files").fetchone()[0]
        for start in range(0, last + 1, 20):  # ~40 MB at 50k cards: in slices, between batches
            batch.tick()
            db.conn.execute("INSERT OR REPLACE INTO main.files SELECT * FROM temp.pending_files WHERE rowid BETWEEN ? AND ?", [start, start + 19])
        db.conn.execute("DELETE FROM temp.pending_files")
        set_meta(db, "kb", kb_key)
        set_meta(db, "search_stale", "0")
        set_meta(db, "index_complete", "1")  # the index is exactly these files (an older prep never said so)
        # Lets content-only derived results (the audit summary) be cached until the next change.
        version = str(int(get_meta(db, "content_version", "0")) + 1)
        set_meta(db, "content_version", version)
        remember_link_counts(db, version)
        card_ids.remember(db, version)
    return result


def _refuse_emptying(db: Database, kb: KnowledgeBase, root: Path) -> None:
    """A knowledge base whose cards (or stories) all vanished is far more likely a moved or
    half-copied folder than a decision: archiving everything would hide the whole history."""
    for table, item_type, items, folder in (("cards", "card", kb.cards, "decks"), ("stories", "story", kb.stories, "stories")):
        if items:
            continue
        live, reviewed = db.execute(
            f"""SELECT count(*), count(DISTINCT l.item_id) FROM {table} t
                LEFT JOIN review_log l ON l.item_type = ? AND l.item_id = t.id WHERE t.archived = 0""",
            [item_type],
        ).fetchone()
        if live:
            raise PrepError(
                f"{root}: {folder}/ has no {table} now (missing or empty), so syncing would archive {count(live, item_type)}"
                f" ({reviewed} with reviews). Nothing was changed; if you meant it, run `prep sync --allow-empty`."
            )
