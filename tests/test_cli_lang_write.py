"""The commands that change things speak the KB's language too: on a Chinese knowledge base
their confirmations come out in Chinese, and `--lang en` gives back the English ones word for
word, with the same exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.index.db import open_db
from prep.kb.manifest import write_manifest
from prep.study import engine


@pytest.fixture
def zh_kb(kb):
    """The small sample KB (with its Chinese time-wheel deck) whose prep.toml says zh."""
    (kb / "prep.toml").unlink()
    write_manifest(kb, "样例", "zh")
    return kb


def run(kb, *args, code=0):
    result = CliRunner().invoke(cli, ["--kb", str(kb), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def both(kb, *args, code=0):
    """The same command in the KB's language (zh) and with --lang en."""
    return run(kb, *args, code=code), run(kb, "--lang", "en", *args, code=code)


def a_day_ahead(days=10):
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).strftime("%Y-%m-%d")


def test_interview_add_and_rm(zh_kb):
    day = a_day_ahead()
    out = run(zh_kb, "interview", "add", day, "--company", "ACME").stdout
    assert re.fullmatch(rf"已添加面试 #1 {day} 09:00 \(UTC[^)]*\) ACME；计划见：prep plan\n", out)
    en = run(zh_kb, "--lang", "en", "interview", "add", day, "--company", "ACME").stdout
    assert re.fullmatch(rf"Added interview #2 {day} 09:00 \(UTC[^)]*\) ACME; see the plan: prep plan\n", en)
    assert run(zh_kb, "interview", "rm", "1").stdout.startswith("已删除面试 #1 ")
    assert run(zh_kb, "--lang", "en", "interview", "rm", "2").stdout.startswith("Removed interview #2 ")


def test_config_shows_where_the_parameters_come_from(zh_kb):
    zh, en = both(zh_kb, "config")
    assert "parameters = FSRS 默认值\n" in zh.stdout and "parameters = FSRS defaults\n" in en.stdout
    assert run(zh_kb, "config", "new_per_day", "15").stdout == "new_per_day = 15\n"  # a setting reads the same


def test_export_markdown_and_log_export_import(zh_kb, tmp_path, now, settings, prep_home):
    md = tmp_path / "kb.md"
    zh, en = both(zh_kb, "export", "markdown", "-o", str(md))
    assert zh.stdout == f"已写入 {md}：4 张卡、1 个故事。\n" and en.stdout == f"Wrote {md}: 4 cards, 1 stories.\n"
    db = open_db(kb_db_file(prep_home, zh_kb))
    engine.record_answer(db, "card", "tw.hier", 3, now - dt.timedelta(days=1), settings=settings)
    db.close()
    log = tmp_path / "log.jsonl"
    zh, en = both(zh_kb, "log", "export", "-o", str(log))
    assert zh.stdout == f"已写入 {log}：1 条回答。\n" and en.stdout == f"Wrote {log}: 1 answers.\n"
    zh, en = both(zh_kb, "log", "import", str(log))
    assert zh.stdout == f"{log}：0 条新回答，涉及 0 项，1 条已有。\n"
    assert en.stdout == f"{log}: 0 new answer(s) on 0 item(s), 1 already here.\n"


def test_new_and_mv(zh_kb):
    out = run(zh_kb, "new", "card", "tw.new", "--deck", "time-wheel").stdout
    assert re.fullmatch(r"已添加卡片 'tw\.new'，位于 decks/time-wheel\.yaml:\d+；在那里编辑，然后运行 `prep validate`\n", out)
    en = run(zh_kb, "--lang", "en", "new", "claim", "acme.new").stdout
    assert re.fullmatch(r"added claim 'acme\.new' at stories/resume\.yaml:\d+; edit it there, then `prep validate`\n", en)
    dry = run(zh_kb, "mv", "tw.basic", "tw.base", "--dry-run").stdout
    assert "将修改 decks/time-wheel.yaml：第 " in dry and "将把卡片 'tw.basic' 的 0 次复习/模拟面试回答移到 'tw.base'" in dry
    moved = run(zh_kb, "mv", "tw.basic", "tw.base")
    assert "已把卡片 'tw.basic' 改名为 'tw.base'：移动了 0 次复习和 0 个模拟面试回答。" in moved.stdout
    assert "重新导出" in moved.stderr
    back = run(zh_kb, "--lang", "en", "mv", "tw.base", "tw.basic")
    assert "Renamed card 'tw.base' to 'tw.basic': 0 review(s) and 0 mock answer(s) moved." in back.stdout
    assert "export again and Anki adds it as a new note" in back.stderr


def test_optimize_reset_and_doctor(zh_kb):
    zh, en = both(zh_kb, "optimize", "--reset")
    assert zh.stdout == "FSRS 参数已恢复默认值。\n" and en.stdout == "FSRS parameters reset to the defaults.\n"
    zh, en = both(zh_kb, "doctor")
    assert zh.stdout.splitlines()[1] == "完整性检查（quick_check）：正常；搜索索引：正常"
    assert en.stdout.splitlines()[1] == "quick_check: ok; search index: ok" and en.stdout.startswith("Database: ")


def test_draw_summary(zh_kb):
    zh, en = both(zh_kb, "draw", "--seed", "3", "--n", "1")
    assert re.search(r"^1 道题，\d+ 分钟，种子 3（同一种子，同一套题）。$", zh.stderr, re.M)
    assert re.search(r"^1 questions, \d+ min, seed 3 \(same seed, same set\)\.$", en.stderr, re.M)
    assert json.loads(run(zh_kb, "draw", "--seed", "3", "--n", "1", "--json").stdout)["seed"] == 3


def test_init_speaks_the_new_kb_language(tmp_path):
    zh = CliRunner().invoke(cli, ["init", str(tmp_path / "a"), "--lang", "zh"], catch_exceptions=False)
    assert zh.exit_code == 0 and zh.stdout.startswith("已创建 ") and "下一步：编辑这些文件" in zh.stdout
    en = CliRunner().invoke(cli, ["--lang", "en", "init", str(tmp_path / "b"), "--lang", "zh"], catch_exceptions=False)
    assert en.exit_code == 0 and en.stdout.startswith("created ") and "Next: edit the files" in en.stdout
