"""The TUI's launch: what runs before Textual is imported, and the GC's state while it starts.

Importing Textual takes ~150-170 ms of the ~450 ms from the shell to a painted dashboard
at 50k cards, and the dashboard's figures take ~50 ms of queries. `begin` starts their
reading on its own thread (`dashboard_data.Prefetch`) before Textual is imported, so the
queries (which release the GIL) run while the import does; the dashboard then finds them
ready at its first frame instead of waiting for them.

The cyclic GC is off from `begin` until the first figures are painted (`end`): launch
builds hundreds of thousands of objects that live as long as the app (Textual, its CSS,
the screen), and collecting them while they are built was ~150 young collections and ~15
middle ones, 20-25 ms of the launch, freeing next to nothing. `end` freezes what launch
built (the GC never rescans it) and turns the GC back on, so later garbage is collected
as before. Nothing here imports Textual.
"""

from __future__ import annotations

import gc

from prep.index.conn import Database
from prep.index.db import utcnow
from prep.study.srs import Settings
from prep.tui.dashboard_data import Prefetch, gather

_state = {"paused": False}


def pause_gc() -> None:
    """The cyclic GC off until `end` (a no-op when someone else turned it off)."""
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True


def end() -> None:
    """Launch is over: what is alive now lives as long as the app, so it is frozen out of
    the cyclic GC (a full pass over it was a 25-50 ms pause in a keypress at 50k cards),
    and the GC, if launch turned it off, runs again. Safe to call more than once."""
    gc.freeze()
    resume_gc()


def freeze_more() -> None:
    """What was built after launch to live as long as the app (the audit's modules) joins
    what `end` froze, unless the GC is still paused (`end` will freeze it then)."""
    if not _state["paused"]:
        gc.freeze()


def resume_gc() -> None:
    """The cyclic GC on again, if `pause_gc` turned it off."""
    if _state["paused"]:
        _state["paused"] = False
        gc.enable()


def begin(db: Database, settings: Settings, lang: str) -> Prefetch:
    """Called by `prep` (the dashboard) and `prep study` before importing the TUI."""
    pause_gc()
    return Prefetch(db, utcnow(), settings, lang, gather)
