"""What `prep new` writes validates, but its hints are not an answer: `prep validate`
notes each item still holding them, `prep audit` lists it as unfinished (and fails
`--strict`), until the text is written."""

from __future__ import annotations

import json

from click.testing import CliRunner

from prep.cli import cli
from prep.kb.placeholders import card_fields, hint, story_fields


def run(kb, *args):
    return CliRunner().invoke(cli, ["--kb", str(kb), "--lang", "en", *args])


def add_all(kb):
    for args in (
        ("card", "--deck", "time-wheel", "--claim", "acme.checkout-latency", "tw.cascade"),
        ("story", "--claim", "acme.checkout-latency", "cascade-story"),
        ("claim", "acme.cascade"),
    ):
        assert run(kb, "new", *args).exit_code == 0


def test_validate_notes_each_unfinished_item_and_passes(kb):
    add_all(kb)
    result = run(kb, "validate")
    assert result.exit_code == 0, result.output
    deck = (kb / "decks/time-wheel.yaml").read_text().split("\n")
    line = next(n for n, text in enumerate(deck, 1) if text.startswith("  - id: tw.cascade"))
    assert (
        f"note: decks/time-wheel.yaml:{line}: card tw.cascade: q, a unfinished (the hint `prep new` wrote, or a to-do); write the real text"
        in result.stderr
    )
    assert "story cascade-story: title, Situation, Task, Action, Result unfinished" in result.stderr
    assert "claim acme.cascade: text unfinished" in result.stderr


def test_audit_lists_them_and_strict_fails_until_written(kb):
    add_all(kb)
    result = run(kb, "audit", "--json")
    report = json.loads(result.output)
    assert [(u["item"], u["fields"]) for u in report["unfinished"]] == [
        ("claim acme.cascade", ["text"]),
        ("story cascade-story", ["title", "Situation", "Task", "Action", "Result"]),
        ("card tw.cascade", ["q", "a"]),
    ]
    assert report["summary"]["unfinished"] == 3
    text = run(kb, "audit").output
    assert "Unfinished (3): still the hints `prep new` wrote; write the real text" in text and "· 3 unfinished" in text
    assert run(kb, "audit", "--strict").exit_code == 1
    deck = kb / "decks/time-wheel.yaml"
    written = deck.read_text().replace(hint("card.q", "en"), "Why cascade?")
    deck.write_text(written)
    left = json.loads(run(kb, "audit", "--json").output)["unfinished"]
    assert ("card tw.cascade", ["a"]) in [(u["item"], u["fields"]) for u in left]  # the answer is still the hint
    deck.write_text(written.replace(hint("card.a", "en"), "Tasks past the wheel's span go up a level."))
    left = json.loads(run(kb, "audit", "--json").output)["unfinished"]
    assert "card tw.cascade" not in [u["item"] for u in left]


def test_a_hint_kept_beside_real_text_is_still_unfinished_but_a_title_must_be_the_hint():
    a = hint("card.a", "zh")
    assert card_fields({"zh": "真正的问题？"}, f"{a}\n补了一行") == ["a"]
    assert card_fields("How would an interviewer ask it? Really?", "done") == []
    assert story_fields({"en": "Story title"}, {"Action": {"en": "I did it."}}) == ["title"]
    assert story_fields("A story title about Kafka", {"Result": {"zh": "结果和数字。"}}) == ["Result"]


def test_a_todo_left_by_hand_is_unfinished_but_a_mention_of_todo_is_not(kb):
    deck = kb / "decks/time-wheel.yaml"
    deck.write_text(
        deck.read_text(encoding="utf-8")
        + "  - id: tw.todo\n    q: How does the wheel tick?\n    a: |\n      TODO: the numbers\n"
        + "  - id: tw.zh\n    q: {zh: 待补充, en: When does it overflow?}\n    a: Past the span, a task goes up a level.\n"
        + "  - id: tw.ctx\n    q: What context goes in?\n    a: ctx first; use `context.TODO()` when unsure. TODO-lists are not markers.\n",
        encoding="utf-8",
    )
    report = json.loads(run(kb, "audit", "--json").output)
    assert [(u["item"], u["fields"]) for u in report["unfinished"]] == [("card tw.todo", ["a"]), ("card tw.zh", ["q"])]
    assert run(kb, "audit", "--strict").exit_code == 1
    assert "card tw.todo: a" in run(kb, "audit").output
    notes = run(kb, "validate").stderr  # validate notes the same items, by the same check
    assert "card tw.todo: a unfinished" in notes and "card tw.zh: q unfinished" in notes and "tw.ctx" not in notes


def test_the_builtin_kb_has_nothing_unfinished(tmp_path):
    result = CliRunner().invoke(cli, ["audit", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["unfinished"] == []
