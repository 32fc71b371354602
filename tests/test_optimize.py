"""`prep optimize`: FSRS fitted to a synthetic learner beats the defaults; too little
history changes nothing; saved parameters round-trip into `fsrs.Scheduler`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys

import pytest
from click.testing import CliRunner
from fsrs.scheduler import DEFAULT_PARAMETERS
from synthetic import write_history

from prep.cli import cli
from prep.errors import PrepError
from prep.index.db import open_db
from prep.study import optimize as opt
from prep.study import srs
from prep.study.engine import load_settings, save_settings

pytest.importorskip("fsrs_rs_python")
START = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)


def test_fit_to_a_synthetic_learner_beats_the_defaults_and_is_used(db):
    n = write_history(db, START)
    assert n >= opt.MIN_REVIEWS
    fit = opt.optimize(db)
    assert fit.fitted.log_loss < fit.default.log_loss and fit.fitted.rmse_bins < fit.default.rmse_bins
    assert fit.saved and fit.current is None and len(fit.parameters) == len(DEFAULT_PARAMETERS)
    # The learner forgets faster than the average user: lower first-day stabilities after Good and Easy.
    assert fit.parameters[2] < DEFAULT_PARAMETERS[2] and fit.parameters[3] < DEFAULT_PARAMETERS[3]
    settings = load_settings(db)
    assert settings.parameters == fit.parameters
    scheduler = srs.make_scheduler(settings)
    assert scheduler.parameters == fit.parameters and scheduler.desired_retention == 0.9
    # A second fit on the same history is no better than the saved one: nothing changes.
    again = opt.optimize(db)
    assert again.current is not None and again.saved == (again.fitted.log_loss < again.current.log_loss)


def test_parameters_round_trip_through_the_db(tmp_path):
    path = tmp_path / "p.db"
    db = open_db(path)
    params = tuple(round(x * 1.1, 4) if i < 4 else x for i, x in enumerate(DEFAULT_PARAMETERS))
    save_settings(db, dataclasses.replace(load_settings(db), parameters=params, enable_fuzzing=False))
    db.close()
    again = open_db(path)
    settings = load_settings(again)
    assert settings.parameters == params and srs.make_scheduler(settings).parameters == params
    card = srs.new_state("card", "x", START)
    longer = srs.answer(srs.make_scheduler(settings), card, 4, START).due
    default = srs.answer(srs.make_scheduler(dataclasses.replace(settings, parameters=())), card, 4, START).due
    assert longer > default  # the scheduler really schedules with them
    opt.reset(again)
    assert load_settings(again).parameters == ()


def test_too_little_history_is_refused_and_nothing_changes(db):
    write_history(db, START, cards=10, days=10)
    n = opt.review_count(db)
    assert 0 < n < opt.MIN_REVIEWS
    before = load_settings(db)
    with pytest.raises(PrepError, match=f"{n} reviews in the log; fitting FSRS needs at least {opt.MIN_REVIEWS}"):
        opt.optimize(db)
    assert load_settings(db) == before


def test_invalid_saved_parameters_are_a_sentence(db):
    save_settings(db, dataclasses.replace(load_settings(db), parameters=(1.0, 2.0)))
    with pytest.raises(PrepError, match="optimize --reset"):
        srs.make_scheduler(load_settings(db))


def test_cli_optimize_prints_both_and_names_the_extra_when_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PREP_LANG", "en")  # the built-in KB speaks Chinese; this test reads the English words
    dbfile = tmp_path / "cli.db"
    write_history(open_db(dbfile), START)
    runner = CliRunner()
    r = runner.invoke(cli, ["--db", str(dbfile), "optimize", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "default" in r.output and "fitted" in r.output and "Dry run" in r.output
    assert load_settings(open_db(dbfile)).parameters == ()
    r = runner.invoke(cli, ["--db", str(dbfile), "optimize", "--json"])
    data = json.loads(r.output)
    assert data["saved"] and data["fitted"]["log_loss"] < data["default"]["log_loss"]
    r = runner.invoke(cli, ["--db", str(tmp_path / "empty.db"), "optimize"])
    assert r.exit_code == 1 and "0 reviews" in r.output
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # as if not installed
    r = runner.invoke(cli, ["--db", str(dbfile), "optimize"])
    assert r.exit_code == 1 and "prep[optimize]" in r.output and "Traceback" not in r.output
    assert "parameters = fitted by prep optimize (21 values)" in runner.invoke(cli, ["--db", str(dbfile), "config"]).output
    r = runner.invoke(cli, ["--db", str(dbfile), "config", "parameters", "1,2"])
    assert r.exit_code == 1 and "prep optimize" in r.output
