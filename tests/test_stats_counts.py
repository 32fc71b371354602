"""`prep stats`' per-deck counts (read.stats) against the plain definition: a live card is
new with no review state, due when its state's due time has come. The counts are taken in
two cheap queries (review states, then an index of cards per deck); random states here,
including archived cards and a story sharing a card's id, must give what one LEFT JOIN of
every card with its state gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep.index import read
from prep.index.db import iso
from prep.index.sync import sync

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
PLAIN = """SELECT c.deck, count(*), sum(s.item_id IS NULL), coalesce(sum(s.due <= ?), 0)
           FROM cards c LEFT JOIN review_state s ON s.item_type = 'card' AND s.item_id = c.id
           WHERE c.archived = 0 GROUP BY c.deck ORDER BY min(c.position)"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    states=st.lists(st.tuples(st.sampled_from(["card", "story"]), st.integers(0, 7), st.integers(-3, 3)), max_size=12),
    archived=st.sets(st.integers(0, 7), max_size=3),
)
def test_per_deck_counts_are_the_plain_definition(db, kb, states, archived):
    sync(db, kb, now=NOW)
    cards = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY position")]
    db.execute("DELETE FROM review_state")
    db.execute("UPDATE cards SET archived = 0")
    for item_type, i, days in states:
        due = iso(NOW + dt.timedelta(days=days))
        db.execute(
            "INSERT OR REPLACE INTO review_state (item_type, item_id, fsrs, due, state) VALUES (?, ?, '{}', ?, 2)",
            [item_type, cards[i % len(cards)], due],
        )
    for i in archived:
        db.execute("UPDATE cards SET archived = 1 WHERE id = ?", [cards[i % len(cards)]])
    got = [(d["deck"], d["cards"], d["new"], d["due"]) for d in read.stats(db, now=NOW, lang="en")["per_deck"]]
    assert got == [tuple(r) for r in db.execute(PLAIN, [iso(NOW)])]
