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
    # Only the lists asked for: a draw asks once per slot filter, and the others are most ids.
    keys = [VERSION, "content_version", *(f"{PREFIX}{kind}:{d}" for kind in sorted(kinds) for d in range(lo, hi + 1))]
    rows = dict(db.execute(f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(keys))})", keys).fetchall())
    if rows.pop(VERSION, None) != rows.pop("content_version", "0"):
        return None
    parts = [joined for key, joined in sorted(rows.items()) if joined]
    if len(parts) == 1:
        return parts[0].split("\n")  # sorted already
    ids = "\n".join(parts).split("\n") if parts else []
    ids.sort()  # sorted runs: timsort merges them
    return ids


Card = tuple[str, str, int]  # (id, kind, difficulty) of a live card


def remember(db: Database, version: str, since: str | None = None, gone: set[Card] | None = None, new: set[Card] | None = None) -> None:
    """Keep the live cards' ids for `kept`, in the sync's transaction, as of `version`.

    `since`: the version before an incremental sync, which names the live cards it took
    out (`gone`) and put in (`new`). If the lists were kept as of `since`, only the lists
    of those cards' kinds and difficulties change. That costs a few ms where keeping
    them all again costs ~100 ms at 100k cards (SQLite groups every card)."""
    if since is not None and get_meta(db, VERSION) == since:
        _change(db, gone or set(), new or set())
    else:
        db.execute(f"DELETE FROM meta WHERE {_KEPT}")
        for kind, difficulty, joined in db.execute(_LIVE).fetchall():
            # Python's order of str is SQLite's BINARY order of their UTF-8 (ids are ASCII anyway)
            set_meta(db, f"{PREFIX}{kind}:{difficulty}", "\n".join(sorted(joined.split("\n"))))
    set_meta(db, VERSION, version)


def _change(db: Database, gone: set[Card], new: set[Card]) -> None:
    """The kept lists with the `gone` cards taken out and the `new` put in."""
    changes: dict[str, tuple[set[str], list[str]]] = {}
    for card_id, kind, difficulty in gone:
        changes.setdefault(f"{PREFIX}{kind}:{difficulty}", (set(), []))[0].add(card_id)
    for card_id, kind, difficulty in new:  # ids are unique among live cards: none is kept already
        changes.setdefault(f"{PREFIX}{kind}:{difficulty}", (set(), []))[1].append(card_id)
    for key, (out, into) in changes.items():
        joined = get_meta(db, key)
        ids = [i for i in joined.split("\n") if i not in out] if joined else []
        ids += into
        ids.sort()
        if ids:
            set_meta(db, key, "\n".join(ids))
        else:
            db.execute("DELETE FROM meta WHERE key = ?", [key])


def forget(db: Database) -> None:
    """The kept lists no longer hold: `prep mv` renamed a card in the cards table, or a
    sync in batches is rewriting it."""
    db.execute("DELETE FROM meta WHERE key = ?", [VERSION])


def of_files(db: Database, files: set[str]) -> set[Card]:
    """(id, kind, difficulty) of the live cards of these files' decks: what an incremental
    sync compares before and after it writes them (the other files' cards it leaves be)."""
    if not files:  # a sync of touched files only
        return set()
    decks = [r for r in db.execute("SELECT id, file FROM decks WHERE archived = 0") if r[1] in files]
    sql = "SELECT id, kind, difficulty FROM cards WHERE deck = ? AND file = ? AND +archived = 0"  # the cards_deck index
    return {row for deck in decks for row in db.execute(sql, deck)}
