"""The live cards' ids by kind and difficulty (prep.index.card_ids): kept by the sync that
writes the cards, beside its content version, so a draw need not walk every card. An
incremental sync that leaves every card's id, kind and difficulty as they were carries
them over, and one that changes some changes only their lists; lists not kept as of the
last sync are kept again whole; `prep mv` and an older prep's database fall back to the
cards table. What a draw selects is always what the table holds."""

from __future__ import annotations

import pytest
from conftest import write

from prep.index import card_ids
from prep.index.db import get_meta
from prep.index.rename import move
from prep.index.sync import sync
from prep.mock.pool import _Cards

FILTERS = [({"concept"}, 1, 5), ({"design"}, 1, 5), ({"concept", "design", "trivia"}, 1, 3), ({"design"}, 4, 4), ({"trivia"}, 1, 5)]


def _table(db, kinds: set[str], lo: int, hi: int) -> list[str]:
    marks = ",".join("?" * len(kinds))
    sql = f"SELECT id FROM cards WHERE archived = 0 AND kind IN ({marks}) AND difficulty BETWEEN ? AND ? ORDER BY id"
    return [r[0] for r in db.execute(sql, [*sorted(kinds), lo, hi])]


def _agree(db) -> None:
    """The lists are current, and each filter selects from them what the table holds."""
    assert get_meta(db, card_ids.VERSION) == get_meta(db, "content_version")
    for kinds, lo, hi in FILTERS:
        assert card_ids.kept(db, kinds, lo, hi) == _table(db, kinds, lo, hi), (kinds, lo, hi)
        assert _Cards(db).select(kinds, lo, hi) == _table(db, kinds, lo, hi)


def _edit(kb, old: str, new: str) -> None:
    deck = kb / "decks" / "time-wheel.yaml"
    text = deck.read_text(encoding="utf-8")
    assert old in text
    deck.write_text(text.replace(old, new, 1), encoding="utf-8")


def _sentinel(db) -> None:
    """A kept value under the current version is what a draw reads: this one shows."""
    db.execute("UPDATE meta SET value = 'zz.sentinel' WHERE key = ?", [f"{card_ids.PREFIX}design:4"])


ASIDE = f"{card_ids.PREFIX}no-such-kind:3"


def _aside(db) -> None:
    """A list no edit touches: kept as it is by a sync that changes only the lists of the
    cards it changed, dropped by one that keeps them all again."""
    db.execute("INSERT INTO meta (key, value) VALUES (?, 'zz.aside')", [ASIDE])


def test_the_full_sync_keeps_them_sorted_as_sqlite_sorts(db, builtin_kb):
    sync(db, builtin_kb)
    _agree(db)
    assert sum(len(_table(db, {k}, 1, 5)) for k in ("concept", "design", "defend-the-number", "behavioural", "trivia")) > 50
    _sentinel(db)
    assert card_ids.kept(db, {"design"}, 4, 4) == ["zz.sentinel"]


def test_an_answer_edit_carries_them_over(db, kb):
    sync(db, kb)
    _sentinel(db)
    _edit(kb, "放到上层轮。", "放到上层轮（改）。")
    assert sync(db, kb).checked == "incremental"
    assert get_meta(db, card_ids.VERSION) == get_meta(db, "content_version")
    assert card_ids.kept(db, {"design"}, 4, 4) == ["zz.sentinel"]  # carried, not kept again


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    kind: design\n    difficulty: 4", "    kind: design\n    difficulty: 2"),  # a difficulty
        ("    kind: design\n    difficulty: 4", "    kind: trivia\n    difficulty: 4"),  # a kind
        ("  - id: tw.hier\n", "  - id: tw.overflow\n"),  # an id (its history archived)
    ],
)
def test_an_edit_of_what_a_draw_selects_by_changes_the_lists_of_that_card(db, kb, old, new):
    sync(db, kb)
    _aside(db)
    _edit(kb, old, new)
    if "tw.overflow" in new:
        _edit(kb, "followups: [tw.hier]", "followups: [tw.overflow]")
    assert sync(db, kb).checked == "incremental"
    _agree(db)
    assert get_meta(db, ASIDE) == "zz.aside"  # changed, not kept all again


def test_lists_not_kept_as_of_the_last_sync_are_kept_again_whole(db, kb):
    sync(db, kb)
    _aside(db)
    db.execute("DELETE FROM meta WHERE key = ?", [card_ids.VERSION])  # as an older prep's sync leaves them
    _edit(kb, "    kind: design\n    difficulty: 4", "    kind: design\n    difficulty: 2")
    assert sync(db, kb).checked == "incremental"
    _agree(db)
    assert get_meta(db, ASIDE) is None


def test_an_added_or_removed_card_or_deck_changes_its_lists(db, kb):
    sync(db, kb)
    _aside(db)
    write(kb, "decks/extra.yaml", "name: Extra\ncards:\n  - id: extra.one\n    q: What?\n    a: That.\n    kind: design\n    difficulty: 4\n")
    assert sync(db, kb).checked == "incremental"
    _agree(db)
    assert "extra.one" in card_ids.kept(db, {"design"}, 4, 4)
    (kb / "decks" / "extra.yaml").unlink()
    assert sync(db, kb).checked == "incremental"
    _agree(db)
    assert "extra.one" not in card_ids.kept(db, {"design"}, 4, 4)
    assert get_meta(db, ASIDE) == "zz.aside"


def test_a_rename_forgets_them_and_an_older_database_reads_the_table(db, kb):
    sync(db, kb)
    move(db, "card", "tw.hier", "tw.overflow")
    assert card_ids.kept(db, {"design"}, 1, 5) is None
    assert _Cards(db).select({"design"}, 1, 5) == ["tw.overflow"]  # the table, renamed

    sync(db, kb)  # the files still say tw.hier: the renamed row is archived, tw.hier is back
    _agree(db)
    db.execute("DELETE FROM meta WHERE key = ?", [card_ids.VERSION])  # synced by an older prep
    assert card_ids.kept(db, {"design"}, 1, 5) is None
    assert _Cards(db).select({"design"}, 1, 5) == _table(db, {"design"}, 1, 5) == ["tw.hier"]


def test_a_sync_in_batches_forgets_them_until_its_last_batch(db, kb, monkeypatch):
    """Its batches commit one by one: a draw in between reads the cards table as it is."""
    from prep.index import batches

    sync(db, kb)
    _edit(kb, "放到上层轮。", "放到上层轮（改）。")
    db.execute("UPDATE meta SET value = '0' WHERE key = 'index_complete'")  # the full sync, in batches
    monkeypatch.setattr(batches, "BATCH_ITEMS", 0)
    seen = []
    real = batches.Batches.tick
    monkeypatch.setattr(batches.Batches, "tick", lambda self: (seen.append(card_ids.kept(db, {"design"}, 1, 5)), real(self))[1])
    assert sync(db, kb).checked == "full"
    assert seen and all(s is None for s in seen)
    _agree(db)
