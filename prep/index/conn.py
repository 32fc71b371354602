"""The database handle every layer passes around, without importing sqlite_utils.

`prep stats` should cost little more than `python -c pass`; importing sqlite_utils
alone costs ~50 ms, more than the whole command's work. The read and study paths use
three things of `sqlite_utils.Database`: `conn`, `execute` and `query`. This class
gives exactly those over the same sqlite3 connection (opened in autocommit mode, so
`execute` behaves as sqlite_utils' does), and hands anything else (`table_names`,
`db["t"]`, migrations) to a real `sqlite_utils.Database`, made on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

Params = Sequence[Any] | dict[str, Any] | None


class Database:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._full: sqlite_utils.Database | None = None
        # what sqlite_utils.Database(conn) sets, so both handles see the same connection state
        conn.execute("PRAGMA recursive_triggers=on")

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts, fetched lazily (the SQL runs at once, as in sqlite_utils)."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def close(self) -> None:
        self.conn.close()

    @property
    def full(self) -> sqlite_utils.Database:
        """A sqlite_utils.Database on the same connection."""
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn)
        return self._full

    def __getitem__(self, table: str) -> Any:
        return self.full[table]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.full, name)
