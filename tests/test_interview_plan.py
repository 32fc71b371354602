"""Interviews, the plan to one, and interview mode in the queue (fixed `now`, no fuzzing)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from prep.cli import cli
from prep.errors import PrepError
from prep.index.sync import sync
from prep.study import interviews, srs
from prep.study.engine import build_queue, load_settings, record_answer, save_settings
from prep.study.plan import build_plan, target_items

DAY = dt.timedelta(days=1)


@pytest.fixture
def synced(kb, db, now, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    sync(db, kb, now=now)
    save_settings(db, dataclasses.replace(load_settings(db), enable_fuzzing=False))
    return db


def _date(t: dt.datetime) -> str:
    return t.date().isoformat()


def _states(db):
    return db.execute("SELECT * FROM review_state ORDER BY item_type, item_id").fetchall()


def test_plan_five_days_ahead_on_a_fresh_kb_starts_every_claims_cards_in_time(synced, now):
    db = synced
    iv = interviews.add(db, _date(now + 5 * DAY), now, time="14:00", company="ACME")
    assert iv.at == dt.datetime.combine((now + 5 * DAY).date(), dt.time(14, 0), tzinfo=dt.UTC)
    plan = build_plan(db, now)
    assert plan is not None and [d.date for d in plan.days] == [_date(now + k * DAY) for k in range(6)]
    cards = [i for t, i in target_items(db, ()) if t == "card"]
    stories = [i for t, i in target_items(db, ()) if t == "story"]
    assert cards and stories
    # Every backing card is introduced on the first day, three days or more before the interview,
    # and learnt the same day (a learning step each), so it is reviewed again before the day.
    assert plan.days[0].new == len(cards) and sum(d.new for d in plan.days) == len(cards)
    assert plan.days[0].reviews >= len(cards) and plan.unstarted == 0
    assert plan.days[0].stories == len(stories)
    assert sum(d.reviews for d in plan.days[1:5]) >= len(cards)
    for c in plan.claims:
        assert c.today == 0.0 and c.untouched == 0.0 and c.planned > 0.5, c
    assert _states(db) == []  # a plan writes nothing


def test_card_due_after_the_interview_but_weak_on_the_day_is_pulled_forward(synced, now):
    db = synced
    lenient = dataclasses.replace(load_settings(db), desired_retention=0.7)
    for k in range(3):  # learnt a while ago at a low retention: a long interval
        record_answer(db, "card", "tw.basic", 3, now - 40 * DAY + k * 10 * dt.timedelta(minutes=1), settings=lenient)
    record_answer(db, "card", "tw.basic", 3, now - 30 * DAY, settings=lenient)
    save_settings(db, dataclasses.replace(load_settings(db), desired_retention=0.95))  # aiming higher for the interview
    settings = load_settings(db)
    due = dt.datetime.fromisoformat(db.execute("SELECT due FROM review_state WHERE item_id = 'tw.basic'").fetchone()[0])
    interviews.add(db, _date(now + 4 * DAY), now, claims=["acme.checkout-latency"])
    at = interviews.next_interview(db, now).at
    state = json.loads(db.execute("SELECT fsrs FROM review_state WHERE item_id = 'tw.basic'").fetchone()[0])
    assert due > at and srs.retrievability(srs.make_scheduler(settings), state, at) < 0.95

    before = _states(db)
    queue = build_queue(db, now, settings)
    pulled = [q for q in queue if q.item_id == "tw.basic"]
    assert len(pulled) == 1 and not pulled[0].new
    new_ids = [q.item_id for q in queue if q.new]
    backing = {i for t, i in target_items(db, ["acme.checkout-latency"]) if t == "card"}
    assert new_ids[: len(backing - {"tw.basic"})] and set(new_ids[: len(backing - {"tw.basic"})]) <= backing
    plan = build_plan(db, now)
    assert plan is not None and plan.days[0].pulled >= 1
    assert _states(db) == before  # neither the queue nor the plan changes the schedule

    # Answered today (a review, so its next due is days away): not brought forward again today.
    record_answer(db, "card", "tw.basic", 3, now)
    assert "tw.basic" not in [q.item_id for q in build_queue(db, now + dt.timedelta(minutes=30), settings)]


def test_nothing_is_pulled_once_the_interview_is_past(synced, now):
    db = synced
    lenient = dataclasses.replace(load_settings(db), desired_retention=0.7)
    record_answer(db, "card", "tw.basic", 4, now - 2 * DAY, settings=lenient)  # due in weeks
    interviews.add(db, _date(now + 2 * DAY), now)
    settings = dataclasses.replace(lenient, desired_retention=0.99)
    save_settings(db, settings)
    assert "tw.basic" in [q.item_id for q in build_queue(db, now, settings)]
    later = now + 3 * DAY  # the interview is over
    assert build_plan(db, later) is None
    queue = build_queue(db, later, settings)
    due = dt.datetime.fromisoformat(db.execute("SELECT due FROM review_state WHERE item_id = 'tw.basic'").fetchone()[0])
    assert due > later and "tw.basic" not in [q.item_id for q in queue]


def test_bad_interviews_are_refused(synced, now):
    db = synced
    with pytest.raises(PrepError, match="in the past"):
        interviews.add(db, _date(now - DAY), now)
    with pytest.raises(PrepError, match="in the past"):
        interviews.add(db, _date(now), now, time="08:59")
    with pytest.raises(PrepError, match="DATE must look like"):
        interviews.add(db, "next friday", now)
    with pytest.raises(PrepError, match="--time"):
        interviews.add(db, _date(now + DAY), now, time="25:00")
    with pytest.raises(PrepError, match="unknown claim 'nope'"):
        interviews.add(db, _date(now + DAY), now, claims=["nope"])
    assert interviews.all_interviews(db) == []


def test_interview_time_is_the_users_local_time(synced, now, monkeypatch):
    iv = interviews.add(synced, "2026-12-08", now, time="14:00", tz_name="Asia/Shanghai")
    assert iv.at == dt.datetime(2026, 12, 8, 6, 0, tzinfo=dt.UTC) and iv.tz == "Asia/Shanghai"
    assert iv.local().strftime("%Y-%m-%d %H:%M") == "2026-12-08 14:00"


def test_cli_interview_add_list_rm_and_plan(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    runner = CliRunner()
    base = ["--kb", str(kb), "--db", str(tmp_path / "cli.db")]
    day = _date(dt.datetime.now(dt.UTC) + 5 * DAY)
    r = runner.invoke(cli, [*base, "interview", "add", day, "--time", "15:00", "--company", "ACME", "--claims", "acme.checkout-latency"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, [*base, "interview", "add", "2020-01-01"])
    assert r.exit_code == 1 and "in the past" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli, [*base, "interview", "add", day, "--profile", "nope"])
    assert r.exit_code == 1 and "unknown profile 'nope'" in r.output
    listed = json.loads(runner.invoke(cli, [*base, "interview", "list", "--json"]).output)
    assert [(i["id"], i["company"], i["claims"]) for i in listed] == [(1, "ACME", ["acme.checkout-latency"])]
    r = runner.invoke(cli, [*base, "plan"])
    assert r.exit_code == 0 and "acme.checkout-latency" in r.output and "reviews" in r.output, r.output
    data = json.loads(runner.invoke(cli, [*base, "plan", "--json"]).output)
    assert len(data["days"]) in (5, 6) and data["claims"][0]["id"] == "acme.checkout-latency"
    assert runner.invoke(cli, [*base, "interview", "rm", "1"]).exit_code == 0
    r = runner.invoke(cli, [*base, "plan"])
    assert r.exit_code == 1 and "no interview ahead" in r.output
    r = runner.invoke(cli, [*base, "interview", "rm", "1"])
    assert r.exit_code == 1 and "no interview #1" in r.output


def test_draw_defaults_to_the_next_interviews_profile_and_claims(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    runner = CliRunner()
    base = ["--kb", str(kb), "--db", str(tmp_path / "d.db")]
    day = _date(dt.datetime.now(dt.UTC) + 3 * DAY)
    before = json.loads(runner.invoke(cli, [*base, "draw", "--json", "--seed", "1"]).output)
    assert before["profile"] == "backend-onsite"
    assert runner.invoke(cli, [*base, "interview", "add", day, "--profile", "phone-screen", "--claims", "acme.checkout-latency"]).exit_code == 0
    r = runner.invoke(cli, [*base, "draw", "--json", "--seed", "1"])
    drawn = json.loads(r.stdout)
    assert drawn["profile"] == "phone-screen" and drawn["questions"]
    assert all("acme.checkout-latency" in q["claims"] for q in drawn["questions"])
    assert "drawing for interview #1" in r.stderr
    # An explicit --profile wins.
    assert json.loads(runner.invoke(cli, [*base, "draw", "--json", "--profile", "behavioural"]).stdout)["profile"] == "behavioural"


def test_the_dashboards_today_is_the_plans_first_day(synced, now):
    from prep.study.plan import headline, today_text

    db = synced
    lenient = dataclasses.replace(load_settings(db), desired_retention=0.7)
    for card in ("tw.basic", "tw.hier"):
        record_answer(db, "card", card, 4, now - 2 * DAY, settings=lenient)
    save_settings(db, dataclasses.replace(lenient, desired_retention=0.97))
    interviews.add(db, _date(now + 6 * DAY), now)
    plan = build_plan(db, now)
    assert plan is not None
    first = build_plan(db, now, days=1)
    assert first is not None and first.days == plan.days[:1]
    d = plan.days[0]
    assert f"today: {d.reviews} reviews, {d.new} new, {d.stories} stories ({d.pulled} brought forward)" in today_text(plan)
    assert headline(plan.interview, now).endswith(" in 6d 0h")
    # In a Chinese dashboard, the same figures in Chinese.
    assert f"今天：复习 {d.reviews} 张、新卡 {d.new} 张、故事 {d.stories} 个（提前 {d.pulled} 张）" in today_text(plan, "zh")
    assert headline(plan.interview, now, "zh").startswith("面试 #1") and headline(plan.interview, now, "zh").endswith("还有 6 天 0 小时")
    assert headline(plan.interview, now + 6 * DAY - dt.timedelta(minutes=90), "zh").endswith("还有 1 小时 30 分钟")


def test_interview_mode_introduces_high_risk_claims_new_cards_first(kb, db, now, monkeypatch):
    from conftest import write

    monkeypatch.setenv("TZ", "UTC")
    resume = kb / "stories/resume.yaml"
    resume.write_text(
        resume.read_text(encoding="utf-8").replace(
            "    claims:\n",
            '    claims:\n      - id: acme.docs\n        text: "Wrote the team\'s runbooks"\n        risk: low\n',
            1,
        ),
        encoding="utf-8",
    )
    write(
        kb,
        "decks/aaa-docs.yaml",
        """
        name: {en: Docs}
        project: acme
        cards:
          - {id: docs.one, q: Where are the runbooks?, a: In the repo., claims: [acme.docs]}
          - {id: docs.two, q: Who reviews them?, a: The on-call., claims: [acme.docs]}
        """,
    )
    sync(db, kb, now=now)
    settings = dataclasses.replace(load_settings(db), enable_fuzzing=False, new_per_day=3)
    normal = [q.item_id for q in build_queue(db, now, settings)]
    assert normal[:2] == ["docs.one", "docs.two"]  # deck order puts the low-risk claim's cards first
    interviews.add(db, _date(now + 5 * DAY), now)
    ahead = [q.item_id for q in build_queue(db, now, settings)]
    high = {i for t, i in target_items(db, ["acme.checkout-latency"]) if t == "card"}
    assert len(ahead) == 3 and set(ahead) <= high


def test_the_plan_is_a_forecast_without_fuzz(synced, now, monkeypatch):
    from prep.study import plan as plan_module

    db = synced
    save_settings(db, dataclasses.replace(load_settings(db), enable_fuzzing=True))
    record_answer(db, "card", "tw.basic", 3, now - 10 * DAY)
    interviews.add(db, _date(now + 9 * DAY), now)
    made = []
    real = plan_module._Sim.__init__

    def spy(self, scheduler, *args):
        made.append(scheduler)
        real(self, scheduler, *args)

    monkeypatch.setattr(plan_module._Sim, "__init__", spy)
    first, second = build_plan(db, now), build_plan(db, now)
    assert len(made) == 2 and not any(s.enable_fuzzing for s in made)  # the same history always gives the same plan
    assert first is not None and second is not None and first.to_dict() == second.to_dict()
