"""What every prep screen shares: the app typed once, and Esc/q to go back.

Textual types `Screen.app` as a bare `App`; screens read the shared database,
language, settings and clock from it, so `PrepScreen.app` is typed as `PrepApp`
(Textual's own `getters.app`) in this one place instead of at every use.
"""

from __future__ import annotations

import dataclasses

from textual import getters
from textual.binding import Binding, BindingType
from textual.screen import Screen

from prep.tui.app import PrepApp
from prep.tui.words import binding_label, t

BACK: list[BindingType] = [Binding("escape", "leave", "Back"), Binding("q", "leave", "Back", show=False)]


class PrepScreen(Screen[None]):
    """A screen of `PrepApp`."""

    app = getters.app(PrepApp)

    def t(self, key: str, **kw: object) -> str:
        """A TUI word in the app's language (`prep.tui.words`)."""
        return t(key, self.app.lang, **kw)

    def on_mount(self) -> None:
        # Runs after the subclass's on_mount (Textual calls each class's handler):
        # footer labels are declared in English and shown in the app's language.
        lang = self.app.lang
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [dataclasses.replace(b, description=binding_label(b.description, lang)) for b in bindings]
        self.refresh_bindings()


class BackScreen(PrepScreen):
    """A pushed screen: leaving pops it."""

    def action_leave(self) -> None:
        self.app.pop_screen()
