"""The live cards' ids by kind and difficulty, kept by the sync for `prep draw`.

A draw's card slot weighs every live card of its kinds and difficulties, in id order.
Selecting their ids walks the whole cards index: 15-22 ms at 50k cards, the largest part
of a draw. Those ids change only when a sync changes content. So the sync that writes the
cards keeps them in `meta`, one sorted list per (kind, difficulty), beside its
`content_version`. It keeps the claims' link counts the same way (prep.index.read.link_counts).
A draw reads the lists it needs. A database synced by an older prep, or lists that are not
current, are read from the cards table instead. A read never writes.
"""

from __future__ import annotations

from prep.index.conn import Database
from prep.index.db import get_meta, set_meta

PREFIX = "card_ids:"  # + "<kind>:<difficulty>" -> the ids, sorted, one a line
VERSION = "card_ids_version"
_KEPT = f"substr(key, 1, {len(PREFIX)}) = '{PREFIX}'"  # not LIKE: '_' is its wildcard
_LIVE = "SELECT kind, difficulty, group_concat(id, char(10)) FROM cards WHERE archived = 0 GROUP BY kind, difficulty"


def kept(db: Database, kinds: set[str], lo: int, hi: int) -> list[str] | None:
    """The live cards of these kinds and difficulties, sorted by id; None when the kept
    lists are not the current content's (the caller reads the cards table then)."""
    # One statement, so one snapshot: the versions and the lists of the same sync, even with
    # another process syncing meanwhile (an older prep's sync moves content_version and leaves
    # the lists: the versions then differ).
    rows = dict(db.execute(f"SELECT key, value FROM meta WHERE key IN ('{VERSION}', 'content_version') OR {_KEPT}").fetchall())
    if rows.pop(VERSION, None) != rows.pop("content_version", "0"):
        return None
    parts = []
    for key, joined in rows.items():
        kind, _, difficulty = key[len(PREFIX) :].rpartition(":")
        if kind in kinds and lo <= int(difficulty) <= hi and joined:
            parts.append(joined)
    if len(parts) == 1:
        return parts[0].split("\n")  # sorted already
    ids = "\n".join(parts).split("\n") if parts else []
    ids.sort()  # sorted runs: timsort merges them
    return ids


def remember(db: Database, version: str, unchanged_since: str | None = None) -> None:
    """Keep the live cards' ids for `kept`, in the sync's transaction, as of `version`;
    `unchanged_since`: the version before a sync that left every live card's id, kind
    and difficulty as they were, whose lists, if kept, still hold."""
    if unchanged_since is not None and get_meta(db, VERSION) == unchanged_since:
        set_meta(db, VERSION, version)
        return
    db.execute(f"DELETE FROM meta WHERE {_KEPT}")
    for kind, difficulty, joined in db.execute(_LIVE).fetchall():
        # Python's order of str is SQLite's BINARY order of their UTF-8 (ids are ASCII anyway)
        ids = sorted(joined.split("\n"))
        set_meta(db, f"{PREFIX}{kind}:{difficulty}", "\n".join(ids))
    set_meta(db, VERSION, version)


def forget(db: Database) -> None:
    """The kept lists no longer hold (`prep mv` renamed a card in the cards table)."""
    db.execute("DELETE FROM meta WHERE key = ?", [VERSION])


def of_files(db: Database, files: set[str]) -> set[tuple[str, str, int]]:
    """(id, kind, difficulty) of the live cards of these files' decks: what an incremental
    sync compares before and after it writes them (the other files' cards it leaves be)."""
    decks = [r for r in db.execute("SELECT id, file FROM decks WHERE archived = 0") if r[1] in files]
    sql = "SELECT id, kind, difficulty FROM cards WHERE deck = ? AND file = ? AND +archived = 0"  # the cards_deck index
    return {row for deck in decks for row in db.execute(sql, deck)}
