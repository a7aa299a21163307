"""Flat rows and the postmaster's report: the same verdicts as kb.explain, bounded, escaped, self-contained."""

import gzip
import io
import json
import re
from collections import Counter

import pytest
import yaml
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb import report as report_mod
from kb.cli import main
from kb.rows import ROW_FIELDS, explain_rows, log_time, row

CORPUS = yaml.safe_load((ROOT / "tests" / "corpus" / "replies.yaml").read_text(encoding="utf-8"))
LINES = [c["input"].replace("\r", " ").replace("\n", " ") for c in CORPUS]


def varied(lines, times=3):
    """The corpus lines again with other local parts, queue ids and IPs: rows must be reused, not wrong."""
    out = []
    for k in range(times):
        for ln in lines:
            out.append(re.sub(r"\buser@", f"u{k}x@", ln).replace("192.0.2.1]", f"192.0.2.{10 + k}]"))
    return out


def test_rows_equal_explain_line_by_line():
    lines = varied(LINES)
    rows = list(explain_rows(lines))
    assert [r["line"] for r in rows] == list(range(1, len(lines) + 1))
    for r, line in zip(rows, lines, strict=True):
        expected = row(kb.explain(line), r["line"], r["time"])
        assert r == expected, line
        assert tuple(r) == ROW_FIELDS


def test_line_numbers_count_empty_lines():
    rows = list(explain_rows(["", "550 5.1.1 <a@example.com>: User unknown", "  ", "421 4.7.0 later"]))
    assert [r["line"] for r in rows] == [2, 4]


def test_log_times():
    assert log_time("2026-11-27 10:00:00 1abc ** a@example.com", None) == "2026-11-27T10:00:00"
    assert log_time("2026-11-27T10:00:00.123+00:00 mail postfix/smtp[1]: x") == "2026-11-27T10:00:00"
    assert log_time("Nov 27 10:00:00 mail postfix/smtp[1]: x", 2025) == "2025-11-27T10:00:00"
    assert log_time("Feb 30 10:00:00 x", 2025) is None and log_time("550 5.1.1 x") is None


POSTFIX = ("Nov 27 10:00:00 mail postfix/smtp[1234]: 4BC9D2A0F3: to=<{lp}@{dom}>, relay=mx.{dom}[192.0.2.1]:25, "
           "delay=0.35, delays=0.1/0/0.1/0.1, dsn=5.1.1, status=bounced (host mx.{dom}[192.0.2.1] said: 550 5.1.1 "
           "<{lp}@{dom}>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))")
DEFER = ("Nov 28 10:05:00 mail postfix/smtp[1235]: 5CDA1B2C3D: to=<{lp}@{dom}>, relay=none, delay=300, "
         "delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to mx.{dom}[192.0.2.7]:25: Connection timed out)")


