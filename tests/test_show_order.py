"""`prep show` lists what backs a claim, and the cards a card follows, in the knowledge
base's order (the order of the files), as every other list does: not by id (what an index
on the links table happens to give), nor by when the links were written (a resync writes
an edited card's links again at the end of the table)."""

from __future__ import annotations

from prep.index import read
from prep.index.db import open_db
from prep.index.sync import sync


def backing(db) -> list[str]:
    view = read.show(db, "acme.checkout-latency", "en")
    return [c["id"] for c in view["cards"]] + [s["id"] for s in view["stories"]]


def test_a_claims_backing_keeps_the_kb_order_after_an_edit(kb, tmp_path):
    db = open_db(tmp_path / "prep.db")
    sync(db, kb)
    before = backing(db)
    assert before == ["perf.p99", "perf.measure", "tw.basic", "tw.hier", "checkout-latency"]
    deck = kb / "decks" / "performance.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("The latency 99% of requests", "The latency 99 in 100 requests", 1), encoding="utf-8")
    result = sync(db, kb)
    assert result.checked == "incremental"
    assert db.execute("SELECT src FROM links WHERE rel = 'backs' ORDER BY rowid DESC LIMIT 1").fetchone()[0] == "perf.p99"  # rewritten last
    assert backing(db) == before


def test_a_cards_followers_are_in_kb_order(kb, tmp_path):
    deck = kb / "decks" / "time-wheel.yaml"
    later = "  - id: aa.later\n    q: Later?\n    a: Yes.\n    followups: [perf.measure]\n"
    deck.write_text(deck.read_text(encoding="utf-8") + later, encoding="utf-8")
    db = open_db(tmp_path / "prep.db")
    sync(db, kb)
    assert read.show(db, "perf.measure", "en")["followup_of"] == ["perf.p99", "aa.later"]  # not by id
    perf = kb / "decks" / "performance.yaml"
    perf.write_text(perf.read_text(encoding="utf-8").replace("The latency 99% of requests", "The latency 99 in 100 requests", 1), encoding="utf-8")
    assert sync(db, kb).checked == "incremental"
    assert read.show(db, "perf.measure", "en")["followup_of"] == ["perf.p99", "aa.later"]
