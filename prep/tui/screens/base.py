"""What every prep screen shares: the app typed once, and Esc/q to go back.

Textual types `Screen.app` as a bare `App`; screens read the shared database,
language, settings and clock from it, so `PrepScreen.app` is typed as `PrepApp`
(Textual's own `getters.app`) in this one place instead of at every use.
"""

from __future__ import annotations

from textual import getters
from textual.binding import Binding, BindingType
from textual.screen import Screen

from prep.tui.app import PrepApp

BACK: list[BindingType] = [Binding("escape", "leave", "Back"), Binding("q", "leave", "Back", show=False)]


class PrepScreen(Screen[None]):
    """A screen of `PrepApp`."""

    app = getters.app(PrepApp)


class BackScreen(PrepScreen):
    """A pushed screen: leaving pops it."""

    def action_leave(self) -> None:
        self.app.pop_screen()
