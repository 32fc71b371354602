"""How many cards and stories back each claim (`prep.index.read.link_counts`): counted by
the sync that writes the links and kept in meta beside its content version, so a draw or
the dashboard does not walk every link; a database without them is counted on read, and a
read never writes (the TUI's prefetch would take that for another process's answer)."""

from __future__ import annotations

import os

from conftest import write

from prep.index.db import get_meta
from prep.index.read import LINK_COUNTS, LINK_COUNTS_VERSION, link_counts
from prep.index.sync import sync

CLAIM = "acme.checkout-latency"


def _counted(db) -> dict[tuple[str, str], int]:
    sql = "SELECT dst, src_type, count(*) FROM links WHERE dst_type = 'claim' AND rel = 'backs' GROUP BY dst, src_type"
    return {(d, t): n for d, t, n in db.execute(sql)}


def test_the_sync_keeps_the_counts_and_an_edit_counts_them_again(db, kb):
    sync(db, kb)
    first = link_counts(db)
    assert first == _counted(db) and first[(CLAIM, "card")] >= 2
    assert get_meta(db, LINK_COUNTS_VERSION) == get_meta(db, "content_version")
    # the kept value is what is read: a wrong one under the current version would show
    db.execute('UPDATE meta SET value = \'[["x", "card", 7]]\' WHERE key = ?', [LINK_COUNTS])
    assert link_counts(db) == {("x", "card"): 7}

    write(kb, "decks/extra.yaml", "name: Extra\ncards:\n  - id: extra.one\n    q: What?\n    a: That.\n    claims: [acme.checkout-latency]\n")
    sync(db, kb)
    after = link_counts(db)
    assert after == _counted(db)
    assert after[(CLAIM, "card")] == first[(CLAIM, "card")] + 1
    assert get_meta(db, LINK_COUNTS_VERSION) == get_meta(db, "content_version")


def test_a_touched_file_keeps_the_counts_and_a_database_without_them_is_counted(db, kb):
    sync(db, kb)
    version = get_meta(db, "content_version")
    deck = kb / "decks" / "time-wheel.yaml"
    os.utime(deck, ns=(deck.stat().st_atime_ns, deck.stat().st_mtime_ns + 10**9))  # same bytes
    sync(db, kb)
    assert get_meta(db, "content_version") != version
    assert get_meta(db, LINK_COUNTS_VERSION) == get_meta(db, "content_version")
    assert link_counts(db) == _counted(db)

    db.execute("DELETE FROM meta WHERE key IN (?, ?)", [LINK_COUNTS, LINK_COUNTS_VERSION])  # synced by an older prep
    assert link_counts(db) == _counted(db)
    assert get_meta(db, LINK_COUNTS) is None  # counted, not written


def _edit(kb, old: str, new: str) -> None:
    deck = kb / "decks" / "time-wheel.yaml"
    text = deck.read_text(encoding="utf-8")
    assert old in text
    deck.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_that_keeps_the_backing_keeps_the_counts_and_one_that_changes_it_counts_again(db, kb):
    sync(db, kb)
    first = link_counts(db)
    # a kept value under the current version is carried over, not counted again: this one shows
    db.execute('UPDATE meta SET value = \'[["x", "card", 7]]\' WHERE key = ?', [LINK_COUNTS])
    _edit(kb, "放到上层轮。", "放到上层轮（改）。")
    assert sync(db, kb).checked == "incremental"
    assert link_counts(db) == {("x", "card"): 7}
    assert get_meta(db, LINK_COUNTS_VERSION) == get_meta(db, "content_version")

    _edit(kb, "    claims: [acme.checkout-latency]\n    kind: design", "    claims: []\n    kind: design")
    assert sync(db, kb).checked == "incremental"
    assert link_counts(db) == _counted(db)
    assert link_counts(db)[(CLAIM, "card")] == first[(CLAIM, "card")] - 1
