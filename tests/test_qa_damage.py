"""A database damaged past its first page: the error names the real file and its backups."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli


def test_a_damaged_table_names_the_database_file(kb, prep_home):
    assert CliRunner().invoke(cli, ["--kb", str(kb), "stats"]).exit_code == 0
    path = kb_db_file(prep_home, kb)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'meta'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # overwrite the meta table's page, as a bad sector would
        f.seek((page - 1) * size)
        f.write(b"\xde\xad\xbe\xef" * (size // 4))
    result = CliRunner().invoke(cli, ["--kb", str(kb), "stats"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}: the database is damaged" in result.output
    assert f"backups would be named {path.name}.before-*.bak" in result.output
