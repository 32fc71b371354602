"""The item renderer shows stored codes as words of the reader's language: a claim's risk,
an answer's rating and mode (the zh detail view read "风险 medium", "Good (review)")."""

from __future__ import annotations

from prep.export.item import render
from prep.index import read
from prep.index.sync import sync
from prep.study.engine import record_answer


def test_codes_read_as_words_in_both_languages(kb, db, now, settings):
    sync(db, kb, now=now)
    record_answer(db, "card", "perf.p99", 3, now, settings=settings)
    record_answer(db, "card", "perf.p99", 1, now, mode="cram", settings=settings)
    zh_card = render(read.show(db, "perf.p99", "zh"), lang="zh")
    en_card = render(read.show(db, "perf.p99", "en"), lang="en")
    assert "良好 (复习)" in zh_card and "重来 (突击)" in zh_card and "Good" not in zh_card
    assert "Good (review)" in en_card and "Again (cram)" in en_card
    risk = read.show(db, "acme.checkout-latency", "en")["risk"]
    words = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}[risk]
    assert f"风险 {words[0]}" in render(read.show(db, "acme.checkout-latency", "zh"), lang="zh")
    assert f"risk {words[1]}" in render(read.show(db, "acme.checkout-latency", "en"), lang="en")
