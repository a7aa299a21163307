"""The smtpkb command line, run as a real subprocess."""

import csv
import io
import json

from helpers import run_cli


def test_explain_text_and_exit_code():
    r = run_cli("explain", "421 4.7.0 Service not available, closing transmission channel")
    assert r.returncode == 0
    out = r.stdout.decode()
    assert out.startswith("421 4.7.0") and "transient" in out and "Why:" in out


def test_explain_german_and_json():
    r = run_cli("explain", "--lang", "de", "550 5.1.1 User unknown")
    assert r.returncode == 0 and "dauerhaft" in r.stdout.decode() and "Warum" in r.stdout.decode()
    j = json.loads(run_cli("explain", "--json", "550 5.1.1 User unknown").stdout)
    assert j["reply"]["basic"] == "550" and j["verdict"]["reason"] == "user-unknown" and j["verdict"]["bounce"] == "hard"


def test_explain_no_code_exits_1():
    r = run_cli("explain", "hello world")
    assert r.returncode == 1 and b"Traceback" not in r.stderr


def test_show_search_list():
    r = run_cli("show", "x.7.26")
    assert r.returncode == 0 and b"X.7.26" in r.stdout
    assert json.loads(run_cli("show", "--json", "5.7.26").stdout)["key"] == "X.7.26"
    unknown = run_cli("show", "599")
    assert unknown.returncode == 1 and b"no record for 599" in unknown.stderr
    assert run_cli("show", "hello").returncode == 2
    s = run_cli("search", "--json", "4.7.0")
    assert json.loads(s.stdout)[0]["code"] == "4.7.0"
    assert run_cli("search", "zzzzqqqq").returncode == 1
    sub7 = json.loads(run_cli("list", "--subject", "7", "--json").stdout)
    assert sub7 and all(x["key"].startswith("X.7.") for x in sub7)
    c4 = json.loads(run_cli("list", "--class", "4", "--json").stdout)
    assert any(x["code"] == "421" for x in c4) and any(x["code"] == "4.7.0" for x in c4)
    assert all(x["code"].startswith("4") for x in c4)


def test_export_formats(tmp_path):
    doc = json.loads(run_cli("export", "--format", "json").stdout)
    assert {"records", "schemas", "structure", "providers"} <= set(doc)
    codes = {r["code"] for r in doc["records"]}
    assert {"421", "550", "X.7.26"} <= codes
    lines = run_cli("export", "--format", "jsonl").stdout.decode().splitlines()
    assert len(lines) == len(doc["records"]) and json.loads(lines[0])["code"]
    out = tmp_path / "codes.csv"
    assert run_cli("export", "--format", "csv", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(doc["records"]) and rows[0]["title_de"]


def test_batch_survives_garbage_and_summarises():
    data = (b"421 4.7.0 Try again later\n\xff\xfe\x00binary\x00junk\n\n" + b"550 5.1.1 " + b"x" * 10_000_000 + b"\n"
            b"status=bounced (host mx.example.com[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command))\n")
    r = run_cli("explain", "-", "--json", "--summary", input=data)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x.get("basic") for x in rows[:4]] == ["421", None, "550", "552"]
    assert rows[3]["reason"] == "mailbox-full"
    assert rows[-1]["summary"]["lines"] == 4


def test_batch_text_from_file(tmp_path):
    f = tmp_path / "log.txt"
    f.write_text("421 4.7.0 later\n550 5.1.1 unknown user\n", encoding="utf-8")
    r = run_cli("explain", "--file", str(f), "--summary")
    lines = r.stdout.decode().splitlines()
    assert lines[0].split("\t")[1:3] == ["421 4.7.0", "transient"]
    assert lines[-1].startswith("# by provider")
    assert run_cli("explain", "--file", str(tmp_path / "missing")).returncode == 2


def test_usage_errors_have_no_traceback():
    for args in (["bogus"], ["list", "--class", "9"], ["explain"], ["export", "--format", "xml"]):
        r = run_cli(*args)
        assert r.returncode == 2, args
        assert b"Traceback" not in r.stderr


def test_prompt_reads_until_eof():
    r = run_cli("prompt", input=b"550-5.7.26 first\n550 5.7.26 second\n\n:de\n421\n\n:q\n")
    out = r.stdout.decode()
    assert r.returncode == 0 and "550 5.7.26" in out and "Warum" in out
