"""The draw's sampler (prep.mock.pool.Candidates): bisecting cumulative weights and
rejecting by an acceptance factor draws each free item with probability proportional
to weight x acceptance, and never a taken one."""

from __future__ import annotations

import random
from collections import Counter
from itertools import accumulate

from prep.mock.pool import Candidates


def test_pick_follows_weight_times_acceptance():
    ids = ["a", "b", "c", "d"]
    weights = [1.0, 2.0, 3.0, 4.0]
    accept = {"a": 1.0, "b": 0.5, "c": 0.0, "d": 0.25}  # c is taken
    cands = Candidates(ids, list(accumulate(weights)))
    rng = random.Random(7)
    counts = Counter(cands.pick(rng, accept.__getitem__) for _ in range(20_000))
    assert counts["c"] == 0
    target = {i: w * accept[i] for i, w in zip(ids, weights, strict=True)}
    total = sum(target.values())
    for i in ("a", "b", "d"):
        assert abs(counts[i] / 20_000 - target[i] / total) < 0.02, (i, counts)


def test_pick_falls_back_to_an_exact_pass_when_almost_everything_is_taken():
    ids = [f"x{i}" for i in range(1000)]
    cands = Candidates(ids, list(accumulate([1.0] * 1000)))
    only = {"x999"}
    rng = random.Random(1)
    assert {cands.pick(rng, lambda i: 1.0 if i in only else 0.0) for _ in range(20)} == {"x999"}
    assert cands.pick(rng, lambda i: 0.0) is None
    assert Candidates([], []).pick(rng, lambda i: 1.0) is None


def test_select_gives_the_live_cards_of_a_filter_sorted_as_sqlite_sorts_them(db, builtin_kb):
    from prep.index import card_ids
    from prep.index.sync import sync
    from prep.mock.pool import _Cards

    sync(db, builtin_kb)
    # archived cards stay out; ids with '-', '.', '_' and digits test the order of the join
    db.execute("UPDATE cards SET archived = 1 WHERE id IN (SELECT id FROM cards ORDER BY id DESC LIMIT 5)")
    card_ids.forget(db)  # written behind the sync's back: the lists it kept are not current (tests/test_card_ids.py)
    kinds_of = [{"concept"}, {"design", "trivia"}, {"concept", "design", "defend-the-number", "trivia"}, {"no-such-kind"}]
    seen = 0
    for kinds in kinds_of:
        for lo, hi in [(1, 5), (2, 3), (4, 4)]:
            marks = ",".join("?" * len(kinds))
            sql = f"SELECT id FROM cards WHERE archived = 0 AND kind IN ({marks}) AND difficulty BETWEEN ? AND ? ORDER BY id"
            expected = [r[0] for r in db.execute(sql, [*sorted(kinds), lo, hi])]
            assert _Cards(db).select(kinds, lo, hi) == expected
            seen += len(expected)
    assert seen > 50  # the built-in KB has cards of these kinds
    assert _Cards(db).select({"no-such-kind"}, 1, 5) == []
