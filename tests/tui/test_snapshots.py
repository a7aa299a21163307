"""Screenshots of the browser compared with accepted SVGs in __snapshots__/ (pytest-textual-snapshot).

They run against the synthetic records in tests/tui/fixture_codes so that edits to the real records
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

    assert snap_compare(app, terminal_size=SIZE, run_before=open_record)


def test_explanation_of_a_gmail_reply(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="en")

    async def explain(pilot):
        await steady(app, pilot)
        app.explain_text(GMAIL_REPLY)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=explain)


def test_light_theme_stacked_at_80_columns(pinned_kb, snap_compare):
    app = SmtpKbApp(lang="en")

    async def light(pilot):
        await steady(app, pilot)
        await pilot.press("ctrl+t", *"421")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=light)
