"""{{fact:ID}} read from the index: each fact once, when first cited, and always the index's
current text (a fact edited and synced reads anew in the next view)."""

from __future__ import annotations

import shutil
from pathlib import Path

from prep.index.db import open_db
from prep.index.facts import Citations
from prep.index.sync import sync

NORTHWIND = Path(__file__).parent / "data" / "northwind"


def test_citations_resolve_each_fact_once_and_follow_the_index(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(NORTHWIND, root)
    db = open_db(tmp_path / "t.db")
    sync(db, root)
    calls: list[str] = []
    db.conn.set_trace_callback(calls.append)
    cite = Citations(db)
    assert cite("plain text", "en") == "plain text"
    assert not calls  # nothing is read until a text cites a fact (one view per item of an export)
    db.conn.set_trace_callback(None)
    assert cite("lag {{fact:northwind.cdc.lag}}.", "en").startswith("lag [p95 end-to-end lag under 5 minutes")
    assert cite("lag {{fact:northwind.cdc.lag}}.", "en").endswith("]{.assumed}.")  # an assumed fact stays an assumption
    assert cite("no such {{fact:northwind.nope}}", "en") == "no such {{fact:northwind.nope}}"
    assert cite("plain text", "en") == "plain text"
    # Read once: a second citation of the same fact asks the index nothing more.
    db.conn.set_trace_callback(calls.append)
    cite("again {{fact:northwind.cdc.lag}} and {{fact:northwind.nope}}", "en")
    db.conn.set_trace_callback(None)
    assert not [c for c in calls if "facts" in c]
    # An edit, synced: a new view reads the new text.
    resume = root / "stories" / "resume.yaml"
    resume.write_text(resume.read_text(encoding="utf-8").replace("p95 end-to-end lag under 5 minutes", "p95 lag under 4 minutes"), encoding="utf-8")
    sync(db, root)
    assert "p95 lag under 4 minutes" in Citations(db)("{{fact:northwind.cdc.lag}}", "en")
