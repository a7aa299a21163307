"""Pilot tests of every interaction of the terminal browser, against the small synthetic tree in
tests/tui/fixture_codes (so that they test the browser, not the day's state of the records)."""

import time
from pathlib import Path

import pytest
from textual.events import Paste
from textual.widgets import Input, Markdown, OptionList, Static, TextArea
from tui_testing import GMAIL_REPLY, SIZE, screen_text, settle

import kb
from tui.app import SmtpKbApp
from tui.dialogs import ExplainScreen, HelpScreen, LinksScreen
from tui.document import DocumentView
from tui.theme import DARK_THEME, LIGHT_THEME


def doc(app) -> str:
    return app.query_one("#doc", DocumentView).source


def status(app) -> str:
    return str(app.query_one("#status", Static).visual)


def listed(app) -> list[str]:
    return [o.id for o in app.query_one("#codes", OptionList).options if not o.disabled]


async def type_query(app, pilot, text: str) -> None:
    app.query_one("#search", Input).value = ""
    await pilot.click("#search")
    await pilot.press(*text)
    await settle(app, pilot)


async def paste(app, pilot, text: str) -> None:
    search = app.query_one("#search", Input)
    search.focus()
    search.post_message(Paste(text))
    await settle(app, pilot)


@pytest.fixture
def app(pinned_kb):
    return SmtpKbApp(lang="en")


async def test_empty_query_lists_every_code_grouped_by_class_and_subject(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert listed(app) == list(kb.codes())
        headings = [str(o.prompt) for o in app.query_one("#codes", OptionList).options if o.disabled]
        assert headings[0].startswith("Basic · ")
        assert any(h.startswith("Enhanced · X.7") for h in headings)
        assert status(app) == f"{len(kb.codes())} codes"
        assert "smtp-kb" in str(app.query_one("#welcome", Static).visual)  # the welcome page, until a code is chosen


async def test_typing_filters_with_the_cli_ranking_exact_code_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "421")
        assert listed(app)[0] == "421"
        assert listed(app) == [h.code for h in kb.search("421", limit=None)]
        assert doc(app).startswith("# 421 ")
        await type_query(app, pilot, "mailbox")
        assert listed(app) == [h.code for h in kb.search("mailbox", limit=None)]
        app.query_one("#search", Input).value = ""  # an empty query shows everything again
        await settle(app, pilot)
        assert listed(app) == list(kb.codes())


async def test_selecting_a_code_with_keys_or_mouse_shows_its_record(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "5")
        await pilot.press("escape", "down", "enter")
        await settle(app, pilot)
        first, second = listed(app)[:2]
        assert doc(app).startswith(f"# {kb.lookup(second).code} ")
        await pilot.click("#codes", offset=(3, 0))
        await settle(app, pilot)
        assert doc(app).startswith(f"# {first} ")


async def test_enter_in_the_search_field_opens_the_top_hit(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "5.7.26")
        await pilot.press("enter")
        await settle(app, pilot)
        assert doc(app).startswith("# 5.7.26 ")
        assert app.focused is app.query_one("#codes")


