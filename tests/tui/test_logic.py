"""The browser's decisions without a screen: what counts as a reply, history, control characters."""

import pytest

from tui.logic import History, View, looks_like_reply, one_line, paint_chunks, split_for_first_paint, visible


@pytest.mark.parametrize("text", ["421", "5.7.26", "X.7", "mailbox full", "Postfach voll", "45", "[bold]", ""])
def test_plain_queries_are_searches(text):
    assert not looks_like_reply(text)


@pytest.mark.parametrize("text", [
    "550 5.1.1 user unknown",
    "421-mx.example.com closing",
    "5.7.26 unauthenticated mail",
    "550-5.7.26 a\n550 5.7.26 b",
    "status=bounced (host mx.example.com said: 550 5.1.1 no such user)",
    "Status: 5.1.1",
    "Nov 27 10:00:00 mail postfix/smtp[1]: A1: to=<a@example.com>, dsn=5.1.1, status=bounced (host x[192.0.2.1] said: 550 no)",
    "x" * 200,
])
def test_replies_dsns_and_log_lines_are_explained(text):
    assert looks_like_reply(text)


def test_control_characters_become_visible_symbols():
    assert visible("a\x1b[2Jb\x07\x00\x9b\tc\nd") == "a␛[2Jb␇␀\ufffd\tc\nd"
    assert one_line("x\n\x1by", 10) == "x ␛y"


def test_history_back_forward_and_transient_views():
    h = History()
    h.visit(View("code", "101", transient=True))
    h.visit(View("code", "111", transient=True))  # browsing the list replaces, it does not pile up
    h.visit(View("code", "421"))
    h.visit(View("code", "451"))
    assert len(h) == 3
    assert h.back() == View("code", "421")
    assert h.back() == View("code", "111", transient=True)
    assert h.back() is None
    assert h.forward() == View("code", "421")
    h.visit(View("explain", "550 x"))  # a new visit drops the forward part
    assert h.forward() is None
    assert h.back() == View("code", "421")


def test_markdown_splits_at_a_heading_outside_code_fences():
    md = "# 421 x\n\n" + "a" * 50 + "\n```\n## not a heading\n```\n## Meaning\n\ntext\n## Causes\n"
    head, tail = split_for_first_paint(md, at_least=10)
    assert head + tail == md
    assert tail.startswith("## Meaning")
    assert split_for_first_paint("# short\n") == ("# short\n", "")


def test_a_long_record_is_painted_section_by_section():
    import kb
    from kb.render import record_markdown

    md = record_markdown(kb.lookup("550"), "en")
    chunks = paint_chunks(md)
    assert "".join(chunks) == md and len(chunks) > 2
    assert all(c.startswith("## ") for c in chunks[1:])
    assert all(c.count("```") % 2 == 0 for c in chunks)  # never cut inside a code fence
    assert paint_chunks("# short\n") == ["# short\n"]
