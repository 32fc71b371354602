"""Incremental sync: unchanged files are not re-parsed, ids keep history, nothing is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write

from prep.errors import ContentErrors
from prep.index import read
from prep.index.sync import sync
from prep.kb import loader


@pytest.fixture
def parse_calls(monkeypatch):
    calls = []
    real = loader.parse_file

    def counting(root, rel, *args):
        calls.append(rel)
        return real(root, rel, *args)

    monkeypatch.setattr(loader, "parse_file", counting)
    return calls


def dump(db) -> list:
    return [list(db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()) for t in ("files", "cards", "stories", "claims", "links", "meta")]


def test_first_sync_then_nothing_to_do(db, kb, parse_calls, now):
    first = sync(db, kb, now=now)
    assert sorted(parse_calls) == ["decks/performance.yaml", "decks/time-wheel.yaml", "stories/checkout-latency.md", "stories/resume.yaml"]
    assert first.added == 6  # 4 cards + 1 story + 1 claim
    parse_calls.clear()
    second = sync(db, kb, now=now)
    assert second.unchanged and parse_calls == []


def test_only_changed_file_is_parsed(db, kb, parse_calls, now):
    sync(db, kb, now=now)
    parse_calls.clear()
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("分层时间轮如何处理溢出？", "分层时间轮如何处理任务溢出？"), encoding="utf-8")
    result = sync(db, kb, now=now + dt.timedelta(hours=1))
    assert parse_calls == ["decks/time-wheel.yaml"]
    assert (result.added, result.updated, result.archived) == (0, 1, 0)


def test_touched_but_identical_file_is_not_reparsed(db, kb, parse_calls, now):
    import os

    sync(db, kb, now=now)
    parse_calls.clear()
    path = kb / "decks/time-wheel.yaml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    result = sync(db, kb, now=now)
    assert parse_calls == [] and not result.unchanged and result.updated == 0
    assert sync(db, kb, now=now).unchanged


def test_edit_keeps_id_history_and_marks_change(db, kb, now):
    sync(db, kb, now=now)
    db.execute("INSERT INTO review_log (item_type, item_id, reviewed_at, rating) VALUES ('card', 'tw.hier', ?, 3)", [now.isoformat()])
    db.conn.commit() if db.conn.in_transaction else None
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("overflowWheel", "overflowWheel（上层轮）"), encoding="utf-8")
    later = now + dt.timedelta(days=1)
    sync(db, kb, now=later)
    card = read.show(db, "tw.hier")
    assert "上层轮" in card["a"]
    assert len(card["history"]) == 1 and card["history"][0]["rating"] == 3
    assert card["changed_at"].startswith("2026-11-25")
    untouched = read.show(db, "tw.basic")
    assert untouched["changed_at"].startswith("2026-11-24")


def test_removed_card_is_archived_and_restored(db, kb, now):
    sync(db, kb, now=now)
    db.execute("INSERT INTO review_log (item_type, item_id, reviewed_at, rating) VALUES ('card', 'perf.measure', ?, 4)", [now.isoformat()])
    deck = kb / "decks/performance.yaml"
    original = deck.read_text()
    without = original[: original.index("  - id: perf.measure")]
    deck.write_text(without.replace("followups: [perf.measure]", "followups: []"))
    result = sync(db, kb, now=now)
    assert result.archived == 1
    assert [c["id"] for c in read.list_cards(db, archived=True)] == ["perf.measure"]
    assert "perf.measure" not in [c["id"] for c in read.list_cards(db)]
    assert read.search(db, "120 ms") == [] or all(r["id"] != "perf.measure" for r in read.search(db, "120 ms"))
    deck.write_text(original)
    result = sync(db, kb, now=now)
    assert result.restored == 1
    card = read.show(db, "perf.measure")
    assert not card["archived"] and card["history"][0]["rating"] == 4
    assert any(r["id"] == "perf.measure" for r in read.search(db, "120 ms"))


def test_content_error_leaves_db_untouched(db, kb, now):
    sync(db, kb, now=now)
    before = dump(db)
    write(kb, "decks/broken.yaml", "name: x\ncards:\n  - id: a\n    q: only a question\n")
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("分层", "分层分层"), encoding="utf-8")
    with pytest.raises(ContentErrors) as exc:
        sync(db, kb, now=now)
    assert [str(e) for e in exc.value.errors] == ["decks/broken.yaml:3: cards[0].a: required field is missing"]
    assert dump(db) == before


def test_card_moving_between_decks_keeps_identity(db, kb, now):
    sync(db, kb, now=now)
    path = kb / "decks/time-wheel.yaml"
    text = path.read_text()
    start = text.index("  - id: tw.hier")
    path.write_text(text[:start].replace("followups: [tw.hier]", "followups: []"))
    write(kb, "decks/zz-moved.yaml", "name: Moved\ncards:\n" + text[start:])
    result = sync(db, kb, now=now)
    assert result.archived == 0 and result.added == 0
    assert read.show(db, "tw.hier")["deck"] == "zz-moved"


def test_switching_knowledge_base_archives_then_restores(db, kb, tmp_path, now):
    from prep.kb.scaffold import scaffold

    sync(db, kb, now=now)
    other = tmp_path / "other"
    scaffold(other)
    result = sync(db, other, now=now)
    assert result.archived == 2  # the two time-wheel cards
    result = sync(db, kb, now=now)
    assert result.restored == 2
