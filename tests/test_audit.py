"""The audit: coverage gaps, figures missing or contradicted, before/after wording,
readiness with rehearsals and mocks, and `prep audit` (--json, --strict)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write

from prep.audit.report import audit, find, format_text, leading, numbers, summary_line
from prep.cli import cli
from prep.index.sync import sync
from prep.kb.figures import format_interval
from prep.study import engine
from prep.study.readiness import claim_readiness


def story(root: Path, sid: str, claims: list[str], result: str) -> None:
    write(
        root,
        f"stories/{sid}.md",
        f"---\nid: {sid}\ntitle: {sid}\nclaims: [{', '.join(claims)}]\n---\n"
        f"## Situation\n背景。\n## Task\n任务。\n## Action\n行动。\n## Result\n{result}\n",
    )


def cards(claim: str, answers: list[str]) -> str:
    return "".join(f'  - id: {claim}.c{i}\n    q: Q{i}?\n    a: "{a}"\n    claims: [{claim}]\n' for i, a in enumerate(answers))


CLEAN_RESUME = """\
projects:
  - id: p
    company: P
    claims:
      - id: p.ok
        text: 能够同时支持2000个后台任务，服务 3 million users，QPS 峰值 10000+
        numbers:
          - 2000 tasks
          - 3 million users
          - 10000+ QPS peak
          - 99.9% availability
          - 1 TB/day
        risk: high
"""


@pytest.fixture
def clean(tmp_path):
    root = tmp_path / "clean"
    write(root, "stories/resume.yaml", CLEAN_RESUME)
    story(root, "ok-story", ["p.ok"], "我们同时跑 2,000 个任务，用户 300万，全年 99.9% 可用。")
    write(root, "decks/d.yaml", "name: D\ncards:\n" + cards("p.ok", ["峰值 1万 QPS", "每天 1TB 索引", "plain"]))
    return root


GAPS_RESUME = (
    CLEAN_RESUME
    + """\
      - id: p.nostory
        text: 没有故事
        risk: low
      - id: p.fewcards
        text: 卡片太少
      - id: p.missing
        text: 保证系统有可用99%
        numbers: [99% availability]
      - id: p.disagree
        text: 支持3000个任务
        numbers: [3000 tasks]
      - id: p.before
        text: 能够同时支持2000个后台任务
        before: 可同时支持上几千个任务调度
        numbers:
          - value: 2000 tasks
            before: 上几千个任务
      - id: p.textbefore
        text: 峰值 5000 QPS
        before: 峰值 3000 QPS
      - id: p.samebefore
        text: 峰值 5000 QPS
        before: 峰值 5,000 QPS
        numbers:
          - value: 5000 QPS
            before: 5k QPS
