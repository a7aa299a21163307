"""tui/compat.py holds the browser's only uses of Textual's private parts; these tests fail as soon as
Textual changes one of them (renamed, removed, or behaving differently)."""

from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Static

from tui.compat import KeyFooter, screen_lines, translate_bindings


class _Small(App):
    BINDINGS = [Binding("f5", "bell", "Ring")]

    def compose(self):
        yield Static("visible text")
        yield KeyFooter()


async def test_translated_bindings_reach_the_footer_data():
    app = _Small()
    async with app.run_test(size=(60, 5)) as pilot:
        assert "f5" in app._bindings.key_to_bindings  # the private map compat edits
        translate_bindings(app, lambda action: "Klingeln" if action == "bell" else None)
        await pilot.pause()
        shown = {b.key: b.description for _, b, _, _ in app.screen.active_bindings.values()}
        assert shown["f5"] == "Klingeln"


async def test_the_footer_shows_keys_from_the_first_frame_and_reads_the_composed_screen():
    assert "_bindings_ready" in Footer._reactives  # the flag KeyFooter sets before composing
    app = _Small()
    async with app.run_test(size=(60, 5)):
        footer = app.query_one(KeyFooter)
        assert footer._bindings_ready and len(footer.children) > 0
        lines = screen_lines(app)
        assert lines[0].startswith("visible text")
        assert any("Ring" in line for line in lines)
