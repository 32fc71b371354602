"""`prep new card|claim|story`: the item lands in the right file, commented, and validates."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.kb import loader


def run(kb, *args):
    return CliRunner().invoke(cli, ["--kb", str(kb), "--lang", "en", *args])


def test_new_card_appends_to_the_deck_keeping_the_file(kb):
    deck = kb / "decks/time-wheel.yaml"
    before = deck.read_text()
    result = run(kb, "new", "card", "--deck", "time-wheel", "--claim", "acme.checkout-latency", "tw.cascade")
    assert result.exit_code == 0, result.output
    after = deck.read_text()
    assert after.startswith(before) and "  - id: tw.cascade" in after and "# concept | design" in after
    loaded = loader.load(kb)
    assert loaded.card_deck["tw.cascade"] == "time-wheel"
    assert loaded.cards["tw.cascade"].claims == ["acme.checkout-latency"]
    line = next(n for n, text in enumerate(after.split("\n"), 1) if text.startswith("  - id: tw.cascade"))
    assert f"added card 'tw.cascade' at decks/time-wheel.yaml:{line}" in result.output


def test_new_card_into_an_empty_deck(kb):
    write(kb, "decks/empty.yaml", "name: Empty  # nothing yet\ncards: []\n")
    assert run(kb, "new", "card", "--deck", "empty", "e.one").exit_code == 0
    assert "name: Empty  # nothing yet" in (kb / "decks/empty.yaml").read_text()
    assert loader.load(kb).card_deck["e.one"] == "empty"


def test_new_claim_goes_into_its_project_not_the_last_one(kb):
    path = kb / "stories/resume.yaml"
    path.write_text(path.read_text() + "  - id: beta\n    company: Beta\n")
    result = run(kb, "new", "claim", "--project", "acme", "acme.new-claim")
    assert result.exit_code == 0, result.output
    loaded = loader.load(kb)
    assert loaded.claim_project["acme.new-claim"] == "acme"
    assert run(kb, "new", "claim", "--project", "beta", "beta.first").exit_code == 0
    assert loader.load(kb).claim_project["beta.first"] == "beta"
    assert "company: Beta" in path.read_text()


def test_new_story_gets_its_own_file(kb):
    result = run(kb, "new", "story", "--claim", "acme.checkout-latency", "acme.story-two")
    assert result.exit_code == 0, result.output
    text = (kb / "stories/acme.story-two.md").read_text()
    assert "## Situation" in text and "lang: en" in text
    assert loader.load(kb).stories["acme.story-two"].claims == ["acme.checkout-latency"]


def test_new_refuses_bad_and_taken_ids_with_suggestions(kb):
    files = {p: p.read_text() for p in (kb / "decks").iterdir()}
    assert "already exists: the card at decks/time-wheel.yaml:4" in run(kb, "new", "card", "--deck", "time-wheel", "tw.basic").output
    assert "did you mean 'time-wheel'?" in run(kb, "new", "card", "--deck", "time-whel", "x.y").output
    assert "not an id" in run(kb, "new", "card", "--deck", "time-wheel", "Bad Id").output
    assert "did you mean 'acme.checkout-latency'?" in run(kb, "new", "story", "--claim", "acme.checkout-latncy", "s.x").output
    assert run(kb, "new", "card", "tw.x").exit_code == 1  # no deck named
    assert {p: p.read_text() for p in files} == files
