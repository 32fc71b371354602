"""What every `prep` command shares: the chosen knowledge base and database, JSON output,
the --lang option, and the group that turns errors into sentences.

Kept light on purpose: `prep --help` must not pay for textual, genanki or anki, so
every heavy import happens inside the command that needs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterable
from json.encoder import encode_basestring as _escape  # ensure_ascii=False's escaper (C)
from typing import TYPE_CHECKING, Any

import click

from prep.errors import ContentErrors, PrepError

if TYPE_CHECKING:
    from pathlib import Path

    from prep.index.conn import Database
    from prep.paths import KbChoice

LANGS = ("zh", "en")
LANG = click.Choice(LANGS)
CONFIG_LANG_KEY = "lang"
KB_ID_KEY = "kb_id"  # meta: the id (prep.toml) of the knowledge base this database belongs to

# The header lines a command prints on stderr (which knowledge base, which database), in
# the reader's language. Why the KB was chosen is a code of prep.paths (`built-in` is also
# compared below), so it is put in words here.
WORDS: dict[str, dict[str, str]] = {
    "kb": {"zh": "知识库：{title} [{id}]，位于 {path}（{reason}）", "en": "Knowledge base: {title} [{id}] at {path} ({reason})"},
    "db": {"zh": "数据库：{path}", "en": "Database: {path}"},
    "moved": {
        "zh": "已把这个知识库的复习记录移到 {path}（共用的数据库保留为 {kept}）。",
        "en": "Moved this knowledge base's review history to {path} (the shared database is kept as {kept}).",
    },
}
REASONS_ZH = {"--kb": "由 --kb 指定", "PREP_KB": "由 PREP_KB 指定", "found from the current directory": "从当前目录找到", "built-in": "内置"}


def content_lang(root) -> str:
    """The language a KB is written in, judged from its resume: zh if a good share of its
    letters are CJK. Reads bytes only, so it costs no parsing."""
    try:
        with open(root / "stories" / "resume.yaml", "rb") as f:
            data = f.read(65536)
    except OSError:
        return "en"
    # Counted in the bytes, in C: a CJK ideograph (U+4000-U+9FFF) is the one character whose
    # UTF-8 starts with 0xE4-0xE9. A loop over 64k decoded characters was ~5 ms of every
    # command on a KB whose prep.toml names no language.
    cjk = len(data) - len(data.translate(None, _CJK_LEADS))
    latin = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return "zh" if cjk * 3 >= latin * 0.3 and cjk > 0 else "en"


_CJK_LEADS = bytes(range(0xE4, 0xEA))
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))


class Ctx:
    """What commands share: the chosen knowledge base and the database, opened on demand."""

    def __init__(self, kb: str | None, db: str | None, lang: str | None):
        self.kb_arg, self.db_arg, self.lang_arg = kb, db, lang
        self._db: Database | None = None
        self._kb: KbChoice | None = None
        self._lang: str | None = None
        self.db_file: Path | None = None
        # False for commands that check files only (validate): they read `prep config lang`
        # from the database file if there is one, but never open, create or migrate it.
        self.opens_db = True

    @property
    def lang(self) -> str:
        """--lang, then PREP_LANG, then `prep config lang`, then the KB's default (prep.toml),
        then the language the content is written in."""
        if self._lang is None:
            self._lang = self.lang_arg or self._env_lang() or self._configured_lang() or self.kb.manifest.lang or content_lang(self.kb.path)
        return self._lang

    def quiet_lang(self) -> str:
        """`lang` for a message about a failure: never raises, and never opens, creates or
        waits for the database, since the failure may be the database's (or the KB's, or
        PREP_LANG's itself). The setting is peeked at read-only; anything wrong: English."""
        if self._lang is not None:
            return self._lang
        try:
            asked = self.lang_arg or self._env_lang()
            if asked:
                return asked
            from prep.index.db import peek_meta
            from prep.paths import db_path

            kb = self.kb
            configured = None
            with contextlib.suppress(Exception):
                configured = peek_meta(db_path(self.db_arg, kb, make_folder=False), CONFIG_LANG_KEY)
            lang = configured or kb.manifest.lang or content_lang(kb.path)
        except Exception:  # no KB, a bad prep.toml, bad PREP_LANG: the error itself says which
            return "en"
        return lang if lang in LANGS else "en"

    @staticmethod
    def _env_lang() -> str | None:
        import os

        value = os.environ.get("PREP_LANG", "").strip().lower()
        if value and value not in LANGS:
            raise PrepError(f"PREP_LANG={value}: must be one of {', '.join(LANGS)}", zh=f"PREP_LANG={value}：必须是 {', '.join(LANGS)} 之一")
        return value or None

    def _configured_lang(self) -> str | None:
        from prep.index.db import get_meta, peek_meta

        if self._db is None and not self.opens_db:
            from prep.paths import db_path

            return peek_meta(db_path(self.db_arg, self.kb, make_folder=False), CONFIG_LANG_KEY)
        return get_meta(self.db, CONFIG_LANG_KEY)

    @property
    def kb(self) -> KbChoice:
        if self._kb is None:
            from prep.paths import find_kb

            self._kb = find_kb(self.kb_arg)
        return self._kb

    @property
    def db(self) -> Database:
        if self._db is None:
            from prep.index.db import open_db

            self.db_file = self.db_path  # named in errors, even when the file is too damaged to say
            db = open_db(self.db_file)
            self._refuse_other_kb(db)
            self._db = db
        return self._db

    def close(self) -> None:
        """Close the database when the command ends (click calls this): SQLite then
        checkpoints the write-ahead log into the file and removes it. Left to the
        interpreter's shutdown, a connection held in a reference cycle stays open."""
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

    def _refuse_other_kb(self, db: Database) -> None:
        """A database holds one knowledge base's history: `--db` at another KB's file would
        archive its items under this KB's and count both KBs' answers together."""
        from prep.index.db import get_meta

        owner = get_meta(db, KB_ID_KEY)
        if owner is not None and owner != self.kb.manifest.id:
            db.conn.close()
            kb = self.kb
            raise PrepError(
                f"{self.db_path}: holds the review history of knowledge base '{owner}', not of "
                f"'{kb.manifest.id}' ({kb.path}); nothing was changed. Use it with that "
                "knowledge base (--kb), or pass --db with another file.",
                zh=f"{self.db_path}：存的是知识库 '{owner}' 的复习记录，不是 '{kb.manifest.id}'（{kb.path}）的；"
                "什么都没有改动。请配合那个知识库使用它（--kb），或用 --db 指定另一个文件。",
            )

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
                from prep.kb.vocab import say

                click.echo(say(WORDS, "moved", self.quiet_lang(), path=path, kept=kept), err=True)
        return path

    def announce(self, db: bool = True) -> None:
        """Say which knowledge base (and database) this command works on, in its language."""
        from prep.kb.vocab import say

        kb, lang = self.kb, self.lang
        reason = REASONS_ZH.get(kb.reason, kb.reason) if lang == "zh" else kb.reason
        click.echo(say(WORDS, "kb", lang, title=kb.manifest.title, id=kb.manifest.id, path=kb.path, reason=reason), err=True)
        if db:
            click.echo(say(WORDS, "db", lang, path=self.db_path), err=True)

    def synced(self, quiet: bool = True):
        """The database, with the knowledge base indexed (cheap when nothing changed)."""
        from prep.index.sync import sync

        result = sync(self.db, self.kb.path)
        from prep.index.db import get_meta, set_meta

        if get_meta(self.db, KB_ID_KEY) is None:  # this database is this KB's from now on
            # Best effort: a full disk must not fail a read-only command; the next one records it.
            with contextlib.suppress(sqlite3.Error):
                set_meta(self.db, KB_ID_KEY, self.kb.manifest.id)
        if not quiet:
            self.announce()
        for hint in result.hints(self.lang):
            click.secho(hint, fg="yellow", err=True)
        return self.db, result


