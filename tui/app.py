"""The terminal browser: a search field, the list of codes, and the selected record or explanation.

Layout and widgets live in ``tui.widgets``, ``tui.document`` and ``tui.dialogs``; this module holds the
app: what is shown when, the history, and the actions behind the keys.

Everything the user typed or pasted reaches the screen only as plain text (``Content`` objects) or as
Markdown built by ``kb.render`` (which escapes it), after ``logic.visible`` has replaced control
characters: no input is ever read as Rich/Textual markup.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from rich.style import Style
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

import kb
from kb.render import escape, explanation_markdown, record_markdown

from .compat import translate_bindings
from .document import DocumentView, PaintGate, links_in, render_lines
from .i18n import command, describe_key, ui
from .logic import EXPLAIN_SCAN_LIMIT, MARKDOWN_LIMIT, History, View, looks_like_reply, one_line, search_codes, visible
from .messages import DocumentResized, ExplainRequested, LinkFollowed
from .rows import code_row, grouped_rows, styled_text
from .theme import DARK_THEME, LIGHT_THEME, browser_themes
from .widgets import CodeList, KeyBar, SearchInput

# Arrowing through the list lays out a record only once the keys pause for this long, so that a burst
# of arrows does not start a layout per row (each is dropped when a newer one starts anyway).
BROWSE_RENDER_DELAY = 0.05
# After the first screen has reached the terminal, a thread loads what the first search and the first
# record need (the search index; Rich's Markdown, tables and code blocks), so the first keys do not wait.
WARM_UP_DELAY = 0.1
WARM_UP_MARKDOWN = "# 421\n\n- a\n\n```text\n421 4.7.0\n```\n\n| a | b |\n|---|---|\n| 1 | [2](code:2) |\n"
STACKED_BELOW = 90  # columns: narrower terminals get the list above the record


def _dialogs():
    # The dialogs and the log table (Textual's DataTable) are imported on first use or by the warm-up,
    # not before the first screen: 10-12 ms of the start.
    from . import dialogs

    return dialogs


def _logview():
    from . import logview

    return logview


def code_link(code: str) -> str:
    return f"code:{code}"


def _code_commands():
    # the palette's provider is imported when the palette first opens: textual.command is slow to import
    from .palette import CodeCommands

    return CodeCommands


class SmtpKbApp(App[None]):
    """Browse and search SMTP reply codes; paste a bounce to have it explained."""

    TITLE = "smtp-kb"
    COMMANDS = App.COMMANDS | {_code_commands}
    # The footer shows only keys that work where the focus is: ctrl+q and F1 work everywhere, q and ? only
    # outside the search field (where they are letters), so they are not shown.
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "focus_search", "Search", show=False),
        Binding("ctrl+e", "explain", "Explain", priority=True),
        Binding("alt+left,left_square_bracket", "back", "Back"),
        Binding("alt+right,right_square_bracket", "forward", "Forward", show=False),
        Binding("f2,ctrl+l", "toggle_language", "Deutsch", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "leave", "Quit", show=False),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True),  # the footer shows it on the right
    ]
    CSS = f"""
    #search {{ dock: top; }}
    #main {{ height: 1fr; }}
    #side {{ width: 42%; min-width: 30; max-width: 60; }}
    /* one line whatever it says, so that a new status is drawn without a layout of the whole screen */
    #status {{ height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }}
    /* stable gutters: a scrollbar that comes and goes would shift the layout by a column */
    #codes {{ height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; scrollbar-gutter: stable; }}
    #detail {{ width: 1fr; border-left: tall $panel; }}
    #detail:focus-within {{ border-left: tall $primary; }}
    #welcome {{ padding: 0 1; height: 1fr; }}
    /* hidden in the first layout, not hidden after it (a second layout of the whole screen) */
    #doc {{ height: 1fr; padding: 0 1; scrollbar-gutter: stable; display: none; }}
    /* below {STACKED_BELOW} columns: the list above the record */
    .stacked #main {{ layout: vertical; }}
    .stacked #side {{ width: 100%; max-width: 100%; height: 40%; min-height: 6; }}
    .stacked #detail {{ border-left: none; border-top: tall $panel; }}
    .stacked #detail:focus-within {{ border-top: tall $primary; }}
    /* both languages side by side (key b in a record) */
    .bilingual #detail {{ layout: horizontal; }}
    .bilingual #doc, .bilingual #doc-other, .bilingual #welcome {{ width: 1fr; }}
    #doc-other {{ height: 1fr; padding: 0 1; scrollbar-gutter: stable; border-left: tall $panel; display: none; }}
    """

    def __init__(self, lang: str | None = None) -> None:
        # What is alive now (modules, classes, the index) lives as long as the app: moved out of the
        # collector's way, which would otherwise walk it again and again while the first screen is
        # built (measured: 29 -> 10 ms of collection). Textual itself pauses collection for scrolling.
        gc.freeze()
        super().__init__()
        for theme in browser_themes():
            self.register_theme(theme)
        self.theme = DARK_THEME
        self.lang = lang if lang in ("en", "de") else ("de" if os.environ.get("SMTPKB_LANG") == "de" else "en")
        self.history = History()
        self.bilingual = False  # the record or explanation in both languages, side by side
        self.pasted: list[str] = []  # texts explained in this session, newest last (the palette lists them)
        self.ready = False  # the list is filled and a first record shown (tests and the benchmark wait on it)
        self.warm = False  # the warm-up after the first screen is done
        self._query = ""
        self._explained_codes: list[str] = []
        self._rendered: View | None = None
        self._generation = 0  # of the document being prepared; older ones are dropped
        self._paint_timer = None
        self._gate = PaintGate()  # paint threads wait here while a key is on its way to the screen
        self._broken: kb.DataError | None = None  # the knowledge base could not be read
        self._rows_lang = self.lang  # the language of the list's rows

    def compose(self) -> ComposeResult:
        # The full list is built right here (a few ms: listing needs only the index's titles), so the
        # first layout is the final one; searches run in a worker thread as the user types.
        try:
            rows, self._broken = grouped_rows(self.lang), None
        except kb.DataError as exc:
            rows, self._broken = [], exc
        yield SearchInput(placeholder=ui("search_placeholder", self.lang), id="search", select_on_focus=False)
        with Horizontal(id="main"):
            with Vertical(id="side"):
                yield Static(Content(self._status_text("", self.lang, rows)), id="status", markup=False)
                yield CodeList(*rows, id="codes")
            with Vertical(id="detail"):
                yield Static(self._welcome(), id="welcome", markup=False)
                yield DocumentView(id="doc")
                yield DocumentView(id="doc-other")  # the other language, side by side on request
        yield KeyBar()

    def on_mount(self) -> None:
        if self.lang != "en":  # the keys are described in English where they are bound
            self._translate()
        self.query_one("#search").focus()
        self.set_timer(WARM_UP_DELAY, self._warm_up)
        if self._broken is not None:
            self._show_broken(self._broken)
            return
        self._highlight_first(self.query_one("#codes", OptionList))
        self.history.visit(View("welcome", ""))  # composed already: drawing it again would cost a layout
        self._rendered = self.history.current
        self.ready = True

    @work(group="warm-up", thread=True)
    def _warm_up(self) -> None:
        """Load the search index and Rich's renderers now rather than on the first keys; then move what
        lives as long as the app out of the cyclic collector's way (it would otherwise walk the index
        and the widgets in every full collection: 30-70 ms that hold the interpreter, and the keys)."""
        _dialogs(), _logview()
        try:
            search_codes("warm")
        except kb.DataError:
            pass  # shown already; nothing to warm
        render_lines(WARM_UP_MARKDOWN, 40, Style.null(), self.current_theme.dark, self._gate)
        if not get_current_worker().is_cancelled:  # the app is not closing
            self.call_from_thread(self._warmed)

    def _warmed(self) -> None:
        gc.freeze()
        self.warm = True

    def on_unmount(self) -> None:
        gc.unfreeze()  # what was frozen is collectable again (tests and benchmarks run many apps in one process)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < STACKED_BELOW, "stacked")

    async def on_event(self, event: events.Event) -> None:
        # A key or paste goes to the screen before any more layout: a paint thread waits until it is shown.
        typed = isinstance(event, (events.Key, events.Paste))
        if typed:
            self._gate.close()
        await super().on_event(event)
        if typed:
            # queued behind the key at the widget it went to, so it runs after the refresh that shows it
            if not (self.focused or self.screen).call_after_refresh(self._gate.open):
                self._gate.open()

    # --- searching -----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        # after the next refresh: the typed character is drawn before the search or explanation starts
        self.call_after_refresh(self._follow_field, event.value)

    def _follow_field(self, text: str) -> None:
        if text != self.query_one("#search", Input).value:
            return  # typed on meanwhile: the newer text has its own turn
        if looks_like_reply(text):
            self.explain_text(text, transient=True)
        else:
            self.run_search(text)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if looks_like_reply(event.value):
            self.explain_text(event.value, transient=False)
            self.query_one("#doc").focus()
            return
        codes = self.query_one("#codes", OptionList)
        chosen = codes.highlighted_option
        if chosen is None or chosen.disabled:
            chosen = next((o for o in codes.options if not o.disabled), None)
        if chosen is not None and chosen.id:
            self.open_code(chosen.id)
            with codes.prevent(OptionList.OptionHighlighted):
                codes.highlighted = codes.get_option_index(chosen.id)
            codes.focus()

    @work(exclusive=True, group="search", thread=True)
    def run_search(self, query: str) -> None:
        """Filter the list; in a thread so that typing never waits for the ranking."""
        lang = self.lang
        try:
            rows = self._rows_for(query, lang)
        except kb.DataError as exc:
            self.call_from_thread(self._show_broken, exc)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_rows, query, lang, rows)

    def _rows_for(self, query: str, lang: str) -> list[Option]:
        if not query.strip():
            return grouped_rows(lang)
        return [code_row(hit.record, lang) for hit in search_codes(query)]

    def _show_rows(self, query: str, lang: str, rows: list[Option]) -> None:
        if lang != self.lang:
            return  # the language changed meanwhile; a fresh search is on its way
        if query != self.query_one("#search", Input).value:
            return  # typed on meanwhile (perhaps into a reply being explained): these results are stale
        self._query = query
        self._explained_codes = []
        codes = self.query_one("#codes", OptionList)
        shown = (self._rows_lang, [o.id for o in codes.options])
        if shown != (lang, [r.id for r in rows]):  # typing on often keeps the same hits: no redraw then
            codes.set_options(rows)
            self._rows_lang = lang
        self.query_one("#status", Static).update(Content(self._status_text(query, lang, rows)), layout=False)
        first = self._highlight_first(codes)
        if query.strip() and first is not None:
            self.show(View("code", first, transient=True))  # the top hit: the exact code when there is one
        self.ready = True

    @staticmethod
    def _status_text(query: str, lang: str, rows: list[Option]) -> str:
        found = sum(1 for r in rows if not r.disabled)
        shown = one_line(query, 40)
        if not query.strip():
            return ui("all_codes", lang, n=found)
        if found == 0:
            return ui("no_match", lang, q=shown)
        if found == 1:
            return ui("one_match", lang, q=shown)
        return ui("matches", lang, n=found, q=shown)

    @staticmethod
    def _highlight_first(codes: OptionList) -> str | None:
        """Highlight the first code without showing it (the caller decides); its id."""
        first = next((i for i, r in enumerate(codes.options) if not r.disabled), None)
        if first is None:
            return None
        with codes.prevent(OptionList.OptionHighlighted):
            codes.highlighted = first
        return codes.options[first].id

    def _show_broken(self, exc: Exception) -> None:
        self.query_one("#status", Static).update(Content(ui("broken", self.lang)), layout=False)
        self.history.visit(View("broken", str(exc)))
        self._render_view(self.history.current)
        self.ready = True

    @on(OptionList.OptionHighlighted, "#codes")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # moving in the list shows each code; the list's own highlights (filling, mounting) do not
        if event.option.id and self.ready and event.option_list.has_focus:
            self.show(View("code", event.option.id, transient=True))

    @on(OptionList.OptionSelected, "#codes")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_code(event.option.id)

    # --- showing records and explanations --------------------------------------------------------

    def open_code(self, code: str) -> None:
        """Show a code's record and remember it in the history (links, palette, enter)."""
        self.show(View("code", code))

    def explain_text(self, text: str, transient: bool = False) -> None:
        """Explain a reply, DSN or log line; a whole bounce mail as one; a log as a table of its cases."""
        self.workers.cancel_group(self, "search")  # a search still running for an earlier keystroke
        if not transient and text.strip():
            if text in self.pasted:
                self.pasted.remove(text)
            self.pasted = [*self.pasted[-19:], text]  # the last 20 (the palette offers them again)
            if _logview().looks_like_log(text):
                self.read_log(text.splitlines(), "")
                return
        kind = "explain"
        if not transient and "\n" in text.strip():
            from kb.mail import looks_like_message

            kind = "message" if looks_like_message(text) else "explain"
        self.show(View(kind, text[:EXPLAIN_SCAN_LIMIT], transient=transient), total=len(text))

    @work(exclusive=True, group="log", thread=True)
    def read_log(self, lines: list[str], path: str) -> None:
        """The distinct cases of a log (pasted lines, or the file at ``path``), shown as a table."""
        lang = self.lang
        if path:
            try:
                with open(path, "rb") as fh:
                    data = fh.read(_logview().FILE_LIMIT)
            except OSError as exc:
                self.call_from_thread(self.notify, ui("open_log_failed", lang, path=visible(path),
                                                      error=visible(exc.strerror or str(exc))),
                                      severity="error", timeout=5, markup=False)
                return
            lines = data.decode("utf-8", "replace").splitlines()
        try:
            cases, read = _logview().distinct_cases(lines)
        except kb.DataError as exc:
            self.call_from_thread(self._show_broken, exc)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_log, cases, read, lang)

    def _show_log(self, cases, read: int, lang: str) -> None:
        def explain_case(line: str | None) -> None:
            if line:
                self.show(View("explain", line[:EXPLAIN_SCAN_LIMIT]))

        self.push_screen(_logview().LogScreen(lang, cases, read), explain_case)

    @on(ExplainRequested)
    def _explain_requested(self, message: ExplainRequested) -> None:
        self.explain_text(message.text)

    def show(self, view: View, total: int | None = None) -> None:
        self.history.visit(view)
        self._render_view(view, total)

    def _render_view(self, view: View | None, total: int | None = None) -> None:
        if view is None or (self._rendered == view and view.kind == "code"):
            return
        self._rendered = view
        self._generation += 1
        if self._paint_timer is not None:
            self._paint_timer.stop()
            self._paint_timer = None
        if view.kind == "welcome":
            self._show_welcome()
            return
        doc = self.query_one("#doc", DocumentView)
        other = None
        if self.bilingual:
            other = ("de" if self.lang == "en" else "en", self.query_one("#doc-other", DocumentView).text_width)
        # read on the loop, used in the thread: the width to lay out at and the pane's colours
        args = (view, self.lang, total or len(view.value), doc.text_width, doc.rich_style,
                self.current_theme.dark, self._generation, other)
        if view.transient and self.ready and view.kind == "code":
            self._paint_timer = self.set_timer(BROWSE_RENDER_DELAY, lambda: self._paint(*args))
        else:
            self._paint(*args)

    def _welcome(self) -> Content:
        try:
            s = kb.structure()
        except kb.DataError:
            return Content("")
        source = ui("welcome_page", self.lang, basic=s.basic_intro(self.lang), enhanced=s.enhanced_intro(self.lang))
        return styled_text(source)

    def _show_welcome(self) -> None:
        welcome = self.query_one("#welcome", Static)
        welcome.update(self._welcome())
        welcome.display = True
        self.query_one("#doc").display = False
        self.query_one("#doc-other").display = False

    def _markdown_for(self, view: View, lang: str, total: int) -> tuple[str, list[str]]:
        """The Markdown of a view, and the codes an explanation found. Runs in the paint thread."""
        if view.kind == "broken":
            return f"# {escape(ui('broken', lang))}\n\n```\n{view.value.replace('```', '')}\n```\n", []
        if view.kind == "code":
            return self._record_markdown(view.value, lang), []
        if view.kind == "message":
            from kb.mail.render import report_markdown

            report = kb.explain_message(view.value)
            codes = [c for r in report.recipients for c in (r.explanation.reply.basic, r.explanation.reply.enhanced) if c]
            return report_markdown(report, lang, link=code_link), list(dict.fromkeys(codes))
        ex = kb.explain(view.value)
        md = explanation_markdown(ex, lang, link=code_link)
        if total > len(view.value):
            md += f"\n---\n\n*{ui('truncated', lang, shown=f'{len(view.value):,}', total=f'{total:,}')}*\n"
        return md, [rec.code for rec in (ex.basic, ex.enhanced) if rec is not None]

    @staticmethod
    def _record_markdown(code: str, lang: str) -> str:
        rec = kb.get(code)
        if rec is not None:
            return record_markdown(rec, lang, link=code_link)
        if kb.normalize(code) is None:
            return f"# {escape(ui('no_record', lang, code=code))}\n"
        ex = kb.explain(code)  # a well-formed code without a record: explain it by its structure
        head = f"# {escape(ui('no_record', lang, code=code))}\n\n{ui('no_record_hint', lang)}\n\n"
        return head + explanation_markdown(ex, lang, link=code_link).replace("# ", "## ", 1)

    @work(exclusive=True, group="paint", thread=True)
    def _paint(self, view: View, lang: str, total: int, width: int, base, dark: bool, generation: int,
               other: tuple[str, int] | None = None) -> None:
        """Prepare a view's screen lines off the event loop (and, with ``other`` = (language, width), its
        other language's); a newer view drops this one's result."""
        self._paint_timer = None
        md, codes = self._safe_markdown(view, lang, total)
        if generation != self._generation:
            return
        lines = render_lines(md, width, base, dark, self._gate)
        second = None
        if other is not None and generation == self._generation:
            other_md = self._safe_markdown(view, other[0], total)[0]
            second = (other_md, render_lines(other_md, other[1], base, dark, self._gate), other[1])
        self._gate.wait()  # not while a key is on its way to the screen: showing a document takes the loop a while
        if generation == self._generation and not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_document, generation, view, md, lines, width, codes, lang, second)

    def _safe_markdown(self, view: View, lang: str, total: int) -> tuple[str, list[str]]:
        try:
            md, codes = self._markdown_for(view, lang, total)
        except kb.DataError as exc:
            md, codes = f"# {escape(ui('broken', lang))}\n\n```\n{str(exc).replace('```', '')}\n```\n", []
        if len(md) > MARKDOWN_LIMIT:
            md = md[:MARKDOWN_LIMIT] + "\n\n…\n"
        return visible(md), codes

    def _show_document(self, generation: int, view: View, md: str, lines, width: int, codes: list[str],
                       lang: str, second: tuple | None = None) -> None:
        if generation != self._generation or not self.query("#doc"):
            return  # a newer view is on its way, or the app is closing
        doc = self.query_one("#doc", DocumentView)
        self.query_one("#welcome").display, doc.display = False, True
        doc.show_lines(md, lines, width)
        other = self.query_one("#doc-other", DocumentView)
        other.display = second is not None
        if second is not None:
            other.show_lines(*second)
        if view.kind in ("explain", "message"):
            self._explained_codes = codes
            rows = [code_row(kb.lookup(c), lang) for c in codes if kb.get(c) is not None]
            codes_list = self.query_one("#codes", OptionList)
            with codes_list.prevent(OptionList.OptionHighlighted):
                codes_list.set_options(rows)
            self._rows_lang = lang
            self.query_one("#status", Static).update(Content(ui("explained" if rows else "no_code", lang)),
                                                     layout=False)

    @property
    def busy(self) -> bool:
        """Still searching, explaining or waiting to render (tests and the benchmark wait for this).
        The warm-up after the first screen does not count (see ``warm``)."""
        return self._paint_timer is not None or any(not w.is_finished and w.group != "warm-up" for w in self.workers)

    @on(DocumentResized)
    def _relayout(self) -> None:
        self._rendered = None
        self._render_view(self.history.current)

    @on(LinkFollowed)
    def _link_followed(self, message: LinkFollowed) -> None:
        self.action_follow_link(message.href)

    def action_follow_link(self, href: str) -> None:
        if href.startswith("code:"):
            self.open_code(href[len("code:"):])
        elif href.startswith(("http://", "https://")):
            self.open_url(href)

    # --- actions ---------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_focus_list(self) -> None:
        self.query_one("#codes").focus()

    def action_leave_search(self) -> None:
        """Tab from the search field: to the record or explanation when one is shown, else the list."""
        doc = self.query_one("#doc")
        (doc if doc.display else self.query_one("#codes")).focus()

    def action_move_in_list(self, step: int) -> None:
        codes = self.query_one("#codes", OptionList)
        enabled = [i for i, o in enumerate(codes.options) if not o.disabled]
        if not enabled:
            return
        at = codes.highlighted
        if at is None or at not in enabled:
            target = enabled[0]
        else:
            target = enabled[max(0, min(len(enabled) - 1, enabled.index(at) + step))]
        with codes.prevent(OptionList.OptionHighlighted):
            codes.highlighted = target
        chosen = codes.options[target].id
        if chosen:
            self.show(View("code", chosen, transient=True))  # the record follows, as it does in the list

    def action_leave(self) -> None:
        self.exit()

    def action_explain(self) -> None:
        if isinstance(self.screen, _dialogs().ExplainScreen):
            self.screen.action_submit()  # ctrl+e again inside the box explains its text
            return
        if isinstance(self.screen, ModalScreen):
            return
        current = self.query_one("#search", Input).value

        def explain(text: str | None) -> None:
            if text and text.strip():
                self.explain_text(text)

        self.push_screen(_dialogs().ExplainScreen(self.lang, current if looks_like_reply(current) else ""), explain)

    def action_back(self) -> None:
        view = self.history.back()
        if view is None:
            self.notify(ui("history_start", self.lang), timeout=2, markup=False)
        else:
            self._render_view(view)

    def action_forward(self) -> None:
        view = self.history.forward()
        if view is None:
            self.notify(ui("history_end", self.lang), timeout=2, markup=False)
        else:
            self._render_view(view)

    def action_toggle_language(self) -> None:
        self.lang = "de" if self.lang == "en" else "en"
        self.query_one("#search", Input).placeholder = ui("search_placeholder", self.lang)
        self._translate()
        query = self.query_one("#search", Input).value
        if not (self._explained_codes or looks_like_reply(query)):  # an explanation refills the list itself
            self.run_search(self._query)
        self._rendered = None
        self._render_view(self.history.current)
        self.notify(ui("language_now", self.lang), timeout=2, markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme != LIGHT_THEME else DARK_THEME
        if self.history.current is not None and self.history.current.kind != "welcome":
            self._rendered = None  # the document's colours are laid out with it
            self._render_view(self.history.current)

    def action_toggle_bilingual(self) -> None:
        """The record or explanation in both languages, side by side (again: one language)."""
        self.bilingual = not self.bilingual
        self.set_class(self.bilingual, "bilingual")
        view = self.history.current
        if view is None or view.kind == "welcome":
            return
        self.query_one("#doc-other").display = self.bilingual  # laid out at its width after this refresh

        def again() -> None:
            self._rendered = None
            self._render_view(self.history.current)

        self.call_after_refresh(again)

    def action_help(self) -> None:
        help_screen = _dialogs().HelpScreen
        if not isinstance(self.screen, help_screen):
            self.push_screen(help_screen(self.lang))

    def action_links(self) -> None:
        links = links_in(self.query_one("#doc", DocumentView).source)
        if not links:
            self.notify(ui("no_links", self.lang), timeout=2, markup=False)
            return

        def follow(href: str | None) -> None:
            if href:
                self.action_follow_link(href)

        self.push_screen(_dialogs().LinksScreen(self.lang, links), follow)

    def action_copy(self) -> None:
        source = self.query_one("#doc", DocumentView).source
        if source:
            self.copy_to_clipboard(source)
            self.notify(ui("copied", self.lang), timeout=2, markup=False)

    def action_export(self) -> None:
        doc = self.query_one("#doc", DocumentView)
        view = self.history.current
        if not doc.source or view is None:
            return
        name = view.value if view.kind == "code" else "explanation"
        path = Path.cwd() / f"smtpkb-{''.join(c if c.isalnum() or c in '.-' else '_' for c in name[:40])}.md"
        try:
            path.write_text(doc.source, encoding="utf-8")
        except OSError as exc:
            self.notify(ui("export_failed", self.lang, error=str(exc)), severity="error", timeout=4, markup=False)
            return
        self.notify(ui("exported", self.lang, path=str(path)), timeout=3, markup=False)

    def action_open_log(self) -> None:
        def read(path: str | None) -> None:
            if path and path.strip():
                self.read_log([], path.strip())

        self.push_screen(_dialogs().OpenLogScreen(self.lang), read)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette  # imported on first use: slow to import

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=ui("palette_placeholder", self.lang)))

    def get_system_commands(self, screen):
        """The palette's own commands, in the current language, and the texts pasted in this session."""
        from textual.app import SystemCommand

        lang = self.lang
        for name, callback in (("open_log", self.action_open_log), ("explain", self.action_explain),
                               ("help", self.action_help), ("language", self.action_toggle_language),
                               ("theme", self.action_toggle_theme), ("quit", self.exit)):
            yield SystemCommand(*command(name, lang), callback)
        for text in reversed(self.pasted):
            yield SystemCommand(ui("cmd_history", lang, text=one_line(text, 50)), ui("cmd_history_help", lang),
                                lambda text=text: self.explain_text(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a dialog is open only its own keys (and ctrl+e inside the explain box) apply.
        if isinstance(self.screen, ModalScreen) and action in ("back", "forward", "toggle_language", "focus_search"):
            return False
        # The footer shows the keys that work where the focus is: in the search field letters are text.
        in_search = isinstance(self.focused, SearchInput)
        if action in ("leave", "focus_search") and in_search:
            return False
        return True

    def _translate(self) -> None:
        """Footer descriptions in the current language, for the app's keys and its widgets'."""
        def describe(action: str) -> str | None:
            name = action.split("(")[0].rsplit(".", 1)[-1]
            return describe_key(name, self.lang)

        for node in (self, *self.query("#search, #doc, #doc-other")):
            translate_bindings(node, describe)


def run() -> int:
    """Open the browser; returns the process exit code."""
    SmtpKbApp().run()
    return 0
