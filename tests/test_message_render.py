"""A MessageReport as text and Markdown (kb/mail/render.py), in English and German, input escaped."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

import kb
from kb.mail.render import report_markdown, report_text

HERE = Path(__file__).parent / "messages" / "constructed"
POSTFIX = kb.explain_message((HERE / "postfix_two_recipients.eml").read_bytes())


def test_markdown_sections_per_recipient_with_facts_and_sources():
    md = report_markdown(POSTFIX)
    tokens = MarkdownIt().parse(md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == ["nobody@example.net", "full@example.com"]
    assert "- **SMTP stage:** RCPT TO" in md and "- **Remote MTA:** mx.example.net" in md
    assert "part 2 (message/delivery-status), field Final-Recipient" in md
    assert "\\<nobody@example.net\\>" in md  # the diagnostic's angle brackets are not HTML


def test_markdown_in_german():
    md = report_markdown(POSTFIX, "de")
    assert "**Unzustellbarkeitsbericht**" in md and "- **SMTP-Phase:** RCPT TO" in md
    assert "### Woher die Angaben stammen" in md


def test_markdown_of_a_mail_that_is_not_a_bounce():
    md = report_markdown(kb.explain_message((HERE / "vacation.eml").read_bytes()), "de")
    assert "**automatische Antwort**" in md and "Es wird kein Empfänger genannt." in md


def test_input_cannot_inject_markdown_or_terminal_escapes():
    mail = (HERE / "gmail_text.eml").read_text().replace(
        "Subject: Delivery Status Notification (Failure)", "Subject: [click](http://evil.example) <b>\x1b[2J")
    report = kb.explain_message(mail)
    md = report_markdown(report)
    assert "[click](" not in md and "<b>" not in md and "\x1b" not in md
    assert "\x1b" not in report_text(report)


def test_text_names_file_and_index():
    text = report_text(POSTFIX, "en", "bounces.mbox", 3)
    assert text.startswith("== bounces.mbox #3: bounce (rfc3464) — Undelivered Mail Returned to Sender")
    assert "nobody@example.net  (failed, 5.1.1, RCPT TO, remote mx.example.net)" in text
    assert "  Diagnostic: 550 5.1.1 <nobody@example.net>: Recipient address rejected" in text
