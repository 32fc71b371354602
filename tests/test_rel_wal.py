"""The TUI and a second prep process on one database: no answer may be lost.

Closing any file descriptor on a SQLite file drops every POSIX lock the process holds
on it (sqlite.org/howtocorrupt.html, 2.2). If prep ever open()s its own database file
while a connection is open, the next process believes it is alone, checkpoints and
deletes the WAL under the first one, and every later answer vanishes. These tests run
the real scenario: a process holding the database as the TUI does, a second OS process
(`prep stats`), answers checked from a third process and after kill -9.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_app, write

from prep.errors import PrepError
from prep.index.db import open_db
from prep.index.sync import sync
from prep.study.srs import Settings
from prep.tui.app import PrepApp
from prep.tui.screens.review import ReviewScreen

HOLDER = Path(__file__).with_name("_holder.py")
REPO = Path(__file__).resolve().parent.parent


def env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def prep_stats(db_path: Path, kb: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "prep", "--kb", str(kb), "--db", str(db_path), "stats"], capture_output=True, text=True, env=env(), timeout=60
    )
    assert out.returncode == 0, out.stderr


def seen_by_another_process(db_path: Path) -> tuple[int, str]:
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "print(c.execute('SELECT count(*) FROM review_log').fetchone()[0]);"
        "print(c.execute('PRAGMA integrity_check').fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    count, check = out.stdout.split()
    return int(count), check


def test_answers_survive_a_second_process_and_kill_9(tmp_path, kb):
    db_path = tmp_path / "prep.db"
    holder = subprocess.Popen(
        [sys.executable, str(HOLDER), str(db_path), str(kb)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    try:
        assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
        prep_stats(db_path, kb)  # the second process opens and closes the database
        ids = []
        for _ in range(5):
            holder.stdin.write("answer\n")
            holder.stdin.flush()
            ids.append(int(holder.stdout.readline().split()[1]))
        assert seen_by_another_process(db_path) == (5, "ok")
        prep_stats(db_path, kb)
        assert Path(f"{db_path}-wal").exists()  # the holder still has it open
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert seen_by_another_process(db_path) == (5, "ok")
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT id FROM review_log ORDER BY id")] == ids


def test_tui_answers_are_visible_to_another_process(tmp_path, kb, now):
    write(kb, "decks/more.yaml", "name: More\ncards:\n" + "".join(f"  - id: more.c{i}\n    q: Question {i}?\n    a: Answer {i}.\n" for i in range(3)))
    db_path = tmp_path / "prep.db"
    db = open_db(db_path)
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=Settings(enable_fuzzing=False))

    async def steps(pilot):
        await app.workers.wait_for_complete()  # the dashboard's audit worker opened its own connection
        await pilot.pause()
        prep_stats(db_path, kb)
        await pilot.press("s")
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(5):
            await pilot.press("space", "3")
        assert seen_by_another_process(db_path) == (5, "ok")
        prep_stats(db_path, kb)
        assert seen_by_another_process(db_path) == (5, "ok")

    run_app(app, steps)
    db.close()
    assert seen_by_another_process(db_path) == (5, "ok")


@pytest.mark.parametrize(("lang", "says"), [("en", "Not saved: the database is busy"), ("zh", "没有保存：数据库正忙（另一个 prep 进程正在写入）")])
def test_a_locked_database_while_rating_is_a_message(tmp_path, kb, now, lang, says):
    db_path = tmp_path / "prep.db"
    db = open_db(db_path)
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=Settings(enable_fuzzing=False), lang=lang)
    holder = sqlite3.connect(db_path, isolation_level=None)

    async def steps(pilot):
        await app.workers.wait_for_complete()
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.current
        holder.execute("BEGIN IMMEDIATE")  # another process writing
        await pilot.press("space", "3")
        assert screen.current == first and screen.revealed  # still on the card, nothing lost
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(says) for m in messages), messages
        holder.execute("ROLLBACK")
        await pilot.press("3")  # rating again once the lock is free
        assert screen.current != first

    run_app(app, steps)
    holder.close()
    assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("lang", "says"), [("en", ": database error (no such table: review_state)"), ("zh", "：数据库错误（no such table: review_state）")]
)
def test_a_database_failure_in_the_tui_is_a_sentence(tmp_path, kb, now, lang, says):
    from prep.tui.app import FailureSentence

    db_path = tmp_path / "prep.db"
    db = open_db(db_path)
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=Settings(enable_fuzzing=False), lang=lang)

    async def steps(pilot):
        await app.workers.wait_for_complete()
        db.execute("DROP TABLE review_state")  # the queue cannot be built now
        await pilot.press("s")

    with pytest.raises(FailureSentence) as failure:
        run_app(app, steps)
    assert str(failure.value) == f"{db_path}{says}"
    assert app.return_code == 1


def test_a_tui_failure_is_said_in_the_app_language(tmp_path):
    from prep.tui.app import FailureSentence, _sentence

    db = open_db(tmp_path / "prep.db")
    full = OSError(28, "No space left on device", str(tmp_path / "x"))
    assert _sentence(db, full, "zh") == f"{tmp_path / 'x'}：磁盘空间不足；没有丢失任何内容"
    assert _sentence(db, full, "en") == f"{tmp_path / 'x'}: No space left on device; nothing was lost"
    assert _sentence(db, PrepError("no such log", zh="没有这份记录"), "zh") == "没有这份记录"
    assert FailureSentence("x", "zh").__rich__().plain == "错误：x"
    assert FailureSentence("x").__rich__().plain == "Error: x"
