"""Every screen's CSS is read at start-up, so opening a screen never reparses the stylesheet.

Textual reads a screen's own CSS_PATH when the screen is first pushed, then parses the
whole stylesheet again and restyles every widget on the UI thread (~60 ms at the first
`b` on a 50k-card dashboard). Reading them all with the app's is only safe because each
rule names its screen, which the last test holds.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_app as run

from prep.index.sync import sync
from prep.tui.app import PrepApp

SCREENS = Path(__file__).parent.parent / "prep" / "tui" / "screens"


def test_opening_screens_reads_no_more_css(db, kb, now, settings, monkeypatch):
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")
    reparsed: list[str] = []

    async def steps(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        real = app.stylesheet.reparse
        monkeypatch.setattr(app.stylesheet, "reparse", lambda: (reparsed.append(type(app.screen).__name__), real()))
        opened = []
        for key in ("b", "r", "m", "s", "question_mark"):
            await pilot.press(key)
            await pilot.pause()
            opened.append(type(app.screen).__name__)
            while type(app.screen).__name__ != "DashboardScreen":
                await pilot.press("escape")
                await pilot.pause()
        assert opened == ["BrowseScreen", "StoryListScreen", "MockScreen", "ReviewScreen", "HelpScreen"]

    run(app, steps)
    assert reparsed == []


def test_every_screen_rule_names_its_screen():
    for path in sorted(SCREENS.glob("*.tcss")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        module = (SCREENS / f"{path.stem}.py").read_text(encoding="utf-8")
        screens = set(re.findall(r"^class (\w+)\(", module, flags=re.M))
        for selectors in re.findall(r"([^{}]+)\{", text):
            for selector in selectors.split(","):
                first = selector.split()[0]
                assert first in screens, f"{path.name}: '{selector.strip()}' does not start with a screen of {path.stem}.py"