"""
)


@pytest.fixture
def gaps(clean):
    write(clean, "stories/resume.yaml", GAPS_RESUME)
    for c in ("p.fewcards", "p.missing", "p.disagree", "p.before", "p.textbefore", "p.samebefore"):
        story(clean, c.replace(".", "-"), [c], "上线了。we ran 2500 tasks at peak." if c == "p.disagree" else "2000 tasks, 5000 QPS")
    body = "".join(cards(c, ["x", "y", "z"]) for c in ("p.nostory", "p.missing", "p.disagree", "p.before", "p.textbefore", "p.samebefore"))
    write(clean, "decks/e.yaml", "name: E\ncards:\n" + body + cards("p.fewcards", ["only one"]).replace("p.fewcards.c0", "p.fewcards.solo"))
    return clean


@pytest.mark.parametrize(
    "text, values",
    [
        ("2000 tasks", ["2000 tasks"]),
        ("2,000个任务", ["2000 tasks"]),
        ("2k tasks", ["2000 tasks"]),
        ("2千", ["2000"]),
        ("99% availability", ["99%"]),
        ("99.9%", ["99.9%"]),
        ("300百万 users", ["300000000 users"]),
        ("3亿", ["300000000"]),
        ("100万+ users", ["1000000+ users"]),
        ("3 million users", ["3000000 users"]),
        ("几w QPS", ["20000-99999 QPS"]),
        ("p99 is 120 ms", ["120 ms"]),
        ("2020-2022", ["2020-2022"]),
        ("5 K8s clusters", ["5 k8s"]),
        ("1 TB/day", ["1 TB"]),
    ],
)
def test_numbers(text, values):
    assert [format_interval(n.interval) for n in numbers(text)] == values


def test_find_tolerates_forms_and_spots_disagreement():
    assert leading("10000+ QPS peak")[1] == "QPS" and leading("things, about 5")[0] is None
    assert find("2000 tasks", "同时 2,000 个任务")[0]
    assert find("3 million users", "用户 300万")[0]
    assert not find("300百万 users", "用户 300万")[0]  # 300 million is not 3 million
    assert find("1 TB/day", "每天 1TB")[0]
    assert not find("1 TB/day", "step 1: index")[0]  # a bare small number needs its unit
    hit, other = find("3000 tasks", "we ran 2500 tasks")
    assert not hit and [n.interval.lo for n in other] == [2500]


def flags_by_claim(report) -> dict[str, set[str]]:
    return {c["id"]: {f["kind"] for f in c["flags"]} for c in report["claims"]}


def test_clean_kb_has_no_flags(clean, db, now, settings):
    sync(db, clean, now=now)
    report = audit(db, now, settings)
    assert flags_by_claim(report) == {"p.ok": set()}
    assert report["summary"]["flagged"] == 0
    assert summary_line(report) == "Audit: the claim is covered, figures consistent"


def test_each_kind_of_gap_is_flagged(gaps, db, now, settings):
    sync(db, gaps, now=now)
    report = audit(db, now, settings, lang="en")
    assert flags_by_claim(report) == {
        "p.ok": set(),
        "p.nostory": {"no-story"},
        "p.fewcards": {"few-cards"},
        "p.missing": {"number-missing"},
        "p.disagree": {"number-missing", "contradiction"},
        "p.before": {"before-after"},
        "p.textbefore": {"before-after"},
        "p.samebefore": set(),
    }
    by_id = {c["id"]: c for c in report["claims"]}
    (dis,) = [f for f in by_id["p.disagree"]["flags"] if f["kind"] == "contradiction"]
    sources = [q["source"] for q in dis["quotes"]]
    assert sources[0] == "story p-disagree (stories/p-disagree.md:13)" and "2500 tasks" in dis["quotes"][0]["text"]
    assert sources[1].startswith("claim p.disagree (stories/resume.yaml:") and "3000" in dis["quotes"][1]["text"]
    assert dis["message"] == "story p-disagree says 2500 tasks where the claim says 3000 tasks (claim p.disagree)"
    (before,) = by_id["p.before"]["flags"]
    assert [q["text"] for q in before["quotes"]] == ["2000 tasks", "上几千个任务"]
    (tb,) = by_id["p.textbefore"]["flags"]
    assert [q["text"] for q in tb["quotes"]] == ["峰值 5000 QPS", "峰值 3000 QPS"] and "5000" in tb["message"]
    assert by_id["p.fewcards"]["cards"] == ["p.fewcards.solo"]
    summary = report["summary"]
    assert (summary["claims"], summary["flagged"], summary["flags"]) == (8, 6, 7)
    assert summary["by_kind"] == {"no-story": 1, "few-cards": 1, "number-missing": 2, "contradiction": 1, "before-after": 2}
    text = format_text(report)
    assert "[contradiction] story p-disagree says 2500 tasks" in text and '"上几千个任务"' in text


def test_unbacked_figure_is_missing(tmp_path, db, now, settings):
    write(
        tmp_path,
        "stories/resume.yaml",
        "projects:\n  - id: p\n    company: P\n    claims:\n      - id: p.alone\n        text: 100万+ users\n        numbers: [100万+ users]\n",
    )
    (tmp_path / "decks").mkdir()
    sync(db, tmp_path, now=now)
    (c,) = audit(db, now, settings, lang="en")["claims"]
    assert {f["kind"] for f in c["flags"]} == {"no-story", "few-cards", "number-missing"}
    assert any("nothing backs this claim" in f["message"] for f in c["flags"])


def test_readiness_counts_rehearsals_and_mocks(clean, db, now, settings):
    sync(db, clean, now=now)
    (r0,) = claim_readiness(db, now, settings)
    assert r0["score"] == 0 and r0["last_rehearsed"] is None and r0["mock_answers"] == 0
    earlier = now - dt.timedelta(days=2)
    engine.record_answer(db, "story", "ok-story", 3, earlier, mode="rehearsal", settings=settings)
    (r1,) = claim_readiness(db, now, settings)
    assert r1["story_score"] > 0 and r1["score"] > 0 and r1["last_rehearsed"] == earlier.isoformat(timespec="microseconds")
    db.execute("INSERT INTO mock_sessions (id, profile, draw, started_at) VALUES (1, 'x', '{\"questions\": []}', ?)", [now.isoformat()])
    db.execute(
        "INSERT INTO mock_answers (session_id, position, item_type, item_id, correct, complete, concise, confident, score,"
        " passed, rating, answered_at) VALUES (1, 0, 'claim', 'p.ok', 1, 1, 1, 1, 1.0, 1, 3, ?)",
        [now.isoformat(timespec="microseconds")],
    )
    (r2,) = claim_readiness(db, now, settings)
    assert r2["mock_score"] == 1.0 and r2["mock_answers"] == 1 and r2["score"] > r1["score"]
    # a month later the mock's pull has halved, so the gain over the base score shrinks
    later = now + dt.timedelta(days=30)
    (base,) = [r for r in claim_readiness(db, later, settings)]
    assert base["score"] < r2["score"]
    report = audit(db, now, settings)
    assert report["claims"][0]["readiness"] == r2["score"]
    assert report["claims"][0]["readiness_detail"]["mock_score"] == 1.0


def test_cli_audit_json_and_strict(gaps):
    run = CliRunner().invoke
    r = run(cli, ["--kb", str(gaps), "audit", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["summary"]["flagged"] == 6 and {c["id"] for c in data["claims"]} >= {"p.ok", "p.before"}
    r = run(cli, ["--kb", str(gaps), "audit", "--strict"])
    assert r.exit_code == 1 and "[before-after]" in r.stdout
    r = run(cli, ["--kb", str(gaps), "audit", "--strict", "--min-cards", "1"])
    assert r.exit_code == 1 and "few-cards" not in r.stdout.split("\n\n")[-1]


def test_cli_audit_strict_passes_on_clean_kb(clean):
    r = CliRunner().invoke(cli, ["--kb", str(clean), "--lang", "en", "audit", "--strict"])
    assert r.exit_code == 0, r.output
    assert "the claim is covered" in r.stdout


def test_cli_audit_counts_in_the_kbs_language(clean, tmp_path):
    """A Chinese KB's audit is in Chinese, its counts with measure words; English counts
    agree in number: never 'all 1 claims' or '1 cards'."""
    r = CliRunner().invoke(cli, ["--kb", str(clean), "audit"])
    assert r.exit_code == 0, r.output
    assert "审计：这个条目有支撑，数字一致" in r.stdout and "一句话答案：3 张卡中 0 张有" in r.stdout
    assert "Audit" not in r.stdout and "Gists" not in r.stdout and "claims" not in r.stdout
    assert r.stdout.split("\n")[1].split()[:2] == ["p.ok", "高"]  # the risk too
    en = CliRunner().invoke(cli, ["--kb", str(clean), "--lang", "en", "audit"]).stdout
    assert "Gists: 0 of 3 cards have one" in en and "all 1 claims" not in en


def test_flags_and_summary_count_in_both_languages(gaps, db, now, settings):
    sync(db, gaps, now=now)
    en, zh = (audit(db, now, settings, lang=lang) for lang in ("en", "zh"))
    (few,) = [f for c in en["claims"] for f in c["flags"] if f["kind"] == "few-cards"]
    assert few["message"] == "backed by 1 card; at least 3 wanted"
    (few,) = [f for c in zh["claims"] for f in c["flags"] if f["kind"] == "few-cards"]
    assert few["message"] == "只有 1 张卡支撑这个条目；至少要 3 张"
    assert format_text(zh).endswith("审计：8 个条目中 6 个有问题（无故事 1、卡片不足 1、数字无出处 2、矛盾 1、前后不一 2）")
    messages = {f["kind"]: f["message"] for c in zh["claims"] for f in c["flags"]}
    assert messages["contradiction"] == "story p-disagree 说 2500 tasks，而条目说 3000 tasks（claim p.disagree）"
    assert "与另一版简历的说法不一致" in messages["before-after"] or "旧版" in messages["before-after"]
    assert "no figure" not in format_text(zh) and " says " not in format_text(zh)
    assert format_text(en).endswith("Audit: 6 of 8 claims flagged (no-story 1, few-cards 1, number-missing 2, contradiction 1, before-after 2)")
    assert summary_line({"summary": {"claims": 3, "flagged": 0, "by_kind": {}, "to_confirm": 0, "unfinished": 1}}, lang="zh") == (
        "审计：3 个条目都有支撑，数字一致 · 未写完 1 项"
    )


def test_before_after_disagreement_answered_in_notes_is_listed_not_flagged(gaps, db, now, settings):
    resume = (gaps / "stories/resume.yaml").read_text(encoding="utf-8")
    resume = resume.replace(
        "          - value: 2000 tasks\n            before: 上几千个任务\n",
        "          - value: 2000 tasks\n            before: 上几千个任务\n            note: 注册任务几千个，并发执行约2000。\n",
    ).replace("        before: 峰值 3000 QPS\n", "        before: 峰值 3000 QPS\n        notes: 3000 是旧版本压测值，5000 是扩容后。\n")
    (gaps / "stories/resume.yaml").write_text(resume, encoding="utf-8")
    sync(db, gaps, now=now)
    report = audit(db, now, settings)
    by_id = {c["id"]: c for c in report["claims"]}
    for cid in ("p.before", "p.textbefore"):
        assert by_id[cid]["flags"] == []
        (answered,) = by_id[cid]["answered"]
        assert answered["kind"] == "before-after" and len(answered["quotes"]) == 2
    assert report["summary"]["by_kind"]["before-after"] == 0
    assert "before-after, answered in the notes" in format_text(report, "en")


def test_summary_counts_read_as_english():
    def line(claims: int, flagged: int) -> str:
        by_kind = {"no-story": flagged} if flagged else {}
        return summary_line({"summary": {"claims": claims, "flagged": flagged, "by_kind": by_kind, "to_confirm": 0}})

    assert line(1, 0) == "Audit: the claim is covered, figures consistent"
    assert line(3, 0) == "Audit: all 3 claims covered, figures consistent"
    assert line(1, 1) == "Audit: 1 of 1 claim flagged (no-story 1)"
    assert line(12, 2) == "Audit: 2 of 12 claims flagged (no-story 2)"
