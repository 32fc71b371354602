"""Content strictness: every mistake is a sentence with its real file and line, and a
knowledge base that lost its cards is not silently archived."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import write
from test_rel_db import dump

from prep.cli import cli

CARD = """
    name: Extra
    cards:
      - id: extra.one
        q: What?
        a: This.
{extra}"""


def validate(kb) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["--kb", str(kb), "validate", "--json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("extra", "line", "field", "message"),
    [
        ("        difficulty: true\n", 6, "cards[0].difficulty", "must be a whole number, got True"),
        ("        difficulty: '3'\n", 6, "cards[0].difficulty", "must be a whole number, got '3'"),
    ],
)
def test_strict_types(kb, extra, line, field, message):
    write(kb, "decks/extra.yaml", CARD.format(extra=extra))
    assert validate(kb) == (1, [{"file": "decks/extra.yaml", "line": line, "field": field, "message": message}])


@pytest.mark.parametrize("q", ["''", "'   '", "{en: ''}"])
def test_empty_text_is_refused(kb, q):
    write(kb, "decks/extra.yaml", CARD.format(extra="").replace("q: What?", f"q: {q}"))
    code, errors = validate(kb)
    assert code == 1
    assert [(e["line"], e["field"]) for e in errors] == [(4, "cards[0].q")]
    assert "must not be empty" in errors[0]["message"]


def test_a_raw_control_character_gives_its_real_line(kb):
    path = write(kb, "decks/extra.yaml", CARD.format(extra=""))
    path.write_bytes(path.read_bytes().replace(b"a: This.", b"a: This \x1b[2J."))
    assert validate(kb) == (
        1,
        [
            {
                "file": "decks/extra.yaml",
                "line": 5,
                "field": "",
                "message": 'control character U+001B is not allowed in YAML; remove it, or write it as \\u001B inside a "double-quoted" string',
            }
        ],
    )


def test_a_deck_symlinked_from_outside_is_refused(kb, tmp_path):
    outside = write(tmp_path / "elsewhere", "secret.yaml", CARD.format(extra=""))
    (kb / "decks" / "linked.yaml").symlink_to(outside)
    code, errors = validate(kb)
    assert code == 1
    assert errors == [
        {
            "file": "decks/linked.yaml",
            "line": 0,
            "field": "",
            "message": f"is a symbolic link to {outside}, outside the knowledge base; copy the file in instead",
        }
    ]
    inside = kb / "decks" / "inside.yaml"
    (kb / "decks" / "extra-target.txt").write_text(CARD.format(extra=""), encoding="utf-8")
    (kb / "decks" / "linked.yaml").unlink()
    inside.symlink_to(kb / "decks" / "extra-target.txt")  # a link that stays inside is fine
    assert validate(kb) == (0, [])


@pytest.mark.parametrize("how", ["remove", "empty"])
def test_losing_every_card_is_refused_unless_allowed(kb, tmp_path, how):
    path = tmp_path / "prep.db"
    runner = CliRunner()
    args = ["--kb", str(kb), "--db", str(path)]
    assert runner.invoke(cli, [*args, "sync"]).exit_code == 0
    assert runner.invoke(cli, [*args, "config", "new_per_day", "5"]).exit_code == 0
    before = dump(path)
    shutil.rmtree(kb / "decks")
    if how == "empty":
        (kb / "decks").mkdir()
    result = runner.invoke(cli, [*args, "sync"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {kb}: decks/ has no cards now (missing or empty), so syncing would archive 4 cards (0 with reviews)."
        " Nothing was changed; if you meant it, run `prep sync --allow-empty`."
    )
    assert runner.invoke(cli, [*args, "stats"]).exit_code == 1  # implicit syncs refuse too
    assert dump(path) == before
    result = runner.invoke(cli, [*args, "sync", "--allow-empty"])
    assert result.exit_code == 0 and "4 archived" in result.stdout
