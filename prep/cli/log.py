"""`prep log export|import`: merge review history between machines (JSON Lines)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prep.cli.base import Ctx
from prep.errors import PrepError
from prep.kb.vocab import count, say

WORDS: dict[str, dict[str, str]] = {
    "wrote": {"zh": "已写入 {out}：{n} 条回答。", "en": "Wrote {out}: {n} answers."},
    "imported": {
        "zh": "{path}：{added} 条新回答，涉及 {items} 项，{already} 条已有",
        "en": "{path}: {new_answers} on {item_count}, {already} already here",
    },
    "unknown": {"zh": "，{n} 条属于本知识库没有的条目（已跳过）", "en": ", {n} for items this knowledge base does not have (skipped)"},
    "end": {"zh": "。", "en": "."},
}


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
        raise PrepError(f"{out}: cannot write the log ({e})", zh=f"{out}：无法写入记录（{_why(e)}）") from e
    click.echo(say(WORDS, "wrote", obj.lang, out=out, n=n - 1))


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
        raise PrepError(f"{path}: cannot read the log ({e})", zh=f"{path}：无法读取记录（{_why(e)}）") from e
    r = import_records(db, records)
    lang = obj.lang
    skipped = say(WORDS, "unknown", lang, n=r.unknown_items) if r.unknown_items else ""
    click.echo(
        say(
            WORDS,
            "imported",
            lang,
            path=path,
            added=r.added,
            items=r.items,
            already=r.already,
            new_answers=count(r.added, "new answer"),
            item_count=count(r.items, "item"),
        )
        + skipped
        + say(WORDS, "end", lang)
    )


def _why(e: Exception) -> str:
    """Why a log file could not be read or written, in Chinese where the errno is known."""
    if isinstance(e, OSError):
        from prep.fsio import os_reason

        return os_reason(e, "zh")
    return "不是 UTF-8 文本" if isinstance(e, UnicodeDecodeError) else str(e)
