"""`prep.index.db.loads`, the one decoder of stored JSON, calls json's C scanner directly
for speed; it must answer exactly as json.loads does, for stored values and for junk."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from prep.index.db import dumps, loads

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=10,
)


def outcome(f, s):
    try:
        return ("ok", f(s))
    except ValueError as e:  # JSONDecodeError: the same message, position included
        return ("error", str(e))


@settings(max_examples=300, deadline=None)
@given(values)
def test_stored_values_decode_as_with_json_loads(value):
    assert loads(dumps(value)) == json.loads(dumps(value))


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.text(max_size=12), values.map(lambda v: " " + json.dumps(v) + "\n"), st.sampled_from(["[1,", '"a"x', "nul", "-", "{}x", " 1", "1 "]))
)
def test_any_text_decodes_or_fails_as_with_json_loads(text):
    expected = outcome(json.loads, text) if text else ("ok", None)
    got = outcome(loads, text)
    if expected[0] == "ok" and isinstance(expected[1], float) and math.isnan(expected[1]):
        assert got[0] == "ok" and math.isnan(got[1])
    else:
        assert got == expected
