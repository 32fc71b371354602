"""Claim facts in the index, and the one place that reads them back.

A fact is rendered wherever it is cited (`{{fact:ID}}`: TUI, Anki, sheets, Markdown
export, `prep show`), and the audit holds every figure against the facts of its claim,
so both need them without loading the knowledge base: the sync rewrites this small
table from the files each time, and readers get a typed row per fact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from prep.index.conn import Database
from prep.index.db import dumps, loads
from prep.kb.marks import resolve


@dataclass(frozen=True)
class FactRow:
    id: str
    claim: str
    text: Any  # str | {zh, en}
    figure: str | None
    status: str  # confirmed | assumed
    source: str | None
    file: str
    line: int


def write_facts(conn: sqlite3.Connection, kb) -> None:
    """Replace the facts table with the knowledge base's facts (inside the sync's transaction)."""
    conn.execute("DELETE FROM facts")
    rows = []
    for cid, claim in kb.claims.items():
        for pos, f in enumerate(claim.facts):
            file, line = kb.where.get(("fact", f.id), kb.where[("claim", cid)])
            rows.append((f.id, cid, dumps(f.text), f.figure, f.status, f.source, file, line, pos))
    conn.executemany("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?,?,?,?)", rows)


def facts(db: Database, claim: str | None = None) -> list[FactRow]:
    """Every fact (or one claim's), in resume order."""
    where, params = ("WHERE claim = ?", [claim]) if claim else ("", [])
    sql = f"SELECT id, claim, text, figure, status, source, file, line FROM facts {where} ORDER BY rowid"
    return [FactRow(r[0], r[1], loads(r[2]), r[3], r[4], r[5], r[6], r[7]) for r in db.execute(sql, params)]


class _Cited(Mapping[str, tuple[Any, str]]):
    """id -> (text, status) of the facts texts cite, read from the index when first cited.
    `prep show` and the Markdown export make one per item: loading every fact each time
    was most of a 500-card export (635 loads of every fact)."""

    def __init__(self, db: Database):
        self.db = db
        self._seen: dict[str, tuple[Any, str] | None] = {}

    def __getitem__(self, fid: str) -> tuple[Any, str]:
        if fid not in self._seen:
            row = self.db.execute("SELECT text, status FROM facts WHERE id = ?", [fid]).fetchone()
            self._seen[fid] = (loads(row[0]), row[1]) if row else None
        found = self._seen[fid]
        if found is None:
            raise KeyError(fid)
        return found

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.execute("SELECT id FROM facts ORDER BY rowid"))

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM facts").fetchone()[0]


class Citations:
    """Resolves `{{fact:ID}}` in texts read from the index; each fact is read once, when
    first cited."""

    def __init__(self, db: Database):
        self._facts = _Cited(db)

    def __call__(self, text: str, lang: str) -> str:
        return resolve(text, self._facts, lang)
