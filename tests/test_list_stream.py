"""`prep list cards --json` streams (issue 15): the same text as one dump, without the list in memory."""

from __future__ import annotations

import json

from click.testing import CliRunner

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
