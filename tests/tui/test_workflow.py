"""A mail admin's workflow in the browser: a log becomes a table of its cases, explanations are copied
and saved, pasted texts and pages are remembered, the palette speaks German in German mode."""

from textual import events
from textual.widgets import DataTable, Input
from tui_testing import GMAIL_REPLY, SIZE, settle

from tui.app import SmtpKbApp
from tui.dialogs import OpenLogScreen
from tui.document import DocumentView
from tui.logview import LogScreen

LOG = "\n".join([
    "Jun  1 10:00:01 mx postfix/smtp[101]: 1A2B3C4D5E: to=<ann@example.com>, relay=mx.example.com[192.0.2.1]:25, "
    "delay=1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <ann@example.com>: user unknown)",
    "Jun  1 10:00:02 mx postfix/smtp[102]: 2A2B3C4D5E: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, "
    "delay=1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: user unknown)",
    "Jun  1 10:00:03 mx postfix/smtp[103]: 3A2B3C4D5E: to=<cy@example.com>, relay=mx.example.com[192.0.2.1]:25, "
    "delay=1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <cy@example.com>: user unknown)",
    "Jun  1 10:00:04 mx postfix/smtp[104]: 4A2B3C4D5E: to=<dee@example.org>, relay=mx.example.org[192.0.2.2]:25, "
    "delay=9, status=deferred (host mx.example.org[192.0.2.2] said: 421 4.7.0 try again later)",
    "Jun  1 10:00:05 mx postfix/smtp[105]: 5A2B3C4D5E: to=<eve@example.org>, relay=mx.example.org[192.0.2.2]:25, "
    "delay=9, status=deferred (host mx.example.org[192.0.2.2] said: 421 4.7.0 try again later)",
])


def source(app) -> str:
    return app.query_one("#doc", DocumentView).source


def table_rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_pasted_log_becomes_a_table_of_distinct_cases_that_open_their_explanations(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(app, pilot)
        app.post_message(events.Paste(LOG))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LogScreen)
        rows = table_rows(screen)
        assert [(r[0], r[1]) for r in rows] == [("3", "5.1.1"), ("2", "4.7.0")]  # most frequent first
        assert rows[0][2] == "user-unknown"
        await pilot.press("slash", *"4.7")  # filtered by text
        assert [r[1] for r in table_rows(screen)] == ["4.7.0"]
        await pilot.press("ctrl+u", "enter")  # filter emptied; enter goes back to the table
        assert screen.query_one(DataTable).has_focus
        screen.query_one(DataTable).move_cursor(column=0)
        await pilot.press("ctrl+o")  # sort by count: the other way round now, fewest first
        assert [r[0] for r in table_rows(screen)] == ["2", "3"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, LogScreen)
        assert source(app).startswith("# [421](code:421) [4.7.0](code:4.7.0)")


async def test_a_log_file_opened_from_the_palette(pinned_kb, tmp_path):
    log = tmp_path / "mail.log"
    log.write_text(LOG + "\n", encoding="utf-8")
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open a log")
        for _ in range(100):
            await pilot.pause(0.02)
            if app.screen.query("CommandList") and app.screen.query_one("CommandList").option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenLogScreen)
        app.screen.query_one(Input).value = str(log)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert len(table_rows(app.screen)) == 2


async def test_a_missing_log_file_is_a_message_not_a_traceback(pinned_kb, tmp_path):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.read_log([], str(tmp_path / "nothing-here.log"))
        await settle(app, pilot)
        assert not isinstance(app.screen, LogScreen)
        assert any("Cannot read" in str(n.message) for n in app._notifications)


