"""The `prep` command line: a click group with its commands registered top-down.

Each command module defines plain click commands; this module is the one place that
puts them on the group, so the command list reads in one screen.
"""

from __future__ import annotations

import click

from prep import __version__
from prep.cli import anki_import, content, doctor, interview, log, mv, new, optimize, practice, truth
from prep.cli.base import LANG, Ctx, PrepGroup


@click.group(cls=PrepGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="prep")
@click.option(
    "--kb", "kb", metavar="DIR", help="Knowledge base folder (default: PREP_KB, the nearest folder with decks/ and stories/, else the built-in one)."
)
@click.option("--db", "db", metavar="FILE", help="SQLite database (default: kbs/<KB id>.db in the user data dir, or in PREP_HOME).")
@click.option(
    "--lang",
    type=LANG,
    default=None,
    help="Language of prep's output and of text fields (default: PREP_LANG, `prep config lang`, the KB's prep.toml, else the content's own).",
)
@click.pass_context
def cli(ctx, kb, db, lang):
    """Defend every line of your resume: claims, STAR stories and Q&A cards,
    studied with spaced repetition. With no command, opens the dashboard."""
    ctx.obj = Ctx(kb, db, lang)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["study"], dashboard=True)


for command in (
    content.validate,
    content.sync,
    content.list_,
    content.show,
    content.search,
    content.stats,
    content.schema,
    content.init,
    mv.mv,
    new.new,
    practice.study,
    practice.config,
    practice.draw,
    practice.audit,
    truth.confirm,
    practice.export,
    anki_import.import_,
    interview.interview,
    interview.plan,
    optimize.optimize,
    log.log_,
    doctor.doctor,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="prep")
