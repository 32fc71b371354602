"""Commands over the content: validate, sync, list, show, search, stats, schema, init."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from prep.cli import report
from prep.cli.base import Ctx, check_filters, echo_lines, emit_json, emit_json_rows, lang_option, resolve_lang, terminal_text
from prep.errors import ContentErrors, PrepError
from prep.kb.vocab import count, pad, say

# What `prep init` prints: in the new knowledge base's language.
INIT_WORDS: dict[str, dict[str, str]] = {
    "pinned": {"zh": "已创建 {path}：这个知识库现在是 '{id}'", "en": "created {path}: this knowledge base is now '{id}'"},
    "created": {"zh": "已创建 {path}", "en": "created {path}"},
    "next": {
        "zh": "下一步：编辑这些文件，然后运行 `prep --kb {directory} validate`。",
        "en": "Next: edit the files, then `prep --kb {directory} validate`.",
    },
}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print errors as JSON.")
@click.pass_obj
def validate(obj: Ctx, as_json):
    """Check the knowledge base and its interview profiles; report every error (file:line: field: message).

    Example: prep --kb my-interviews validate --json
    """
    from prep.kb import deprecated, loader
    from prep.mock.profiles import load_profiles

    obj.opens_db = False  # files only: the database is neither created nor opened
    obj.announce(db=False)
    for note in deprecated.notes(obj.kb.path):
        click.secho(f"note: {note}", fg="yellow", err=True)
    errors = []
    try:
        kb = loader.load(obj.kb.path)
    except ContentErrors as e:
        errors += e.errors
    try:
        load_profiles(obj.kb.path)
    except ContentErrors as e:
        errors += e.errors
    if errors:
        if as_json:
            emit_json([err.to_dict() for err in errors])
            sys.exit(1)
        raise ContentErrors(errors)
    if as_json:
        emit_json([])
    else:
        for left in _unfinished(kb, obj.lang):
            click.secho(left, fg="yellow", err=True)
        counts = report.kb_counts(len(kb.claims), len(kb.stories), len(kb.cards), len(kb.decks), obj.lang)
        click.echo(say(report.WORDS, "ok", obj.lang, counts=counts))


def _unfinished(kb, lang: str) -> list[str]:
    """Items that validate but still hold the hints `prep new` wrote, or a to-do marker."""
    from prep.kb.placeholders import card_fields, claim_fields, story_fields

    found = [("claim", i, claim_fields(c.text)) for i, c in kb.claims.items()]
    found += [("story", i, story_fields(s.title, s.sections)) for i, s in kb.stories.items()]
    found += [("card", i, card_fields(c.q, c.a)) for i, c in kb.cards.items()]
    notes = []
    for kind, item_id, fields in found:
        if fields:
            file, line = kb.where[(kind, item_id)]
            notes.append(report.unfinished_note(f"{file}:{line}", kind, item_id, fields, lang))
    return notes


@click.command()
@click.option("--force", is_flag=True, help="Re-parse every file, ignoring the cache.")
@click.option("--allow-empty", is_flag=True, help="Archive every card (or story) when decks/ (or stories/) is gone or empty.")
@click.pass_obj
def sync(obj: Ctx, force, allow_empty):
    """Index the knowledge base into the database (other commands do this implicitly).

    Example: prep sync --force
    """
    from prep.index.sync import sync as do_sync

    obj.announce()
    result = do_sync(obj.db, obj.kb.path, force=force, allow_empty=allow_empty)
    click.echo(say(report.WORDS, "synced", obj.lang, summary=result.summary(obj.lang)))
    for hint in result.hints(obj.lang):
        click.secho(hint, fg="yellow", err=True)


@click.command(name="list")
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
    """List cards, stories or claims, with filters.

    Example: prep list cards --deck time-wheel --kind design
    """
    from prep.index import read

    db, _ = obj.synced()
    if project and what != "claims":
        raise PrepError(
            f"--project filters claims; for {what} use --claim (see `prep list claims --project {project}`) or --deck",
            zh=f"--project 只筛选条目；列 {what} 请用 --claim（见 `prep list claims --project {project}`）或 --deck",
        )
    check_filters(db, deck=deck, claim=claim, tag=tag, kind=kind, project=project)
    lang = resolve_lang(obj, lang)
    rows: Sequence[Mapping[str, Any]]
    if what == "cards":
        # streamed: 50k cards are never held as one list
        cards = read.iter_cards(db, deck=deck, claim=claim, tag=tag, kind=kind, lang=lang, archived=archived)
        if as_json:
            emit_json_rows(cards)
            return
        n = echo_lines(terminal_text(f"{r['id']:<32} {r['deck']:<24} {r['q']}") for r in cards)
        click.echo(report.listed(n, what, lang), err=True)
        return
    if what == "stories":
        stories = read.list_stories(db, claim=claim, tag=tag, lang=lang, archived=archived)
        rows, lines = stories, [report.story_line(r, lang) for r in stories]
    else:
        claims = read.list_claims(db, project=project, tag=tag, lang=lang, archived=archived)
        rows, lines = claims, [report.claim_line(r, lang) for r in claims]
    if as_json:
        emit_json(rows)
        return
    echo_lines(terminal_text(line) for line in lines)
    click.echo(report.listed(len(rows), what, lang), err=True)


@click.command()
@click.argument("item_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@lang_option
@click.pass_obj
def show(obj: Ctx, item_id, as_json, lang):
    """Show a card, story, claim, project or deck by id, with its links and history.

    Example: prep show meican.scheduler --lang en
    """
    from prep.index import read

    db, _ = obj.synced()
    lang = resolve_lang(obj, lang)
    item = read.show(db, item_id, lang)
    if item is None:
        raise PrepError(
            f"no card, story, claim, project or deck has the id '{item_id}' (try: prep search {item_id})",
            zh=f"没有 id 为 '{item_id}' 的卡片、故事、条目、项目或卡组（试试：prep search {item_id}）",
        )
    if as_json:
        emit_json(item)
        return
    from prep.export.item import render  # the renderer's words and humanize: text output only

    click.echo(terminal_text(render(item, lang=lang)))


@click.command()
@click.argument("query_text", metavar="QUERY")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000), help="At most this many results.")
@click.option("--type", "types", multiple=True, type=click.Choice(["card", "story", "claim"]), help="Only these kinds (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
@click.pass_obj
def search(obj: Ctx, query_text, limit, types, as_json):
    """Full-text search over cards, stories and claims (Chinese substrings work).

    Example: prep search 时间轮 --type card --limit 10
    """
    from prep.index import read

    db, _ = obj.synced()
    rows = read.search(db, query_text, limit=limit, types=tuple(types), lang=obj.lang)
    if as_json:
        emit_json(rows)
        return
    from prep.index.search import highlighted

    # Hits in bold on a terminal; [between brackets] in a pipe or file, where styles are stripped.
    marks = (click.style("", bold=True, fg="yellow", reset=False), "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
    lines = []
    for r in rows:
        lines.append(terminal_text(f"{pad(report.kind_word(r['type'], obj.lang), -6)} {r['id']:<32} {r['title'][:80]}"))
        # Marks as private-use placeholders, so stripping the content's control characters
        # leaves our own styling escapes alone.
        line = terminal_text(f"       {highlighted(r, chr(0xE000), chr(0xE001))}")
        lines.append(line.replace(chr(0xE000), marks[0]).replace(chr(0xE001), marks[1]))
    echo_lines(lines)
    click.echo(say(report.WORDS, "results", obj.lang, n=len(rows), results=count(len(rows), "result")), err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@lang_option
@click.pass_obj
def stats(obj: Ctx, as_json, lang):
    """Counts, due and new cards, per deck.

    Example: prep stats --json
    """
    from prep.index import read

    db, _ = obj.synced(quiet=as_json)
    lang = resolve_lang(obj, lang)
    s = read.stats(db, lang=lang)
    if as_json:
        emit_json(s | {"kb": str(obj.kb.path)})
        return
    echo_lines(report.stats_lines(s, lang))
    _next_due(db, lang)
    click.echo()
    echo_lines(report.deck_table(s["per_deck"], lang))


def _next_due(db, lang: str) -> None:
    from prep.index import read
    from prep.index.db import utcnow

    now = utcnow()
    nxt = read.next_due(db, now)
    if nxt:
        from prep.export.when import when  # humanize: only when something is scheduled

        click.echo(say(report.WORDS, "next_due", lang, when=when(nxt, now, lang)))


SCHEMA_KINDS = ["resume", "deck", "story-front-matter", "profile"]


@click.command()
@click.argument("kind", required=False, type=click.Choice(SCHEMA_KINDS))
@click.option("-o", "--out", type=click.Path(file_okay=False), help="Write all schemas as JSON files into this folder.")
def schema(kind, out):
    """Print the JSON Schema of a file kind (for editor validation and completion).

    Example: prep schema deck > .vscode/deck.schema.json
    """
    from prep.kb.schemas import json_schema, write_all
    from prep.mock.profiles import Profile

    if out:
        for path in write_all(Path(out), {"profile": Profile}):
            click.echo(path)
        return
    if not kind:
        raise click.UsageError(f"name a kind ({', '.join(SCHEMA_KINDS)}) or pass --out DIR")
    emit_json(json_schema(kind, Profile if kind == "profile" else None))


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--title", help="The knowledge base's name (default: the folder's name).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Default language of prep's output for this knowledge base.")
def init(directory, title, lang):
    """Create a new knowledge base with a commented sample claim, story and deck, and
    its identity (`prep.toml`), so its review history is its own.

    On a folder that already holds a knowledge base, only pins its identity.

    Example: prep init my-interviews --lang en --title "Data engineering interviews"
    """
    from prep.kb.manifest import MANIFEST, write_manifest
    from prep.kb.scaffold import scaffold

    root = Path(directory)
    words = _init_lang(lang)
    if (root / "decks").is_dir() or (root / "stories").is_dir():
        if (root / MANIFEST).exists():
            raise PrepError(
                f"{root}: already a knowledge base with its identity in {MANIFEST}; not overwriting anything",
                zh=f"{root}：已经是知识库，身份记在 {MANIFEST} 里；什么都不覆盖",
            )
        m = write_manifest(root, title or root.resolve().name, lang, kb_id=_id_with_history(root))
        click.echo(say(INIT_WORDS, "pinned", words, path=root / MANIFEST, id=m.id))
        return
    for path in scaffold(root, title, lang):
        click.echo(say(INIT_WORDS, "created", words, path=path))
    click.echo(say(INIT_WORDS, "next", words, directory=directory))


def _init_lang(kb_lang: str | None) -> str:
    """prep's --lang, else PREP_LANG, else the new knowledge base's own --lang, else English:
    there is no knowledge base yet to take a language from. Its errors say it in the same."""
    obj = click.get_current_context().find_object(Ctx)
    try:
        asked = (obj.lang_arg if obj else None) or Ctx._env_lang()
    except PrepError:
        asked = None
    lang = asked or kb_lang or "en"
    if obj is not None:
        obj._lang = lang
    return lang


def _id_with_history(root: Path) -> str | None:
    """The folder-derived id, if review history is already kept under it: pinning a new id
    would leave that history behind in a database no command opens any more."""
    from prep.kb.manifest import read_manifest
    from prep.paths import KB_DIR, data_dir

    current = read_manifest(root).id
    return current if (data_dir() / KB_DIR / f"{current}.db").exists() else None
