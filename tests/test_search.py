"""Search: FTS5 with the trigram tokenizer finds Chinese substrings."""

from __future__ import annotations

from prep.index import read
from prep.index.sync import sync


def test_cjk_substring_finds_card(db, kb, now):
    sync(db, kb, now=now)
    ids = [r["id"] for r in read.search(db, "时间轮")]
    assert ids[:2] == ["tw.basic", "tw.hier"] or set(ids) >= {"tw.basic", "tw.hier"}
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
    # FTS5 operators in user input must not raise
    for q in ['"unbalanced', "AND OR NOT", "a*", "(x", "NEAR(", "100%"]:
        read.search(db, q)