async def test_following_a_related_code_link_by_keyboard_then_back_and_forward(app):
    rec = kb.lookup("421")
    target = rec.related[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "421")
        await pilot.press("enter")
        await settle(app, pilot)
        link = f"code:{target}"
        assert f"]({link})" in doc(app)
        await pilot.press("escape", "tab")  # to the search field, and one Tab to the record
        assert app.focused is app.query_one("#doc")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LinksScreen)
        hrefs = [href for _, href in app.screen.links]
        for _ in range(hrefs.index(link)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert doc(app).startswith(f"# {kb.lookup(target).code} ")
        await pilot.press("alt+left")
        await settle(app, pilot)
        assert doc(app).startswith("# 421 ")
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert doc(app).startswith(f"# {kb.lookup(target).code} ")
        await pilot.press("escape", "escape", "left_square_bracket")  # [ and ] outside the search field
        await settle(app, pilot)
        assert doc(app).startswith("# 421 ")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert doc(app).startswith(f"# {kb.lookup(target).code} ")


async def test_a_click_on_a_code_link_opens_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_code("421")
        await settle(app, pilot)
        target = kb.lookup("421").related[0]
        shown = app.query_one("#doc", DocumentView)
        # find the link's cell in the laid-out lines (its style carries the click action), scroll to it, click
        wanted = f"app.follow_link('code:{target}')"
        for index, line in enumerate(shown._lines):
            x = 0
            for segment in line:
                if segment.style is not None and segment.style.meta.get("@click") == wanted:
                    shown.scroll_to(y=index, animate=False)
                    await pilot.pause()
                    offset = (x + shown.styles.padding.left, index - round(shown.scroll_y))
                    await pilot.click(shown, offset=offset)
                    await settle(app, pilot)
                    assert doc(app).startswith(f"# {kb.lookup(target).code} ")
                    return
                x += segment.cell_length
        raise AssertionError("no clickable link to the related code on screen")


async def test_pasting_a_multiline_gmail_reply_explains_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await paste(app, pilot, GMAIL_REPLY)
        md = doc(app)
        assert md.startswith("# [550](code:550) [5.7.26](code:5.7.26)")
        assert "## Verdict" in md
        assert listed(app) == [c for c in ("550", "5.7.26") if kb.get(c)]
        assert "\n" not in app.query_one("#search", Input).value  # a one-line preview, not the paste


async def test_typing_a_code_followed_by_text_explains_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "421")
        await pilot.press("enter")  # opened on purpose: a page of its own in the history
        await settle(app, pilot)
        await type_query(app, pilot, "550 5.1.1 user unknown")
        assert doc(app).startswith("# [550](code:550) [5.1.1](code:5.1.1)")
        await pilot.press("alt+left")  # the views typing went through collapse into one: back is 421
        await settle(app, pilot)
        assert doc(app).startswith("# 421 ")


async def test_explain_box_takes_a_long_multiline_paste(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        app.screen.query_one(TextArea).text = GMAIL_REPLY
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExplainScreen)
        assert doc(app).startswith("# [550](code:550) [5.7.26](code:5.7.26)")
        await pilot.press("ctrl+e", "escape")  # escape cancels and keeps the explanation
        await settle(app, pilot)
        assert doc(app).startswith("# [550](code:550)")


async def test_command_palette_finds_and_opens_a_code(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"5.7.26")
        for _ in range(100):  # the palette searches in the background
            await pilot.pause(0.02)
            options = app.screen.query("CommandList").first().options if app.screen.query("CommandList") else []
            if options and str(options[0].prompt).startswith("5.7.26"):
                break
        if app.screen.query_one("CommandList").highlighted is None:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert doc(app).startswith("# 5.7.26 ")


