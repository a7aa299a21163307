"""Dialogs over the main screen: the explain box, help, and the list of a document's links."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .i18n import ui
from .logic import visible


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
        from textual.widgets import Markdown  # imported on first use: slow to import, not on the first screen

        with VerticalScroll():
            yield Markdown(ui("help_page", self.lang), id="help", open_links=False)

    def action_close(self) -> None:
        self.dismiss(None)


class LinksScreen(ModalScreen[str | None]):
    """The links of the record or explanation on screen, numbered: enter (or the number) follows one."""

    BINDINGS = [Binding("escape,o", "cancel", "Close", show=False)]
    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    LinksScreen > Vertical { width: 80%; max-width: 100; height: auto; max-height: 80%; border: thick $primary;
                             background: $surface; padding: 0 1; }
    LinksScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    def __init__(self, lang: str, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self.lang, self.links = lang, links

    def compose(self) -> ComposeResult:
        rows = [Option(Content.assemble((f"{n:>2} ", "bold"), visible(text), "  ", (visible(href), "$text-muted")),
                       id=str(n - 1)) for n, (text, href) in enumerate(self.links, 1)]
        with Vertical():
            yield Label(Content(ui("links_title", self.lang)))
            yield OptionList(*rows, id="links")

    def on_mount(self) -> None:
        self.query_one("#links").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)][1])

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and 0 < int(event.character) <= len(self.links):
            event.stop()
            self.dismiss(self.links[int(event.character) - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class OpenLogScreen(ModalScreen[str | None]):
    """Asks for the path of a log file to read."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    DEFAULT_CSS = """
    OpenLogScreen { align: center middle; }
    OpenLogScreen > Vertical { width: 80%; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical():
            yield Label(Content(ui("open_log_title", self.lang)))
            yield Input(id="path")

    def on_mount(self) -> None:
        self.query_one("#path").focus()

    def on_input_submitted(self, event) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
