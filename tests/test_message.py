"""kb.explain_message: the reader's behaviour on purpose-built mails, its bounds, and its safety on any input."""

from __future__ import annotations

import mailbox
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb.mail import KINDS, MessageReport, explain_message, looks_like_message, messages
from kb.mail import mime as _mime

HERE = Path(__file__).parent / "messages"
POSTFIX = (HERE / "constructed" / "postfix_two_recipients.eml").read_bytes()


def dsn(groups: str, human: str = "Delivery failed.", extra_headers: str = "") -> bytes:
    return (f"From: MAILER-DAEMON@mx.example.org\nTo: alice@example.org\nSubject: Undelivered Mail\n{extra_headers}"
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            f"--b\nContent-Type: text/plain\n\n{human}\n\n--b\nContent-Type: message/delivery-status\n\n"
            f"Reporting-MTA: dns; mx.example.org\n\n{groups}\n--b--\n").encode()


def test_one_explanation_per_recipient_with_the_facts_and_their_sources():
    report = kb.explain_message(POSTFIX)
    assert isinstance(report, MessageReport) and report.kind == "bounce" and report.format == "rfc3464"
    first, second = report
    assert (first.recipient, first.action, first.status, first.stage) == ("nobody@example.net", "failed", "5.1.1", "RCPT TO")
    assert (first.reporting_mta, first.remote_mta) == ("mail.example.org", "mx.example.net")
    assert first.arrival_date == "2026-11-02T10:15:02+01:00"
    assert second.recipient == "full@example.com" and second.explanation.verdict.reason == "mailbox-full"
    sources = {s.rule: s.source for s in first.why}
    assert sources["recipient"] == "part 2 (message/delivery-status), field Final-Recipient"
    assert sources["status"].endswith("field Status") and "text/rfc822-headers" in sources["original-sender"]


def test_verdict_is_the_line_explainers():
    """The mail adds where each fact came from; the verdict is kb.explain's on the same diagnostic."""
    for r in kb.explain_message(POSTFIX):
        alone = kb.explain(r.diagnostic)
        assert r.explanation.verdict.reason == alone.verdict.reason
        assert r.explanation.reply.enhanced == alone.reply.enhanced


def test_returned_headers_are_never_read_as_the_bounce():
    """The returned message's Authentication-Results fail SPF, DKIM and DMARC; the bounce is about unknown users."""
    report = kb.explain_message(POSTFIX)
    assert [r.explanation.verdict.reason for r in report] == ["user-unknown", "mailbox-full"]
    assert not any("dkim" in r.explanation.input.lower() or "spf" in r.explanation.input.lower() for r in report)


def test_status_and_diagnostic_disagreeing_is_said():
    report = kb.explain_message(dsn("Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 4.0.0\n"
                                    "Diagnostic-Code: smtp; 550 5.1.1 <a@example.net>: User unknown\n"))
    (r,) = report
    assert r.explanation.verdict.outcome == "permanent"
    assert [f.kind for f in r.findings] == ["status-mismatch"]
    assert r.findings[0].message.de


def test_no_diagnostic_rests_on_the_action():
    (r,) = kb.explain_message(dsn("Final-Recipient: rfc822; b@example.net\nAction: failed\n"))
    assert r.explanation.verdict.outcome == "permanent" and r.explanation.verdict.reason == "unknown"
    assert "no-diagnostic" in [f.kind for f in r.findings]


def test_delayed_recipient_and_retry_date():
    (r,) = kb.explain_message(dsn("Final-Recipient: rfc822; c@example.net\nAction: delayed\nStatus: 4.4.7\n"
                                  "Will-Retry-Until: Sat, 21 Nov 2026 11:59:50 +0000\n"))
    assert r.explanation.verdict.outcome == "transient" and r.will_retry_until == "2026-11-21T11:59:50+00:00"


def test_diagnostic_types_other_than_smtp_are_read():
    (r,) = kb.explain_message(dsn("Final-Recipient: rfc822; d@example.net\nAction: failed\nStatus: 5.2.2\n"
                                  "Diagnostic-Code: x-unix; mailbox is full\n"))
    assert r.diagnostic_type == "x-unix" and r.diagnostic == "mailbox is full"
    assert r.explanation.reply.text == "mailbox is full"


