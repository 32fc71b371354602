"""`prep log export/import`: two machines merge their review history idempotently and
end with the same FSRS state; bad or foreign logs are refused whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from click.testing import CliRunner

from prep.cli import cli
from prep.index.db import open_db
from prep.index.sync import sync
from prep.study.engine import get_state, load_settings, record_answer, save_settings

H = dt.timedelta(hours=1)


def _machine(path, kb, now):
    db = open_db(path)
    sync(db, kb, now=now)
    save_settings(db, dataclasses.replace(load_settings(db), enable_fuzzing=False))
    return db


def _count(path) -> int:
    return open_db(path).execute("SELECT count(*) FROM review_log").fetchone()[0]


def test_two_machines_merge_both_ways_once(kb, tmp_path, now):
    a, b = _machine(tmp_path / "a.db", kb, now), _machine(tmp_path / "b.db", kb, now)
    record_answer(a, "card", "tw.basic", 3, now - 48 * H)
    record_answer(a, "card", "tw.hier", 1, now - 47 * H)
    record_answer(b, "card", "tw.basic", 2, now - 20 * H)  # the same card, studied on the other machine
    record_answer(b, "card", "tw.basic", 3, now + H, mode="cram")
    run = CliRunner()
    base_a = ["--kb", str(kb), "--db", str(tmp_path / "a.db")]
    base_b = ["--kb", str(kb), "--db", str(tmp_path / "b.db")]

    assert run.invoke(cli, [*base_a, "log", "export", "-o", str(tmp_path / "a.jsonl")]).exit_code == 0
    r = run.invoke(cli, [*base_b, "log", "import", str(tmp_path / "a.jsonl")])
    assert r.exit_code == 0 and "2 new answers on 2 items, 0 already here" in r.output, r.output
    r = run.invoke(cli, [*base_b, "log", "import", str(tmp_path / "a.jsonl")])
    assert "0 new answers" in r.output and "2 already here" in r.output
    assert _count(tmp_path / "b.db") == 4

    assert run.invoke(cli, [*base_b, "log", "export", "-o", str(tmp_path / "b.jsonl")]).exit_code == 0
    r = run.invoke(cli, [*base_a, "log", "import", str(tmp_path / "b.jsonl")])
    assert "2 new answers on 1 item, 2 already here" in r.output, r.output
    assert _count(tmp_path / "a.db") == 4
    a, b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    for item in ("tw.basic", "tw.hier"):
        sa, sb = get_state(a, "card", item), get_state(b, "card", item)
        assert sa is not None and sb is not None
        assert {k: sa[k] for k in ("fsrs", "due", "reps", "lapses")} == {k: sb[k] for k in ("fsrs", "due", "reps", "lapses")}
    assert get_state(a, "card", "tw.basic")["reps"] == 2  # the cram answer never counts


def test_bad_and_foreign_logs_are_refused_and_nothing_written(kb, tmp_path, now):
    a = _machine(tmp_path / "a.db", kb, now)
    record_answer(a, "card", "tw.basic", 3, now)
    run = CliRunner()
    base = ["--kb", str(kb), "--db", str(tmp_path / "a.db")]
    out = run.invoke(cli, [*base, "log", "export"]).output.splitlines()
    header, row = json.loads(out[0]), json.loads(out[1])
    bad = tmp_path / "bad.jsonl"
    row2 = dict(row, source_id="x:1", rating=7)
    bad.write_text("\n".join([json.dumps(header), json.dumps(dict(row, source_id="x:2")), json.dumps(row2), "{oops"]) + "\n")
    r = run.invoke(cli, [*base, "log", "import", str(bad)])
    assert r.exit_code == 1 and f"{bad}:3: rating: must be 1-4" in r.output and f"{bad}:4:" in r.output
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text(json.dumps(dict(header, kb="someone-else")) + "\n" + json.dumps(dict(row, source_id="x:3")) + "\n")
    r = run.invoke(cli, [*base, "log", "import", str(foreign)])
    assert r.exit_code == 1 and "not of this one" in r.output and "Traceback" not in r.output
    r = run.invoke(cli, [*base, "log", "import", str(tmp_path / "none.jsonl")])
    assert r.exit_code == 1 and "cannot read the log" in r.output
    assert _count(tmp_path / "a.db") == 1


def test_undo_after_merging_older_answers_restores_the_merged_state(kb, tmp_path, now):
    from prep.study import srs
    from prep.study.engine import undo
    from prep.study.replay import replay_state

    a, b = _machine(tmp_path / "a.db", kb, now), _machine(tmp_path / "b.db", kb, now)
    record_answer(b, "card", "tw.basic", 3, now - 30 * H)
    mine = record_answer(a, "card", "tw.basic", 4, now)  # the newest answer, given here
    run = CliRunner()
    assert run.invoke(cli, ["--kb", str(kb), "--db", str(tmp_path / "b.db"), "log", "export", "-o", str(tmp_path / "b.jsonl")]).exit_code == 0
    assert run.invoke(cli, ["--kb", str(kb), "--db", str(tmp_path / "a.db"), "log", "import", str(tmp_path / "b.jsonl")]).exit_code == 0
    a = open_db(tmp_path / "a.db")
    undo(a, mine)  # still the latest in time, though no longer the latest row
    settings = load_settings(a)
    expected = replay_state(srs.make_scheduler(settings), settings, "card", "tw.basic", [(now - 30 * H, 3)])
    state = get_state(a, "card", "tw.basic")
    assert expected is not None and state is not None and state["fsrs"] == expected["fsrs"] and state["reps"] == 1
