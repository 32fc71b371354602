"""A footer that never cuts a key off.

Textual's Footer pads every key; at 80 columns the review screen's nine keys (with the
intervals, "Good 10m") overflowed and cut `? Help` to `? Hel`. This one switches to the
compact style (one cell less per key) whenever the padded keys would not fit.

Textual's Footer also rebuilds all its keys on every "bindings updated" signal, which a
screen sends on each focus change and mount: four rebuilds of 11-41 ms each right after
the dashboard's first frame at 50k cards, with the same keys every time. This one
rebuilds only when what it shows changed (Textual 8.2's `_bindings_ready` flag is read
for that: the first signal must always build). Its keys are built in its current style
(compact or not), not switched to it once mounted.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def keys_width(items: list[tuple[str, str]], compact: bool) -> int:
    """Cells the footer needs for these (key display, description) pairs: Textual pads a
    key " k " and its description "desc "; compact writes "k desc" and a one-cell margin."""
    return sum(cell_len(key) + (1 if compact else 2) + (cell_len(desc) + 1 if desc else 0) for key, desc in items)


Shown = tuple[tuple[str, str, str, bool, str], ...]


class PrepFooter(Footer):
    _built: tuple[Shown, bool] | None = None  # what the last compose showed, and its style

    def _showing(self) -> tuple[Shown, bool]:
        keys = tuple((b.key, b.description, b.action, enabled, tooltip) for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)
        return keys, self.compact

    def bindings_changed(self, screen) -> None:
        if self._bindings_ready and self._built is not None and screen is self.screen and self._showing() == self._built:
            return  # the same keys: a rebuild would only cost a frame's time
        super().bindings_changed(screen)

    def shown(self) -> list[tuple[str, str]]:
        return [(self.app.get_key_display(binding), binding.description) for _, binding, _, _ in self.screen.active_bindings.values() if binding.show]

    def needed(self) -> int:
        """Cells the footer takes in its current style."""
        return keys_width(self.shown(), compact=self.compact)

    def _fit(self) -> None:
        width = self.size.width or self.app.size.width
        self.compact = keys_width(self.shown(), compact=False) > width

    def on_resize(self) -> None:
        self._fit()

    def compose(self) -> ComposeResult:
        self._fit()
        self._built = self._showing() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A FooterKey starts compact and is then bound to the footer's style: each
                # change of its "-compact" class restyled it (twice per key, 20-30 ms of the
                # launch). Built in the footer's style, the binding changes nothing.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
