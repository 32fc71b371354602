"""What `prep` (the dashboard) loads and does before its first frame, checked in a new
process running the real command line with Textual headless: no module of a screen not
shown (browse, review, mock, stories, ...), no Markdown, Pygments, pydantic or
sqlite_utils, no interview plan without an interview, up to its first figures; the dashboard's figures are read on
a thread started before Textual is imported; the cyclic GC is off while launch builds and
on again, with launch's objects frozen, once the first figures are painted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

# Run in the child: `prep --kb KB --lang en` with the app headless; once the dashboard has
# painted its figures, the modules and the GC's state are printed as JSON and the app exits.
CHILD = textwrap.dedent(
    """
    import gc, json, sys

    seen = {}


    def run(self, **kw):
        from textual.app import App

        async def auto_pilot(pilot):
            from prep.tui.screens.dashboard import DashboardScreen

            while not (isinstance(self.screen, DashboardScreen) and self.screen.data is not None):
                await pilot.pause(0.01)
            await pilot.pause()
            seen["summary"] = str(self.screen.query_one("#summary").content)
            seen["screens"] = [type(s).__name__ for s in self.screen_stack]
            seen["gc_after"] = gc.isenabled()
            seen["frozen"] = gc.get_freeze_count()
            self.exit()

        return App.run(self, headless=True, auto_pilot=auto_pilot)


    def patch_app():
        # What `prep` imports next (prep.tui.app, then Textual): patched once it is loaded.
        import prep.tui.app
        from prep.tui.screens.dashboard import DashboardScreen

        prep.tui.app.PrepApp.run = run
        real_show = DashboardScreen.show_data

        def show_data(self, *args):
            real_show(self, *args)
            # The first figures are painted: what launch imported (the audit line, after
            # them, imports the content models on its own thread).
            seen.setdefault("modules", sorted(sys.modules))

        DashboardScreen.show_data = show_data


    from prep.tui import launch

    real_begin = launch.begin


    def begin(*args):
        seen["textual_before_prefetch"] = "textual" in sys.modules
        prefetch = real_begin(*args)
        seen["gc_during_launch"] = gc.isenabled()
        seen["frozen_before"] = gc.get_freeze_count()
        patch_app()
        return prefetch


    launch.begin = begin
    from prep.cli import main

    sys.argv = ["prep", *sys.argv[1:]]
    try:
        main()
    finally:
        print("RESULT" + json.dumps(seen))
    """
)

NOT_AT_LAUNCH = (
    "prep.tui.screens.browse",
    "prep.tui.screens.review",
    "prep.tui.screens.mock",
    "prep.tui.screens.rehearse",
    "prep.tui.screens.assumptions",
    "prep.tui.screens.detail",
    "prep.tui.screens.help",
    "prep.tui.screens.confirm",
    "prep.study.plan",  # only with an interview ahead
    "markdown_it",
    "pygments",
    "pydantic",
    "sqlite_utils",
    "genanki",
)


def launched(kb, home) -> dict:
    env = dict(os.environ, PREP_HOME=str(home))
    subprocess.run([sys.executable, "-m", "prep", "--kb", str(kb), "sync"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", CHILD, "--kb", str(kb), "--lang", "en"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def test_the_dashboard_launch_loads_only_what_it_shows(kb, prep_home):
    seen = launched(kb, prep_home)
    assert "Due 0 · New 4" in seen["summary"]
    # The dashboard is the first screen, composed in Textual's start-up batch: no blank
    # default screen under it (pushed over one, its first frame came in pieces).
    assert seen["screens"] == ["DashboardScreen"]
    loaded = set(seen["modules"])
    assert "prep.tui.screens.dashboard" in loaded  # the check sees the launch's modules
    assert sorted(loaded & set(NOT_AT_LAUNCH)) == []


def test_the_figures_are_read_while_textual_is_imported_and_the_gc_waits(kb, prep_home):
    seen = launched(kb, prep_home)
    assert seen["textual_before_prefetch"] is False  # the prefetch thread starts first
    assert seen["gc_during_launch"] is False
    assert seen["gc_after"] is True
    assert seen["frozen"] > seen["frozen_before"] + 20_000  # what launch built (Textual, the screen), frozen
