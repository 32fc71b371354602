"""Settings and options are checked at the door: a value that would crash later is
refused with a sentence, and the database is unchanged."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_rel_db import dump

from prep.cli import cli
from prep.errors import PrepError
from prep.study.srs import Settings


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("day_start_hour", "99", "day_start_hour is an hour of the day, 0-23, not 99"),
        ("new_per_day", "99999999999999999999", "new_per_day must be between 0 and 10000, not 99999999999999999999"),
        ("max_reviews_per_day", "100001", "max_reviews_per_day must be between 0 and 100000, not 100001"),
        ("leech_lapses", "0", "leech_lapses must be between 1 and 1000, not 0"),
        ("desired_retention", "2", "desired_retention must be between 0.7 and 0.99"),
        ("new_per_day", "many", "new_per_day must be a whole number, not 'many'"),
    ],
)
def test_config_refuses_out_of_range_values(tmp_path, kb, key, value, message):
    path = tmp_path / "prep.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--kb", str(kb), "--db", str(path), "config", "new_per_day", "7"]).exit_code == 0
    before = dump(path)
    result = runner.invoke(cli, ["--kb", str(kb), "--db", str(path), "config", key, value])
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {message}")
    assert dump(path) == before


def test_settings_refuse_wrong_types():
    with pytest.raises(PrepError, match="new_per_day takes a whole number, not True"):
        Settings(new_per_day=True)
    with pytest.raises(PrepError, match="day_start_hour takes a whole number, not '3'"):
        Settings(day_start_hour="3")


@pytest.mark.parametrize(
    "args", [["search", "x", "--limit", "99999999999999999999"], ["search", "x", "--limit", "0"], ["draw", "--seed", "99999999999999999999"]]
)
def test_numeric_options_are_range_checked(kb, args):
    result = CliRunner().invoke(cli, ["--kb", str(kb), *args])
    assert result.exit_code == 2
    assert "Invalid value for '--" in result.stderr and "Traceback" not in result.output
