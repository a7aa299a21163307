"""A pasted or opened log as a table: one row per distinct case (code, reason, provider, verdict) with how
often it occurs; the rows are sorted by a column, filtered by text, and each opens its explanation.

The cases are built from ``kb.explain_rows``, the rows ``smtpkb report`` and ``explain --summary`` count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

import kb
from kb.render import value

from .i18n import column, ui
from .logic import names_a_reply, one_line, visible

LOG_MIN_LINES = 2  # a paste with this many reply or log lines is read as a log, line by line
FILE_LIMIT = 64 * 1024 * 1024  # bytes of a log file read; a larger file is read by its start
COLUMNS = ("count", "code", "reason", "provider", "outcome", "retry", "example")


@dataclass
class Case:
    code: str
    reason: str
    provider: str
    outcome: str
    retry: str
    example: str  # the first line of the log with this case: what opens its explanation
    count: int = 0
    recipients: set[str] = field(default_factory=set)

    def cells(self, lang: str) -> tuple:
        return (self.count, self.code, self.reason, self.provider, value(self.outcome, lang) if self.outcome else "-",
                value(self.retry, lang) if self.retry else "-", one_line(self.example, 60))


def looks_like_log(text: str) -> bool:
    """Two or more lines that each read as a reply or log line on their own (the continuation lines of one
    multi-line reply, ``550-...``, do not count), and not a whole mail (kb.explain_message reads those)."""
    from kb.mail import looks_like_message

    found = 0
    for line in text.splitlines():
        if not _CONTINUATION.match(line) and names_a_reply(line):
            found += 1
            if found >= LOG_MIN_LINES:
                break
    return found >= LOG_MIN_LINES and not looks_like_message(text)


_CONTINUATION = re.compile(r"\s*[1-5]\d\d-")


def distinct_cases(lines: Iterable[str], limit: int = 5000) -> tuple[list[Case], int]:
    """(cases, lines read): one case per (code, reason, provider, outcome, retry), most frequent first;
    at most ``limit`` distinct cases are kept (later new ones are counted into the last)."""
    source = list(lines)
    cases: dict[tuple, Case] = {}
    read = 0
    for row in kb.explain_rows(source):
        read += 1
        key = (row["code"] or "-", row["reason"], row["provider"] or "-", row["outcome"], row["retry"])
        case = cases.get(key)
        if case is None:
            if len(cases) >= limit:
                continue
            case = cases[key] = Case(*key, example=source[row["line"] - 1].strip())
        case.count += 1
        if row["recipient"] and len(case.recipients) < 1000:
            case.recipients.add(row["recipient"])
    return sorted(cases.values(), key=lambda c: -c.count), read


class LogScreen(ModalScreen[str | None]):
    """The table of a log's cases; enter opens the explanation of a case's first line."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("ctrl+o", "sort", "Sort"),
    ]
    DEFAULT_CSS = """
    LogScreen { align: center middle; }
    LogScreen > Vertical { width: 96%; height: 92%; border: thick $primary; background: $surface; padding: 0 1; }
    LogScreen DataTable { height: 1fr; }
    LogScreen #log-filter { margin-bottom: 1; }
    """

    def __init__(self, lang: str, cases: list[Case], lines_read: int) -> None:
        super().__init__()
        self.lang, self.cases, self.lines_read = lang, cases, lines_read
        self._sort_column = 0
        self._sort_reverse = True

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(ui("log_title", self.lang, n=len(self.cases), lines=f"{self.lines_read:,}")))
            yield Input(placeholder=ui("log_filter", self.lang), id="log-filter")
            yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(Content(column(name, self.lang)), key=name)
        self._fill("")
        table.focus()

    def _fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        needle = text.strip().lower()
        for n, case in enumerate(self.cases):
            cells = case.cells(self.lang)
            if needle and not any(needle in str(c).lower() for c in cells):
                continue
            # as Text: DataTable reads a plain str as markup, and these come from the log
            table.add_row(*(Text(visible(c)) if isinstance(c, str) else c for c in cells), key=str(n))
        self._apply_sort()

    def _apply_sort(self) -> None:
        table = self.query_one(DataTable)
        table.sort(COLUMNS[self._sort_column], reverse=self._sort_reverse,
                   key=lambda v: (isinstance(v, Text), str(v) if isinstance(v, Text) else v))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self._sort_by(event.column_index)

    def _sort_by(self, column: int) -> None:
        self._sort_reverse = not self._sort_reverse if column == self._sort_column else column == 0
        self._sort_column = column
        self._apply_sort()

    def action_sort(self) -> None:
        """Sort by the column under the cursor (again: the other way round)."""
        self._sort_by(self.query_one(DataTable).cursor_column)

    def action_focus_filter(self) -> None:
        self.query_one("#log-filter").focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.cases[int(event.row_key.value or 0)].example)

    def action_close(self) -> None:
        self.dismiss(None)
