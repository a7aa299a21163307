"""What the browser decides, kept free of Textual so it can be tested and benchmarked on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One reply detector for every surface: the search field explains what kb's parser reads as a reply.
from kb.reply import looks_like_reply, names_a_reply

__all__ = ["History", "View", "looks_like_reply", "names_a_reply", "one_line", "paint_chunks", "visible"]

EXPLAIN_SCAN_LIMIT = 64 * 1024  # kb.explain reads no further; neither do we keep more
MARKDOWN_LIMIT = 200_000  # a pathological explanation must not stall the Markdown widget

# C0 and C1 controls except tab and newline: shown as visible symbols, never sent to the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters as their Unicode pictures (ESC -> ␛), so no input can garble the screen."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\ufffd", text)


def one_line(text: str, limit: int = 80) -> str:
    """A short single-line preview of pasted text."""
    flat = " ".join(visible(text[: limit * 4]).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def split_for_first_paint(md: str, at_least: int = 1200) -> tuple[str, str]:
    """Split Markdown at a "## " heading after ``at_least`` characters and outside code fences."""
    start = at_least
    while True:
        cut = md.find("\n## ", start)
        if cut < 0:
            return md, ""
        if md.count("```", 0, cut) % 2 == 0:
            return md[: cut + 1], md[cut + 1:]
        start = cut + 1


def paint_chunks(md: str, first: int = 1200, step: int = 1500) -> list[str]:
    """Markdown in pieces to lay out one after another: the top of at least ``first`` characters, then
    whole sections of at least ``step``. Textual mounts a widget per block, and a whole record at once
    would hold the screen (and the keyboard) for a quarter of a second."""
    head, tail = split_for_first_paint(md, first)
    chunks = [head]
    while tail:
        head, tail = split_for_first_paint(tail, step)
        chunks.append(head)
    return chunks


@dataclass(frozen=True)
class View:
    """What the right pane shows: a code's record or an explanation of a text."""

    kind: str  # "code" | "explain"
    value: str
    transient: bool = False  # browsing the list or typing: the next such view replaces this one


class History:
    """Back/forward stack of views, like a web browser's."""

    def __init__(self) -> None:
        self._views: list[View] = []
        self._at = -1

    @property
    def current(self) -> View | None:
        return self._views[self._at] if self._at >= 0 else None

    def visit(self, view: View) -> None:
        current = self.current
        if current is not None and (current.kind, current.value) == (view.kind, view.value):
            self._views[self._at] = View(view.kind, view.value, current.transient and view.transient)
            return
        del self._views[self._at + 1:]
        if current is not None and current.transient and view.transient:
            self._views[self._at] = view
        else:
            self._views.append(view)
            self._at = len(self._views) - 1

    def back(self) -> View | None:
        if self._at <= 0:
            return None
        self._at -= 1
        return self.current

    def forward(self) -> View | None:
        if self._at >= len(self._views) - 1:
            return None
        self._at += 1
        return self.current

    def __len__(self) -> int:
        return len(self._views)


def group_of(rec) -> tuple[str, str]:
    """(kind, digit) a record is listed under: ("basic", "4") for 421, ("enhanced", "7") for X.7.26."""
    return (rec.kind, rec.key[0] if rec.kind == "basic" else rec.key.split(".")[1])


def search_codes(query: str) -> list:
    """The CLI's ranking (exact code first) over the whole knowledge base: a list of kb Hits."""
    import kb

    return kb.search(query, limit=None)
