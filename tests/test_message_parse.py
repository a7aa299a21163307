"""kb/mail/mime.py's single-part shortcut gives the same message as the standard parser."""

import email

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.mail import mime

_LINES = st.sampled_from([b"From: a@example.com", b"Subject: =?utf-8?q?Zustellung_fehlgeschlagen?=",
                          b"Content-Type: text/plain; charset=utf-8", b"Content-Type: multipart/mixed; boundary=x",
                          b"Content-Type: message/delivery-status", b"Content-Transfer-Encoding: quoted-printable",
                          b" folded continuation", b"not a header line", b"", b"\r", b"--x", b"550 5.1.1 no such user",
                          b"From MAILER-DAEMON Mon Nov  2 10:15:09 2026", b"caf\xc3\xa9 =C3=A9", b"\xff\xfe"])


def _same(data: bytes) -> None:
    fast = mime._single_part(data)
    if fast is None:
        return
    full = email.message_from_bytes(data)
    assert fast.items() == full.items()
    assert fast.get_unixfrom() == full.get_unixfrom()
    assert fast.get_payload() == full.get_payload()
    assert fast.get_payload(decode=True) == full.get_payload(decode=True)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=12), st.sampled_from([b"\n", b"\r\n"]), st.binary(max_size=40))
def test_single_part_matches_the_parser(lines, eol, tail):
    _same(eol.join(lines) + eol + tail)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_single_part_matches_the_parser_on_any_bytes(data):
    _same(data)


def test_single_part_is_taken_for_a_plain_bounce_and_not_for_a_multipart_one():
    plain = b"From: MAILER-DAEMON@example.com\r\nSubject: failure\r\n\r\n550 5.1.1 <u@example.net>: no such user\r\n"
    msg = mime._single_part(plain)
    assert msg is not None and msg.get_payload() == "550 5.1.1 <u@example.net>: no such user\r\n"
    multi = b"Content-Type: multipart/report; boundary=b\n\n--b\n\nx\n--b--\n"
    assert mime._single_part(multi) is None and mime.parse(multi).is_multipart()
    # a line that is no header field before the blank line: the parser decides where the body starts
    assert mime._single_part(b"From: a@example.com\nno header here\n\nbody\n") is None