def log(tmp_path, n=40):
    lines = [POSTFIX.format(lp=f"u{i}", dom=f"d{i % 4}.example") for i in range(n)]
    lines += [DEFER.format(lp=f"v{i}", dom="slow.example") for i in range(n // 2)]
    path = tmp_path / "mail.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


def test_report_counts_match_explain_summary(tmp_path, capsys):
    path, lines = log(tmp_path)
    rep = report_mod.run([str(path)], out=io.StringIO())
    assert rep.lines == len(lines)
    assert rep.reasons["user-unknown"] == 40 and rep.reasons["network"] == 20
    assert rep.domains["transient"]["slow.example"] == 20
    assert sum(rep.domains["permanent"].values()) == 40
    assert len(rep.suppress) == 40 and "u0@d0.example" in rep.suppress


def test_gzip_and_json_lines_inputs_give_the_same_counts(tmp_path, capsys):
    path, _ = log(tmp_path)
    gz = tmp_path / "mail.log.1"  # recognised by its content, not its name
    gz.write_bytes(gzip.compress(path.read_bytes()))
    jsonl = tmp_path / "explained.jsonl"
    out = io.StringIO()
    from kb.batch import run as batch_run

    batch_run(io.BytesIO(path.read_bytes()), out, as_json=True)
    jsonl.write_text(out.getvalue(), encoding="utf-8")
    counts = [dict(report_mod.run([str(p)], out=io.StringIO()).reasons) for p in (path, gz, jsonl)]
    assert counts[0] == counts[1] == counts[2]


def test_html_is_self_contained_escaped_and_bilingual(tmp_path):
    path, _ = log(tmp_path, 8)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(DEFER.format(lp="x", dom="<script>alert(1)</script>.example") + "\n")
        fh.write('550 5.7.1 <a@example.com>: "><img src=x onerror=alert(1)> rejected by policy\n')
    for lang, word in (("en", "Addresses to suppress"), ("de", "Zu sperrende Adressen")):
        html_path = tmp_path / f"r.{lang}.html"
        report_mod.run([str(path)], lang=lang, html_path=str(html_path), out=io.StringIO())
        page = html_path.read_text(encoding="utf-8")
        assert word in page and "<svg" in page
        assert "<script" not in page.lower() and "<img" not in page.lower()
        # no request to any other host: nothing loads from http(s), and links go only to the site's code pages
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
        assert "codes/basic/550/" in page


def test_prometheus_output_parses_and_labels_stay_bounded(tmp_path):
    from prometheus_client.parser import text_string_to_metric_families

    lines = [f"550 5.{i % 8}.{i % 40} <a{i}@x{i}.example>: made-up reply {i}" for i in range(300)]
    path = tmp_path / "odd.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prom = tmp_path / "smtpkb.prom"
    report_mod.run([str(path)], prometheus_path=str(prom), out=io.StringIO())
    families = {f.name: f for f in text_string_to_metric_families(prom.read_text(encoding="utf-8"))}
    samples = families["smtpkb_replies"].samples
    assert sum(s.value for s in samples if s.name == "smtpkb_replies_total") == 300
    enhanced = {s.labels["enhanced"] for s in samples}
    registered = {c for c in enhanced if c not in ("other", "none")}
    assert all(kb.get(c) is not None for c in registered)
    assert len(samples) <= 60  # bounded by reasons x classes x providers x registered codes, not by input
    assert not list(tmp_path.glob("*.tmp"))


def test_cli_report_and_errors(tmp_path, capsys):
    path, _ = log(tmp_path, 4)
    assert main(["report", str(path)]) == 0
    assert "user-unknown" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "missing.log")]) == 2
    assert "missing.log" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200) | st.binary(max_size=200), max_size=20))
def test_any_items_give_one_row_each_and_a_report(items):
    from kb.reply import clean

    rows = list(explain_rows(items))
    assert len(rows) == sum(1 for it in items if clean(it).strip())
    rep = report_mod.Report()
    for r in rows:
        rep.add(r)
        assert tuple(r) == ROW_FIELDS
    json.dumps(rows)
    assert rep.text("de") and rep.prometheus()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_report_text_summary(tmp_path, lang):
    path, _ = log(tmp_path, 4)
    out = io.StringIO()
    report_mod.run([str(path)], lang=lang, out=out)
    assert ("Top destination domains" if lang == "en" else "Häufigste Zieldomains") in out.getvalue()


