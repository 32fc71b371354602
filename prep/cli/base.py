"""What every `prep` command shares: the chosen knowledge base and database, JSON output,
the --lang option, and the group that turns errors into sentences.

Kept light on purpose: `prep --help` must not pay for textual, genanki or anki, so
every heavy import happens inside the command that needs it.
"""

from __future__ import annotations

import json

import click

from prep.errors import ContentErrors, PrepError

LANG = click.Choice(["zh", "en"])


class Ctx:
    """What commands share: the chosen knowledge base and the database, opened on demand."""

    def __init__(self, kb: str | None, db: str | None, lang: str):
        self.kb_arg, self.db_arg, self.lang = kb, db, lang
        self._db = None
        self._kb = None

    @property
    def kb(self):
        if self._kb is None:
            from prep.paths import find_kb

            self._kb = find_kb(self.kb_arg)
        return self._kb

    @property
    def db(self):
        if self._db is None:
            from prep.index.db import open_db

            self._db = open_db(self.db_path)
        return self._db

    @property
    def db_path(self):
        """This KB's own database (or --db); the first time, it takes over the history
        of the database all KBs used to share, if that history is this KB's."""
        from prep.paths import builtin_kb, data_dir, db_path

        path = db_path(self.db_arg, self.kb)
        if not self.db_arg and not path.exists():
            from prep.index.legacy import adopt_legacy

            kept = adopt_legacy(data_dir(), path, self.kb.path, self.kb.reason == "built-in" or self.kb.path == builtin_kb())
            if kept:
                click.echo(f"Moved this knowledge base's review history to {path} (the shared database is kept as {kept}).", err=True)
        return path

    def announce(self, db: bool = True) -> None:
        """Say which knowledge base (and database) this command works on."""
        click.echo(f"Knowledge base: {self.kb.describe()}", err=True)
        if db:
            click.echo(f"Database: {self.db_path}", err=True)

    def synced(self, quiet: bool = True):
        """The database, with the knowledge base indexed (cheap when nothing changed)."""
        from prep.index.sync import sync

        result = sync(self.db, self.kb.path)
        if not quiet:
            self.announce()
        return self.db, result


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def lang_option(f):
    return click.option("--lang", type=LANG, default=None, help="Language of text fields (falls back to the other).")(f)


def resolve_lang(ctx: Ctx, lang: str | None) -> str:
    return lang or ctx.lang


class PrepGroup(click.Group):
    """Turns content and user errors into clear messages and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ContentErrors as e:
            for err in e.errors:
                click.secho(str(err), fg="red", err=True)
            click.echo(f"{len(e.errors)} error(s) in the knowledge base; the database was not changed.", err=True)
            ctx.exit(1)
        except PrepError as e:
            click.secho(f"Error: {e}", fg="red", err=True)
            ctx.exit(1)
