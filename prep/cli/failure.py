"""How a failed command tells the user: one sentence on stderr, in the knowledge base's
language, never a traceback. The language is found without opening the database (the
failure may be the database's) and is English when even that cannot be known: no KB, a
bad PREP_LANG, an unreadable prep.toml."""

from __future__ import annotations

import sqlite3

import click

from prep.cli.base import Ctx
from prep.errors import ContentErrors, PrepError
from prep.kb.vocab import count, say

WORDS: dict[str, dict[str, str]] = {
    "error": {"zh": "错误：{text}", "en": "Error: {text}"},
    "content_errors": {"zh": "知识库里有 {n} 处错误；数据库没有改动。", "en": "{errors} in the knowledge base; the database was not changed."},
    "the_database": {"zh": "数据库", "en": "the database"},
}


def error_lang(ctx: click.Context) -> str:
    """The language to report a failure in; English when even that cannot be known."""
    obj = ctx.obj
    try:
        return obj.quiet_lang() if isinstance(obj, Ctx) else "en"
    except Exception:  # a message must never fail in its turn
        return "en"


def tell(ctx: click.Context, e: Exception) -> None:
    """Print the sentence for `e` (content errors, PrepError, SQLite or OS failures)."""
    lang = error_lang(ctx)
    if isinstance(e, ContentErrors):
        for err in e.errors:  # the content's own messages stay English, as the schema's keys do
            click.secho(str(err), fg="red", err=True)
        click.echo(say(WORDS, "content_errors", lang, n=len(e.errors), errors=count(len(e.errors), "error")), err=True)
        return
    if isinstance(e, PrepError):
        text = e.text(lang)
    elif isinstance(e, sqlite3.Error):
        from prep.index.db import sqlite_message

        text = sqlite_message(db_name(ctx, lang), e, lang)
    else:  # OSError: disk full, a file-size limit, a read-only folder
        from prep.fsio import os_sentence

        text = os_sentence(e, lang) if isinstance(e, OSError) else str(e)
    click.secho(say(WORDS, "error", lang, text=text), fg="red", err=True)


def db_name(ctx: click.Context, lang: str) -> str:
    """The database file a SQLite error came from, as well as can be told."""
    obj = ctx.obj
    if getattr(obj, "db_file", None) is not None:
        return str(obj.db_file)
    db = getattr(obj, "_db", None)
    try:
        row = db.execute("PRAGMA database_list").fetchone() if db is not None else None
    except sqlite3.Error:
        row = None
    return row[2] if row and row[2] else say(WORDS, "the_database", lang)
