"""Search: FTS5 with the trigram tokenizer finds Chinese substrings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from prep.index import read, search
from prep.index.sync import sync


def test_cjk_substring_finds_card(db, kb, now):
    sync(db, kb, now=now)
    ids = [r["id"] for r in read.search(db, "时间轮")]
    assert sorted(ids) == ["tw.basic", "tw.hier"]
    assert [r["id"] for r in read.search(db, "环形数组")] == ["tw.basic"]


def test_short_cjk_term_falls_back_to_like(db, kb, now):
    sync(db, kb, now=now)
    assert [r["id"] for r in read.search(db, "溢出")] == ["tw.hier"]


def test_terms_are_anded_and_typed(db, kb, now):
    sync(db, kb, now=now)
    assert [r["id"] for r in read.search(db, "Kafka overflowWheel")] == ["tw.hier"]
    assert read.search(db, "Kafka nonexistentword") == []
    types = {r["type"] for r in read.search(db, "p99", types=("story",))}
    assert types == {"story"}


def test_quotes_and_fts_syntax_are_literal(db, kb, now):
    sync(db, kb, now=now)
    # FTS5 operators in user input are searched for as text: no error, and no match here
    for q in ['"unbalanced', "AND OR NOT", "a*", "(x", "NEAR(", "100%"]:
        assert read.search(db, q) == [], q
    # ...while a quoted phrase still finds its words in order
    assert [r["id"] for r in read.search(db, '"Kafka 的 overflowWheel"')] == ["tw.hier"]


def test_latin_terms_match_whole_words_only(db, kb, now):
    (kb / "decks/ops.yaml").write_text(
        "name: Ops\nproject: acme\ncards:\n"
        "  - id: ops.heartbeat\n    q: How does the heartbeat detect a dead worker?\n    a: A lease renewed every 10 s.\n"
        "  - id: ops.tb\n    q: How do you move 2 TB a day?\n    a: Micro-batches of TB-scale data, 每日TB级.\n"
        "  - id: ops.cjk\n    q: 心跳怎么判定 worker 挂了？\n    a: 续租。\n",
        encoding="utf-8",
    )
    sync(db, kb, now=now)
    assert [r["id"] for r in read.search(db, "TB")] == ["ops.tb"]  # not hear-tb-eat
    assert [r["id"] for r in read.search(db, "tb")] == ["ops.tb"]  # case-insensitive
    assert [r["id"] for r in read.search(db, "heart")] == []  # a Latin term is a whole word
    assert [r["id"] for r in read.search(db, "heartbeat")] == ["ops.heartbeat"]
    assert sorted(r["id"] for r in read.search(db, "worker")) == ["ops.cjk", "ops.heartbeat"]  # next to CJK is a word edge
    assert [r["id"] for r in read.search(db, "心跳")] == ["ops.cjk"]  # CJK stays a substring
    assert [r["id"] for r in read.search(db, "判定")] == ["ops.cjk"]


def test_a_claims_snippet_is_its_matching_text_not_its_tech_list(db, kb, now):
    sync(db, kb, now=now)
    claim = next(r for r in read.search(db, "checkout", types=("claim",)))
    assert "checkout" in claim["snippet"].lower()
    s, e = claim["marks"][0]
    assert claim["snippet"][s:e].lower() == "checkout"


def test_a_long_story_snippet_is_cut_around_the_hit_and_marked(db, kb, now):
    story = kb / "stories" / "checkout-latency.md"
    filler = " ".join(f"word{i}" for i in range(400))
    story.write_text(story.read_text(encoding="utf-8").replace("## Result\n", f"## Result\n{filler} zanzibar {filler}\n", 1), encoding="utf-8")
    sync(db, kb, now=now)
    (hit,) = read.search(db, "zanzibar")
    assert hit["type"] == "story" and len(hit["snippet"]) <= 80
    assert hit["snippet"].startswith("…") and hit["snippet"].endswith("…")
    ((s, e),) = hit["marks"]
    assert hit["snippet"][s:e] == "zanzibar"
    assert re.match(r"…word\d+ ", hit["snippet"]) and re.search(r" word\d+…$", hit["snippet"])  # whole words at both cuts
    from prep.index.search import highlighted

    assert "[zanzibar]" in highlighted(hit)


def test_cli_search_marks_the_hit(kb):
    from click.testing import CliRunner

    from prep.cli import cli

    result = CliRunner().invoke(cli, ["--kb", str(kb), "search", "Kafka"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "[Kafka]" in result.output


def test_hit_titles_are_in_the_asked_language(db, kb, now):
    sync(db, kb, now=now)
    titles = {lang: {r["id"]: r["title"] for r in read.search(db, "时间轮", lang=lang)} for lang in ("zh", "en")}
    assert titles["zh"]["tw.basic"] == "什么是时间轮？"
    assert titles["en"]["tw.basic"] == "What is a timing wheel?"


def test_snippets_read_as_text_not_markup(tmp_path):
    """A hit's snippet shows a cited fact's words and no Markdown or span markers."""
    from prep.index.db import open_db
    from prep.index.sync import sync
    from prep.kb.scaffold import scaffold

    root = tmp_path / "kbs"
    scaffold(root)
    deck = root / "decks" / "cite.yaml"
    deck.write_text(
        "name: Cite\ncards:\n  - id: cite.one\n    q: How fast is checkout now?\n"
        "    a: |\n      **Checkout** is {{fact:acme.checkout-latency.p99}} since [the March rewrite]{.assumed}.\n"
        "    claims: [acme.checkout-latency]\n",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "s.db")
    sync(db, root)
    (hit,) = [h for h in read.search(db, "Checkout rewrite", lang="en") if h["id"] == "cite.one"]
    assert "{{" not in hit["snippet"] and "**" not in hit["snippet"] and "{.assumed}" not in hit["snippet"]
    assert hit["snippet"].startswith("Checkout is checkout p99 at peak fell from 800 ms to 120 ms")


_ALPHABET = st.sampled_from(list("goGOkafKé_1 .-的对(+"))


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=4), st.text(_ALPHABET, max_size=30))
def test_a_latin_word_is_found_where_a_word_boundary_check_finds_it(term, text):
    """term_pattern checks the left edge after the word's text (the faster form); it must find
    exactly what the plain `(?<![L])term(?![L])` reading of "a whole word" finds."""
    latin = search._LATIN
    left = f"(?<![{latin}])" if re.match(f"[{latin}]", term[0]) else ""
    right = f"(?![{latin}])" if re.match(f"[{latin}]", term[-1]) else ""
    if search.has_cjk(term):  # a term with Chinese in it is a substring
        left = right = ""
    plain = re.compile(left + re.escape(term) + right, re.IGNORECASE)
    got = search.term_pattern(term).search(text)
    want = plain.search(text)
    assert (got and got.span()) == (want and want.span())
