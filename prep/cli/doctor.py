"""`prep doctor`: the database check, as a command."""

from __future__ import annotations

import sys

import click

from prep.cli.base import WORDS as HEADER_WORDS
from prep.cli.base import Ctx
from prep.kb.vocab import say

WORDS: dict[str, dict[str, str]] = {
    "refilled": {"zh": "搜索索引：已从知识库重新填充（{summary}）", "en": "search index: refilled from the knowledge base ({summary})"},
}


@click.command()
@click.pass_obj
def doctor(obj: Ctx) -> None:
    """Check the database and repair what can be repaired (like Anki's Check Database):
    SQLite's quick_check, the search index rebuilt if damaged, the backups named if the
    review history itself is damaged. Exit status 1 if damage remains.

    Example: prep doctor
    """
    from prep.index.doctor import check

    report = check(obj.db_path)
    lang = obj.quiet_lang()  # the database may be the damaged thing: never open it for this
    click.echo(say(HEADER_WORDS, "db", lang, path=report.path))
    for line in report.lines(lang):
        click.echo(line)
    if report.search_rebuilt and report.ok:
        _, result = obj.synced()
        click.echo(say(WORDS, "refilled", lang, summary=result.summary(lang)))
    if not report.ok:
        sys.exit(1)