async def test_question_mark_opens_help_in_the_current_language(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "## Keys" in app.screen.query_one(Markdown).source
        await pilot.press("escape", "f2", "question_mark")
        await pilot.pause()
        assert "## Tasten" in app.screen.query_one(Markdown).source
        await pilot.press("q")  # q closes the help, not the app
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.return_code is None


async def test_slash_focuses_search_and_escape_leaves_it_and_returns_to_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        search = app.query_one("#search", Input)
        assert app.focused is search
        await pilot.press("escape")
        assert app.focused is app.query_one("#codes")
        await pilot.press("slash")
        assert app.focused is search
        assert search.value == ""
        await pilot.press("escape", "escape")  # from the list, escape returns to the field
        assert app.focused is search


async def test_language_switch_changes_interface_labels_and_records(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "421")
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.lang == "de"
        assert app.query_one("#search", Input).placeholder.startswith("Codes suchen")
        assert status(app) == f"{len(listed(app))} Treffer für „421“"
        rows = {o.id: str(o.prompt) for o in app.query_one("#codes", OptionList).options}
        assert kb.lookup("421").title.de in rows["421"]  # the same hits, their titles now in German
        assert "## Bedeutung" in doc(app)
        assert doc(app).startswith(f"# 421 {kb.lookup('421').title.de}")
        await pilot.press("escape")  # in the list, where / and q are keys rather than text
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Suchen", "Erklären", "Hilfe", "Beenden", "English"} <= descriptions
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.lang == "en"
        assert "## Meaning" in doc(app)
        assert "Search" in {b.binding.description for b in app.screen.active_bindings.values()}


async def test_theme_toggles_between_light_and_dark(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == DARK_THEME
        await pilot.press("ctrl+t")
        assert app.theme == LIGHT_THEME
        await pilot.press("ctrl+t")
        assert app.theme == DARK_THEME


async def test_q_types_in_the_search_field_but_quits_outside_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        assert app.query_one("#search", Input).value == "q"
        assert app.return_code is None
        await pilot.press("escape", "q")
        await pilot.pause()
        assert app.return_code == 0


@pytest.mark.parametrize("text", ["[bold]x[/bold]", "[link=http://x]a[/]", "[/]", "[red", "{q} %s \\"])
async def test_markup_like_text_is_shown_literally(app, text):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, text)
        assert app.query_one("#search", Input).value == text
        assert text in status(app)  # "No code matches “[bold]x[/bold]”": the brackets themselves
        await paste(app, pilot, f"550 5.1.1 {text} user unknown\nsecond line {text}")
        assert doc(app).startswith("# [550](code:550)")
        assert "second line" in screen_text(app)


async def test_a_megabyte_paste_is_explained_by_its_start_and_truncated(app):
    big = "550 5.1.1 <a@example.com>: user unknown\n" + ("x" * 99 + "\n") * 10_500
    assert len(big) > 1_000_000
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        started = time.perf_counter()
        await paste(app, pilot, big)
        assert time.perf_counter() - started < 15
        md = doc(app)
        assert md.startswith("# [550](code:550) [5.1.1](code:5.1.1)")
        assert "Showing the first 65,536 of" in md
        assert len(md) < 100_000
        assert len(app.query_one("#search", Input).value) <= 80


async def test_control_characters_never_reach_the_terminal(app):
    nasty = "550 5.1.1 \x1b[2J\x1b]0;pwned\x07 user\x00 unknown\r\n\x1b[31mred\x9b"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await paste(app, pilot, nasty)
        md = doc(app)
        assert md.startswith("# [550](code:550)")
        assert not any(c in md for c in "\x1b\x07\x00\x9b")
        assert not any(c in screen_text(app) for c in "\x1b\x07\x00\x9b")
        await paste(app, pilot, "\x1b[2J421")  # a one-line paste goes into the field, made visible
        assert app.query_one("#search", Input).value.endswith("␛[2J421")


async def test_no_results_says_so_in_both_languages(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "qqqzzzxxx")
        assert listed(app) == []
        assert status(app).startswith("No code matches “qqqzzzxxx”")
        await pilot.press("f2")
        await settle(app, pilot)
        assert status(app).startswith("Kein Code passt zu „qqqzzzxxx“")


async def test_a_well_formed_code_without_record_is_explained_by_structure(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_code("5.9.99")
        await settle(app, pilot)
        assert doc(app).startswith("# No record for 5.9.99")


async def test_usable_at_80_by_24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "421")
        screen = screen_text(app)
        assert "421     standard" in screen and "421 Service not available" in screen


async def test_a_broken_knowledge_base_is_reported_on_screen_not_as_a_traceback(tree, use_tree):
    (tree / "basic" / "421.yaml").write_text("code: 421\ntitle: [unclosed\n", encoding="utf-8")
    use_tree(tree)
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert listed(app) == []
        assert status(app) == "The knowledge base cannot be read"
        shown = doc(app)
        assert "421.yaml:3:1: YAML syntax" in shown and "started at line 2" in shown and "smtpkb validate" in shown


async def test_a_long_record_is_laid_out_whole_and_wraps_at_the_pane(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_code("550")
        await settle(app, pilot)
        shown = app.query_one("#doc", DocumentView)
        lines = [shown._lines[i].text for i in range(len(shown._lines))]
        width = shown.scrollable_content_region.width
        assert all(len(line.rstrip()) <= width for line in lines)  # wrapped, nothing cut at the edge
        last_heading = [ln for ln in doc(app).splitlines() if ln.startswith("## ")][-1][3:].strip()
        assert any(last_heading in line for line in lines)  # the end of the record is there too


async def test_a_record_chosen_just_before_a_dialog_opens_is_shown_after_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one("#codes", OptionList).focus()
        await pilot.press("down", "down", "question_mark")  # the preview waits for the keys to pause
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        highlighted = app.query_one("#codes", OptionList).highlighted_option.id
        assert doc(app).startswith(f"# {highlighted} ")


@pytest.mark.parametrize("after", [0.0, 0.05, 0.2, 0.4])
def test_quitting_while_a_record_is_painted_leaves_no_error_behind(after):
    import subprocess
    import sys

    script = f"""
from tui.app import SmtpKbApp

class App(SmtpKbApp):
    def on_mount(self):
        super().on_mount()
        self.set_timer(0.2, lambda: self.open_code("550"))  # a long record, painted section by section
        self.set_timer(0.2 + {after}, self.exit)

App(lang="en").run(headless=True, size=(100, 32))
print("exited")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert done.returncode == 0 and done.stdout.strip().endswith("exited"), done.stderr
    assert done.stderr == ""
