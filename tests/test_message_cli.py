"""`smtpkb explain --mail` and the detection of a whole mail on stdin, run as a user runs them."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent / "messages" / "constructed"
SMTPKB = [sys.executable, "-m", "kb"]


def smtpkb(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "SMTPKB_LANG": "en"}
    return subprocess.run([*SMTPKB, *args], input=stdin, capture_output=True, env=env, timeout=120)


def test_mail_files_as_text():
    out = smtpkb("explain", "--mail", str(HERE / "qmail_remote.eml"), str(HERE / "vacation.eml"))
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "qmail_remote.eml: bounce (qmail)" in text
    assert "grace@example.net  (failed, RCPT TO, remote 192.0.2.25)" in text and "[user-unknown]" in text
    assert "vacation.eml: auto-reply" in text


def test_mbox_json_lines_with_file_and_index_and_summary(tmp_path):
    box = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    for name in ("postfix_two_recipients.eml", "gmail_text.eml", "arf_abuse.eml"):
        box.add((HERE / name).read_bytes())
    box.close()
    out = smtpkb("explain", "--mail", str(tmp_path / "bounces.mbox"), "--json", "--summary")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    *recipients, summary = rows
    assert [(r["message"], r["recipient"]) for r in recipients] == [
        (0, "nobody@example.net"), (0, "full@example.com"), (1, "kim@example.net"), (2, None)]
    assert recipients[0]["explanation"]["verdict"]["reason"] == "user-unknown"
    assert recipients[3]["kind"] == "feedback-report"
    assert summary["summary"]["reasons"] == {"user-unknown": 2, "mailbox-full": 1}
    assert summary["summary"]["kinds"] == {"bounce": 2, "feedback-report": 1}


def test_maildir_and_stdin_dash(tmp_path):
    md = mailbox.Maildir(str(tmp_path / "Maildir"))
    md.add((HERE / "exim_failed_qp.eml").read_bytes())
    out = smtpkb("explain", "--json", "--mail", str(tmp_path / "Maildir"), "-",
                 stdin=(HERE / "sendmail_text.eml").read_bytes())
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [(r["file"], r["recipient"]) for r in rows] == [
        (str(tmp_path / "Maildir"), "carol@example.net"), (str(tmp_path / "Maildir"), "dave@example.com"),
        ("-", "frank@example.net")]


def test_unreadable_path_is_named_and_the_rest_still_read(tmp_path):
    out = smtpkb("explain", "--mail", str(tmp_path / "missing.eml"), str(HERE / "gmail_text.eml"))
    assert out.returncode == 2
    assert b"cannot read" in out.stderr and b"Traceback" not in out.stderr
    assert b"kim@example.net" in out.stdout


def test_a_whole_mail_on_stdin_is_recognised():
    out = smtpkb("explain", "-", stdin=(HERE / "postfix_two_recipients.eml").read_bytes())
    assert out.returncode == 0
    assert b"stdin is a whole mail" in out.stderr
    assert out.stdout.count(b"  (failed, ") == 2


def test_lines_on_stdin_stay_lines():
    lines = b"Final-Recipient: rfc822; a@example.net\nStatus: 5.1.1\n550 5.1.1 user unknown\n"
    out = smtpkb("explain", "-", stdin=lines)
    assert out.returncode == 0 and out.stderr == b""
    assert len(out.stdout.splitlines()) == 3


def test_control_characters_from_a_mail_never_reach_the_terminal(tmp_path):
    evil = (HERE / "gmail_text.eml").read_bytes().replace(b"Subject: Delivery Status Notification (Failure)",
                                                          b"Subject: \x1b[31mred\x1b[0m failure")
    (tmp_path / "evil.eml").write_bytes(evil)
    out = smtpkb("explain", "--mail", str(tmp_path / "evil.eml"))
    assert b"\x1b" not in out.stdout and b"?[31mred" in out.stdout


def test_a_whole_mail_as_an_argument_is_recognised():
    out = smtpkb("explain", (HERE / "gmail_text.eml").read_text(encoding="utf-8"))
    assert out.returncode == 0 and b"the argument is a whole mail" in out.stderr
    assert b"kim@example.net  (failed)" in out.stdout


def test_a_multiline_reply_argument_stays_a_reply():
    out = smtpkb("explain", "550-5.7.26 Unauthenticated email\n550 5.7.26 is not accepted. - gsmtp")
    assert out.returncode == 0 and out.stderr == b"" and b"[sender-authentication]" in out.stdout
