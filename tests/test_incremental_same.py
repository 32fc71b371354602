"""The incremental sync keeps a card's row when its raw data is the same as at the last
sync: equal and of the same types (1, 1.0 and true are not the same card)."""

from __future__ import annotations

import json

import pytest

from prep.index.incremental import _same


@pytest.mark.parametrize(
    ("old", "new"),
    [(1, True), (1, 1.0), (0.0, -0.0), ({"d": 1}, {"d": 1.0}), ([1, "a"], [True, "a"]), ({"q": {"en": "x"}}, {"q": {"en": "y"}}), ("a", None)],
)
def test_equal_values_of_other_types_are_not_the_same(old, new):
    assert not _same(old, new)


def test_the_same_card_read_back_from_json_is_the_same():
    card = {"id": "c", "q": {"zh": "问", "en": "Q"}, "a": "A", "difficulty": 3, "tags": ["t"], "claims": [], "x": None, "f": 1.5, "b": False}
    assert _same(json.loads(json.dumps(card)), card)
    assert not _same(None, card)
