"""The text readers of kb/mail/formats.py, one form at a time: where the reply, remote host and stage stand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.mail import dsn, formats

READINGS = [
    # Exim 4.8x+: host line, then "SMTP error ... after <command>:", then the reply
    (["    host mx.example.net [192.0.2.25]", "    SMTP error from remote mail server after RCPT TO:<a@example.net>:",
      "    550 5.1.1 <a@example.net>: User unknown"],
     "550 5.1.1 <a@example.net>: User unknown", "mx.example.net", "RCPT TO"),
    # older Exim: the host after the command, on the reply's line
    (["    SMTP error from remote mailer after RCPT TO:<a@example.net>:", "    host mx.example.net [192.0.2.25]: 550 No such user"],
     "550 No such user", "mx.example.net", "RCPT TO"),
    (["    SMTP error from remote mail server after pipelined MAIL FROM:<s@example.org> SIZE=1234:",
      "    550 5.7.1 Sender rejected"], "550 5.7.1 Sender rejected", None, "MAIL FROM"),
    (["    SMTP error from remote mail server after end of data:", "    554 5.7.1 Spam"], "554 5.7.1 Spam", None, "DATA"),
    # Postfix: "host H[IP] said: reply (in reply to C command)", folded
    (["host mx.example.net[192.0.2.25] said: 550 5.1.1 <a@example.net>: Recipient", "    address rejected (in reply to",
      "    RCPT TO command)"], "550 5.1.1 <a@example.net>: Recipient address rejected", "mx.example.net", "RCPT TO"),
    # qmail-remote
    (["192.0.2.25 does not like recipient.", "Remote host said: 550 5.1.1 no mailbox", "Giving up on 192.0.2.25."],
     "550 5.1.1 no mailbox", "192.0.2.25", "RCPT TO"),
    (["192.0.2.25 failed after I sent the message.", "Remote host said: 554 5.7.1 rejected as spam"],
     "554 5.7.1 rejected as spam", "192.0.2.25", "DATA"),
    # Courier / Sendmail transcripts
    (["    mx.example.net [192.0.2.25]:", ">>> RCPT TO:<a@example.net>", "<<< 550 5.1.1 User unknown"],
     "550 5.1.1 User unknown", None, "RCPT TO"),
    (["    (reason: 552 5.2.2 Mailbox full)", "   ----- Transcript of session follows -----",
      "... while talking to mx.example.net.:", ">>> DATA", "<<< 552 5.2.2 Mailbox full"],
     "552 5.2.2 Mailbox full", "mx.example.net", "DATA"),
    # Exchange / Microsoft 365
    (["Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'"],
     "550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found", None, None),
    (["      <mx.example.net #5.1.1 smtp;550 5.1.1 <a@example.net>... User unknown>"],
     "550 5.1.1 <a@example.net>... User unknown", "mx.example.net", None),
    # Gmail
    (["The response from the remote server was:", "550 5.1.1 The email account does not exist.", "", "later text"],
     "550 5.1.1 The email account does not exist.", None, None),
    # a transcript without >>>/<<< marks (MDaemon): the last error reply and the command before it
    (["--- Session Transcript ---", " 220 example.com ESMTP ready", " MAIL From:<s@example.org> SIZE=1861",
      " 250 <s@example.org>, Sender ok", " RCPT To:<b@example.com>", " 552 Message for <b@example.com> would exceed quota",
      " QUIT", "--- End Transcript ---"], "552 Message for <b@example.com> would exceed quota", None, "RCPT TO"),
    # nothing to pick out: the text itself stands for the reply
    (["  User user@example.com not listed in Domino Directory"], "User user@example.com not listed in Domino Directory",
     None, None),
]


@pytest.mark.parametrize("lines,reply,host,stage", READINGS, ids=[r[1][:30] for r in READINGS])
def test_read_reply(lines, reply, host, stage):
    got = formats.read_reply(lines)
    assert (got.text, got.host, got.stage) == (reply, host, stage)


def test_recipient_lines():
    block = "\n".join([
        "<a@example.net>: host mx[1.2.3.4] said: 550 x", "    more",
        "<b@example.net> (expanded from <list@example.org>): 552 full",
        "  c@example.net", "    host mx.example.net [192.0.2.1]",
        "d@example.net on 11/10/2026 3:00 PM", "      The e-mail account does not exist.",
        "Recipient address: e@mbox.internal", "Original address: e@example.net",
        '"Frank" <f@example.net>', "   * g@example.net",
        "/",
        "A line that mentions h@example.net in passing is not a recipient line.",
    ])
    found = formats.recipients(block, formats.GENERIC)
    assert [(f.recipient, f.original) for f in found] == [
        ("a@example.net", None), ("b@example.net", "list@example.org"), ("c@example.net", None),
        ("d@example.net", None), ("e@mbox.internal", "e@example.net"), ("f@example.net", None), ("g@example.net", None)]
    assert found[0].lines == ["host mx[1.2.3.4] said: 550 x", "    more"]
    assert found[3].lines[0].strip() == "The e-mail account does not exist."


def test_loose_reading_needs_a_failure_cue_and_skips_the_bounce_parties():
    block = "Hello,\nyour mail to bob@example.net failed: 550 no such user\nContact postmaster@example.org.\nalice@example.org"
    found = formats.recipients(block, formats.GENERIC, ignore=frozenset({"alice@example.org"}))
    assert [f.recipient for f in found] == ["bob@example.net"]
    # the bounce's own parties are skipped however their case is written
    shouted = block.replace("alice@example.org", "Alice@EXAMPLE.org")
    assert [f.recipient for f in formats.recipients(shouted, formats.GENERIC, ignore=frozenset({"alice@example.org"}))] \
        == ["bob@example.net"]


def test_region_of_a_text_cut_where_its_returned_copy_starts():
    text = "Hi. This is the qmail-send program at x.\nSorry it didn't work out.\n\n<a@example.net>:\nbad\n\n" \
           "--- Below this line is a copy of the message.\n\nFrom: c@example.net\n"
    fmt = formats.recognise(text.lower(), "")
    assert fmt is not None and fmt.id == "qmail"
    human = text[:formats.stop_at(text, text.lower(), 0, formats.COPY)]  # as kb/mail cuts a text part
    assert formats.region(human, human.lower(), fmt) == "\n<a@example.net>:\nbad\n\n"


def test_region_stops_at_a_format_s_own_stop_phrase():
    text = ("This message was created automatically by mail delivery software.\n\nA message that you sent has not "
            "yet been delivered to one or more of its recipients after more than 24 hours on the queue.\n\n"
            "  b@example.net\n    retry timeout\n\nNo action is required on your part. Delivery attempts will continue.\n")
    fmt = formats.recognise(text.lower(), "")
    assert fmt is not None and fmt.id == "exim" and fmt.own_stop == ("no action is required on your part",)
    assert formats.region(text, text.lower(), fmt) == "\n  b@example.net\n    retry timeout\n\n"


@pytest.mark.parametrize("text,state", [
    ("this message was created automatically by mail delivery software. ... has not yet been delivered to", "delayed"),
    ("this message was created automatically by mail delivery software. ... permanent error", "failed"),
])
def test_state(text, state):
    assert formats.state(text, formats.recognise(text, "")) == state


def test_dsn_groups_run_together_and_split_on_a_repeated_field():
    fields, _, groups = dsn.read("Reporting-MTA: dns; mx\nFinal-Recipient: rfc822; a@x.example\nAction: failed\n"
                                 "Status: 5.1.1\nFinal-Recipient: rfc822; b@x.example\nAction: delayed\nStatus: 4.2.2\n")
    assert fields["reporting-mta"] == "dns; mx"
    assert [(g.get("final-recipient"), g.get("action")) for g in groups] == [
        ("rfc822; a@x.example", "failed"), ("rfc822; b@x.example", "delayed")]


def test_dsn_values():
    assert dsn.address("utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example") == "jörg@bücher.example"
    assert dsn.address("rfc822;<a@example.net>") == "a@example.net"
    assert dsn.address("rfc822; not an address") is None
    assert dsn.typed("X-Postfix; connect to x: timed out") == ("x-postfix", "connect to x: timed out")
    assert dsn.status("5.0.0 (recipient reached disk quota)") == "5.0.0"
    assert dsn.status_remark("5.0.0 (recipient reached disk quota)") == "recipient reached disk quota"
    assert dsn.host("dns; [192.0.2.1]") == "192.0.2.1" and dsn.host("dns; mx.example.net. (port 25)") == "mx.example.net"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("<>@.:-/ \tabcx0159()'\"=*#;|"), max_size=80), max_size=40))
def test_readers_take_any_lines(lines):
    block = "\n".join(lines)
    for fmt in (*formats.FORMATS, formats.GENERIC):
        for f in formats.recipients(formats.region(block, block.lower(), fmt), fmt):
            assert "@" in f.recipient
            formats.read_reply(f.lines)
    dsn.read(block)


ADVERSARIAL = {
    "blanks after an address": "<a@b.example>" + " " * 20000 + "x",
    "blanks after a bare address": "a@b.example" + " \t" * 10000 + "x",
    "blanks before a named address": " " * 20000 + "x <a@b.example> y",
    "blanks after a label": "Recipient:" + " " * 20000 + "x",
    "codes run together": "Status: " + "5.1.1." * 5000,
    "a long local part": "a" * 30000 + "@" + "b." * 5000,
    "host without a bracket": "host " + "a" * 20000 + "[",
    "hex digits": "1" * 30000,
    "continuation dashes": "550-" * 10000,
    "unclosed tags": "<br" * 10000 + "<style" * 1000,
    "a bare list entry with a long gap": "the following:\n" + "a." * 10000 + " " * 20000 + "x",
    "a bare list intro run long": "the following " * 5000 + ":\n\tname",
}


@pytest.mark.parametrize("line", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_lines_are_read_in_linear_time(line):
    """Every pattern here is linear in its input; a quadratic one would make these take minutes."""
    from kb.mail import explain_message

    formats.recipients(line, formats.GENERIC)
    formats.bare_recipients(line)
    formats.read_reply([line])
    dsn.read("Final-Recipient: rfc822; a@b.example\n" + line)
    explain_message("From: MAILER-DAEMON@x.example\nSubject: Undelivered\n\n" + line)
    explain_message("From: x@y.example\nContent-Type: text/html\n\n" + line)


BARE = [
    # AOL (flufl.bounce aol_01): the intro sentence is the only reason given
    ("Your mail to the following recipients could not be delivered because they are not accepting mail from "
     "list@example.org:\n\tscreenname\n", [("screenname", "Your mail to the following recipients")]),
    # Yale phquery (flufl.bounce yale_01): name, a column gap, the reason
    (" --------Message not delivered to the following:\n\n userx    No matches to nameserver query\n\n"
     " --------Error Detail (phquery V4.1):\n", [("userx", "No matches to nameserver query")]),
    # Jetmail (flufl.bounce bounce_01): one blank, then the reason in quotes
    ('Your mail cannot be delivered to the following address(es):\n\n dylan "(0), ErrMsg=mail box space not '
     'enough, account=dylan "\n\nPlease check', [("dylan", '"(0), ErrMsg=mail box space not enough')]),
    ("Delivery to the following recipients failed:\n\n  anna\n  ben.c  (mailbox full)\n\nThanks",
     [("anna", "Delivery to the following recipients failed:"), ("ben.c", "(mailbox full)")]),
    # a rule and a column header above the entries are no recipients
    ("Your message could not be delivered to the following recipients:\n========================\n"
     "bob    User unknown\n", [("bob", "User unknown")]),
    ("Your message could not be delivered to the following recipients:\nRecipient    Reason\n------    ------\n"
     "carol    Mailbox full\n", [("carol", "Mailbox full")]),
]


@pytest.mark.parametrize("text, expected", BARE)
def test_recipients_named_by_their_local_part_only(text, expected):
    found = formats.bare_recipients(text)
    assert len(found) == len(expected), [f.recipient for f in found]
    assert [(f.recipient, f.lines[0][: len(why)]) for f, (_, why) in zip(found, expected, strict=True)] == expected


@pytest.mark.parametrize("text", [
    "The following addresses had errors:\n\nPlease check your mail and try again\n",  # a sentence, not a list
    "the following:\n bob@example.com\n",  # an address with a domain: the other readers' business
    "Your message was delivered.\n\tscreenname\n",  # no intro line
    "Technical details of the following failure:\n\nPermanent\n",  # an intro that names no recipients
    "Delivery to the following recipients failed:\n=====\n-----\n",  # rules only
])
def test_no_bare_list_without_an_intro_and_entries(text):
    assert formats.bare_recipients(text) == []


_REPLY_PIECES = st.sampled_from([
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'", "remote server at mx (1.2.3.4) returned '554 no'",
    "<mx.example.net #5.1.1 smtp;550 no such user>", "SMTP error from remote mail server after RCPT TO:<a@b.c>:",
    "host mx.example.net [192.0.2.1]: 550 5.1.1 unknown", "host mx.example.net[192.0.2.1] said: 550 no (in reply to RCPT TO command)",
    "Remote host said: 553 sorry", "192.0.2.25 does not like recipient.", "(reason: 550 5.1.1 User unknown)",
    ">>> RCPT To:<a@b.c>", "<<< 550 5.1.1 no mailbox", "The response from the remote server was:", "The response was:",
    "The error that the other server returned was:", "550-5.1.1 first", "550 5.1.1 last", "RCPT TO:<a@b.c>",
    "while talking to mx.example.net.:", "Giving up on 192.0.2.25.", "", "  ", "plain words", "REMOTE HOST SAID:",
    "ſmtp error from remote mail server after DATA:", "Remote Server returned 'x'"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_REPLY_PIECES, max_size=8))
def test_reading_a_reply_with_phrase_checks_reads_as_trying_every_form(lines):
    fast, full = formats.read_reply(lines), formats.read_reply(lines, guarded=False)
    assert (fast.text, fast.host, fast.stage, fast.how) == (full.text, full.host, full.stage, full.how)


def test_lowered_keeps_every_position():
    # "İ".lower() is two characters: a phrase found in plain lower() text would cut the text in the wrong place
    text = "İSTANBUL İ\n--- Below this line is a copy of the message.\n"
    low = formats.lowered(text)
    assert len(low) == len(text) and low.startswith("istanbul i\n")
    cut = formats.stop_at(text, low, 0, formats.COPY)
    assert text[cut:].startswith("--- Below")


def test_a_returned_copy_after_dotted_capital_i_is_not_read_as_the_bounce():
    from kb.mail import explain_message

    mail = ("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            "This is the mail system at host mx.example.org.\n\n" + "İ" * 400 + "\n\n"
            "<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <bob@example.net>: Recipient address "
            "rejected: User unknown (in reply to RCPT TO command)\n\n--- Below this line is a copy of the message.\n\n"
            "<carol@example.net>: host mx2.example.net[192.0.2.2] said: 552 5.2.2 mailbox full (in reply to RCPT TO "
            "command)\n").encode()
    (r,) = explain_message(mail)
    assert (r.recipient, r.diagnostic) == ("bob@example.net",
                                           "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 6000), st.sampled_from(formats.COPY), st.sampled_from(["", "ü", "İ", "Σ", "K"]),
       st.sampled_from(["", "\n--- original message follows ---\n", "\n***\n"]), st.integers(0, 9000))
def test_where_the_copy_starts_is_found_as_in_the_whole_lowered_text(at, phrase, odd, rule, size):
    filler = ("Bounce text line " + odd + "\n") * (size // 20)
    text = filler[:at] + rule + phrase.upper() + "\n" + filler[at:]
    cut, low = formats.copy_starts(text)
    whole = formats.lowered(text)
    assert cut == formats.stop_at(text, whole, 0, formats.COPY)
    assert low[:cut] == whole[:cut]


def test_a_stop_phrase_reaching_past_the_prefix_is_not_cut_short():
    # "--- original message ---" lies inside "----- original message -----": where the longer one runs past the
    # lowered prefix, the shorter one is found whole within it, two characters later than the copy starts
    for at in range(formats._PREFIX - 40, formats._PREFIX):
        text = "x" * at + "----- Original message -----\n" + "body\n" * 2000
        cut, _ = formats.copy_starts(text)
        assert cut == formats.stop_at(text, formats.lowered(text), 0, formats.COPY) == at