def check_filters(db: Database, **filters: str | None) -> None:
    """`prep.index.suggest.check_filters`, imported only when a filter is given (its
    spelling suggestions load difflib, which a plain `prep list` need not pay for)."""
    if any(filters.values()):
        from prep.index.suggest import check_filters as check

        check(db, **filters)


# C0 controls but tab and newline, DEL and C1: content may carry `\x1b]0;...` or `\x1b[2J`
# (YAML's "\e" escape, a Markdown story), which a terminal would obey rather than show.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """Text safe to print to a terminal: control characters removed."""
    return _CONTROL.sub("", text)


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def echo_lines(lines: Iterable[str], batch: int = 500) -> int:
    """`click.echo` each line, a few hundred lines per write (one echo per line cost a
    518-card `prep list` ~4 ms). Returns how many lines were written."""
    n, chunk = 0, []
    for line in lines:
        chunk.append(line)
        n += 1
        if len(chunk) >= batch:
            click.echo("\n".join(chunk))
            chunk = []
    if chunk:
        click.echo("\n".join(chunk))
    return n


def emit_json_rows(rows: Iterable[Any], batch: int = 500) -> int:
    """The text `emit_json(list(rows))` prints, written as the rows come: a 50k-card list
    never sits in memory whole. Returns how many rows were written."""
    n, chunk = 0, []
    for row in rows:
        chunk.append(("[\n" if n == 0 else ",\n") + _indented_row(row))
        n += 1
        if len(chunk) >= batch:
            click.echo("".join(chunk), nl=False)
            chunk = []
    click.echo("".join(chunk) + ("\n]" if n else "[]"))
    return n


