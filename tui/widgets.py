"""The search field, the list of codes and the key bar."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Input, OptionList

from .logic import looks_like_reply, one_line, visible
from .messages import ExplainRequested


class SearchInput(Input):
    """The search field.

    Every key it binds is applied here, in the order it was typed: Textual runs a widget's non-priority
    bindings only once the key has bubbled up to the app, so a backspace typed while the app was busy
    would run after the letters typed behind it. A multi-line or long paste is explained instead of
    squeezed into one line; any other paste goes in once, made visible."""

    BINDINGS = [
        Binding("up", "app.move_in_list(-1)", "Browse", key_display="↑↓"),
        Binding("down", "app.move_in_list(1)", "Browse", show=False),
        Binding("pageup", "app.move_in_list(-10)", "Page", show=False),
        Binding("pagedown", "app.move_in_list(10)", "Page", show=False),
        Binding("enter", "submit", "Open"),
        Binding("tab", "app.leave_search", "Explanation", show=False),
        Binding("escape", "app.focus_list", "List", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._actions = {b.key: b.action for cls in reversed(type(self).__mro__)
                         for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])) if isinstance(b, Binding)}

    async def on_key(self, event: events.Key) -> None:
        action = self._actions.get(event.key)
        if action is None and event.key == "question_mark" and not self.value:
            action = "app.help"  # ? in an empty field is help; in a query it is a character
        if action is not None:
            event.prevent_default()  # neither Input's key handler nor the bubbling bindings see it again
            event.stop()
            await self.run_action(action)

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own paste handler would insert the text a second time
        event.stop()
        text = event.text
        if looks_like_reply(text) and ("\n" in text.strip() or len(text) > 100):
            self.post_message(ExplainRequested(text))
            with self.prevent(Input.Changed):  # the preview is not a new query to search or explain
                self.value = one_line(text)
            return
        lines = visible(text).splitlines()
        if not lines:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(lines[0])
        else:
            self.replace(lines[0], *selection)


class CodeList(OptionList):
    """The list of codes. Textual's OptionList drops its rendered rows on every Resize, also on the first,
    which only reports the size they were just drawn at; this one keeps them while the width is the same."""

    _drawn_width: int | None = None

    def render_lines(self, crop):
        self._drawn_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width == self._drawn_width:
            event.prevent_default()  # OptionList's own handler, which comes after this one, is skipped


class KeyBar(Widget):
    """The footer: the keys that work where the focus is, drawn as one line of text; a click on a key
    presses it. The command palette's key sits on the right.

    Textual's Footer mounts a widget per key, and mounts them all again whenever the focus moves: a sixth
    of the start-up (measured) and a layout of the screen per focus change. This widget only redraws."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; text-wrap: nowrap;
        color: $footer-foreground; background: $footer-background;
        link-color: $footer-key-foreground; link-background: transparent; link-style: bold;
        link-color-hover: $footer-key-foreground; link-background-hover: $block-hover-background;
        link-style-hover: bold;
    }
    """

    _shown: tuple = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys(self) -> tuple:
        """(key, shown as, description, enabled) of each key to show, and of the palette's key or None."""
        app = self.app
        bindings = self.screen.active_bindings
        first: dict[str, tuple] = {}  # an action bound to several keys shows its first, as Textual's footer does
        for _, b, enabled, _ in bindings.values():
            if b.show:
                first.setdefault(b.action, (b.key, app.get_key_display(b), b.description, enabled))
        keys = tuple(first.values())
        palette = None
        if app.ENABLE_COMMAND_PALETTE and (found := bindings.get(app.COMMAND_PALETTE_BINDING)) is not None:
            _, b, enabled, _ = found
            palette = (b.key, app.get_key_display(b), b.description, enabled)
        return keys, palette

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen and self._keys() != self._shown:
            self.refresh()

    @staticmethod
    def _key(key: str, shown: str, description: str, enabled: bool, pad: str = " ") -> Content:
        press = Style.from_meta({"@click": f"app.simulate_key({key!r})"})
        part = Content.assemble((f"{pad}{shown} ", press), (f"{description} ", "$footer-description-foreground"))
        return part if enabled else part.stylize("dim")

    def render(self) -> Content:
        self._shown = keys, palette = self._keys()
        left = Content("").join(self._key(*k) for k in keys)
        if palette is None:
            return left
        right = Content.assemble(("▏", "$foreground 20%"), self._key(*palette, pad=""))
        width = self.size.width
        if left.cell_length + right.cell_length > width:
            left = left.truncate(max(0, width - right.cell_length), ellipsis=True)
        return Content.assemble(left, " " * (width - left.cell_length - right.cell_length), right)
