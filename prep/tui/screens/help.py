"""The help screen (`?`): every key in one place."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# prep: keys

**Everywhere**: `?` this help · `ctrl+q` quit

**Dashboard**: `s` study due and new cards · `Enter` on a deck studies it, on a claim
crams its cards · `b` browse and search · `r` rehearse STAR stories · `q` quit

**Review**: `Space` reveal the answer · `1` Again · `2` Hard · `3` Good · `4` Easy
(the footer shows when each brings the card back) · `u` undo the last answer ·
`f` take the interviewer's followup next · `q`/`Esc` back

**Browse**: type to search (Chinese substrings work) · `ctrl+t` filter by type ·
`Enter` open · in an item, `s` studies it, `Enter` on a link opens it

**Stories**: `Space` reveal the next section · `1`-`4` rate your telling · `Esc` back

Every answer is saved the moment you give it.
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Markdown(HELP)
