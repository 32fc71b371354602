"""The everyday read commands speak the KB's language (`ctx.lang`): on a Chinese knowledge
base `prep stats`, `list`, `validate`, `sync`, `search`, `interview list` and `plan` print
Chinese words and counts, and the header lines too; `--lang en` gives back the English
output word for word; `--json` keeps its keys and codes in both. Tables with Chinese heads stay
aligned by terminal cells."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.cli.base import content_lang
from prep.index.db import open_db
from prep.kb.manifest import write_manifest
from prep.kb.vocab import cell_len, pad
from prep.study import engine

ENGLISH = re.compile(r"\b(claims?|stories|story|cards?|decks?|Due|New|Reviews|Leeches|archived|OK|Synced|parsed|result|profile|min)\b")


@pytest.fixture
def zh_kb(kb):
    """The small sample KB (with its Chinese time-wheel deck) whose prep.toml says zh."""
    (kb / "prep.toml").unlink()
    write_manifest(kb, "样例", "zh")
    return kb


def run(kb, *args, ok=True):
    result = CliRunner().invoke(cli, ["--kb", str(kb), *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def counts(kb):
    s = json.loads(run(kb, "stats", "--json").stdout)
    return s["claims"], s["stories"], s["cards"], s["decks"]


def test_stats_in_chinese_then_english(zh_kb, prep_home):
    claims, stories, cards, decks = counts(zh_kb)
    out = run(zh_kb, "stats")
    assert f"{claims} 个条目、{stories} 个故事、{cards} 张卡，共 {decks} 个卡组" in out.stdout
    assert f"现在到期：0   新卡：{cards}" in out.stdout and "顽固卡：0" in out.stdout
    assert out.stderr.startswith("知识库：样例 [") and f"数据库：{kb_db_file(prep_home, zh_kb)}" in out.stderr
    assert not ENGLISH.search(out.stdout.replace("time-wheel", "").replace("performance", ""))
    for args in (("--lang", "en", "stats"), ("stats", "--lang", "en")):  # the group's or the command's option
        en = run(zh_kb, *args)
        assert f"{claims} claim, {stories} story, {cards} cards in {decks} decks (0 archived)" in en.stdout
        assert f"Due now: 0   New: {cards}   Stories due: 0   Reviews done: 0 (0 from Anki)   Leeches: 0" in en.stdout
        assert "deck                         cards   new   due" in en.stdout
        assert en.stderr.startswith("Knowledge base: 样例 [") and "Database: " in en.stderr
    # --json keeps its keys and codes; only the text fields (a deck's name) follow the language
    zh_json, en_json = (json.loads(run(zh_kb, *a, "stats", "--json").stdout) for a in ((), ("--lang", "en")))
    assert [d.pop("name") for d in zh_json["per_deck"]] != [d.pop("name") for d in en_json["per_deck"]]
    assert zh_json == en_json


def test_stats_table_is_aligned_by_cells(zh_kb):
    lines = run(zh_kb, "stats").stdout.split("\n\n", 1)[1].strip().splitlines()
    assert lines[0].split() == ["卡组", "卡片", "新卡", "到期"]
    assert {cell_len(line) for line in lines} == {28 + 3 * 6}  # right-aligned columns end in the same cell


def test_list_claims_stories_cards_in_chinese_then_english(zh_kb):
    claims = json.loads(run(zh_kb, "list", "claims", "--json").stdout)
    risk = {"high": "高", "medium": "中", "low": "低"}
    out = run(zh_kb, "list", "claims")
    for c, line in zip(claims, out.stdout.splitlines(), strict=True):
        assert line.startswith(f"{c['id']:<24} {risk[c['risk']]}")
        assert f"{c['stories']:>2} 个故事 {c['cards']:>3} 张卡  {c['text']}" in line
        assert cell_len(line) - cell_len(c["text"]) == 24 + 1 + 6 + 1 + cell_len(f"{0:>2} 个故事 {0:>3} 张卡  ")
    assert out.stderr.strip().endswith(f"{len(claims)} 个条目")
    en = run(zh_kb, "--lang", "en", "list", "claims")
    assert f"{claims[0]['id']:<24} {claims[0]['risk']:<6} {claims[0]['stories']:>2} stories {claims[0]['cards']:>3} cards  " in en.stdout
    assert en.stderr.strip().endswith(f"{len(claims)} claims")
    stories = run(zh_kb, "list", "stories")
    assert re.search(r" \d+ 分钟  ", stories.stdout) and stories.stderr.strip().endswith(" 个故事")
    assert re.search(r" \d+ min  ", run(zh_kb, "--lang", "en", "list", "stories").stdout)
    cards = json.loads(run(zh_kb, "list", "cards", "--json").stdout)
    assert run(zh_kb, "list", "cards").stderr.strip().endswith(f"{len(cards)} 张卡")
    assert run(zh_kb, "--lang", "en", "list", "cards").stderr.strip().endswith(f"{len(cards)} cards")
    en_cards = json.loads(run(zh_kb, "--lang", "en", "list", "cards", "--json").stdout)
    assert [{k: v for k, v in c.items() if k != "q"} for c in cards] == [{k: v for k, v in c.items() if k != "q"} for c in en_cards]


def test_validate_in_chinese_then_english(zh_kb):
    out = run(zh_kb, "validate")
    assert out.stdout.strip() == "通过：1 个条目、1 个故事、4 张卡，共 2 个卡组。"
    assert out.stderr.startswith("知识库：样例 [") and "（由 --kb 指定）" in out.stderr
    en = run(zh_kb, "--lang", "en", "validate")
    assert en.stdout.strip() == "OK: 1 claim, 1 story, 4 cards in 2 decks."
    assert en.stderr.startswith("Knowledge base: 样例 [") and en.stderr.strip().endswith("(--kb)")


def test_validate_reads_the_configured_language_without_opening_the_database(zh_kb, prep_home):
    run(zh_kb, "validate")
    assert not kb_db_file(prep_home, zh_kb).exists()  # validate checks files: no database made
    run(zh_kb, "config", "lang", "en")
    assert run(zh_kb, "validate").stdout.startswith("OK: ")
    run(zh_kb, "config", "lang", "auto")
    assert run(zh_kb, "validate").stdout.startswith("通过：")


def test_validate_notes_unfinished_items_in_chinese(zh_kb):
    run(zh_kb, "new", "card", "tw.todo", "--deck", "time-wheel")
    out = run(zh_kb, "validate").stderr
    assert re.search(r"注意：decks/time-wheel\.yaml:\d+：卡片 tw\.todo：q, a 没写完", out)
    en = run(zh_kb, "--lang", "en", "validate").stderr
    assert re.search(r"note: decks/time-wheel\.yaml:\d+: card tw\.todo: q, a unfinished \(the hint", en)


def test_sync_summary_and_hints_in_chinese_then_english(zh_kb, prep_home, now, settings):
    out = run(zh_kb, "sync")
    assert re.fullmatch(r"已同步：解析了 \d+ 个文件；新增 \d+，更新 0，归档 0，恢复 0。\n", out.stdout)
    assert run(zh_kb, "sync").stdout == "已同步：已是最新。\n"
    assert run(zh_kb, "--lang", "en", "sync", "--force").stdout.startswith("Synced: parsed ")
    assert run(zh_kb, "--lang", "en", "sync").stdout == "Synced: up to date.\n"
    db = open_db(kb_db_file(prep_home, zh_kb))
    engine.record_answer(db, "card", "tw.hier", 3, now - dt.timedelta(days=1), settings=settings)
    db.close()
    deck = zh_kb / "decks/time-wheel.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text[: text.index("  - id: tw.hier")].replace("    followups: [tw.hier]\n", ""), encoding="utf-8")
    out = run(zh_kb, "sync")
    assert "1 张卡已归档，共有 1 次复习记录：tw.hier；如果是改了 id，`prep mv tw.hier NEW` 会把记录带回来" in out.stderr
    assert "归档 1" in out.stdout


def test_search_in_chinese_then_english(zh_kb):
    out = run(zh_kb, "search", "时间轮")
    assert re.search(r"^卡片   tw\.basic ", out.stdout, re.M) and out.stderr.strip().endswith("条结果")
    en = run(zh_kb, "--lang", "en", "search", "时间轮")
    assert re.search(r"^card   tw\.basic ", en.stdout, re.M) and re.search(r"\b(1 result|[02-9]\d* results|1\d+ results)$", en.stderr.strip())


def test_interview_list_and_plan_in_chinese_then_english(zh_kb):
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).strftime("%Y-%m-%d")
    run(zh_kb, "interview", "add", day, "--company", "ACME")
    out = run(zh_kb, "interview", "list")
    assert "ACME  配置：-  条目：全部条目" in out.stdout and "1 场面试" in out.stderr
    en = run(zh_kb, "--lang", "en", "interview", "list")
    assert "ACME  profile: -  claims: all claims" in en.stdout and "1 interview" in en.stderr
    plan = run(zh_kb, "plan").stdout.splitlines()
    assert plan[0].startswith("面试 #1 ") and "：还有 " in plan[0]
    assert plan[1].split() == ["日期", "复习", "新卡", "故事", "提前"]
    assert cell_len(plan[1]) == cell_len(plan[2])  # the heads sit over their columns
    claim_head = plan.index(next(line for line in plan if line.startswith("条目")))
    assert re.match(r"acme\.checkout-latency +[高中低] ", plan[claim_head + 1])
    en_plan = run(zh_kb, "--lang", "en", "plan").stdout.splitlines()
    assert en_plan[0].startswith("Interview #1 ") and en_plan[1] == "day          reviews   new stories  ahead"
    assert "claim                        risk   today no study planned" in en_plan


def test_pad_counts_terminal_cells():
    assert pad("卡组", -6) == "卡组  " and pad("卡组", 6) == "  卡组" and pad("deck", -6) == f"{'deck':<6}"
    assert pad("很长的一个词", 4) == "很长的一个词"  # never cut


def test_the_builtin_kb_is_reported_in_its_own_language(builtin_kb):
    """No prep.toml and no setting: the content's own language (Chinese) decides."""
    claims, stories, cards, decks = counts(builtin_kb)
    out = run(builtin_kb, "stats").stdout
    assert f"{claims} 个条目、{stories} 个故事、{cards} 张卡，共 {decks} 个卡组" in out and "现在到期：" in out
    assert f"{claims} claims, {stories} stories, {cards} cards in {decks} decks" in run(builtin_kb, "--lang", "en", "stats").stdout


@pytest.mark.parametrize(
    ("resume", "lang"),
    [
        ("candidate: {name: 张三}\nprojects:\n  - id: p1\n    name: 分布式调度系统，基于时间轮\n", "zh"),
        ("candidate: {name: Ann}\nprojects:\n  - id: p1\n    name: Streaming ingestion on Kafka with exactly-once sinks\n", "en"),
        # a Chinese resume with English tech names stays Chinese: a fair share of CJK is enough
        ("projects:\n  - name: 基于 Kafka Streams 与 Flink 的实时对账 pipeline，exactly-once\n", "zh"),
    ],
)
def test_a_kb_without_a_language_is_judged_by_its_resume(kb, resume, lang):
    (kb / "prep.toml").unlink()
    write_manifest(kb, "sample", None)
    (kb / "stories" / "resume.yaml").write_text(resume, encoding="utf-8")
    assert content_lang(kb) == lang
    assert content_lang(kb / "missing") == "en"
