"""A damaged page: a sentence naming `prep doctor`, and a doctor that repairs the search
index (derived data) and names the backups when the review history itself is hit."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from prep.cli import cli
from prep.index.db import open_db
from prep.index.sync import sync
from prep.study import engine
from prep.study.srs import Settings


def damaged(tmp_path: Path, kb: Path, table: str) -> tuple[Path, list]:
    """A synced database with one answer, and the root page of `table` overwritten."""
    path = tmp_path / "prep.db"
    db = open_db(path)
    sync(db, kb)
    engine.record_answer(db, "card", "tw.basic", 3, dt.datetime(2026, 11, 24, tzinfo=dt.UTC), settings=Settings(enable_fuzzing=False))
    db.close()  # the last connection: the WAL is folded into the file
    conn = sqlite3.connect(path)
    log = conn.execute("SELECT * FROM review_log").fetchall()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # no connection is open in this process
        f.seek((root - 1) * size)
        f.write(b"\xde\xad" * (size // 2))
    return path, log


def test_a_damaged_search_index_is_found_and_rebuilt(tmp_path, kb):
    path, log = damaged(tmp_path, kb, "search_data")
    runner = CliRunner()
    args = ["--kb", str(kb), "--db", str(path)]
    result = runner.invoke(cli, [*args, "search", "时间轮"])
    assert result.exit_code == 1
    assert "the database is damaged" in result.stderr and "Run `prep doctor`" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(cli, [*args, "doctor"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Database: {path}"
    assert any(line.startswith("search index: damaged") for line in lines)
    assert "search index: rebuilt (it is refilled from the items by the next sync)" in lines
    assert "quick_check after repair: ok" in lines
    assert lines[-1].startswith("search index: refilled from the knowledge base")
    result = runner.invoke(cli, [*args, "search", "时间轮"])
    assert result.exit_code == 0 and "tw.basic" in result.stdout
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT * FROM review_log").fetchall() == log
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = runner.invoke(cli, [*args, "doctor"])
    assert (result.exit_code, result.stdout.splitlines()[1]) == (0, "quick_check: ok; search index: ok")


def test_damaged_review_history_names_the_backups(tmp_path, kb):
    path, _ = damaged(tmp_path, kb, "review_log")
    backup = tmp_path / "prep.db.before-m999-20260101T000000.bak"
    backup.write_bytes(b"")
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(path), "doctor"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.splitlines()[-1] == (
        f"your review history may be affected: restore a backup (newest last): {backup}; keep the damaged file aside first"
    )