def test_message_object_and_str_give_the_same_report():
    import email.policy  # also binds the name email

    from_bytes = kb.explain_message(POSTFIX)
    assert kb.explain_message(email.message_from_bytes(POSTFIX)) == from_bytes
    assert kb.explain_message(email.message_from_bytes(POSTFIX, policy=email.policy.default)) == from_bytes
    assert kb.explain_message(POSTFIX.decode()) == from_bytes


@pytest.mark.parametrize("kind,body", [
    ("auto-reply", "From: x@example.net\nTo: a@example.org\nSubject: Re: hi\nAuto-Submitted: auto-replied\n\nAway.\n"),
    ("auto-reply", "From: x@example.net\nTo: a@example.org\nSubject: Out of Office: hi\n\nAway.\n"),
    ("not-a-bounce", "From: x@example.net\nTo: a@example.org\nSubject: Lunch?\n\nAt 12 with bob@example.com?\n"),
    ("unreadable", "   \n"),
])
def test_mails_that_are_not_bounces(kind, body):
    report = kb.explain_message(body)
    assert report.kind == kind and len(report) == 0 and report.why


def test_exims_failed_recipients_header_when_the_text_says_nothing_readable():
    mail = ("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: alice@example.org\n"
            "Subject: Mail delivery failed\nX-Failed-Recipients: x@example.net, y@example.com\n\n"
            "Something went wrong with your message.\n")
    report = kb.explain_message(mail)
    assert report.kind == "bounce" and [r.recipient for r in report] == ["x@example.net", "y@example.com"]
    assert report[0].why[0].source == "header X-Failed-Recipients"
    assert report[0].explanation.verdict.outcome == "permanent"


def test_a_base64_delivery_report_is_decoded():
    import base64

    fields = b"Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; zed@example.net\r\nAction: failed\r\n" \
             b"Status: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n"
    mail = dsn("").replace(b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n\n",
                           b"Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
                           + base64.encodebytes(fields))
    (r,) = kb.explain_message(mail)
    assert (r.recipient, r.status, r.explanation.verdict.reason) == ("zed@example.net", "5.2.2", "mailbox-full")


def test_a_report_naming_thousands_of_recipients_is_read_up_to_the_cap():
    groups = "".join(f"Final-Recipient: rfc822; u{i}@example.net\nAction: failed\nStatus: 5.1.1\n\n" for i in range(1500))
    report = kb.explain_message(dsn(groups))
    assert len(report) == 1000 and "too-many-recipients" in [f.kind for f in report.findings]


def test_qmail_status_in_the_text_is_read_like_a_pasted_line():
    mail = ("From: MAILER-DAEMON@mail.example.org\nTo: alice@example.org\nSubject: failure notice\n\n"
            "Hi. This is the qmail-send program at mail.example.org.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            "<x@nowhere.example>:\nSorry, I couldn't find any host named nowhere.example. (#5.1.2)\n\n"
            "--- Below this line is a copy of the message.\n\n")
    (r,) = kb.explain_message(mail)
    line = kb.explain(r.diagnostic)
    assert r.status == "5.1.2" == line.reply.enhanced
    assert r.explanation.verdict.reason == line.verdict.reason
    assert "(#x.y.z)" in r.why[[s.rule for s in r.why].index("status")].source


def test_headers_that_policy_default_cannot_read_are_no_error():
    import email.policy

    mail = ("From: a@[\nMessage-ID: <[>\nSubject: Undelivered Mail\nTo: b@example.org\n\n"
            "<x@y.example>: host h[192.0.2.1] said: 550 5.1.1 no such user\n")
    for msg in (mail, email.message_from_string(mail, policy=email.policy.default)):
        assert [r.recipient for r in kb.explain_message(msg)] == ["x@y.example"]


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="explain_message"):
        kb.explain_message(42)  # type: ignore[arg-type]


def test_as_dict_is_json():
    import json

    d = json.loads(json.dumps(kb.explain_message(POSTFIX).as_dict()))
    assert d["kind"] == "bounce" and d["recipients"][0]["explanation"]["verdict"]["reason"] == "user-unknown"


# ------------------------------------------------------------------------------------------ detection


