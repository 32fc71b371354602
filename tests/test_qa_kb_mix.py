"""`--db` at another knowledge base's database: refused, both files unchanged.

Each KB has its own database; pointed at another KB's file with --db, a sync would
archive that KB's items and count both KBs' answers as one history."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def dump(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def test_another_kbs_database_is_refused_and_left_unchanged(tmp_path, prep_home, kb):
    en = tmp_path / "en"
    assert run("init", str(en), "--lang", "en").exit_code == 0
    assert run("--kb", str(en), "stats").exit_code == 0
    assert run("--kb", str(kb), "stats").exit_code == 0
    theirs, ours = kb_db_file(prep_home, en), kb_db_file(prep_home, kb)
    before = dump(theirs), dump(ours)

    for args in (("--kb", str(kb), "--db", str(theirs), "stats"), ("--kb", str(en), "--db", str(ours), "list")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "holds the review history of knowledge base" in result.output
        assert "Traceback" not in result.output
    assert (dump(theirs), dump(ours)) == before

    # A new file given with --db becomes that KB's, and its own KB keeps using it.
    fresh = tmp_path / "fresh.db"
    assert run("--kb", str(en), "--db", str(fresh), "stats").exit_code == 0
    assert run("--kb", str(en), "--db", str(fresh), "stats").exit_code == 0
    assert run("--kb", str(kb), "--db", str(fresh), "stats").exit_code == 1


def test_help_names_where_each_kbs_database_is():
    out = run("--help").output
    assert "kbs/<KB id>.db" in out and "prep.db" not in out


def test_pinning_a_kb_keeps_the_history_it_already_has(kb, prep_home):
    import json

    from prep.index.db import open_db, utcnow
    from prep.study import engine

    (kb / "prep.toml").unlink()
    assert run("--kb", str(kb), "stats").exit_code == 0
    db = open_db(kb_db_file(prep_home, kb))
    engine.record_answer(db, "card", "perf.p99", 3, utcnow())
    db.conn.close()
    assert run("init", str(kb)).exit_code == 0
    stats = json.loads(run("--kb", str(kb), "stats", "--json").output)
    assert stats["reviews"] == 1
