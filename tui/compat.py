"""The only places the browser reaches into Textual's private parts; tests/tui/test_compat.py fails
when Textual changes any of them, so an upgrade shows here instead of as a quiet misbehaviour.

Everything else uses public API (events, messages, bindings, actions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer


def translate_bindings(node: DOMNode, describe: Callable[[str], str | None]) -> None:
    """Give a node's own bindings the descriptions ``describe(action)`` returns (None keeps one).

    Textual has no public way to change a binding's description after start-up (``App.bind`` only adds
    bindings and is marked as possibly private); Binding is frozen, so translated copies are swapped into
    the node's binding map.
    """
    key_to_bindings = node._bindings.key_to_bindings
    for key, bindings in key_to_bindings.items():
        key_to_bindings[key] = [b if (text := describe(b.action)) is None else replace(b, description=text)
                                for b in bindings]
    node.refresh_bindings()


class KeyFooter(Footer):
    """Textual's footer, showing the keys from the first frame on and rebuilt only when they change.

    Textual's footer starts empty (``_bindings_ready`` false) and fills on the first change of bindings, a
    second layout of the whole screen at start-up."""

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        return tuple((b.key, b.description, enabled, tooltip)
                     for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)

    def bindings_changed(self, screen) -> None:
        if self._shown is not None and screen is self.screen and self._keys() == self._shown:
            return
        self._shown = None
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._bindings_ready = True
        self._shown = self._keys()
        yield from super().compose()


def screen_lines(app: App) -> list[str]:
    """The text the terminal shows, one string per line (for tests and the benchmark: Textual has no
    public way to read the composed screen without drawing an SVG)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def set_virtual_size(view: Widget, size: Size) -> None:
    """Give a scrolling widget new content of ``size`` without laying out the whole screen.

    ``virtual_size`` is a layout reactive: assigning it lays out every widget on the screen (5-25 ms on the
    event loop, measured, each time a record is shown, while keys wait). Only the scrollbars depend on it;
    ``_scroll_update`` sizes them, and when one comes or goes its own layout reactive still asks for a layout.
    """
    view.set_reactive(Widget.virtual_size, size)
    view._scroll_update(size)
