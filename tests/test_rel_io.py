"""A full disk (a file-size limit in a child process), a read-only database and bad output
paths: each is one sentence with exit status 1, and nothing already saved changes."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_rel_db import dump, old_db

from prep.cli import cli
from prep.index.db import open_db
from prep.index.sync import sync

REPO = Path(__file__).resolve().parent.parent


def run_limited(args: list[str], limit: int) -> subprocess.CompletedProcess:
    """`prep ARGS` in a child process that may not write past `limit` bytes in any file."""

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "prep", *args], capture_output=True, text=True, env=env, preexec_fn=limit_files, timeout=120)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def synced(tmp_path, kb):
    """A synced database that this process keeps open, as a running TUI would: its WAL and
    shared-memory files exist, so a child limited to a few bytes can still open it."""
    path = tmp_path / "prep.db"
    db = open_db(path)
    sync(db, kb)
    yield path
    db.close()


def test_markdown_export_on_a_full_disk_keeps_the_old_file(tmp_path, kb, synced):
    out = tmp_path / "out" / "kb.md"
    out.parent.mkdir()
    out.write_text("the previous export\n", encoding="utf-8")
    before = dump(synced)
    result = run_limited(["--kb", str(kb), "--db", str(synced), "export", "markdown", "-o", str(out)], 1024)
    assert result.returncode == 1, result.stderr
    assert one_line(result.stderr) == (
        f"Error: {out}: could not write the file: File too large (a file-size limit or a full disk); nothing was replaced"
    )
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["kb.md"]  # no temporary file left
    assert dump(synced) == before


def test_anki_export_on_a_full_disk_leaves_nothing(tmp_path, kb, synced):
    out = tmp_path / "out" / "kb.apkg"
    out.parent.mkdir()
    result = run_limited(["--kb", str(kb), "--db", str(synced), "export", "anki", "-o", str(out)], 2048)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert one_line(result.stderr).startswith(f"Error: {out}: could not write the file: ")
    assert list(out.parent.iterdir()) == []


def test_an_answer_on_a_full_disk_is_a_sentence_and_loses_nothing(tmp_path, kb, synced):
    before = dump(synced)
    wal = Path(f"{synced}-wal")
    result = run_limited(["--kb", str(kb), "--db", str(synced), "config", "new_per_day", "5"], wal.stat().st_size)
    assert result.returncode == 1, result.stderr
    assert one_line(result.stderr) == (
        f"Error: {synced}: the disk is full (or a file-size limit was reached); the last change was not saved, everything before it is kept"
    )
    assert dump(synced) == before


@pytest.mark.parametrize("limit", [0, 40_000])
def test_a_new_database_on_a_full_disk_says_so_and_opens_later(tmp_path, kb, limit):
    """SQLite says only "disk I/O error" when it cannot create or grow the file."""
    db = tmp_path / "new" / "prep.db"
    result = run_limited(["--kb", str(kb), "--db", str(db), "stats"], limit)
    assert result.returncode == 1, result.stderr
    assert "the disk is full (or a file-size limit was reached)" in one_line(result.stderr)
    assert one_line(result.stderr).startswith(f"Error: {db}: ") and "Traceback" not in result.stderr
    again = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(db), "stats"])  # room again
    assert again.exit_code == 0, again.output


def test_a_backup_that_does_not_fit_leaves_no_backup_and_an_unchanged_db(tmp_path):
    path = tmp_path / "old.db"
    old_db(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE filler (x)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,)] * 100)
    conn.commit()
    conn.close()
    before = dump(path)
    code = "import sys; from prep.index.db import open_db; open_db(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    size = path.stat().st_size
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2)),
    )
    assert result.returncode == 1
    assert "could not write the backup before upgrading the database" in result.stderr
    assert "nothing was changed" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if "bak" in p.name or "partial" in p.name) == []
    assert dump(path) == before


@pytest.fixture
def read_only(synced):
    """The database file made read-only (immutable for root, who ignores permissions)."""
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(synced)]).returncode:
            pytest.skip("cannot make a file immutable here")
        yield synced
        subprocess.run(["chattr", "-i", str(synced)], check=True)
    else:
        synced.chmod(0o444)
        yield synced
        synced.chmod(0o644)


def test_a_read_only_database_is_a_sentence(kb, read_only):
    before = dump(read_only)
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(read_only), "config", "new_per_day", "5"])
    assert result.exit_code == 1, result.output
    assert one_line(result.stderr) == (
        f"Error: {read_only}: the database is read-only; prep needs to write to it (check the file's and its folder's permissions)"
    )
    assert dump(read_only) == before


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null"])
def test_exports_never_replace_a_device(kb, tmp_path, synced, target):
    for args in (["export", "markdown", "-o", target], ["export", "anki", "-o", target]):
        result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(synced), *args])
        assert result.exit_code == 1, result.output
        assert one_line(result.stderr) == (f"Error: {target}: not a regular file; prep only replaces regular files. Choose another output path.")
    assert Path(target).is_char_device()


def test_export_into_a_missing_folder_is_a_sentence(kb, synced):
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(synced), "export", "markdown", "-o", "/nonexistent/x.md"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == "Error: /nonexistent/x.md: the folder /nonexistent does not exist"


def test_draw_into_a_read_only_place_is_a_sentence(kb, synced, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(synced), "draw", "--seed", "1", "--out", str(blocker / "sheets")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == f"Error: {blocker / 'sheets'}: cannot create the folder (Not a directory)"


def test_temporary_files_of_a_killed_export_are_cleaned_up(kb, tmp_path, synced):
    out = tmp_path / "out" / "kb.md"
    out.parent.mkdir()
    stale = out.parent / ".kb.md.abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    os.utime(stale, (0, 0))  # left by an export killed long ago
    fresh = out.parent / ".kb.md.def456.tmp"  # perhaps an export running right now
    fresh.write_bytes(b"y")
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--db", str(synced), "export", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == [".kb.md.def456.tmp", "kb.md"]
