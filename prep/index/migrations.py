"""The database schema, as an append-only list of migrations.

A shipped migration is never edited: users' databases hold years of review history
and are upgraded by running the ones they have not seen, in order. Add a new
function at the end instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prep.index.registry import Migrations  # sqlite_utils.Migrations, checked without importing it

if TYPE_CHECKING:
    from sqlite_utils import Database

migrations = Migrations("prep")


@migrations()
def m001_content_index(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    # Parsed-file cache: an unchanged file (same kb, path, mtime, size) is never re-parsed.
    db.execute(
        """CREATE TABLE files (
            kb TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL,
            mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, sha1 TEXT NOT NULL,
            raw TEXT NOT NULL, lines TEXT NOT NULL,
            PRIMARY KEY (kb, path))"""
    )
    db.execute(
        """CREATE TABLE projects (
            id TEXT PRIMARY KEY, position INTEGER, company TEXT, name TEXT, role TEXT,
            period TEXT, stack TEXT, before TEXT, after TEXT, archived INTEGER NOT NULL DEFAULT 0)"""
    )
    item_cols = """hash TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, changed_at TEXT NOT NULL, file TEXT, line INTEGER, position INTEGER"""
    db.execute(
        f"""CREATE TABLE claims (
            id TEXT PRIMARY KEY, project TEXT, text TEXT, en TEXT, source TEXT, before TEXT,
            numbers TEXT, tech TEXT, risk TEXT, notes TEXT, {item_cols})"""
    )
    db.execute(
        """CREATE TABLE decks (
            id TEXT PRIMARY KEY, position INTEGER, file TEXT, name TEXT, project TEXT,
            description TEXT, archived INTEGER NOT NULL DEFAULT 0)"""
    )
    db.execute(
        f"""CREATE TABLE cards (
            id TEXT PRIMARY KEY, deck TEXT, q TEXT, a TEXT, claims TEXT, tags TEXT, kind TEXT,
            difficulty INTEGER, followups TEXT, source TEXT, {item_cols})"""
    )
    db.execute(
        f"""CREATE TABLE stories (
            id TEXT PRIMARY KEY, title TEXT, claims TEXT, competencies TEXT, minutes REAL,
            tags TEXT, sections TEXT, followups TEXT, {item_cols})"""
    )
    db.execute("CREATE INDEX cards_deck ON cards(deck, position)")
    db.execute("CREATE TABLE links (src_type TEXT, src TEXT, rel TEXT, dst_type TEXT, dst TEXT)")
    db.execute("CREATE INDEX links_dst ON links(dst_type, dst)")
    db.execute("CREATE INDEX links_src ON links(src_type, src)")
    # trigram: FTS5's unicode61 tokenizer cannot split Chinese into words, trigrams find any substring.
    db.execute("CREATE VIRTUAL TABLE search USING fts5(type UNINDEXED, id UNINDEXED, title, body, tokenize='trigram')")


@migrations()
def m002_review_state(db: Database) -> None:
    # One row per reviewable item (a card, or a story's rehearsal), FSRS state as JSON.
    db.execute(
        """CREATE TABLE review_state (
            item_type TEXT NOT NULL, item_id TEXT NOT NULL,
            fsrs TEXT NOT NULL, due TEXT NOT NULL, state INTEGER NOT NULL,
            reps INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0,
            last_review TEXT, leech INTEGER NOT NULL DEFAULT 0, reviewed_hash TEXT,
            PRIMARY KEY (item_type, item_id))"""
    )
    db.execute("CREATE INDEX review_state_due ON review_state(due)")
    # Every answer ever given; `before` makes undo exact, `undone` keeps the row for audit.
    db.execute(
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY, item_type TEXT NOT NULL, item_id TEXT NOT NULL,
            reviewed_at TEXT NOT NULL, rating INTEGER NOT NULL, duration_ms INTEGER,
            mode TEXT NOT NULL DEFAULT 'review', before TEXT, after TEXT,
            undone INTEGER NOT NULL DEFAULT 0)"""
    )
    db.execute("CREATE INDEX review_log_item ON review_log(item_type, item_id, reviewed_at)")
    db.execute("CREATE INDEX review_log_time ON review_log(reviewed_at)")


@migrations()
def m003_search_rowids(db: Database) -> None:
    # Search rows became keyed by rowid = offset + the item's rowid (fast deletes). Rows
    # written before have arbitrary rowids: drop them and let the next sync rebuild the
    # index from the items, without touching their content-change times.
    db.execute("DELETE FROM search")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stale', '1')")