def test_the_readme_documents_every_row_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ROW_FIELDS:
        assert f"| `{name}` |" in readme, name


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    import os
    import subprocess
    import sys

    path, _ = log(tmp_path, 3000)
    cmd = [sys.executable, "-c", "import sys; from kb.cli import main; sys.exit(main(sys.argv[1:]))", "report", str(path)]
    master, slave = os.openpty()
    drawn = bytearray()

    def drain():  # read the terminal while the report runs: a full pty would block the bar's writes
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.extend(chunk)

    import threading

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        tty = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, timeout=300, env={**os.environ, "COLUMNS": "80"})
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    assert tty.returncode == 0 and b"user-unknown" in tty.stdout
    assert b"lines" in bytes(drawn)  # Rich drew its bar on the terminal
    piped = subprocess.run(cmd, capture_output=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""


def test_bounce_mailboxes_are_read_recipient_by_recipient(tmp_path):
    import mailbox

    import kb.mail

    emls = sorted((ROOT / "tests" / "messages" / "constructed").glob("*.eml"))[:10]
    assert emls
    box = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    for p in emls:
        box.add(mailbox.mboxMessage(p.read_bytes()))
    box.close()
    maildir = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    for p in emls:
        maildir.add(p.read_bytes())
    expected = Counter()
    for p in emls:
        for rcpt in kb.mail.explain_message(p.read_bytes()).recipients:
            expected[rcpt.explanation.verdict.reason] += 1
    for source in (tmp_path / "bounces.mbox", tmp_path / "Maildir", emls[0]):
        rep = report_mod.run([str(source)], out=io.StringIO())
        want = expected if source != emls[0] else Counter(
            r.explanation.verdict.reason for r in kb.mail.explain_message(emls[0].read_bytes()).recipients)
        assert Counter(dict(rep.reasons)) == want, source


def test_a_reused_explanation_never_lends_its_host_or_signature():
    postfix = ("Nov 27 10:00:00 mail postfix/smtp[1]: {q}: to=<a@x.example>, relay={h}[192.0.2.1]:25, dsn=5.1.1, "
               "status=bounced (host {h}[192.0.2.1] said: 550 5.1.1 <a@x.example>: User unknown (in reply to RCPT TO command))")
    lines = [postfix.format(q="4BC9D2A0F3", h="mx01-abc12345.example.net"),
             postfix.format(q="4BC9D2A0F4", h="mx02-zzz99999.example.net")]
    comcast = "550 {c} Mail from 192.0.2.5 not accepted by comcast.net (see https://postmaster.comcast.net)"
    lines += [comcast.format(c="BL000000"), comcast.format(c="ES000010")]
    for got, line in zip(explain_rows(lines), lines, strict=True):
        alone = row(kb.explain(line), got["line"], got["time"])
        assert got == alone, line


def test_data_frame_nulls_are_empty_lines():
    import math

    rows = list(explain_rows([None, math.nan, "550 5.1.1 x", 12], keep_empty=True))
    assert [r["form"] for r in rows] == ["empty", "empty", "reply", "empty"]


def test_what_the_reviewer_found_in_the_input_handling(tmp_path, capsys):
    line = "550 5.1.1 <a@example.com>: User unknown"
    # a JSON status line first must not turn the file into JSON Lines and drop the log lines
    mixed = tmp_path / "mixed.log"
    mixed.write_text('{"status": "ok"}\n' + line + "\n" + line.replace("a@", "b@") + "\n", encoding="utf-8")
    assert report_mod.run([str(mixed)], out=io.StringIO()).reasons["user-unknown"] == 2
    # a byte order mark before JSON Lines
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"reason": "user-unknown", "outcome": "permanent", "bounce": "hard",
                                                   "recipient": "a@example.com"}).encode() + b"\n")
    assert dict(report_mod.run([str(bom)], out=io.StringIO()).reasons) == {"user-unknown": 1}
    # odd JSON values never crash a report
    odd = tmp_path / "odd.jsonl"
    odd.write_text("\n".join(json.dumps(o) for o in (
        {"reason": "a\tb", "outcome": "permanent"}, {"reason": ["x"], "outcome": "permanent"},
        {"reason": "x", "outcome": "transient", "time": 12, "domain": {"a": 1}, "suppress": "yes"})) + "\n", encoding="utf-8")
    rep = report_mod.run([str(odd)], prometheus_path=str(tmp_path / "o.prom"), html_path=str(tmp_path / "o.html"), out=io.StringIO())
    assert rep.lines == 3  # the list-valued reason is no explain --json line: it is read as a log line
    # a "$" in a log line is drawn, not read as TeX
    dollar = tmp_path / "dollar.log"
    dollar.write_text(DEFER.format(lp="x", dom="$\\foo{$.example") + "\n", encoding="utf-8")
    report_mod.run([str(dollar)], html_path=str(tmp_path / "d.html"), out=io.StringIO())
    assert "foo" in (tmp_path / "d.html").read_text(encoding="utf-8")


def test_gzip_on_stdin(tmp_path):
    import subprocess
    import sys

    path, lines = log(tmp_path, 6)
    out = subprocess.run([sys.executable, "-c", "import sys; from kb.cli import main; sys.exit(main(sys.argv[1:]))",
                          "report", "-"], input=gzip.compress(path.read_bytes()), capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"{len(lines)} entries" in out.stdout.decode()


def test_the_suppress_list_says_when_it_is_cut_and_never_lists_other(monkeypatch):
    monkeypatch.setattr(report_mod, "MAX_KEYS", 50)
    rep = report_mod.Report()
    for i in range(80):
        rep.add({"reason": "user-unknown", "outcome": "permanent", "bounce": "hard", "suppress": True,
                 "recipient": f"u{i}@example.com", "basic": "550", "enhanced": "5.1.1"})
    text = rep.text()
    assert ">= 51" in text and "  other" not in text
    assert "smtpkb_suppress_overflow_total 30" in rep.prometheus()


def test_unwritable_outputs_are_refused_before_reading(tmp_path, capsys):
    path, _ = log(tmp_path, 2)
    assert main(["report", str(path), "--html", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err
    assert main(["report", str(path), "--prometheus", str(tmp_path / "no" / "such" / "x.prom")]) == 2
    assert main(["export", "--format", "csv", "-o", str(tmp_path)]) == 2
