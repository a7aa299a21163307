"""Messages the browser's widgets post to the app, instead of calling into it."""

from __future__ import annotations

from textual.message import Message


class ExplainRequested(Message):
    """A text to explain (a multi-line or long paste into the search field)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class LinkFollowed(Message):
    """A link in a record or explanation was chosen: ``code:X`` opens a code, http(s) a web page."""

    def __init__(self, href: str) -> None:
        super().__init__()
        self.href = href


class DocumentResized(Message):
    """The document pane's width changed: what it shows has to be laid out again."""
