"""The review engine: deterministic FSRS scheduling, queue order, limits, undo, leeches, cram."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fsrs import Card, Rating, Scheduler

from prep.errors import PrepError
from prep.index.sync import sync
from prep.study import engine
from prep.study.srs import Settings, format_interval, fsrs_id


@pytest.fixture
def synced(db, kb, now):
    sync(db, kb, now=now)
    return db


def ids(queue):
    return [q.item_id for q in queue]


def test_new_cards_in_deck_order(synced, now, settings):
    assert ids(engine.build_queue(synced, now, settings)) == ["perf.p99", "perf.measure", "tw.basic", "tw.hier"]
    assert ids(engine.build_queue(synced, now, settings, deck="time-wheel")) == ["tw.basic", "tw.hier"]
    assert ids(engine.build_queue(synced, now, settings, kind="design")) == ["tw.hier"]
    assert ids(engine.build_queue(synced, now, settings, tag="timer")) == ["tw.basic"]
    assert ids(engine.build_queue(synced, now, settings, claim="acme.checkout-latency"))[:1] == ["perf.p99"]


def test_answer_matches_fsrs_exactly(synced, now, settings):
    engine.record_answer(synced, "card", "tw.basic", 3, now, settings=settings, duration_ms=4200)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(Card(card_id=fsrs_id("card", "tw.basic"), due=now), Rating.Good, review_datetime=now)
    state = engine.get_state(synced, "card", "tw.basic")
    assert json.loads(state["fsrs"]) == expected.to_dict()
    assert state["due"] == (now + dt.timedelta(minutes=10)).isoformat(timespec="microseconds")
    log = synced.execute("SELECT rating, duration_ms, mode, before FROM review_log").fetchall()
    assert log == [(3, 4200, "review", None)]


def test_due_cards_come_before_new(synced, now, settings):
    engine.record_answer(synced, "card", "tw.hier", 3, now, settings=settings)
    later = now + dt.timedelta(minutes=11)
    assert ids(engine.build_queue(synced, later, settings)) == ["tw.hier", "perf.p99", "perf.measure", "tw.basic"]
    # not yet due 5 minutes later: only new cards, tw.hier is not in the queue
    assert "tw.hier" not in ids(engine.build_queue(synced, now + dt.timedelta(minutes=5), settings))


def test_daily_limits(synced, now):
    limited = Settings(enable_fuzzing=False, new_per_day=2, max_reviews_per_day=1)
    assert ids(engine.build_queue(synced, now, limited)) == ["perf.p99", "perf.measure"]
    engine.record_answer(synced, "card", "perf.p99", 3, now, settings=limited)
    assert ids(engine.build_queue(synced, now, limited)) == ["perf.measure"]
    engine.record_answer(synced, "card", "perf.measure", 3, now, settings=limited)
    later = now + dt.timedelta(minutes=15)
    assert ids(engine.build_queue(synced, later, limited)) == []  # 2 reviews done, limit 1
    next_day = now + dt.timedelta(days=1)
    assert len(engine.build_queue(synced, next_day, limited)) == 3  # 1 review + 2 new


def test_undo_restores_exact_previous_state(synced, now, settings):
    first = engine.record_answer(synced, "card", "tw.basic", 3, now, settings=settings)
    snapshot = engine.get_state(synced, "card", "tw.basic")
    second = engine.record_answer(synced, "card", "tw.basic", 1, now + dt.timedelta(minutes=12), settings=settings)
    assert engine.get_state(synced, "card", "tw.basic") != snapshot
    assert engine.undo(synced, second) == ("card", "tw.basic")
    assert engine.get_state(synced, "card", "tw.basic") == snapshot
    engine.undo(synced, first)
    assert engine.get_state(synced, "card", "tw.basic") is None
    assert synced.execute("SELECT count(*) FROM review_log WHERE undone = 1").fetchone()[0] == 2
    with pytest.raises(PrepError, match="already undone"):
        engine.undo(synced, first)


def test_undo_refuses_to_erase_a_later_answer(synced, now, settings):
    first = engine.record_answer(synced, "card", "tw.basic", 3, now, settings=settings)
    engine.record_answer(synced, "card", "tw.basic", 3, now + dt.timedelta(minutes=11), settings=settings)
    with pytest.raises(PrepError, match="answered again"):
        engine.undo(synced, first)


def test_leech_after_eight_lapses(synced, now, settings):
    t = now
    engine.record_answer(synced, "card", "tw.basic", 4, t, settings=settings)  # straight to Review
    for i in range(8):
        t = dt.datetime.fromisoformat(engine.get_state(synced, "card", "tw.basic")["due"])
        engine.record_answer(synced, "card", "tw.basic", 1, t, settings=settings)  # lapse
        assert engine.get_state(synced, "card", "tw.basic")["leech"] == (1 if i == 7 else 0)
        t = dt.datetime.fromisoformat(engine.get_state(synced, "card", "tw.basic")["due"])
        engine.record_answer(synced, "card", "tw.basic", 3, t, settings=settings)  # relearned -> Review
    state = engine.get_state(synced, "card", "tw.basic")
    assert state["lapses"] == 8 and state["leech"] == 1


def test_cram_leaves_schedule_untouched(synced, now, settings):
    engine.record_answer(synced, "card", "tw.basic", 3, now, settings=settings)
    before = engine.get_state(synced, "card", "tw.basic")
    queue = engine.build_queue(synced, now, settings, claim="acme.checkout-latency", cram=True)
    assert set(ids(queue)) == {"perf.p99", "perf.measure", "tw.basic", "tw.hier"}
    assert ids(queue)[-1] == "tw.basic"  # the only card with any retrievability comes last
    log_id = engine.record_answer(synced, "card", "tw.basic", 1, now, mode="cram", settings=settings)
    assert engine.get_state(synced, "card", "tw.basic") == before
    assert engine.get_state(synced, "card", "perf.p99") is None
    engine.undo(synced, log_id)
    assert engine.get_state(synced, "card", "tw.basic") == before


def test_intervals_for_footer(synced, now, settings):
    labels = engine.intervals(synced, "card", "tw.basic", now, settings)
    assert labels == {1: "1m", 2: "6m", 3: "10m", 4: "8d"}


def test_format_interval():
    assert [format_interval(dt.timedelta(seconds=s)) for s in (30, 600, 7200, 3 * 86400, 45 * 86400, 800 * 86400)] == [
        "<1m",
        "10m",
        "2h",
        "3d",
        "1.5mo",
        "2.2y",
    ]


def test_naive_datetimes_are_rejected(synced, settings):
    with pytest.raises(ValueError):
        engine.record_answer(synced, "card", "tw.basic", 3, dt.datetime(2026, 1, 1), settings=settings)


def test_settings_roundtrip_and_forecast_and_streak(synced, now, settings):
    engine.save_settings(synced, Settings(desired_retention=0.85, enable_fuzzing=False))
    assert engine.load_settings(synced).desired_retention == 0.85
    engine.record_answer(synced, "card", "tw.basic", 4, now, settings=settings)
    fc = engine.forecast(synced, now, settings=settings)
    assert sum(fc) == 1 and fc[8] == 1
    assert engine.streak(synced, now, settings=settings) == 1
    engine.record_answer(synced, "card", "tw.hier", 3, now - dt.timedelta(days=1), settings=settings)
    assert engine.streak(synced, now, settings=settings) == 2
    assert engine.streak(synced, now + dt.timedelta(days=3), settings=settings) == 0


@pytest.mark.parametrize("bad", [{"desired_retention": 0.5}, {"new_per_day": -1}, {"day_start_hour": 24}])
def test_settings_refuse_values_out_of_range(bad):
    with pytest.raises(PrepError):
        Settings(**bad)