async def test_copy_and_save_an_explanation_as_markdown(pinned_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.explain_text(GMAIL_REPLY)
        await settle(app, pilot)
        await pilot.press("tab", "c")
        assert app.clipboard == source(app) and app.clipboard.startswith("# [550](code:550)")
        await pilot.press("s")
        saved = tmp_path / "smtpkb-explanation.md"
        assert saved.read_text(encoding="utf-8") == source(app)


async def test_pasted_texts_and_pages_are_remembered_back_and_forward(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.explain_text(GMAIL_REPLY)
        await settle(app, pilot)
        app.open_code("421")
        await settle(app, pilot)
        app.explain_text("550 5.1.1 user unknown")
        await settle(app, pilot)
        assert app.pasted == [GMAIL_REPLY, "550 5.1.1 user unknown"]
        await pilot.press("alt+left")
        await settle(app, pilot)
        assert source(app).startswith("# 421 ")
        await pilot.press("alt+left")
        await settle(app, pilot)
        assert source(app).startswith("# [550](code:550) [5.7.26]")
        await pilot.press("alt+right", "alt+right")
        await settle(app, pilot)
        assert source(app).startswith("# [550](code:550) [5.1.1]")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Explain again: 550-5.7.26") for t in titles)


async def test_the_palette_speaks_german_in_german_mode(pinned_kb):
    app = SmtpKbApp(lang="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Logdatei öffnen", "Hilfe", "Beenden", "English"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "Codenummer oder Wörter …"


BOUNCE = """\
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
Date: Mon, 1 Jun 2026 10:00:00 +0000
Message-ID: <20260601100000.1@mx.example.net>

This is the mail system at host mx.example.net.

<ann@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1
    <ann@example.com>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
"""


async def test_a_pasted_bounce_mail_is_explained_per_recipient(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.post_message(events.Paste(BOUNCE))
        await settle(app, pilot)
        assert not isinstance(app.screen, LogScreen)  # a mail, not a log, although it has many lines
        shown = source(app)
        assert shown.startswith("# Undelivered Mail Returned to Sender")
        assert "## ann@example.com" in shown
        codes = [o.id for o in app.query_one("#codes").options]
        assert codes == ["550", "5.1.1"]


async def test_an_explanation_puts_what_was_read_first_and_wraps_the_quoted_reply(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(app, pilot)
        app.explain_text(LOG.splitlines()[0])
        await settle(app, pilot)
        shown = source(app)
        assert shown.index("## Read from the input") < shown.index("## Verdict") < shown.index("## What to do")
        for fact in ("ann@example.com", "example.com", "mx.example.com", "192.0.2.1"):
            assert fact in shown.split("## Verdict")[0]
        doc = app.query_one("#doc", DocumentView)
        lines = [strip.text.rstrip() for strip in doc._lines]
        width = doc.scrollable_content_region.width
        assert all(len(line) <= width for line in lines)
        assert any("user unknown" in line for line in lines)  # the end of the quoted reply, wrapped into view


async def test_markup_in_a_log_is_shown_literally_in_the_table(pinned_kb):
    app = SmtpKbApp(lang="en")
    marked = [line.replace("mx postfix", "[b]mx[/b] [link=x]postfix[/]") for line in LOG.splitlines()]
    async with app.run_test(size=(160, 32)) as pilot:
        await settle(app, pilot)
        app.post_message(events.Paste("\n".join(marked)))
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        examples = [row[-1] for row in table_rows(app.screen)]
        assert all("[b]mx[/b] [link=x]postfix[/]" in e for e in examples)


async def test_both_languages_side_by_side_on_request(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=(140, 32)) as pilot:
        await settle(app, pilot)
        app.open_code("421")
        await settle(app, pilot)
        await pilot.press("tab", "b")
        await settle(app, pilot)
        doc, other = app.query_one("#doc", DocumentView), app.query_one("#doc-other", DocumentView)
        assert other.display and other.source.startswith("# 421 Dienst nicht verfügbar")
        assert doc.source.startswith("# 421 Service not available")
        assert doc.region.right <= other.region.x  # side by side
        assert other.rendered_width == other.scrollable_content_region.width  # laid out at its own width
        app.open_code("550")  # the next page is shown in both languages too
        await settle(app, pilot)
        assert other.source.startswith("# 550 Postfach nicht verfügbar")
        await pilot.press("b")
        await settle(app, pilot)
        assert not other.display and doc.source.startswith("# 550 Mailbox unavailable")
