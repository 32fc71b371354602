"""`prep log export|import`: merge review history between machines (JSON Lines)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prep.cli.base import Ctx
from prep.errors import PrepError


@click.group(name="log")
def log_():
    """The review log as JSON Lines: export on one machine, import on another."""


@log_.command(name="export")
@click.option("-o", "--out", default="-", show_default=True, help="The .jsonl file to write (- for standard output).")
@click.pass_obj
def log_export(obj: Ctx, out):
    """Write every answer (with its global id) as JSON Lines.

    Example: prep log export -o laptop.jsonl
    """
    from prep.study.logsync import export_lines

    lines = export_lines(obj.db, obj.kb.manifest.id)
    if out == "-":
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    path = Path(out)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        n = 0
        with tmp.open("w", encoding="utf-8") as f:
            for line in lines:
                f.write(line + "\n")
                n += 1
        tmp.replace(path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise PrepError(f"{out}: cannot write the log ({e})") from e
    click.echo(f"Wrote {out}: {n - 1} answers.")


@log_.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def log_import(obj: Ctx, path):
    """Merge a log written by `prep log export`; importing it again adds nothing.

    Example: prep log import laptop.jsonl
    """
    from prep.study.logsync import import_records, parse

    db, _ = obj.synced()
    try:
        with open(path, encoding="utf-8") as f:
            records = parse(Path(path), f, obj.kb.manifest.id)
    except (OSError, UnicodeDecodeError) as e:
        raise PrepError(f"{path}: cannot read the log ({e})") from e
    r = import_records(db, records)
    click.echo(
        f"{path}: {r.added} new answer(s) on {r.items} item(s), {r.already} already here"
        + (f", {r.unknown_items} for items this knowledge base does not have (skipped)" if r.unknown_items else "")
        + "."
    )
