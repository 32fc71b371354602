"""The one-line audit summary the dashboard shows, and when to recompute it.

The audit reads every card's text (seconds at 50k cards), but its flags depend on the
content only: the line is kept in `meta` beside the `content_version` it was computed
for, and recomputed only after a sync changed the content.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from prep.audit.report import audit, remember, summary_line
from prep.index.conn import Database
from prep.index.db import get_meta, own_connection, set_meta, transaction
from prep.study.srs import Settings

HINT = {"en": " — run prep audit for details", "zh": " — 详情见 prep audit"}


def cached(db: Database, lang: str | None = None) -> str | None:
    """The summary line, if one was computed for the current content (and in `lang`)."""
    line = get_meta(db, "audit_summary")
    if lang is not None and get_meta(db, "audit_summary_lang", "en") != lang:
        return None
    return line if line and get_meta(db, "audit_version") == get_meta(db, "content_version", "0") else None


def compute(db: Database, now: dt.datetime, settings: Settings | None = None, lang: str = "zh") -> str:
    """Run the audit and cache its line. Slow: callers run it off the UI thread. It works
    on its own connection to the same file (safe within a process), so the caller's
    connection stays free for the UI."""
    with own_connection(db) as own:
        version = get_meta(own, "content_version", "0")
        report = audit(own, now, settings, lang)
        line = summary_line(report, HINT.get(lang, HINT["en"]), lang)
        try:
            with transaction(own):
                remember(own, report, version)  # readiness uses its contradiction/assumption counts
                set_meta(own, "audit_summary", line)
                set_meta(own, "audit_summary_lang", lang)
                set_meta(own, "audit_version", version)
        except sqlite3.OperationalError:
            pass  # another process holds the write lock: shown now, cached next time
        return line
