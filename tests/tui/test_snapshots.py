"""Screenshots of the browser compared with accepted SVGs in __snapshots__/ (pytest-textual-snapshot).

They run against the small pinned tree in tests/tui/fixture_codes so that edits to the real records
do not move them; regenerate after a deliberate UI change with
``.venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from textual.widgets import Input
from tui_testing import GMAIL_REPLY, SIZE, settle

from tui.app import SmtpKbApp


async def steady(app, pilot):
    """Settle, with the search field's cursor held still (a blinking cursor makes screenshots differ)."""
    app.query_one("#search", Input).cursor_blink = False
    await settle(app, pilot)


def test_main_screen_english(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: steady(app, pilot))


def test_main_screen_german(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="de")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: steady(app, pilot))


def test_record_view(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="en")

    async def open_record(pilot):
        await steady(app, pilot)
        await pilot.press(*"5.7.26", "enter")
        await settle(app, pilot)
        # The record's tail is mounted in the background, so the scrollbar thumb's size depends on how far
        # that got when the picture is taken (it differed under load): the snapshot is of the record, so
        # the pane's scrollbar is hidden, and the pane's height is waited on until it stops changing.
        detail = app.query_one("#detail")
        detail.styles.scrollbar_size_vertical = 0
        last, stable = None, 0
        for _ in range(100):
            await pilot.pause(0.05)
            size = (detail.virtual_size, detail.scroll_y)
            stable = stable + 1 if size == last else 0
            last = size
            if stable >= 4 and not app.busy:
                break
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_record)


def test_explanation_of_a_gmail_reply(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="en")

    async def explain(pilot):
        await steady(app, pilot)
        app.explain_text(GMAIL_REPLY)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=explain)