@pytest.mark.parametrize("text,expected", [
    (POSTFIX.decode(), True),
    ("From MAILER-DAEMON Mon Nov  2 10:15:09 2026\n" + POSTFIX.decode(), True),
    ("Received: from a by b; Mon, 2 Nov 2026\nFrom: a@example.org\nSubject: x\n\nbody\n", True),
    ("550 5.1.1 <user@example.com>: Recipient address rejected: User unknown", False),
    ("Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n\nDiagnostic-Code: smtp; 550\n", False),
    ("Nov 27 10:00:01 mail postfix/smtp[1]: 4F: to=<a@b.com>, status=bounced (host x said: 550 5.1.1)\n\nmore", False),
    ("Subject: only one known field\n\nbody", False),
    ("Received: from a\n by b\nReceived: from c\n by d\nFrom: a@example.org\nTo: b@example.net\nX-Long: " + "x" * 50,
     True),  # a sample that ends inside a long header section
    ("", False),
])
def test_looks_like_message(text, expected):
    assert looks_like_message(text) is expected


def test_messages_reads_a_file_an_mbox_and_a_maildir(tmp_path):
    one = tmp_path / "one.eml"
    one.write_bytes(POSTFIX)
    assert [i for i, _ in messages(str(one))] == [0]
    box = mailbox.mbox(str(tmp_path / "box.mbox"))
    for _ in range(3):
        box.add(POSTFIX)
    box.close()
    got = list(messages(str(tmp_path / "box.mbox")))
    assert [i for i, _ in got] == [0, 1, 2] and all(len(kb.explain_message(b)) == 2 for _, b in got)
    md = mailbox.Maildir(str(tmp_path / "md"))
    md.add(POSTFIX)
    md.add(POSTFIX)
    assert len(list(messages(str(tmp_path / "md")))) == 2
    with pytest.raises(OSError):
        list(messages(str(tmp_path / "missing")))


# ------------------------------------------------------------------------------------------ bounds


def _peak(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_deep_nesting_is_cut():
    depth = 5000
    head = "".join(f"Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n" for i in range(depth))
    data = ("From: MAILER-DAEMON@x.example\nSubject: Undelivered\n" + head + "Content-Type: text/plain\n\nx\n").encode()
    report = explain_message(data)
    assert report.truncated and "truncated" in [f.kind for f in report.findings]


def test_thousands_of_parts_are_cut():
    parts = "".join("--b\nContent-Type: text/plain\n\nFinal-Recipient: rfc822; u@example.net\n" for _ in range(20000))
    data = ("From: MAILER-DAEMON@x.example\nSubject: Undelivered\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
            + parts + "--b--\n").encode()
    report = explain_message(data)
    assert report.truncated


def test_a_50_mb_attachment_stays_bounded():
    attachment = b"QUFBQUFB\n" * (50 * 1024 * 1024 // 9)
    data = dsn("Final-Recipient: rfc822; big@example.net\nAction: failed\nStatus: 5.3.4\n")
    data = data.replace(b"--b--\n", b"--b\nContent-Type: message/rfc822\n\nSubject: big\nContent-Type: application/zip\n"
                                     b"Content-Transfer-Encoding: base64\n\n" + attachment + b"--b--\n")
    report, peak = _peak(lambda: explain_message(data))
    assert [r.recipient for r in report] == ["big@example.net"]
    # the returned message is set aside unparsed; at worst the first MAX_BYTES are parsed (about 15 bytes
    # of objects per byte of short lines), never the 50 MB
    assert peak < 20 * _mime.MAX_BYTES
    # the same attachment in a part the reader cannot set aside is cut at MAX_BYTES
    hidden = data.replace(b"Content-Type: message/rfc822", b"Content-Type: application/octet-stream")
    report, peak = _peak(lambda: explain_message(hidden))
    assert report.truncated and [r.recipient for r in report] == ["big@example.net"] and peak < 20 * _mime.MAX_BYTES


# ------------------------------------------------------------------------------------------ properties


def test_mutated_corpus_mails_give_a_report():
    """Real and constructed bounces with bytes cut, inserted and spliced (seeded: the same every run)."""
    import random

    rnd = random.Random(20261204)
    mails = [p.read_bytes() for p in sorted(HERE.glob("*/*.eml"))]
    for _ in range(400):
        data = bytearray(rnd.choice(mails))
        for _ in range(rnd.randrange(1, 20)):
            at = rnd.randrange(len(data) + 1)
            op = rnd.randrange(3)
            if op == 0:
                del data[at:at + rnd.randrange(1, 50)]
            elif op == 1:
                data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 20)))
            else:
                other = rnd.choice(mails)
                start = rnd.randrange(len(other))
                data[at:at] = other[start:start + rnd.randrange(1, 400)]
        assert explain_message(bytes(data)).kind in KINDS


