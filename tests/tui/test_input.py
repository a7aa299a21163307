"""Keys and pastes reach the search field intact and in order; the first screen's keys do what the
footer and the welcome page promise (Pilot, against the synthetic tree)."""

from textual import events
from textual.widgets import Input, OptionList
from tui_testing import GMAIL_REPLY, SIZE, screen_text, settle

from tui.app import SmtpKbApp
from tui.dialogs import HelpScreen
from tui.document import DocumentView
from tui.widgets import KeyBar


def footer_keys(app) -> dict[str, str]:
    """key -> description of what the footer shows now."""
    return {b.key: b.description for _, b, enabled, _ in app.screen.active_bindings.values() if b.show and enabled}


def source(app) -> str:
    return app.query_one("#doc", DocumentView).source


def key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


async def test_a_short_bracketed_paste_is_inserted_once(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        search = app.query_one("#search", Input)
        app.post_message(events.Paste("421"))  # as the terminal driver delivers it, through the app
        await settle(app, pilot)
        assert search.value == "421"
        assert source(app).startswith("# 421 ")
        search.cursor_position = 1
        search.selection = type(search.selection)(1, 2)
        app.post_message(events.Paste("55"))  # a selection is replaced
        await settle(app, pilot)
        assert search.value == "4551"


async def test_keys_queued_while_a_record_is_laid_out_are_applied_in_typed_order(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_code("550")  # a long record is being prepared while the keys arrive
        # every key is queued before the app reads the first: what a busy loop sees of fast typing
        for name in ["s", "p", "f", "backspace", "backspace", "backspace", "m", "x", "left", "backspace", "y"]:
            app.post_message(key(name))
        await settle(app, pilot)
        assert app.query_one("#search", Input).value == "yx"


async def test_arrows_in_the_search_field_move_the_list_and_enter_opens_the_choice(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        codes = app.query_one("#codes", OptionList)
        search = app.query_one("#search", Input)
        await pilot.press("5")
        await settle(app, pilot)
        first, second = [o.id for o in codes.options if not o.disabled][:2]
        assert source(app).startswith(f"# {first} ")
        await pilot.press("down")
        await settle(app, pilot)
        assert app.focused is search and codes.highlighted_option.id == second
        assert source(app).startswith(f"# {second} ")
        await pilot.press("up", "down", "enter")
        await settle(app, pilot)
        assert source(app).startswith(f"# {second} ")
        assert app.focused is codes
        assert app.history.current.value == second and not app.history.current.transient


async def test_question_mark_is_help_in_an_empty_field_and_a_character_in_a_query(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.focused is app.query_one("#search")
        await pilot.press("4", "question_mark")
        assert app.query_one("#search", Input).value == "4?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_the_footer_shows_the_keys_that_work_where_the_focus_is(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        in_field = footer_keys(app)
        assert in_field["up"] == "Browse" and in_field["enter"] == "Open" and in_field["ctrl+q"] == "Quit"
        assert "q" not in in_field and "slash" not in in_field  # letters are text here
        await pilot.press("escape")
        in_list = footer_keys(app)
        assert in_list["ctrl+q"] == "Quit" and in_list["slash"] == "Search"
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


def key_bar(app) -> str:
    """The bottom line of the screen as drawn."""
    return screen_text(app).splitlines()[-1]


async def test_the_key_bar_draws_those_keys_follows_the_focus_and_presses_a_clicked_key(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        bar = key_bar(app)
        assert "↑↓ Browse" in bar and "⏎ Open" in bar and "^q Quit" in bar and "f1 Help" in bar
        assert "/ Search" not in bar and bar.rstrip().endswith("▏^p Palette")
        assert "[ Back" not in bar  # an action with two keys shows its first, as Textual's footer does
        await pilot.press("escape")  # to the list: / searches there
        await pilot.pause()
        bar = key_bar(app)
        assert "/ Search" in bar and "↑↓ Browse" not in bar
        await pilot.press("f2")  # German: the bar follows the translated bindings
        await settle(app, pilot)
        bar = key_bar(app)
        assert "Help" not in bar and all(description in bar for description in footer_keys(app).values())
        await pilot.click(KeyBar, offset=(key_bar(app).index("f1") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_one_tab_reaches_the_explanation_and_page_down_scrolls_it(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        app.post_message(events.Paste(GMAIL_REPLY))
        await settle(app, pilot)
        explanation = source(app)
        assert explanation.startswith("# [550](code:550)")
        await pilot.press("tab")
        doc = app.query_one("#doc", DocumentView)
        assert app.focused is doc
        assert "o" in footer_keys(app) and "c" in footer_keys(app)  # links and copy, where they work
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert source(app) == explanation
        assert doc.scroll_y > 0
        await pilot.press("escape")
        assert app.focused is app.query_one("#search")


async def test_enter_on_a_typed_reply_explains_it_and_focuses_the_explanation(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"550 5.1.1 user unknown", "enter")
        await settle(app, pilot)
        assert source(app).startswith("# [550](code:550) [5.1.1](code:5.1.1)")
        assert app.focused is app.query_one("#doc")


async def test_narrow_terminals_stack_the_list_over_the_record_and_a_resize_lays_it_out_again(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_code("550")
        await settle(app, pilot)
        side, detail = app.query_one("#side"), app.query_one("#detail")
        assert side.region.bottom <= detail.region.y  # stacked: the list above the record
        doc = app.query_one("#doc", DocumentView)
        narrow = doc.rendered_width
        await pilot.resize_terminal(140, 30)
        await settle(app, pilot)
        assert side.region.right <= detail.region.x  # side by side
        assert doc.rendered_width == doc.scrollable_content_region.width != narrow
        assert source(app).startswith("# 550 ")


async def test_the_first_record_is_laid_out_once_at_the_width_it_is_shown_at(pinned_kb, monkeypatch):
    import tui.app

    widths = []
    real = tui.app.render_lines
    monkeypatch.setattr(tui.app, "render_lines", lambda md, width, *a: widths.append(width) or real(md, width, *a))
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        widths.clear()  # the warm-up's sample, laid out before any record
        app.open_code("550")  # from the welcome page, while the document pane is still hidden
        await settle(app, pilot)
        doc = app.query_one("#doc", DocumentView)
        assert widths == [doc.scrollable_content_region.width]


async def test_the_welcome_page_stays_until_the_user_moves(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.3)  # longer than the browse delay: a stray highlight would have shown a record
        await settle(app, pilot)
        assert [v.kind for v in app.history._views] == ["welcome"]
        assert app.query_one("#welcome").display and not app.query_one("#doc").display
