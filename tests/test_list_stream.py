"""`prep list cards --json` streams (issue 15): the same text as one dump, without the list in memory."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.cli import cli
from prep.cli.base import emit_json_rows


def test_list_cards_json_streams_the_same_text_as_one_dump(kb, prep_home):
    """`list cards --json` writes row by row; the output is byte-identical to dumping the list."""
    out = CliRunner().invoke(cli, ["--kb", str(kb), "list", "cards", "--json"], catch_exceptions=False).stdout
    rows = json.loads(out)
    assert len(rows) == 4
    assert out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    empty = CliRunner().invoke(cli, ["--kb", str(kb), "list", "cards", "--json", "--deck", "time-wheel", "--kind", "trivia"])
    assert empty.stdout == "[]\n"
    assert emit_json_rows(iter([])) == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=6) | json_values, max_size=5))
def test_streamed_rows_are_byte_identical_to_json_dumps(rows):
    """The row layout written around json's C escaper is json.dumps(indent=2)'s, for any
    JSON value (control characters, CJK and quotes in strings and keys included)."""
    runner = CliRunner()

    @click.command()
    def emit():
        emit_json_rows(iter(rows))

    out = runner.invoke(emit, catch_exceptions=False).stdout
    assert out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