def test_a_charset_name_with_a_nul_is_read_as_utf8():
    mail = b"From: MAILER-DAEMON@x.example\nContent-Type: text/plain; charset=\"ut\x00f\"\n\n<a@b.example>: 550 no\n"
    assert [r.recipient for r in explain_message(mail)] == ["a@b.example"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_give_a_report(data):
    report = explain_message(data)
    assert report.kind in KINDS


_LINES = st.sampled_from([
    "From: MAILER-DAEMON@x.example", "Subject: Undelivered Mail", "Content-Type: multipart/report; boundary=\"b\"",
    "Content-Type: message/delivery-status", "Content-Type: message/rfc822", "Content-Transfer-Encoding: base64",
    "Content-Transfer-Encoding: quoted-printable", "--b", "--b--", "", "Final-Recipient: rfc822; a@example.net",
    "Original-Recipient: utf-8; j\\x{00F6}rg@example.net", "Action: failed", "Status: 5.1.1", "Status: 4.x.y",
    "Diagnostic-Code: smtp; 550 5.1.1 user unknown", "Diagnostic-Code: ;", "Remote-MTA: dns;", "=?utf-8?q?=C3?=",
    "<a@example.net>: host mx[1.2.3.4] said: 550 x", "  b@example.net", "Remote host said: 451", "\udcff\x00",
    "This message was created automatically by mail delivery software.", "Hi. This is the qmail-send program at x.",
    "Remote Server returned '550 5.1.1'", "Content-Type: text/html", "<style><style><br<br", "=\n", "Auto-Submitted: yes",
    "Your mail to the following recipients could not be delivered:", "\tscreenname", " userx    No such name",
    'dylan "(0), quota"', "To: Pat <pat@example.com>", "----- Original message follows -----",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=60), st.text(max_size=200))
def test_any_mail_shaped_text_gives_a_report(lines, noise):
    text = "\n".join(lines) + "\n" + noise
    report = explain_message(text)
    for r in report:
        assert r.explanation.verdict.outcome in ("success", "intermediate", "transient", "permanent", "unknown")
        assert r.why
    explain_message(text.encode("utf-8", "surrogatepass"))


def test_what_the_reviewer_found_in_mails():
    # a charset that runs escapes, and an RFC 6533 escape of a surrogate, never give unwritable text
    evil = (b"From: MAILER-DAEMON@example.net\r\nTo: a@example.org\r\nSubject: Undelivered Mail\r\n"
            b"Content-Type: text/plain; charset=unicode_escape\r\n\r\n"
            b"<b@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 \\ud800 User unknown\r\n")
    for rcpt in kb.explain_message(evil).recipients:
        rcpt.diagnostic.encode("utf-8")
    from kb.mail import dsn

    assert dsn._char("D800") == "\ufffd" and dsn._char("1B") == "\ufffd" and dsn._char("E9") == "é"
    # many addresses near failure cues: the bounded readers stop (the loose reader at 50, a report at 1,000)
    from kb.mail import MAX_RECIPIENTS, formats

    body = "\n".join(f"user{i}@example.com: unknown user" for i in range(4000))
    assert len(formats._loose(body, frozenset())) == 50
    mail = ("From: MAILER-DAEMON@example.net\nTo: a@example.org\nSubject: failure notice\n\n" + body).encode()
    assert len(kb.explain_message(mail).recipients) <= MAX_RECIPIENTS


def test_a_huge_mail_in_a_mailbox_is_read_only_as_far_as_it_is_parsed(tmp_path):
    import mailbox

    from kb.mail import messages
    from kb.mail.mime import MAX_BYTES

    box = mailbox.mbox(str(tmp_path / "big.mbox"))
    box.add(b"From: a@example.net\nSubject: big\n\n" + b"x" * (MAX_BYTES * 4))
    box.close()
    ((_, data),) = list(messages(str(tmp_path / "big.mbox")))
    assert len(data) == MAX_BYTES + 1


def _local_only(sender: str, body: str, returned: str = "") -> MessageReport:
    return explain_message(f"From: {sender}\nTo: list-bounces@example.org\nSubject: Mail Delivery Problem\n\n"
                           f"Your mail to the following recipients could not be delivered:\n\tpat\n\n{body}{returned}")


def test_a_recipient_named_without_a_domain_is_completed_from_the_mail_and_said_so():
    # the returned message's To names the address: that is the strongest evidence
    report = _local_only("MAILER-DAEMON@mx1.example.net", "",
                         "----- Original message follows -----\nFrom: a@example.org\nTo: Pat <Pat@example.com>\n"
                         "Subject: hi\n\nhello\n")
    assert [r.recipient for r in report] == ["Pat@example.com"]
    assert "returned message's To header" in report[0].why[0].detail.en
    assert [f.kind for f in report[0].findings] == ["local-part-only"]
    assert "Prüfen Sie die Adresse" in report[0].findings[0].message.de
    # else the bounce's sender's domain (AOL's MAILER-DAEMON@AOL.com)
    report = _local_only("MAILER-DAEMON@AOL.com", "")
    assert [r.recipient for r in report] == ["pat@aol.com"]
    assert "MAILER-DAEMON@AOL.com" in report[0].why[0].detail.en
    # or the parent of the sender's host that the bounce's own text uses in addresses
    report = _local_only("MAILER-DAEMON@mr2.its.example.edu", "Write to help@example.edu or help@cs.example.edu.\n")
    assert [r.recipient for r in report] == ["pat@example.edu"]
    assert "parent domain" in report[0].why[0].detail.en
    assert report[0].explanation.verdict.outcome == "permanent"


def test_a_recipient_without_a_domain_and_no_hint_stays_a_local_part():
    report = _local_only('"Mail System" <>', "")
    assert [r.recipient for r in report] == ["pat"]
    assert report[0].findings[0].kind == "local-part-only" and "no domain" in report[0].why[0].detail.en


_DAY_NAMES = st.sampled_from(["", "Mon, ", "Thu, ", "Xyz, "])
_MONTH_NAMES = st.sampled_from(["Jan", "feb", "NOV", "Dec", "Foo"])
_MONTH_NUMBER = {"jan": 1, "feb": 2, "nov": 11, "dec": 12}


@settings(max_examples=400, deadline=None)
@given(_DAY_NAMES, st.integers(0, 40), _MONTH_NAMES, st.integers(1000, 9999), st.integers(0, 30), st.integers(0, 70),
       st.integers(0, 70), st.sampled_from("+-"), st.integers(0, 30), st.integers(0, 99),
       st.sampled_from(["", " (UTC)", " (a b)", "  "]))
def test_the_usual_date_form_is_read_as_the_standard_library_reads_it(dayname, day, month, year, hour, minute, second,
                                                                      sign, tzh, tzm, comment):
    import datetime as dt
    from email.utils import parsedate_to_datetime

    from kb.mail import _usual_date

    value = f"{dayname}{day} {month} {year} {hour:02d}:{minute:02d}:{second:02d} {sign}{tzh:02d}{tzm:02d}{comment}"
    fast = _usual_date(value)
    if fast is not None:  # None: email.utils decides
        assert fast == parsedate_to_datetime(value).isoformat()
    # and None exactly when datetime refuses the date (or the month name is not one)
    offset = (tzh * 3600 + tzm * 60) * (-1 if sign == "-" else 1)
    try:
        zone = None if sign == "-" and not offset else dt.timezone(dt.timedelta(seconds=offset))
        expected = dt.datetime(year, _MONTH_NUMBER[month.lower()], day, hour, minute, second, tzinfo=zone).isoformat()
    except (KeyError, ValueError, OverflowError):
        expected = None
    assert fast == expected


def test_memory_is_flat_over_ever_new_bounces():
    """The reader's caches (explanations by diagnostic, dates) are bounded: three times the mails, each with its
    own recipient, date and wording, keep no more memory once the caches are full."""
    import gc

    def mail(i: int) -> bytes:
        return dsn(f"Final-Recipient: rfc822; user{i}@d{i}.example\nAction: failed\nStatus: 5.1.1\n"
                   f"Diagnostic-Code: smtp; 550 5.1.1 <user{i}@d{i}.example>: no mailbox here ({i})\n"
                   f"Last-Attempt-Date: {i % 28 + 1} Nov {2000 + i // 28 % 50} 10:{i % 60:02d}:00 +0000\n")

    def retained(n: int) -> int:
        kb.reload()
        explain_message(mail(-1))
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            explain_message(mail(i))
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return after - before

    # the explanation cache empties at 1024 entries, the date cache holds 256: counts that leave the same remainder
    small, large = retained(1024 + 100), retained(3 * 1024 + 100)
    assert large < small * 1.5 + 200_000, (small, large)  # unbounded, about 2.5 times as much would stay
