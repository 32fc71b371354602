"""The `prep` command line: a click group with its commands registered top-down.

Each command module defines plain click commands; this module is the one place that
puts them on the group, so the command list reads in one screen. They are registered
by import path (click's lazy group): `prep stats` imports only the module of `stats`,
while `--help` and the README reference load them all.
"""

from __future__ import annotations

import os
import sys

import click

from prep import __version__
from prep.cli.base import LANG, Ctx, PrepGroup

# name -> "module:attribute", in the order the README's command reference lists them
COMMANDS = {
    "validate": "prep.cli.content:validate",
    "sync": "prep.cli.content:sync",
    "list": "prep.cli.content:list_",
    "show": "prep.cli.content:show",
    "search": "prep.cli.content:search",
    "stats": "prep.cli.content:stats",
    "schema": "prep.cli.content:schema",
    "init": "prep.cli.content:init",
    "mv": "prep.cli.mv:mv",
    "new": "prep.cli.new:new",
    "study": "prep.cli.practice:study",
    "config": "prep.cli.practice:config",
    "draw": "prep.cli.practice:draw",
    "audit": "prep.cli.practice:audit",
    "confirm": "prep.cli.truth:confirm",
    "export": "prep.cli.practice:export",
    "import": "prep.cli.anki_import:import_",
    "interview": "prep.cli.interview:interview",
    "plan": "prep.cli.interview:plan",
    "optimize": "prep.cli.optimize:optimize",
    "log": "prep.cli.log:log_",
    "doctor": "prep.cli.doctor:doctor",
}


@click.group(cls=PrepGroup, lazy_subcommands=COMMANDS, invoke_without_command=True)
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
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.get_command(ctx, "study"), dashboard=True)


def main() -> None:
    # What is alive now (click, this module) lives as long as the process: frozen out of
    # the cyclic GC, which would otherwise rescan it at every collection while a command
    # starts up (~8 ms of a warm `prep stats`). Later garbage is collected as usual.
    import gc

    gc.freeze()
    _no_pydantic_plugins()
    try:
        cli(prog_name="prep")
    finally:
        # The process ends here and its memory goes with it: frozen, the objects are spared
        # the collections interpreter shutdown runs (~25 ms once the content models are loaded).
        # An object in a cycle is then never finalized: what must be closed is closed before
        # (the database, by Ctx.close when the command's context ends).
        gc.freeze()


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_pydantic_plugins() -> None:
    """pydantic looks for plugins when it builds its first validator, as a resync does:
    it imports importlib.metadata (~20 ms: email, zipfile, csv) and reads the entry points
    of every installed distribution (~8 ms with 70 of them). prep's models want none.

    Its documented switch, unless the user set it, spares the reading. The import stays
    (pydantic.plugin._loader makes it at the top), so with the switch at "__all__" that
    module is stood in for by one answering as it would: no plugins. A user who names
    plugins to skip gets pydantic's own loader, and so does anything else a later pydantic
    asks the module for."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] != "__all__" or _PLUGIN_LOADER in sys.modules:
        return
    import types

    loader = types.ModuleType(_PLUGIN_LOADER, "prep: pydantic plugins are disabled (PYDANTIC_DISABLE_PLUGINS=__all__)")
    loader.get_plugins = lambda *_args, **_kwargs: ()  # type: ignore[attr-defined]  # pydantic's own returns () for "__all__"
    loader.__getattr__ = _pydantic_loader_attribute  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = loader


def _pydantic_loader_attribute(name: str) -> object:
    """A name the stand-in does not have, from pydantic's own loader, which then replaces it.
    Not a dunder: what looks at modules (`__file__`, `__path__`) must not import pydantic."""
    if name.startswith("__"):
        raise AttributeError(name)
    import importlib.machinery
    import importlib.util

    import pydantic.plugin

    spec = importlib.machinery.PathFinder.find_spec(_PLUGIN_LOADER, pydantic.plugin.__path__)
    if spec is None or spec.loader is None:
        raise AttributeError(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[_PLUGIN_LOADER] = module
    return getattr(module, name)
