"""The `prep` command line: thin click commands over the core.

Kept light on purpose: `prep --help` must not pay for textual, genanki or anki, so
every heavy import happens inside the command that needs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from prep import __version__
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
            from prep.paths import db_path
            from prep.store import open_db

            self._db = open_db(db_path(self.db_arg))
        return self._db

    def synced(self, quiet: bool = True):
        """The database, with the knowledge base indexed (cheap when nothing changed)."""
        from prep.sync import sync

        result = sync(self.db, self.kb.path)
        if not quiet:
            click.echo(f"Knowledge base: {self.kb.describe()}", err=True)
        return self.db, result


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def lang_option(f):
    return click.option("--lang", type=LANG, default=None, help="Language of text fields (falls back to the other).")(f)


def _lang(ctx: Ctx, lang: str | None) -> str:
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


@click.group(cls=PrepGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="prep")
@click.option("--kb", "kb", metavar="DIR", help="Knowledge base folder (default: PREP_KB, the nearest folder with decks/ and stories/, else the built-in one).")
@click.option("--db", "db", metavar="FILE", help="SQLite database (default: prep.db in the user data dir, or PREP_HOME).")
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of text fields (falls back to the other).")
@click.pass_context
def cli(ctx, kb, db, lang):
    """Defend every line of your resume: claims, STAR stories and Q&A cards,
    studied with spaced repetition. With no command, starts a study session."""
    ctx.obj = Ctx(kb, db, lang)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["study"])


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print errors as JSON.")
@click.pass_obj
def validate(obj: Ctx, as_json):
    """Check the knowledge base and report every error (file:line: field: message)."""
    from prep import content

    click.echo(f"Knowledge base: {obj.kb.describe()}", err=True)
    try:
        kb = content.load(obj.kb.path)
    except ContentErrors as e:
        if as_json:
            emit_json([err.to_dict() for err in e.errors])
            sys.exit(1)
        raise
    if as_json:
        emit_json([])
    else:
        click.echo(f"OK: {len(kb.claims)} claims, {len(kb.stories)} stories, {len(kb.cards)} cards in {len(kb.decks)} decks.")


@cli.command()
@click.option("--force", is_flag=True, help="Re-parse every file, ignoring the cache.")
@click.pass_obj
def sync(obj: Ctx, force):
    """Index the knowledge base into the database (other commands do this implicitly)."""
    from prep.sync import sync as do_sync

    click.echo(f"Knowledge base: {obj.kb.describe()}", err=True)
    result = do_sync(obj.db, obj.kb.path, force=force)
    click.echo(f"Synced: {result.summary()}.")


@cli.command(name="list")
@click.argument("what", type=click.Choice(["cards", "stories", "claims"]), default="cards")
@click.option("--deck", help="Only cards of this deck (id = file name without .yaml).")
@click.option("--claim", help="Only items backing this claim id.")
@click.option("--tag", help="Only items with this tag (claims: this technology).")
@click.option("--kind", help="Only cards of this kind.")
@click.option("--project", help="Only claims of this project.")
@click.option("--archived", is_flag=True, help="List archived items (removed from the files, history kept).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
@lang_option
@click.pass_obj
def list_(obj: Ctx, what, deck, claim, tag, kind, project, archived, as_json, lang):
    """List cards, stories or claims, with filters."""
    from prep import query

    db, _ = obj.synced()
    lang = _lang(obj, lang)
    if what == "cards":
        rows = query.list_cards(db, deck=deck, claim=claim, tag=tag, kind=kind, lang=lang, archived=archived)
        line = lambda r: f"{r['id']:<32} {r['deck']:<24} {r['q']}"  # noqa: E731
    elif what == "stories":
        rows = query.list_stories(db, claim=claim, tag=tag, lang=lang, archived=archived)
        line = lambda r: f"{r['id']:<32} {r['minutes']:>4g} min  {r['title']}"  # noqa: E731
    else:
        rows = query.list_claims(db, project=project, tag=tag, lang=lang, archived=archived)
        line = lambda r: f"{r['id']:<24} {r['risk']:<6} {r['stories']:>2} stories {r['cards']:>3} cards  {r['text']}"  # noqa: E731
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(line(r))
    click.echo(f"{len(rows)} {what}", err=True)


@cli.command()
@click.argument("item_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@lang_option
@click.pass_obj
def show(obj: Ctx, item_id, as_json, lang):
    """Show a card, story, claim, project or deck by id, with its links and history."""
    from prep import query
    from prep.render_text import show_text

    db, _ = obj.synced()
    item = query.show(db, item_id, _lang(obj, lang))
    if item is None:
        raise PrepError(f"no card, story, claim, project or deck has the id '{item_id}' (try: prep search {item_id})")
    if as_json:
        emit_json(item)
    else:
        click.echo(show_text(item))


@cli.command()
@click.argument("query_text", metavar="QUERY")
@click.option("--limit", default=50, show_default=True, help="At most this many results.")
@click.option("--type", "types", multiple=True, type=click.Choice(["card", "story", "claim"]), help="Only these kinds (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
@click.pass_obj
def search(obj: Ctx, query_text, limit, types, as_json):
    """Full-text search over cards, stories and claims (Chinese substrings work)."""
    from prep import query

    db, _ = obj.synced()
    rows = query.search(db, query_text, limit=limit, types=tuple(types))
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['type']:<6} {r['id']:<32} {r['title'][:80]}")
        click.echo(f"       {r['snippet']}")
    click.echo(f"{len(rows)} result(s)", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@lang_option
@click.pass_obj
def stats(obj: Ctx, as_json, lang):
    """Counts, due and new cards, per deck."""
    from prep import query

    db, _ = obj.synced(quiet=as_json)
    s = query.stats(db, lang=_lang(obj, lang))
    if as_json:
        emit_json(s | {"kb": str(obj.kb.path)})
        return
    click.echo(f"{s['claims']} claims, {s['stories']} stories, {s['cards']} cards in {s['decks']} decks ({s['archived_cards']} archived)")
    click.echo(f"Due now: {s['due']}   New: {s['new']}   Stories due: {s['stories_due']}   Reviews done: {s['reviews']}   Leeches: {len(s['leeches'])}")
    click.echo()
    click.echo(f"{'deck':<28} {'cards':>5} {'new':>5} {'due':>5}")
    for d in s["per_deck"]:
        click.echo(f"{d['deck']:<28} {d['cards']:>5} {d['new']:>5} {d['due']:>5}")


@cli.command()
@click.argument("kind", required=False, type=click.Choice(["resume", "deck", "story-front-matter"]))
@click.option("-o", "--out", type=click.Path(file_okay=False), help="Write all schemas as JSON files into this folder.")
def schema(kind, out):
    """Print the JSON Schema of a file kind (for editor validation and completion)."""
    from prep.schemas import json_schema, write_all

    if out:
        for path in write_all(Path(out)):
            click.echo(path)
        return
    if not kind:
        raise click.UsageError("name a kind (resume, deck, story-front-matter) or pass --out DIR")
    emit_json(json_schema(kind))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory):
    """Create a new knowledge base with a commented sample claim, story and deck."""
    from prep.scaffold import scaffold

    for path in scaffold(Path(directory)):
        click.echo(f"created {path}")
    click.echo(f"Next: edit the files, then `prep --kb {directory} validate`.")


# Registers study, config, draw, audit and export on the group (kept in their own file).
from prep import cli_practice  # noqa: E402,F401


def main() -> None:
    cli(prog_name="prep")
