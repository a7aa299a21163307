"""The parser reads every input form people paste; hypothesis checks it never breaks."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.reply import _ANSI, _CTRL, MAX_SCAN, clean, parse

GMAIL_MULTI = ("550-5.7.26 This mail has been blocked because the sender is unauthenticated.\r\n"
               "550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.\r\n"
               "550 5.7.26  https://support.google.com/mail/answer/81126 - gsmtp\r\n")


@pytest.mark.parametrize("text, basic, enhanced, form", [
    ("421 4.7.0 Try again later, closing connection.", "421", "4.7.0", "reply"),
    ("421", "421", None, "code"),
    ("  x.7.26 ", None, None, "text"),
    ("5.1.10 Recipient not found", None, "5.1.10", "reply"),
    ("#550 4.4.7 QUEUE.Expired; message expired ##", "550", "4.4.7", "exchange"),
    ("550 Requested action not taken: mailbox unavailable", "550", None, "reply"),
    (GMAIL_MULTI, "550", "5.7.26", "multiline"),
    (GMAIL_MULTI.replace("\r\n", "\n"), "550", "5.7.26", "multiline"),
    (GMAIL_MULTI.replace("\r\n", " "), "550", "5.7.26", "flattened"),
])
def test_reply_forms(text, basic, enhanced, form):
    r = parse(text)
    assert (r.basic, r.enhanced, r.form) == (basic, enhanced, form)


def test_multiline_text_is_joined_without_codes():
    r = parse(GMAIL_MULTI)
    assert r.text.startswith("This mail has been blocked") and "550" not in r.text and r.text.endswith("gsmtp")
    assert len(r.lines) == 3
    assert parse(GMAIL_MULTI.replace("\r\n", " ")).text == r.text


def test_dsn_fields():
    r = parse("Final-Recipient: rfc822; user@example.com\nAction: failed\nStatus: 5.1.1\n"
              "Remote-MTA: dns; mx.example.com\nDiagnostic-Code: smtp; 550 5.1.1 <user@example.com>:\n"
              "    Recipient address rejected: User unknown\n")
    assert (r.form, r.basic, r.enhanced, r.dsn_action) == ("dsn", "550", "5.1.1", "failed")
    assert r.recipient == "user@example.com" and r.domain == "example.com" and r.host == "mx.example.com"
    assert "User unknown" in r.text


def test_dsn_status_only():
    r = parse("Action: delayed\nStatus: 4.4.1")
    assert (r.basic, r.enhanced, r.dsn_action) == (None, "4.4.1", "delayed")


def test_postfix_bounced():
    r = parse("Nov 27 10:00:00 mx postfix/smtp[1234]: 4BC9D2A0F3: to=<user@example.com>, relay=mx.example.com[192.0.2.1]:25, "
              "delay=0.35, delays=0.1/0/0.1/0.1, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 "
              "<user@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))")
    assert (r.mta, r.basic, r.enhanced, r.command, r.delivery_status) == ("postfix", "550", "5.1.1", "RCPT TO", "bounced")
    assert (r.host, r.ip, r.recipient) == ("mx.example.com", "192.0.2.1", "user@example.com")
    assert r.text.endswith("User unknown in local recipient table")


def test_postfix_deferred_without_reply():
    r = parse("postfix/smtp[1]: ABC: to=<a@example.org>, relay=none, delay=30, dsn=4.4.1, status=deferred "
              "(connect to mx.example.org[192.0.2.7]:25: Connection timed out)")
    assert (r.basic, r.enhanced, r.delivery_status) == (None, "4.4.1", "deferred")
    assert "Connection timed out" in r.text


def test_exim():
    r = parse("** user@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<user@example.com>: "
              "550 5.1.1 <user@example.com>: Recipient address rejected: User unknown")
    assert (r.mta, r.basic, r.enhanced, r.command, r.recipient) == ("exim", "550", "5.1.1", "RCPT TO", "user@example.com")


def test_exim_end_of_data_with_host():
    r = parse("SMTP error from remote mail server after end of data: host mx.example.net [192.0.2.3]: 552 5.3.4 Message too big")
    assert (r.command, r.host, r.ip, r.basic, r.enhanced) == ("DATA", "mx.example.net", "192.0.2.3", "552", "5.3.4")


def test_sendmail():
    r = parse("sm-mta[123]: x: to=<user@example.com>, delay=00:00:01, mailer=esmtp, pri=1, "
              "relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown")
    assert (r.mta, r.enhanced, r.text, r.host) == ("sendmail", "5.1.1", "User unknown", "mx.example.com")


def test_exchange_ndr():
    r = parse("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'")
    assert (r.mta, r.basic, r.enhanced) == ("exchange", "550", "5.1.10")
    assert r.text.startswith("RESOLVER.ADR.RecipientNotFound")


@pytest.mark.parametrize("text", ["", "   ", "hello world", "192.0.2.1 port 25", "2024-11-27 10:23:45", "[bold]x[/]"])
def test_no_code_in_noise(text):
    r = parse(text)
    assert r.basic is None and r.enhanced is None


def test_ip_addresses_are_not_codes():
    r = parse("connect to 192.0.2.1: 550 5.7.1 blocked")
    assert (r.basic, r.enhanced) == ("550", "5.7.1")


def test_huge_and_binary_input():
    big = "550 5.1.1 " + "x" * 5_000_000
    r = parse(big)
    assert (r.basic, r.enhanced) == ("550", "5.1.1") and len(r.text) <= MAX_SCAN
    r = parse(b"\xff\xfe\x00421 4.7.0 \x00try later")
    assert r.basic is None or r.basic == "421"


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_raises(s):
    r = parse(s)
    assert r.basic is None or (len(r.basic) == 3 and r.basic[0] in "12345")
    assert r.enhanced is None or r.enhanced[0] in "245"


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(["421", "450", "550", "554"]), cls=st.sampled_from("45"),
       subject=st.integers(0, 7), detail=st.integers(0, 30),
       text=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=80))
def test_generated_replies_round_trip(code, cls, subject, detail, text):
    enh = f"{cls}.{subject}.{detail}"
    r = parse(f"{code} {enh} {text}")
    assert (r.basic, r.enhanced) == (code, enh)
    r = parse(f"{code}-{enh} first\r\n{code} {enh} {text}")
    assert (r.basic, r.enhanced, r.form) == (code, enh, "multiline")


def test_the_one_reply_detector_tells_a_search_from_a_paste():
    from kb.reply import looks_like_reply

    for query in ("421", "5.7.26", "mailbox full", "Postfach voll", "x.7.26", ""):
        assert not looks_like_reply(query), query
    for paste in ("550 5.1.1 user unknown", "421-mx.example.com closing", "Status: 5.1.1",
                  "** a@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<a@example.com>: 550 no",
                  "first line\nsecond line"):
        assert looks_like_reply(paste), paste


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="a5 .\n\t\r\x1b[m\x07\x9b\x00\x85\u202a\u2028\xa0", max_size=40))
def test_clean_keeps_text_that_has_nothing_to_drop_and_drops_the_rest(text):
    # the substitution clean() skips when every character but line breaks and tabs is printable
    dropped = _ANSI.sub("", text) if ("\x1b" in text or "\x9b" in text or "\x9d" in text) else text
    assert clean(text) == _CTRL.sub("", dropped)
