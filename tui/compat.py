"""The only places the browser reaches into Textual's private parts; tests/tui/test_compat.py fails
when Textual changes any of them, so an upgrade shows here instead of as a quiet misbehaviour.

Everything else uses public API (events, messages, bindings, actions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.app import App
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget


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
