"""`prep doctor`: the database check, as a command."""

from __future__ import annotations

import sys

import click

from prep.cli.base import Ctx


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
    for line in report.lines():
        click.echo(line)
    if report.search_rebuilt and report.ok:
        _, result = obj.synced()
        click.echo(f"search index: refilled from the knowledge base ({result.summary()})")
    if not report.ok:
        sys.exit(1)
