"""tui/compat.py holds the browser's only uses of Textual's private parts; these tests fail as soon as
Textual changes one of them (renamed, removed, or behaving differently)."""

from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Static

from tui.compat import screen_lines, translate_bindings


class _Small(App):
    BINDINGS = [Binding("f5", "bell", "Ring")]

    def compose(self):
        yield Static("visible text")
        yield Footer()


async def test_translated_bindings_reach_the_footer_data():
    app = _Small()
    async with app.run_test(size=(60, 5)) as pilot:
        assert "f5" in app._bindings.key_to_bindings  # the private map compat edits
        translate_bindings(app, lambda action: "Klingeln" if action == "bell" else None)
        await pilot.pause()
        shown = {b.key: b.description for _, b, _, _ in app.screen.active_bindings.values()}
        assert shown["f5"] == "Klingeln"


async def test_the_composed_screen_is_read_as_text():
    app = _Small()
    async with app.run_test(size=(60, 5)):
        lines = screen_lines(app)
        assert lines[0].startswith("visible text")
        assert len(lines) == 5 and all(len(line) == 60 for line in lines)


class _Lines(App):
    def compose(self):
        from textual.scroll_view import ScrollView

        yield ScrollView()


async def test_a_new_virtual_size_sizes_the_scrollbar_and_lays_out_only_when_it_comes_or_goes():
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    from tui.compat import set_virtual_size

    app = _Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(ScrollView)
        set_virtual_size(view, Size(40, 100))  # taller than the view: the scrollbar comes (a layout)
        await pilot.pause()
        assert view.virtual_size == Size(40, 100) and view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 100
        assert view.max_scroll_y == 100 - view.scrollable_content_region.height
        view.scroll_to(y=80, animate=False)
        set_virtual_size(view, Size(40, 50))  # still taller: the same scrollbar, resized, no layout
        assert not app.screen._layout_required
        await pilot.pause()
        assert view.vertical_scrollbar.window_virtual_size == 50
        assert view.scroll_y == view.max_scroll_y == 50 - view.scrollable_content_region.height
        set_virtual_size(view, Size(40, 3))  # fits: the scrollbar goes
        await pilot.pause()
        assert not view.show_vertical_scrollbar and view.max_scroll_y == 0
