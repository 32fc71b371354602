"""`sqlite_utils.Migrations`, registered and checked without importing sqlite_utils.

Every command opens the database and asks whether a migration is pending; asking must
not cost the ~50 ms import of sqlite_utils. Registration and the applied/pending
questions here read the same `_sqlite_migrations` table with plain SQL; applying hands
the same functions, in the same order, to a real `sqlite_utils.Migrations`, so the
schema is still written by sqlite_utils exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

F = TypeVar("F", bound=Callable[..., None])


# NamedTuples, not dataclasses: every command builds these, and a dataclass costs ~0.4 ms to create
class Migration(NamedTuple):
    name: str
    fn: Callable[..., None]
    transactional: bool = True


class Applied(NamedTuple):
    name: str
    applied_at: str


class Migrations:
    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable[[F], F]:
        def inner(fn: F) -> F:
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration '{migration_name}' is already registered in set '{self.name}'")
            self._migrations.append(Migration(migration_name, fn, transactional))
            return fn

        return inner

    def applied(self, db: Any) -> list[Applied]:
        """Applied migrations in order (read-only)."""
        exists = db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [self.migrations_table]).fetchone()
        if not exists:
            return []
        rows = db.conn.execute(f"SELECT name, applied_at FROM {self.migrations_table} WHERE migration_set = ? ORDER BY rowid", [self.name])
        return [Applied(name, applied_at) for name, applied_at in rows]

    def pending(self, db: Any) -> list[Migration]:
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Any, **kwargs: Any) -> None:
        """Apply what is pending, with sqlite_utils (each migration in its own transaction)."""
        import sqlite_utils
        from sqlite_utils.migrations import Migrations as Real

        real = Real(self.name)
        for m in self._migrations:
            real(name=m.name, transactional=m.transactional)(m.fn)
        full = db if isinstance(db, sqlite_utils.Database) else db.full
        real.apply(full, **kwargs)
