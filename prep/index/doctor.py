"""`prep doctor`: check the database and repair what can be repaired (Anki's Check Database).

A damaged page must never be met by a traceback, nor silently written over. The doctor
runs SQLite's `quick_check` and FTS5's own integrity check on its own connection (it
works on files `open_db` refuses), rebuilds the search index when that is what is damaged
(it is derived data: the next sync refills it from the items), compacts the file, checks
again, and says which backups exist when the review history itself is damaged.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from prep.errors import PrepError
from prep.index.db import LONG_WAIT_S, backups

SEARCH = "search"


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)  # quick_check before any repair
    search_problem: str | None = None  # FTS5 integrity-check before any repair
    search_rebuilt: bool = False
    compacted: bool = False
    remaining: list[str] = field(default_factory=list)  # quick_check after repair
    backups: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.remaining

    def lines(self) -> list[str]:
        out = [f"Database: {self.path}"]
        if not self.problems and not self.search_problem:
            out.append("quick_check: ok; search index: ok")
        for p in self.problems[:10]:
            out.append(f"quick_check: {p}")
        if len(self.problems) > 10:
            out.append(f"quick_check: ... and {len(self.problems) - 10} more")
        if self.search_problem:
            out.append(f"search index: damaged ({self.search_problem})")
        if self.search_rebuilt:
            out.append("search index: rebuilt (it is refilled from the items by the next sync)")
        if self.compacted:
            out.append("file compacted (VACUUM): damaged free pages dropped")
        if self.remaining:
            out.append(f"still damaged after repair: {'; '.join(self.remaining[:3])}")
            out.append(f"your review history may be affected: {self._backup_hint()}")
        elif self.problems or self.search_problem:
            out.append("quick_check after repair: ok")
        return out

    def _backup_hint(self) -> str:
        if not self.backups:
            return "no backup exists (backups are written before each schema upgrade)"
        names = ", ".join(str(b) for b in self.backups[-3:])
        return f"restore a backup (newest last): {names}; keep the damaged file aside first"


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as e:
        return [str(e)]
    return [] if rows == ["ok"] else rows


def _search_check(conn: sqlite3.Connection) -> str | None:
    try:
        conn.execute(f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as e:
        return str(e)
    return None


SHADOWS = tuple(f"{SEARCH}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config"))


def _rebuild_search(conn: sqlite3.Connection) -> bool:
    """Forget the search table and its FTS5 shadow tables, drop their pages with VACUUM,
    and recreate the table from its own definition, marked stale for the next sync.

    A damaged FTS5 table cannot even be dropped (its constructor fails), so its schema
    rows are removed directly; VACUUM then rewrites the file without the orphaned pages."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [SEARCH]).fetchone()
    if not row:
        return False
    names = (SEARCH, *SHADOWS)
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(f"DELETE FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})", names)
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return False
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    with contextlib.suppress(sqlite3.DatabaseError):  # other damage: the second quick_check reports it
        conn.execute("VACUUM")
    conn.execute(row[0])
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stale', '1')")
    return True


def check(path: Path) -> Report:
    """Check the database at `path`, repair the derived parts, and report."""
    path = Path(path)
    if not path.is_file():
        raise PrepError(f"{path}: no database here (nothing to check)", zh=f"{path}：这里没有数据库（没有可检查的）")
    report = Report(path=path, backups=backups(path))
    conn = sqlite3.connect(path, isolation_level=None, timeout=LONG_WAIT_S)
    try:
        report.problems = _quick_check(conn)
        if any("not a database" in p for p in report.problems):
            report.remaining = report.problems
            return report
        report.search_problem = _search_check(conn)
        if report.problems or report.search_problem:
            report.search_rebuilt = _rebuild_search(conn)
            after = _quick_check(conn)
            if after:
                try:
                    conn.execute("VACUUM")
                    report.compacted = True
                except sqlite3.DatabaseError:
                    pass
                after = _quick_check(conn)
            report.remaining = after
    finally:
        conn.close()
    return report
