"""A second user: an English data-engineering KB (tests/data/northwind) beside the built-in
Chinese one, in one PREP_HOME, as that user would run it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.index.db import open_db, utcnow
from prep.mock import session
from prep.mock.draw import DrawOptions, draw
from prep.mock.profiles import get_profile
from prep.paths import builtin_kb

NORTHWIND = Path(__file__).parent / "data" / "northwind"


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def northwind(tmp_path) -> Path:
    root = tmp_path / "northwind"
    shutil.copytree(NORTHWIND, root)
    return root


def test_english_kb_gets_english_sheets_without_flags(northwind):
    out = run("--kb", str(northwind), "draw", "--n", "3", "--claim", "northwind.cdc", "--seed", "1").stdout
    assert out.startswith("# Mock interview — Backend onsite (45 min) (candidate)")
    assert "Your resume says:" in out and "简历" not in out and "分钟" not in out
    folder = northwind.parent / "sheets"
    run("--kb", str(northwind), "draw", "--profile", "data-engineering", "--seed", "2", "--out", str(folder))
    interviewer = (folder / "interviewer.md").read_text()
    assert "Data engineering onsite" in interviewer and "Expected key points" in interviewer
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in interviewer)


def test_builtin_kb_still_gets_chinese_sheets(northwind):
    run("--kb", str(northwind), "stats")
    out = run("--kb", str(builtin_kb()), "draw", "--n", "2", "--seed", "1").stdout
    assert "模拟面试" in out and "简历上写着" in out


def test_abandoned_mocks_do_not_empty_the_next_draw(northwind, prep_home):
    run("--kb", str(northwind), "sync")
    db = open_db(kb_db_file(prep_home, northwind))
    now = utcnow()
    profile = get_profile("backend-onsite")
    for seed in (1, 2):  # two TUI mocks left at once, as in the bug report
        session.start_session(
            db, draw(db, profile, DrawOptions(name="backend-onsite", seed=seed, lang="en", n=3, claim="northwind.cdc"), now=now), now
        )
    drawn = json.loads(run("--kb", str(northwind), "draw", "--n", "3", "--claim", "northwind.cdc", "--json").stdout)
    assert len(drawn["questions"]) == 3


def test_a_draw_that_finds_nothing_says_why_and_fails(northwind):
    # behavioural asks STAR stories: northwind.dbt has none
    result = run("--kb", str(northwind), "draw", "--profile", "behavioural", "--claim", "northwind.dbt", ok=False)
    assert result.exit_code == 1
    assert "drew no questions: STAR: drew 0 of 5" in result.output and "--allow-repeats" in result.output


def test_profiles_include_data_engineering_and_the_kbs_own_decks(northwind):
    out = run("--kb", str(northwind), "draw", "--profiles").output
    assert "data-engineering: Data engineering onsite (45 min)" in out
    assert "decks: This knowledge base's topics" in out
    sheet = run("--kb", str(northwind), "draw", "--profile", "decks", "--seed", "3").stdout
    assert "## 3. cdc" in sheet


def test_typos_get_suggestions_not_empty_results(northwind):
    cases = [
        (("list", "cards", "--deck", "cdd"), "unknown deck 'cdd'; did you mean 'cdc'?"),
        (("study", "--deck", "cdd"), "unknown deck 'cdd'; did you mean 'cdc'?"),
        (("list", "cards", "--kind", "desing"), "unknown kind 'desing'; did you mean 'design'?"),
        (("list", "stories", "--claim", "northwind.cdd"), "unknown claim 'northwind.cdd'; did you mean 'northwind.cdc'?"),
        (("draw", "--claim", "northwind.qualty"), "unknown claim 'northwind.qualty'; did you mean 'northwind.quality'?"),
        (("list", "claims", "--project", "nortwind"), "unknown project 'nortwind'; did you mean 'northwind'?"),
        (("export", "markdown", "--tag", "zzz"), "unknown tag 'zzz'"),
        (("list", "cards", "--project", "northwind"), "--project filters claims"),
    ]
    for args, message in cases:
        result = run("--kb", str(northwind), *args, ok=False)
        assert result.exit_code == 1, args
        assert message in result.output, (args, result.output)


def test_item_renderer_speaks_the_readers_language(northwind):
    zh = run("--kb", str(northwind), "--lang", "zh", "show", "cdc.slot-risk").stdout
    en = run("--kb", str(northwind), "--lang", "en", "show", "cdc.slot-risk").stdout
    assert "难度 4" in zh and "出处：" in zh and "difficulty" not in zh and "Source:" not in zh
    assert "difficulty 4" in en and "Source: " in en and "难度" not in en
    story = run("--kb", str(northwind), "--lang", "zh", "show", "cdc-freshness").stdout
    assert "## 情境（Situation）" in story and "分钟" in story