_KEYS: dict[str, str] = {}


def _nested(value: Any, indent: str) -> str:
    # json.dumps escapes newlines inside strings, so every newline here is layout
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def _indented_row(row: Any) -> str:
    """`json.dumps(row, ensure_ascii=False, indent=2)` as an item of an indented array,
    byte for byte. json's indenting encoder is pure Python (~12 us a card row); the flat
    rows `list --json` streams are laid out here around json's C string escaper, and
    anything else (nested objects, floats, booleans) goes through json.dumps itself."""
    if type(row) is not dict or not row or not all(type(k) is str for k in row):
        return "  " + _nested(row, "  ")
    parts = []
    for k, v in row.items():
        key = _KEYS.get(k)
        if key is None:
            key = _KEYS[k] = f"\n    {_escape(k)}: "
        t = type(v)
        if t is str:
            text = _escape(v)
        elif t is int:
            text = int.__repr__(v)
        elif v is None:
            text = "null"
        elif t is list and v and all(type(x) is str for x in v):
            text = "[\n      " + ",\n      ".join(map(_escape, v)) + "\n    ]"
        else:
            text = _nested(v, "    ")
        parts.append(key + text)
    return "  {" + ",".join(parts) + "\n  }"


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    # A command's --lang is the whole output's, as the group's is: the header lines too.
    if value and isinstance(ctx.obj, Ctx):
        ctx.obj.lang_arg, ctx.obj._lang = value, None
    return value


def lang_option(f):
    return click.option(
        "--lang", type=LANG, default=None, callback=_set_lang, help="Language of the output and of text fields (falls back to the other)."
    )(f)


def resolve_lang(ctx: Ctx, lang: str | None) -> str:
    return lang or ctx.lang


class PrepGroup(click.Group):
    """Turns content and user errors into clear messages and exit code 1, and imports each
    command's module only when that command runs or a help lists it (click's lazy group:
    `lazy_subcommands` maps a name to "module:attribute")."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands and cmd_name not in self.commands:
            self.add_command(self._load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def ordered_commands(self, ctx: click.Context) -> list[tuple[str, click.Command]]:
        """Every command in the order registered (the README reference's order), loaded."""
        names = [*self.lazy_subcommands, *(n for n in self.commands if n not in self.lazy_subcommands)]
        return [(n, cmd) for n in names if (cmd := self.get_command(ctx, n)) is not None]

    def _load(self, cmd_name: str) -> click.Command:
        module, _, attr = self.lazy_subcommands[cmd_name].partition(":")
        # __import__, not importlib.import_module: `-X importtime` (and so the import
        # budget test) only sees imports made through the import statement's machinery
        cmd = getattr(__import__(module, fromlist=[attr]), attr)
        if not isinstance(cmd, click.Command) or cmd.name != cmd_name:
            raise TypeError(f"{module}:{attr} is not the click command '{cmd_name}'")
        return cmd

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ContentErrors, PrepError, sqlite3.Error) as e:
            from prep.cli.failure import tell

            tell(ctx, e)
            ctx.exit(1)
        except OSError as e:
            if isinstance(e, BrokenPipeError) and e.filename is None:
                # The reader of our output (`prep list cards | head`) has what it wanted: stop
                # quietly, as Unix tools do, and keep Python's exit-time flush off the closed pipe.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                ctx.exit(1)
            from prep.cli.failure import tell

            tell(ctx, e)
            ctx.exit(1)
