"""What every pushed screen shares: Esc/q go back to the screen below."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

BACK = [Binding("escape", "leave", "Back"), Binding("q", "leave", "Back", show=False)]


class BackScreen(Screen):
    def action_leave(self) -> None:
        self.app.pop_screen()
