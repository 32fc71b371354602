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
        ctx.invoke(study)


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


@cli.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_obj
def config(obj: Ctx, key, value):
    """Show or set study settings (desired_retention, new_per_day, max_reviews_per_day, ...)."""
    import dataclasses

    from prep.review import load_settings, save_settings

    settings = load_settings(obj.db)
    fields = {f.name: f for f in dataclasses.fields(settings)}
    if key is None:
        for name in fields:
            click.echo(f"{name} = {getattr(settings, name)}")
        return
    if key not in fields:
        raise PrepError(f"unknown setting '{key}'; one of: {', '.join(fields)}")
    if value is None:
        click.echo(getattr(settings, key))
        return
    kind = type(getattr(settings, key))
    try:
        parsed = (value.lower() in ("1", "true", "yes", "on")) if kind is bool else kind(value)
    except ValueError:
        raise PrepError(f"{key} takes a {kind.__name__}, not '{value}'") from None
    if key == "desired_retention" and not 0.7 <= parsed <= 0.99:
        raise PrepError("desired_retention must be between 0.7 and 0.99")
    if kind is int and parsed < 0:
        raise PrepError(f"{key} must not be negative")
    save_settings(obj.db, dataclasses.replace(settings, **{key: parsed}))
    click.echo(f"{key} = {parsed}")


@cli.command()
@click.option("--deck", help="Only this deck.")
@click.option("--claim", help="Only cards backing this claim.")
@click.option("--tag", help="Only cards with this tag.")
@click.option("--kind", help="Only cards of this kind.")
@click.option("--cram", is_flag=True, help="Study the selected cards now without changing their schedule.")
@click.pass_obj
def study(obj: Ctx, deck, claim, tag, kind, cram):
    """Start the study TUI (the default when prep runs with no command)."""
    from prep.tui.app import run

    db, _ = obj.synced()
    run(db, kb=obj.kb, lang=obj.lang, filters={"deck": deck, "claim": claim, "tag": tag, "kind": kind}, cram=cram)


@cli.command()
@click.option("--profile", "profile_name", default="backend-onsite", show_default=True, help="Interview profile: built-in, or profiles/<name>.yaml in the knowledge base or data dir.")
@click.option("--n", "n", type=click.IntRange(1, 100), help="Number of questions, spread over the profile's slots.")
@click.option("--claim", help="Only questions about this claim.")
@click.option("--project", help="Only questions about this project.")
@click.option("--minutes", type=click.FloatRange(1, 600), help="Time budget: scales the number of questions and each one's time.")
@click.option("--seed", type=int, help="Random seed; the same seed on the same history draws the same set (default: random, printed).")
@click.option("--out", type=click.Path(file_okay=False), help="Folder for interviewer.md and candidate.md (default: ./mock-<date>-<seed>/).")
@click.option("--json", "as_json", is_flag=True, help="Print the drawn set as JSON instead of writing the sheets.")
@click.option("--profiles", "list_profiles", is_flag=True, help="List the available profiles and exit.")
@lang_option
@click.pass_obj
def draw(obj: Ctx, profile_name, n, claim, project, minutes, seed, out, as_json, list_profiles, lang):
    """Draw a mock interview: interviewer and candidate sheets as Markdown."""
    import random

    from prep import sheets
    from prep.drawer import draw as do_draw
    from prep.profiles import describe, load_profiles
    from prep.store import utcnow

    lang = _lang(obj, lang)
    profiles = load_profiles(obj.kb.path)
    if list_profiles:
        for name, p in sorted(profiles.items()):
            click.echo(describe(name, p, lang))
        return
    if profile_name not in profiles:
        raise PrepError(f"unknown profile '{profile_name}'; one of: {', '.join(sorted(profiles))}")
    db, _ = obj.synced()
    seed = random.SystemRandom().randrange(1, 1_000_000) if seed is None else seed
    now = utcnow()
    drawn = do_draw(db, profiles[profile_name], name=profile_name, seed=seed, now=now, lang=lang, n=n,
                    claim=claim, project=project, minutes=minutes)
    if as_json:
        emit_json(drawn.to_dict())
        return
    for warning in drawn.warnings:
        click.echo(f"Note: {warning}", err=True)
    folder = Path(out) if out else Path(f"mock-{now.date().isoformat()}-{seed}")
    for path in sheets.write(drawn, folder):
        click.echo(path)
    click.echo(f"{len(drawn.questions)} questions, {drawn.minutes:g} min, seed {seed} (same seed, same set).", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the audit as a JSON object.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when anything is flagged (for CI).")
@click.option("--min-cards", default=3, show_default=True, type=click.IntRange(0, 1000), help="Flag claims backed by fewer cards than this.")
@lang_option
@click.pass_obj
def audit(obj: Ctx, as_json, strict, min_cards, lang):
    """Audit every claim: backing stories and cards, figures, readiness."""
    from prep.audit import audit as run_audit
    from prep.audit import format_text
    from prep.store import utcnow

    db, _ = obj.synced()
    report = run_audit(db, utcnow(), lang=_lang(obj, lang), min_cards=min_cards)
    if as_json:
        emit_json(report | {"kb": str(obj.kb.path)})
    else:
        click.echo(format_text(report))
    if strict and report["summary"]["flagged"]:
        sys.exit(1)


def export_selection(f):
    """--deck/--claim/--tag/--kind, the same for every export format."""
    for option in reversed([
        click.option("--deck", help="Only cards of this deck (no stories)."),
        click.option("--claim", help="Only cards and stories backing this claim."),
        click.option("--tag", help="Only cards and stories with this tag."),
        click.option("--kind", help="Only cards of this kind (no stories)."),
    ]):
        f = option(f)
    return f


@cli.group()
def export():
    """Export cards and stories for other tools (Anki, Markdown)."""


@export.command(name="anki")
@click.option("-o", "--out", type=click.Path(dir_okay=False), default="interview-prep.apkg", show_default=True, help="The .apkg file to write.")
@export_selection
@click.option("--stories/--no-stories", default=True, show_default=True, help="Include STAR stories.")
@lang_option
@click.pass_obj
def export_anki(obj: Ctx, out, deck, claim, tag, kind, stories, lang):
    """Write an Anki package; re-importing it updates edited notes in place."""
    from prep.anki import export as do_export
    from prep.anki import progress_bar

    db, _ = obj.synced()
    with progress_bar() as progress:
        result = do_export(db, obj.kb.path, Path(out), lang=_lang(obj, lang), deck=deck, claim=claim, tag=tag,
                           kind=kind, stories=stories, progress=progress)
    click.echo(f"Wrote {result.path}: {result.summary()}.")
    click.echo("Import it in Anki (File > Import); notes edited since the last import are updated in place.", err=True)


@export.command(name="markdown")
@click.option("-o", "--out", type=click.Path(dir_okay=False), default="-", show_default=True, help="The .md file to write (- for standard output).")
@export_selection
@lang_option
@click.pass_obj
def export_markdown(obj: Ctx, out, deck, claim, tag, kind, lang):
    """Write the knowledge base as one Markdown document, claim by claim, for printing."""
    from prep.export_md import document

    db, _ = obj.synced()
    text, cards, stories = document(db, lang=_lang(obj, lang), deck=deck, claim=claim, tag=tag, kind=kind)
    if out == "-":
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}: {cards} cards, {stories} stories.")


def main() -> None:
    cli(prog_name="prep")
