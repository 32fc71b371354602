"""The CLI through click's CliRunner, and the start-up cost of `prep --help`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def all_commands(group=cli, prefix=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


def test_every_command_has_help():
    commands = list(all_commands())
    assert len(commands) >= 9
    for path, cmd in commands:
        assert cmd.help and cmd.help.strip(), f"prep {' '.join(path)} has no help"
        result = run(*path, "--help")
        assert "Usage:" in result.output
        first_words = " ".join(cmd.help.split()[:4])
        assert first_words in " ".join(result.output.split())


def test_help_does_not_import_heavy_modules():
    # loaded from a file: the stand-in for pydantic's plugin loader (prep.cli.main) is not pydantic
    code = "import sys; from prep.cli import main; sys.argv=['prep','--help']\ntry: main()\nexcept SystemExit: pass\nprint(sorted(m for m, mod in sys.modules.items() if m.split('.')[0] in ('textual','genanki','anki','fsrs','sqlite_utils','pydantic','yaml') and getattr(mod, '__file__', None)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_validate_ok_and_errors(kb):
    result = run("--kb", str(kb), "validate")
    assert "OK: 1 claim, 1 story, 4 cards in 2 decks." in result.output
    (kb / "decks/bad.yaml").write_text("name: x\nwrong: 1\ncards:\n  - id: a\n")
    result = run("--kb", str(kb), "validate", ok=False)
    assert result.exit_code == 1
    assert "decks/bad.yaml:2: wrong: unknown key 'wrong'" in result.output
    assert "decks/bad.yaml:4: cards[0].q: required field is missing" in result.output
    assert "3 errors" in result.output
    result = run("--kb", str(kb), "validate", "--json", ok=False)
    errors = json.loads(result.stdout)
    assert {"file": "decks/bad.yaml", "line": 2, "field": "wrong", "message": "unknown key 'wrong'"} in errors


def test_content_error_in_any_command_exits_1_and_keeps_db(kb, prep_home):
    run("--kb", str(kb), "sync")
    (kb / "decks/bad.yaml").write_text("name: [\n")
    db_file = kb_db_file(prep_home, kb)

    def dump():
        # the logical content: the file's bytes may change when SQLite checkpoints its WAL
        conn = sqlite3.connect(db_file)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    before = dump()
    for args in (["list"], ["stats"], ["search", "p99"], ["sync"]):
        result = run("--kb", str(kb), *args, ok=False)
        assert result.exit_code == 1 and "decks/bad.yaml:" in result.output
    assert dump() == before


def test_list_show_search_stats_json(kb):
    cards = json.loads(run("--kb", str(kb), "list", "--json").stdout)
    assert [c["id"] for c in cards] == ["perf.p99", "perf.measure", "tw.basic", "tw.hier"]

    def first_q(*args):
        return json.loads(run("--kb", str(kb), *args, "list", "cards", "--deck", "time-wheel", "--json").stdout)[0]["q"]

    assert first_q("--lang", "zh") == "什么是时间轮？"
    en = json.loads(run("--kb", str(kb), "--lang", "en", "list", "cards", "--deck", "time-wheel", "--json").stdout)
    assert en[0]["q"] == "What is a timing wheel?" and en[1]["q"] == "分层时间轮如何处理溢出？"  # falls back
    assert [c["id"] for c in json.loads(run("--kb", str(kb), "list", "--kind", "design", "--json").stdout)] == ["tw.hier"]
    assert [c["id"] for c in json.loads(run("--kb", str(kb), "list", "--tag", "timer", "--json").stdout)] == ["tw.basic"]
    claims = json.loads(run("--kb", str(kb), "list", "claims", "--json").stdout)
    assert [(c["id"], c["cards"], c["stories"]) for c in claims] == [("acme.checkout-latency", 4, 1)]
    stories = json.loads(run("--kb", str(kb), "list", "stories", "--claim", "acme.checkout-latency", "--json").stdout)
    assert [s["id"] for s in stories] == ["checkout-latency"]
    shown = json.loads(run("--kb", str(kb), "show", "tw.basic", "--json").stdout)
    assert shown["type"] == "card" and shown["followups"][0]["id"] == "tw.hier" and "```go" in shown["a"]
    text = run("--kb", str(kb), "show", "acme.checkout-latency").output
    assert "Stories (1):" in text and "Cards (4):" in text
    found = json.loads(run("--kb", str(kb), "search", "时间轮", "--json").stdout)
    assert isinstance(found, list) and {"tw.basic", "tw.hier"} <= {r["id"] for r in found}
    stats = json.loads(run("--kb", str(kb), "stats", "--json").stdout)
    assert (stats["cards"], stats["new"], stats["due"]) == (4, 4, 0)
    assert [d["deck"] for d in stats["per_deck"]] == ["performance", "time-wheel"]


def test_a_card_with_a_claims_id_is_refused_and_the_claim_stays_reachable(kb):
    run("--kb", str(kb), "sync")
    (kb / "decks/zz-dup.yaml").write_text("name: Dup\ncards:\n  - id: acme.checkout-latency\n    q: again\n    a: again\n")
    result = run("--kb", str(kb), "validate", ok=False)
    assert result.exit_code == 1
    assert "is used by the claim at stories/resume.yaml:" in result.output
    assert "and the card at decks/zz-dup.yaml:3" in result.output
    # every command refuses the content: no command shows the card in the claim's place
    shown = run("--kb", str(kb), "show", "acme.checkout-latency", ok=False)
    assert shown.exit_code == 1 and "and the card at decks/zz-dup.yaml:3" in shown.output
    (kb / "decks/zz-dup.yaml").unlink()
    shown = json.loads(run("--kb", str(kb), "show", "acme.checkout-latency", "--json").stdout)
    assert shown["type"] == "claim"


def test_validate_checks_profiles_and_profile_has_a_schema(kb):
    import jsonschema
    import yaml

    (kb / "profiles").mkdir()
    good = "title: {en: Quick}\nminutes: 10\nslots:\n  - kind: card\n    count: 2\n"
    (kb / "profiles" / "quick.yaml").write_text(good, encoding="utf-8")
    run("--kb", str(kb), "validate")
    schema = json.loads(run("schema", "profile").stdout)
    jsonschema.validate(yaml.load(good, Loader=yaml.CSafeLoader), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"slots": [{"kind": "quiz"}]}, schema)
    (kb / "profiles" / "quick.yaml").write_text("title: Quick\nslots:\n  - kind: card\n    cont: 2\n", encoding="utf-8")
    result = run("--kb", str(kb), "validate", ok=False)
    assert result.exit_code == 1 and "profiles/quick.yaml:4: slots[0].cont: unknown key 'cont'" in result.output


def test_show_unknown_id(kb):
    result = run("--kb", str(kb), "show", "nope", ok=False)
    assert result.exit_code == 1 and "no card, story, claim, project or deck has the id 'nope'" in result.output


def test_init_creates_valid_kb_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine"
    result = run("init", str(target))
    assert "created" in result.output
    assert "OK:" in run("--kb", str(target), "validate").output
    result = run("init", str(target), ok=False)
    assert result.exit_code == 1 and "not overwriting" in result.output


def test_schema_validates_sample_files(tmp_path, kb):
    import jsonschema
    import yaml

    schema = json.loads(run("schema", "deck").stdout)
    deck = yaml.load((kb / "decks/time-wheel.yaml").read_text(), Loader=yaml.CSafeLoader)
    jsonschema.validate(deck, schema)
    deck["cards"][0]["bogus"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(deck, schema)
    resume_schema = json.loads(run("schema", "resume").stdout)
    jsonschema.validate(yaml.load((kb / "stories/resume.yaml").read_text(), Loader=yaml.CSafeLoader), resume_schema)
    written = run("schema", "--out", str(tmp_path / "s")).output.split()
    assert sorted(p.rsplit("/", 1)[1] for p in written) == ["deck.schema.json", "profile.schema.json", "resume.schema.json", "story.schema.json"]


def test_kb_discovery_order(tmp_path, kb, monkeypatch):
    from prep.paths import builtin_kb, find_kb

    nested = kb / "decks"
    assert find_kb(cwd=nested).path == kb.resolve()
    assert find_kb(cwd=tmp_path).reason == "built-in"
    assert find_kb(cwd=tmp_path).path == builtin_kb()
    monkeypatch.setenv("PREP_KB", str(kb))
    assert find_kb(cwd=tmp_path).reason == "PREP_KB"
    other = tmp_path / "other"
    (other / "decks").mkdir(parents=True)
    assert find_kb(str(other), cwd=tmp_path).path == other.resolve()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("--kb", str(empty), "sync", ok=False)
    assert result.exit_code == 1 and "not a knowledge base" in result.output and "prep init" in result.output
    result = run("--kb", str(tmp_path / "missing"), "list", ok=False)
    assert result.exit_code == 1 and "no such folder" in result.output


def test_db_option_and_prep_home(kb, tmp_path, prep_home):
    run("--kb", str(kb), "--db", str(tmp_path / "custom.db"), "sync")
    assert (tmp_path / "custom.db").exists()
    assert not kb_db_file(prep_home, kb).exists()
    run("--kb", str(kb), "sync")
    assert kb_db_file(prep_home, kb).exists()
    assert not (prep_home / "prep.db").exists()  # the shared file of old versions is never created


def test_config_sets_and_validates(kb):
    assert "desired_retention = 0.9" in run("config").output
    assert run("config", "desired_retention", "0.85").output.strip() == "desired_retention = 0.85"
    assert run("config", "desired_retention").output.strip() == "0.85"
    assert run("config", "new_per_day", "5").output.strip() == "new_per_day = 5"
    for args, msg in (
        (("desired_retention", "2"), "between 0.7 and 0.99"),
        (("new_per_day", "x"), "must be a whole number"),
        (("bogus", "1"), "unknown setting"),
        (("day_start_hour", "24"), "0-23"),
    ):
        result = run("--lang", "en", "config", *args, ok=False)  # the built-in KB's errors are Chinese
        assert result.exit_code == 1 and msg in result.output


def test_show_story_sections_in_star_order(kb):
    text = run("--kb", str(kb), "show", "checkout-latency").output
    positions = [text.index(f"## {name}") for name in ("Situation", "Task", "Action", "Result", "Lessons")]
    assert positions == sorted(positions)


def test_readme_reference_is_generated_from_the_code():
    """The README's command table and key list are what the code says (else: cog -r README.md)."""
    from pathlib import Path

    from prep.cli.reference import commands_markdown
    from prep.tui.keys import help_markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert commands_markdown() in readme, "the command reference is stale: run cog -r README.md"
    assert help_markdown("en", title=False) in readme, "the key list is stale: run cog -r README.md"
    assert "`--limit INTEGER RANGE`" in commands_markdown()  # an option the hand-written table missed


def test_every_command_docstring_has_an_example():
    missing = [" ".join(path) for path, cmd in all_commands() if not isinstance(cmd, click.Group) and "Example:" not in (cmd.help or "")]
    assert missing == []


def test_counts_read_as_english():
    from prep.kb.vocab import count

    assert [count(1, "deck"), count(2, "deck"), count(0, "story"), count(1, "story"), count(3, "day")] == [
        "1 deck",
        "2 decks",
        "0 stories",
        "1 story",
        "3 days",
    ]