@migrations()
def m004_mock_sessions(db: Database) -> None:
    # A mock interview: the drawn set (JSON, so the session can be shown again exactly as
    # asked) and one self-scored row per question; scoring also writes review_log rows
    # (mode 'mock') whose ids are kept here.
    db.execute(
        """CREATE TABLE mock_sessions (
            id INTEGER PRIMARY KEY, profile TEXT NOT NULL, title TEXT, seed INTEGER, lang TEXT,
            minutes REAL, draw TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running')"""
    )
    db.execute("CREATE INDEX mock_sessions_started ON mock_sessions(started_at)")
    db.execute(
        """CREATE TABLE mock_answers (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES mock_sessions(id),
            position INTEGER NOT NULL, item_type TEXT NOT NULL, item_id TEXT NOT NULL,
            correct INTEGER NOT NULL, complete INTEGER NOT NULL, concise INTEGER NOT NULL,
            confident INTEGER NOT NULL, score REAL NOT NULL, passed INTEGER NOT NULL,
            rating INTEGER NOT NULL, followups_shown INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER, answered_at TEXT NOT NULL, log_ids TEXT,
            UNIQUE (session_id, position))"""
    )
    db.execute("CREATE INDEX mock_answers_item ON mock_answers(item_type, item_id, answered_at)")


@migrations()
def m005_card_queue_index(db: Database) -> None:
    # New cards are taken in deck order: walk an index instead of sorting 50k rows.
    db.execute("CREATE INDEX cards_queue ON cards(archived, position)")


@migrations()
def m301_iday_review_source(db: Database) -> None:
    # Where an answer was given (prep, or imported from Anki) and its id there: a
    # second import of the same Anki review must add nothing.
    db.execute("ALTER TABLE review_log ADD COLUMN source TEXT NOT NULL DEFAULT 'prep'")
    db.execute("ALTER TABLE review_log ADD COLUMN source_id TEXT")
    db.execute("CREATE UNIQUE INDEX review_log_source ON review_log(source, source_id) WHERE source_id IS NOT NULL")


@migrations()
def m302_iday_interviews(db: Database) -> None:
    # A scheduled interview: `at` is the moment (UTC); `date`/`time`/`tz` are what the
    # user typed and the time zone it meant, so the plan's days are the user's days.
    db.execute(
        """CREATE TABLE interviews (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, date TEXT NOT NULL, time TEXT, tz TEXT NOT NULL,
            company TEXT, role TEXT, profile TEXT, claims TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX interviews_at ON interviews(at)")


@migrations()
def m201_truth_facts_and_gists(db: Database) -> None:
    # Claim facts (cited as {{fact:ID}} and rendered wherever a text is shown) and card
    # gists join the content index. The next sync must write them even when no file
    # changed: mark the index stale (the same flag m003 uses).
    db.execute(
        """CREATE TABLE facts (
            id TEXT PRIMARY KEY, claim TEXT NOT NULL, text TEXT NOT NULL, figure TEXT,
            status TEXT NOT NULL, source TEXT, file TEXT, line INTEGER, position INTEGER)"""
    )
    db.execute("CREATE INDEX facts_claim ON facts(claim, position)")
    db.execute("ALTER TABLE cards ADD COLUMN gist TEXT")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stale', '1')")


@migrations()
def m401_perf_draw_index(db: Database) -> None:
    """A draw reads every live card's id, deck, kind and difficulty, and readiness what
    backs each claim: from these indexes alone, not from rows that carry whole texts."""
    db.execute("CREATE INDEX cards_draw ON cards(archived, id, deck, kind, difficulty)")
    # what backs each claim (readiness, deep-dives), from the index alone
    db.execute("CREATE INDEX links_backs ON links(rel, dst_type, dst, src_type, src)")


@migrations()
def m401_ux_figure_from_and_other_version(db: Database) -> None:
    # A figure's `before` is now `other_version`, and a figure may have a `from`: the
    # claims' stored figures must be rewritten by the next sync even if no file changed.
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stale', '1')")


@migrations()
def m501_export_html_cache(db: Database) -> None:
    # Rendered HTML of Anki exports (prep.export.html_cache), keyed by a hash of the exact
    # renderer input and the renderer's identity: an entry is never stale, only unused,
    # and the table may be emptied at any time.
    db.execute("CREATE TABLE export_html (key BLOB PRIMARY KEY, html TEXT NOT NULL)")


@migrations()
def m601_stats_deck_index(db: Database) -> None:
    """`prep stats` and the dashboard count every deck's live cards: from this index
    alone, instead of reading each card's row (85 -> 15 ms at 50k cards)."""
    db.execute("CREATE INDEX cards_decks ON cards(archived, deck, position)")


@migrations()
def m701_anki_note_mods(db: Database) -> None:
    # Each exported Anki note's content hash and the mod time it was given
    # (prep.export.note_mods): a note whose content is the same as at its last export
    # keeps its mod, so Anki leaves the user's copy alone. Lost, it costs only updates.
    db.execute("CREATE TABLE anki_notes (guid TEXT PRIMARY KEY, hash BLOB NOT NULL, mod INTEGER NOT NULL) WITHOUT ROWID")
