"""The terminal browser: a search field, the list of codes, and the selected record or explanation.

Everything the user typed or pasted reaches the screen only as plain text (``Content`` objects) or
as Markdown built by ``kb.render`` (which escapes it), after ``logic.visible`` has replaced control
characters: no input is ever read as Rich/Textual markup.
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
from dataclasses import replace
from functools import partial

from textual import on, work
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Paste
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

import kb
from kb.render import escape, explanation_markdown, record_markdown

from .i18n import HELP, WELCOME, badge, ui
from .logic import (
    EXPLAIN_SCAN_LIMIT,
    MARKDOWN_LIMIT,
    History,
    View,
    group_of,
    looks_like_reply,
    one_line,
    paint_chunks,
    search_codes,
    visible,
)

LIGHT_THEME, DARK_THEME = "textual-light", "textual-dark"
BADGE_STYLES = {"standard": "$success", "extension": "$accent", "non-standard": "$warning",
                "deprecated": "$error", "draft": "$secondary"}
CODE_WIDTH = 8  # "X.7.26" and "5.7.26" plus a gap
# Typing and arrowing through the list re-render the right pane only once the keys pause, so a
# long record is not rebuilt for every keystroke on its way.
BROWSE_RENDER_DELAY = 0.12
SECTION_DELAY = 0.03  # between the sections of a record: long enough for the one before to be painted


def _markdown_widget(source: str = "", **kwargs):
    # imported on first use: Textual's Markdown (with markdown-it) takes a fifth of the start-up time to
    # import, and the first screen does not need it
    from textual.widgets import Markdown

    return Markdown(source, open_links=False, **kwargs)


def code_link(code: str) -> str:
    return f"code:{code}"


def code_row(rec, lang: str) -> Option:
    """One list row: code, status badge, title (all plain text, never markup)."""
    status = Content.styled(badge(rec.status, lang), BADGE_STYLES.get(rec.status, "$text-muted"))
    prompt = Content.assemble((rec.code.ljust(CODE_WIDTH), "bold"), status, " ", visible(rec.title(lang)))
    return Option(prompt, id=rec.code)


_INLINE = re.compile(r"\*\*(.+?)\*\*|`(.+?)`")


def simple_markdown(source: str) -> Content:
    """The small Markdown subset of the welcome page (# headings, - bullets, **bold**, `code`) as styled
    text. Only the project's own texts come through here; the knowledge base's text is not markup either."""
    parts: list = []
    for line in source.strip().splitlines():
        if line.startswith("#"):
            parts += [(line.lstrip("#").strip(), "bold $primary"), "\n"]
            continue
        if line.startswith("- "):
            parts.append(("• ", "$primary"))
            line = line[2:]
        pos = 0
        for m in _INLINE.finditer(line):
            parts.append(line[pos:m.start()])
            parts.append((m.group(1), "bold") if m.group(1) else (m.group(2), "$accent"))
            pos = m.end()
        parts += [line[pos:], "\n"]
    return Content.assemble(*parts)


def heading_row(text: str) -> Option:
    return Option(Content.styled(text, "bold $primary"), disabled=True)


def grouped_rows(lang: str) -> list[Option]:
    """Every record, basic codes by class (2xx..5xx), then enhanced codes by subject (X.0..X.7)."""
    structure = kb.structure()
    rows: list[Option] = []
    group = None
    for rec in kb.records():
        kind, digit = group_of(rec)
        if (kind, digit) != group:
            group = (kind, digit)
            if kind == "basic":
                title = structure.first.get(digit, (None,))[0]
                name = f"{ui('basic', lang)} · {digit}xx"
            else:
                title = structure.subjects.get(digit, (None,))[0]
                name = f"{ui('enhanced', lang)} · X.{digit}"
            rows.append(heading_row(f"{name} {title(lang)}" if title else name))
        rows.append(code_row(rec, lang))
    return rows


class SearchInput(Input):
    """The search field; a multi-line or long paste is explained instead of squeezed into one line."""

    BINDINGS = [Binding("escape", "leave", "Leave the search field", show=False)]

    def _on_paste(self, event: Paste) -> None:
        if looks_like_reply(event.text) and ("\n" in event.text.strip() or len(event.text) > 100):
            event.stop()
            event.prevent_default()
            self.app.explain_text(event.text, transient=False)
            with self.prevent(Input.Changed):  # the preview is not a new query to search or explain
                self.value = one_line(event.text)
            return
        event.text = visible(event.text)
        super()._on_paste(event)

    def action_leave(self) -> None:
        self.app.action_focus_list()


class ExplainScreen(ModalScreen[str | None]):
    """A text box for long, multi-line pastes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False), Binding("ctrl+s", "submit", "Explain", show=False)]
    DEFAULT_CSS = """
    ExplainScreen { align: center middle; }
    ExplainScreen > Vertical { width: 90%; height: 80%; border: thick $primary; background: $surface; padding: 0 1; }
    ExplainScreen TextArea { height: 1fr; }
    ExplainScreen Horizontal { height: auto; align-horizontal: right; }
    ExplainScreen Button { margin-left: 1; }
    """

    def __init__(self, lang: str, text: str = "") -> None:
        super().__init__()
        self.lang, self.initial = lang, text

    def compose(self) -> ComposeResult:
        from textual.widgets import Button, TextArea  # imported on first use: TextArea is slow to import

        with Vertical():
            yield Label(Content(ui("explain_title", self.lang)))
            yield TextArea(self.initial, id="paste", soft_wrap=True, show_line_numbers=False)
            with Horizontal():
                yield Button(Content(ui("explain_button", self.lang)), id="explain", variant="primary")
                yield Button(Content(ui("cancel_button", self.lang)), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#paste").focus()

    def on_button_pressed(self, event) -> None:
        self.action_submit() if event.button.id == "explain" else self.action_cancel()

    def action_submit(self) -> None:
        self.dismiss(self.query_one("#paste").text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", show=False)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 90; height: 90%; border: thick $primary; background: $surface; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield _markdown_widget(HELP[self.lang], id="help")

    def action_close(self) -> None:
        self.dismiss(None)


class CodeList(OptionList):
    """The list of codes. Textual's OptionList drops its rendered rows on every Resize, also on the first,
    which only reports the size they were just drawn at; this one keeps them while the width is the same."""

    _drawn_width: int | None = None

    def render_lines(self, crop):
        self._drawn_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def _on_resize(self, event) -> None:
        if self.scrollable_content_region.width == self._drawn_width:
            event.prevent_default()  # Textual calls every class's _on_resize; this stops OptionList's


class KeyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it shows change, not on every change of focus."""

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        return tuple((b.key, b.description, enabled, tooltip)
                     for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)

    def bindings_changed(self, screen) -> None:
        if self._shown is not None and screen is self.screen and self._keys() == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        # Textual's footer starts empty and fills on the first change of bindings, a second layout
        # of the whole screen at start-up; this one shows the keys from the first frame on.
        self._bindings_ready = True
        self._shown = self._keys()
        yield from super().compose()


def _code_commands():
    # the palette's provider is imported when the palette first opens: textual.command is slow to import
    from .palette import CodeCommands

    return CodeCommands


class SmtpKbApp(App[None]):
    """Browse and search SMTP reply codes; paste a bounce to have it explained."""

    TITLE = "smtp-kb"
    COMMANDS = App.COMMANDS | {_code_commands}
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("ctrl+e", "explain", "Explain", priority=True),
        Binding("alt+left,left_square_bracket", "back", "Back"),
        Binding("alt+right,right_square_bracket", "forward", "Forward", show=False),
        Binding("f2,ctrl+l", "toggle_language", "Deutsch", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", priority=True),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]
    CSS = """
    #search { dock: top; }
    #main { height: 1fr; }
    #side { width: 42%; min-width: 30; max-width: 60; }
    /* one line whatever it says, so that a new status is drawn without a layout of the whole screen */
    #status { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    /* stable gutters: a scrollbar that comes and goes would shift the layout by a column */
    #codes { height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; scrollbar-gutter: stable; }
    #detail { width: 1fr; padding: 0 1; border-left: tall $panel; scrollbar-gutter: stable; }
    #detail:focus { border-left: tall $primary; }
    """

    def __init__(self, lang: str | None = None) -> None:
        # What is alive now (modules, classes, the index) lives as long as the app: moved out of the
        # collector's way, which would otherwise walk it again and again while the first screen is
        # built (measured: 29 -> 10 ms of collection). Textual itself pauses collection for scrolling.
        gc.freeze()
        super().__init__()
        self.lang = lang if lang in ("en", "de") else ("de" if os.environ.get("SMTPKB_LANG") == "de" else "en")
        self.history = History()
        self.ready = False  # the list is filled and a first record shown (tests and the benchmark wait on it)
        self._query = ""
        self._explained_codes: list[str] = []
        self._rendered: View | None = None
        self._pending_markdown: str | None = None
        self._markdown_timer = None
        self._markdown_generation = 0
        self._doc_mounted: AwaitComplete | None = None  # the Markdown pane, mounted with the first record
        self._broken: kb.DataError | None = None  # the knowledge base could not be read
        self._rows_lang = self.lang  # the language of the list's rows
        self._translate_bindings(refresh=False)

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
            with VerticalScroll(id="detail"):
                # the first screen is plain styled text: Textual's Markdown widget takes a third of a second
                # to lay out its first document, and the welcome page does not need it; the Markdown
                # pane (#doc) is mounted here when the first record is shown
                yield Static(self._welcome(), id="welcome", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#search").focus()
        if self._broken is not None:
            self._show_broken(self._broken)
            return
        self._highlight_first(self.query_one("#codes", OptionList))
        self.history.visit(View("welcome", ""))  # composed already: drawing it again would cost a layout
        self._rendered = self.history.current
        self.ready = True

    # --- searching -----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        text = event.value
        if looks_like_reply(text):
            self.explain_text(text, transient=True)
        else:
            self.run_search(text)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if looks_like_reply(event.value):
            self.explain_text(event.value, transient=False)
            return
        codes = self.query_one("#codes", OptionList)
        first = next((o for o in codes.options if not o.disabled), None)
        if first is not None:
            self.open_code(first.id)
            codes.highlighted = codes.get_option_index(first.id)
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
        self._highlight_first(codes)
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
    def _highlight_first(codes: OptionList) -> None:
        first = next((i for i, r in enumerate(codes.options) if not r.disabled), None)
        if first is not None:
            codes.highlighted = first  # shows the top hit: the exact code when there is one

    def _show_broken(self, exc: Exception) -> None:
        self.query_one("#status", Static).update(Content(ui("broken", self.lang)), layout=False)
        self._render_markdown(f"# {escape(ui('broken', self.lang))}\n\n```\n{str(exc).replace('```', '')}\n```\n")
        self.ready = True

    @on(OptionList.OptionHighlighted, "#codes")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Show the highlighted code while browsing the list or after typing a query; the initial fill
        # of the full list keeps the welcome page.
        browsing = self._query.strip() or self.query_one("#codes", OptionList).has_focus
        if event.option.id and self.ready and browsing:
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
        self.workers.cancel_group(self, "search")  # a search still running for an earlier keystroke
        self.show(View("explain", text[:EXPLAIN_SCAN_LIMIT], transient=transient), total=len(text))

    def show(self, view: View, total: int | None = None) -> None:
        self.history.visit(view)
        self._render_view(view, total)

    def _render_view(self, view: View, total: int | None = None) -> None:
        if self._rendered == view and view.kind == "code":
            return
        self._rendered = view
        delay = BROWSE_RENDER_DELAY if view.transient and self.ready else 0.0
        if view.kind == "code":
            self._render_markdown(self._record_markdown(view.value), delay)
        elif view.kind == "welcome":
            self._show_welcome()
        else:
            self.run_explain(view.value, self.lang, total or len(view.value), delay)

    def _welcome(self) -> Content:
        try:
            s = kb.structure()
        except kb.DataError:
            return Content("")
        source = WELCOME[self.lang == "de"].format(basic=s.basic_intro(self.lang), enhanced=s.enhanced_intro(self.lang))
        return simple_markdown(source)

    def _show_welcome(self) -> None:
        self._cancel_markdown()
        self._markdown_generation += 1  # a record still being laid out must not follow
        welcome = self.query_one("#welcome", Static)
        welcome.update(self._welcome())
        welcome.display = True
        for doc in self.query("#doc"):
            doc.display = False

    def _record_markdown(self, code: str) -> str:
        try:
            rec = kb.get(code)
            if rec is not None:
                return record_markdown(rec, self.lang, link=code_link)
            if kb.normalize(code) is None:
                return f"# {escape(ui('no_record', self.lang, code=code))}\n"
            ex = kb.explain(code)  # a well-formed code without a record: explain it by its structure
        except kb.DataError as exc:
            return f"# {escape(ui('broken', self.lang))}\n\n```\n{str(exc).replace('```', '')}\n```\n"
        head = f"# {escape(ui('no_record', self.lang, code=code))}\n\n{ui('no_record_hint', self.lang)}\n\n"
        return head + explanation_markdown(ex, self.lang, link=code_link).replace("# ", "## ", 1)

    @work(exclusive=True, group="explain", thread=True)
    def run_explain(self, text: str, lang: str, total: int, delay: float = 0.0) -> None:
        try:
            ex = kb.explain(text)
            md = explanation_markdown(ex, lang, link=code_link)
        except kb.DataError as exc:
            self.call_from_thread(self._show_broken, exc)
            return
        if total > len(text):
            md += f"\n---\n\n*{ui('truncated', lang, shown=f'{len(text):,}', total=f'{total:,}')}*\n"
        codes = [rec.code for rec in (ex.basic, ex.enhanced) if rec is not None]
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_explanation, md, codes, lang, delay)

    def _show_explanation(self, md: str, codes: list[str], lang: str, delay: float) -> None:
        self._render_markdown(md, delay)
        self._explained_codes = codes
        rows = [code_row(kb.lookup(c), lang) for c in codes if kb.get(c) is not None]
        self.query_one("#codes", OptionList).set_options(rows)
        self._rows_lang = lang
        self.query_one("#status", Static).update(Content(ui("explained" if rows else "none_found", lang)), layout=False)

    def _cancel_markdown(self) -> None:
        self._pending_markdown = None
        if self._markdown_timer is not None:
            self._markdown_timer.stop()
            self._markdown_timer = None

    def _render_markdown(self, md: str, delay: float = 0.0) -> None:
        if len(md) > MARKDOWN_LIMIT:
            md = md[:MARKDOWN_LIMIT] + "\n\n…\n"
        self._cancel_markdown()
        self._pending_markdown = visible(md)
        if delay:
            self._markdown_timer = self.set_timer(delay, self._flush_markdown)
        else:
            self._flush_markdown()

    def _flush_markdown(self) -> None:
        md, self._pending_markdown, self._markdown_timer = self._pending_markdown, None, None
        if md is None or not self.query("#detail"):  # (the main screen's, also under a dialog)
            return  # nothing to show, or the app is closing and the pane is gone
        if self._doc_mounted is None:
            self._doc_mounted = AwaitComplete(self.query_one("#detail").mount(_markdown_widget(id="doc")))
        self._markdown_generation += 1
        # a worker: Textual cancels it when the app quits, and reports what goes wrong in it; given as a
        # function, so that a worker cancelled before it starts leaves no coroutine unawaited
        self.run_worker(partial(self._paint, md, self._markdown_generation), group="paint")

    async def _paint(self, md: str, generation: int) -> None:
        """Lay out ``md`` in the Markdown pane: the top at once, then a section at a time after each
        paint, so that keys are read in between. A newer render stops this one."""
        await self._doc_mounted
        if generation != self._markdown_generation:
            return
        doc = self.query_one("#doc")
        self.query_one("#welcome").display, doc.display = False, True
        # emptied, then every section appended: Textual's append after an update would replace the
        # update's last block with the first appended one
        first, *rest = paint_chunks(md)
        with self.batch_update():  # no empty frame between the old document and the new one
            await doc.update("")
            await doc.append(first)
        self.query_one("#detail").scroll_home(animate=False)
        for chunk in rest:
            await asyncio.sleep(SECTION_DELAY)
            if generation != self._markdown_generation:
                return
            await doc.append(chunk)

    @property
    def busy(self) -> bool:
        """Still searching, explaining or waiting to render (tests and the benchmark wait for this)."""
        return self._pending_markdown is not None or any(not w.is_finished for w in self.workers)

    def on_markdown_link_clicked(self, event) -> None:  # Markdown.LinkClicked, named so Markdown loads lazily
        event.stop()
        href = event.href
        if href.startswith("code:"):
            self.open_code(href[len("code:"):])
        elif href.startswith(("http://", "https://")):
            self.open_url(href)

    # --- actions ---------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_focus_list(self) -> None:
        self.query_one("#codes").focus()

    def action_explain(self) -> None:
        if isinstance(self.screen, ExplainScreen):
            self.screen.action_submit()  # ctrl+e again inside the box explains its text
            return
        if isinstance(self.screen, ModalScreen):
            return
        current = self.query_one("#search", Input).value

        def explain(text: str | None) -> None:
            if text and text.strip():
                self.explain_text(text)

        self.push_screen(ExplainScreen(self.lang, current if looks_like_reply(current) else ""), explain)

    def action_back(self) -> None:
        view = self.history.back()
        if view is None:
            self.notify(ui("history_start", self.lang), timeout=2)
        else:
            self._render_view(view)

    def action_forward(self) -> None:
        view = self.history.forward()
        if view is None:
            self.notify(ui("history_end", self.lang), timeout=2)
        else:
            self._render_view(view)

    def action_toggle_language(self) -> None:
        self.lang = "de" if self.lang == "en" else "en"
        self.query_one("#search", Input).placeholder = ui("search_placeholder", self.lang)
        self._translate_bindings()
        query = self.query_one("#search", Input).value
        if self._explained_codes or looks_like_reply(query):
            pass  # the explanation re-renders below and refills the list
        else:
            self.run_search(self._query)
        if self.history.current is not None:
            self._rendered = None
            self._render_view(self.history.current)
        self.notify(ui("language_now", self.lang), timeout=2)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme != LIGHT_THEME else DARK_THEME

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a dialog is open only its own keys (and ctrl+e inside the explain box) apply.
        if isinstance(self.screen, ModalScreen) and action in ("back", "forward", "toggle_language", "focus_search"):
            return False
        return True

    def _translate_bindings(self, refresh: bool = True) -> None:
        """Footer descriptions follow the language (Binding is frozen, so swap in translated copies)."""
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, description=ui(b.action, self.lang)) if b.action in _FOOTER_ACTIONS else b for b in bindings
            ]
        if refresh:
            self.refresh_bindings()


_FOOTER_ACTIONS = {"focus_search", "explain", "back", "forward", "toggle_language", "toggle_theme", "help", "quit"}


def run() -> int:
    """Open the browser; returns the process exit code."""
    SmtpKbApp().run()
    return 0
