"""`prep show` and `prep stats` speak local, relative time; an archived item says so."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.export.when import local, relative, when
from prep.index.db import open_db, utcnow
from prep.study import engine
from prep.study.srs import Settings

NOW = dt.datetime(2026, 12, 1, 16, 31, 46, tzinfo=dt.UTC)


def test_relative_times_in_both_languages():
    assert relative("2026-12-04T16:31:46+00:00", NOW) == "in 3 days"
    assert relative("2026-12-01T14:31:46.766445+00:00", NOW) == "2 hours ago"
    assert relative("2026-12-04T16:31:46+00:00", NOW, "zh") == "3天后"
    assert relative(NOW, NOW) == "now"
    tz = dt.timezone(dt.timedelta(hours=8))
    assert local("2026-12-01T16:31:46.766445+00:00", tz) == "2026-12-02 00:31"
    assert when("2026-12-04T16:31:46+00:00", NOW, "en", tz) == "in 3 days (2026-12-05 00:31)"


def run(kb, *args):
    return CliRunner().invoke(cli, ["--kb", str(kb), *args])


def test_show_and_stats_humanise_times_and_a_removed_card_is_archived(kb, prep_home):
    assert run(kb, "sync").exit_code == 0
    db = open_db(kb_db_file(prep_home, kb))
    engine.record_answer(db, "card", "tw.basic", 3, utcnow(), settings=Settings(enable_fuzzing=False))
    shown = run(kb, "--lang", "en", "show", "tw.basic").output
    assert "Due in 10 minutes (" in shown and "+00:00" not in shown
    assert "- now (" in shown or " ago (" in shown
    assert "decks/time-wheel.yaml:" in shown
    stats = run(kb, "--lang", "en", "stats").output
    assert "Next due: in 10 minutes (" in stats
    deck = kb / "decks/time-wheel.yaml"
    text = deck.read_text()
    deck.write_text(text[: text.index("  - id: tw.basic")] + text[text.index("  - id: tw.hier") :].replace("    followups: [tw.basic]\n", ""))
    shown = run(kb, "--lang", "en", "show", "tw.basic").output
    assert "**archived**: no longer in the files (history kept)" in shown
    assert "decks/time-wheel.yaml:" not in shown
    assert "Next due" not in run(kb, "--lang", "en", "stats").output  # an archived card is not coming up
