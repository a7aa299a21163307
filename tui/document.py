"""The right pane: a record or explanation, laid out off the event loop.

Markdown is turned into screen lines by Rich in a worker thread (``render_lines``); the loop only swaps
in the finished lines, so typing and arrowing never wait for a long record to be laid out. The thread
steps aside while the loop handles a key (``PaintGate``). Links become click actions, and stay reachable
by keyboard through a numbered list (``links_in``, key ``o``).
"""

from __future__ import annotations

import gc
import io
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .compat import set_virtual_size
from .logic import paint_chunks
from .messages import DocumentResized

# Laid out a section at a time, with a pause between: a thread holding Python's interpreter lock delays
# the event loop (and so the echo of a key) by up to the switch interval each time the loop wants it back.
YIELD_SECONDS = 0.002
CHUNK = 600  # at least this many characters of Markdown (whole sections) between two pauses

# The longest a paint thread waits for the loop to reopen the gate; then it reopens it itself.
GATE_TIMEOUT = 0.25
GATE_SWITCH_INTERVAL = 0.0005  # seconds; while the gate is closed, until the thread has reached it

# [text](target) as kb.render writes links: bounded runs, no nesting, linear in the input
_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\(([^()\s]{1,2000})\)")


def links_in(md: str) -> list[tuple[str, str]]:
    """Every distinct link target of ``md`` in order of appearance, with its first text."""
    seen: dict[str, str] = {}
    for m in _LINK.finditer(md):
        seen.setdefault(m.group(2), m.group(1))
    return [(text, href) for href, text in seen.items()]


def _clickable(style: Style | None) -> Style | None:
    if style is None or not style.link:
        return style
    href = style.link  # a click runs the app's action; the terminal's own hyperlink is dropped
    return style.update_link(None) + Style.from_meta({"@click": f"app.follow_link({href!r})"})


class PaintGate:
    """Closed by the event loop for each key it handles, open again once the screen has shown them all;
    a paint thread waits at the gate between two segments. A thread that holds Python's interpreter lock
    makes the loop wait up to the switch interval (5 ms) each time the loop wants the lock back, and
    echoing one key takes the loop several such turns; a thread parked at the gate holds nothing."""

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._keys = 0  # keys not yet shown
        self._switch = sys.getswitchinterval()

    def close(self) -> None:
        with self._lock:
            if self._keys == 0:
                self._switch = sys.getswitchinterval()
                sys.setswitchinterval(GATE_SWITCH_INTERVAL)  # the thread reaches the gate sooner
                self._open.clear()
            self._keys += 1

    def open(self, all_keys: bool = False) -> None:
        """One key is shown (``all_keys``: give up waiting for the rest)."""
        with self._lock:
            if self._keys == 0:
                return
            self._keys = 0 if all_keys else self._keys - 1
            if self._keys == 0:
                sys.setswitchinterval(self._switch)
                self._open.set()

    @property
    def is_open(self) -> bool:
        return self._open.is_set()

    def wait(self) -> None:
        if not self._open.is_set() and not self._open.wait(GATE_TIMEOUT):
            self.open(all_keys=True)  # a key's callback went with a closing widget: go on

    def passing(self, segments: Iterable[Segment]) -> Iterator[Segment]:
        """``segments``, waiting at the gate before each (Rich yields them as it lays out)."""
        for segment in segments:
            self.wait()
            yield segment


def render_lines(md: str, width: int, base: Style, dark: bool, gate: PaintGate | None = None) -> list[Strip]:
    """``md`` laid out ``width`` cells wide, on ``base`` (the pane's colours), waiting at ``gate``
    between lines. Safe in any thread."""
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      legacy_windows=False, markup=False, emoji=False, highlight=False)
    options = console.options.update_width(width)
    strips: list[Strip] = []
    # A layout makes thousands of small objects, and a collection started among them cannot be interrupted:
    # the collector pauses meanwhile, as Textual pauses it while scrolling (unless someone paused it already).
    pause_collector = gc.isenabled()
    if pause_collector:
        gc.disable()
    try:
        for n, chunk in enumerate(paint_chunks(md, first=CHUNK, step=CHUNK)):
            if n:
                strips.append(Strip.blank(width, base))  # the blank line Rich puts between two blocks
                time.sleep(YIELD_SECONDS)  # the event loop takes the interpreter while this thread sleeps
            if gate is not None:
                gate.wait()
            document = Markdown(chunk, code_theme="monokai" if dark else "friendly", hyperlinks=True)
            segments = console.render(document, options)
            # segment by segment (Rich lays out lazily), so that the thread stops at the gate soon
            for line in Segment.split_and_crop_lines(segments if gate is None else gate.passing(segments),
                                                     width, pad=False, include_new_lines=False):
                strips.append(Strip(Segment.apply_style([Segment(s.text, _clickable(s.style), s.control)
                                                         for s in line], base)))
    finally:
        if pause_collector:
            gc.enable()
    return strips


class DocumentView(ScrollView, can_focus=True):
    """Shows prepared lines; scrolls by keyboard (arrows, page keys, home/end) and mouse."""

    BINDINGS = [
        Binding("o", "app.links", "Links"),
        Binding("c", "app.copy", "Copy"),
        Binding("s", "app.export", "Save .md"),
        Binding("b", "app.toggle_bilingual", "Both languages"),
    ]
    DEFAULT_CSS = "DocumentView { background: $surface; }"

    source = ""  # the Markdown on screen
    rendered_width: int | None = None
    _pane_style: Style | None = None

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[Strip] = []

    @property
    def text_width(self) -> int:
        """The width to lay out at; while hidden (the welcome page is shown), what it will be once shown."""
        width = self.scrollable_content_region.width
        if not self.display and self.parent is not None:
            gutter = self.styles.padding.width + self.styles.scrollbar_size_vertical
            width = self.parent.content_region.width - gutter  # type: ignore[attr-defined]
        return max(20, width)

    def show_lines(self, source: str, lines: list[Strip], width: int) -> None:
        self.source, self._lines, self.rendered_width = source, lines, width
        set_virtual_size(self, Size(width, len(lines)))
        self.scroll_home(animate=False)
        self.refresh()

    def render_lines(self, crop):
        self._pane_style = self.rich_style  # once per paint: it is looked up through every ancestor
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        style = self._pane_style or self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, style)

    def on_resize(self) -> None:
        if self.rendered_width is not None and self.text_width != self.rendered_width:
            self.post_message(DocumentResized())
