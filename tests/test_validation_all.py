"""Validation reports everything at once, in sentences a YAML editor can act on."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.errors import ContentErrors
from prep.kb import loader


def errors_of(root) -> list[str]:
    with pytest.raises(ContentErrors) as exc:
        loader.load(root)
    return [str(e) for e in exc.value.errors]


def test_one_file_with_four_errors_reports_all_four_in_one_run(kb):
    # An unknown key, a bad kind, a dangling claim link, a followup cycle and a duplicate id,
    # all in one deck: before, pydantic's first two hid the other three until they were fixed.
    write(
        kb,
        "decks/mixed.yaml",
        """
        name: Mixed
        cards:
          - id: m.one
            q: one
            a: one
            followup: [m.two]
            followups: [m.two]
          - id: m.two
            q: two
            a: two
            kind: desgin
            followups: [m.one]
          - id: m.three
            q: three
            a: three
            claims: [acme.checkout-latncy]
          - id: m.three
            q: again
            a: again
        """,
    )
    errs = errors_of(kb)
    assert "decks/mixed.yaml:6: cards[0].followup: unknown key 'followup'; did you mean 'followups'?" in errs
    assert any(
        e.startswith("decks/mixed.yaml:11: cards[1].kind: 'desgin' is not a kind; use 'concept', 'design',") and e.endswith("did you mean 'design'?")
        for e in errs
    )
    assert ("decks/mixed.yaml:16: cards[2].claims[0]: unknown claim 'acme.checkout-latncy'; did you mean 'acme.checkout-latency'?") in errs
    assert any("followup cycle: " in e and "m.one" in e and "m.two" in e for e in errs)
    assert any(e.startswith("decks/mixed.yaml:17: cards[3].id: id 'm.three' is used by the card at decks/mixed.yaml:13") for e in errs)
    assert len(errs) == 5, errs


def test_cli_validate_lists_every_error_and_exits_1(kb):
    write(
        kb,
        "decks/mixed.yaml",
        """
        name: Mixed
        cards:
          - id: m.one
            q: one
            a: one
            tags: [two words]
            followups: [m.nope]
        """,
    )
    result = CliRunner().invoke(cli, ["--kb", str(kb), "validate"])
    assert result.exit_code == 1
    assert "decks/mixed.yaml:6: cards[0].tags[0]: tags cannot contain spaces: 'two words'" in result.output
    assert "decks/mixed.yaml:7: cards[0].followups[0]: unknown card 'm.nope'; did you mean 'm.one'?" in result.output
    assert "Traceback" not in result.output


def test_comma_in_flow_mapping_says_quote_the_text(kb):
    write(
        kb,
        "decks/kafka.yaml",
        """
        name: {en: Kafka, Kafka Streams and CDC}
        cards: []
        """,
    )
    (err,) = errors_of(kb)
    assert err == 'decks/kafka.yaml:1: name: a comma inside {...} split the text; quote the text: name: {en: "Kafka, Kafka Streams and CDC"}'


def test_colon_in_flow_mapping_says_quote_the_text(kb):
    write(
        kb,
        "decks/kafka.yaml",
        """
        name: {en: Kafka: the log}
        cards: []
        """,
    )
    (err,) = errors_of(kb)
    assert err.startswith("decks/kafka.yaml:1: invalid YAML:")
    assert "quote the text" in err and '{en: "..."}' in err


def test_yes_read_as_a_boolean_says_so(kb):
    write(
        kb,
        "decks/bools.yaml",
        """
        name: Bools
        cards:
          - id: b.one
            q: Is it idempotent?
            a: yes
        """,
    )
    (err,) = errors_of(kb)
    assert err.startswith("decks/bools.yaml:5: cards[0].a: was read as the boolean true")
    assert 'a: "yes"' in err


def test_plain_sentences_for_numbers_and_ids(kb):
    write(
        kb,
        "decks/words.yaml",
        """
        name: Words
        cards:
          - id: Bad Id
            q: q
            a: a
          - id: w.two
            q: q
            a: a
            difficulty: hard
        """,
    )
    errs = errors_of(kb)
    assert "decks/words.yaml:3: cards[0].id: ids are lowercase letters, digits and . _ - (e.g. 'meican.scheduler'); got 'Bad Id'" in errs
    assert "decks/words.yaml:9: cards[1].difficulty: must be a whole number, got 'hard'" in errs
    assert not any("String should match" in e or "Input should" in e for e in errs)


def test_broken_claim_keeps_the_others_and_their_links(kb):
    # A bad risk on one claim must not turn every card that backs another claim into a dangling link.
    path = kb / "stories/resume.yaml"
    path.write_text(path.read_text().replace("risk: high", "risk: hihg"))
    errs = errors_of(kb)
    assert len(errs) == 1, errs
    assert "did you mean 'high'?" in errs[0]


def test_resume_unknown_key_suggests(kb):
    path = kb / "stories/resume.yaml"
    path.write_text(path.read_text().replace("    period:", "    peroid:"))
    (err,) = errors_of(kb)
    assert err.endswith("unknown key 'peroid'; did you mean 'period'?")


def test_english_kb_typos_all_reported_with_suggestions_in_one_run(tmp_path):
    # The new user's session: three typos in twenty cards, one run of `prep validate`.
    import shutil
    from pathlib import Path

    root = tmp_path / "northwind"
    shutil.copytree(Path(__file__).parent / "data" / "northwind", root)
    deck = root / "decks/cdc.yaml"
    lines = deck.read_text().split("\n")
    lines[13] = lines[13].replace("northwind.cdc", "northwind.cdcc")  # a dangling claim link
    lines[14] = lines[14].replace("concept", "concpt")  # a bad kind
    lines[16] = lines[16].replace("followups:", "followup:")  # a misspelt key
    deck.write_text("\n".join(lines))
    result = CliRunner().invoke(cli, ["--kb", str(root), "validate"])
    assert result.exit_code == 1
    out = result.output
    assert "decks/cdc.yaml:14: cards[0].claims[0]: unknown claim 'northwind.cdcc'; did you mean 'northwind.cdc'?" in out
    assert "decks/cdc.yaml:15: cards[0].kind: 'concpt' is not a kind" in out and "did you mean 'concept'?" in out
    assert "decks/cdc.yaml:17: cards[0].followup: unknown key 'followup'; did you mean 'followups'?" in out
    assert "3 errors" in out
