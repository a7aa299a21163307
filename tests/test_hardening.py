"""Issue 10: hostile input and careless operators. Long lines, terminal escapes, broken trees, poisoned records.

Nothing here measures time (bench/bench_linear.py does); the 64 KB lines would take seconds to minutes each
with the old backtracking patterns, so a regression shows as a hanging test, and the results are checked.
"""

import io
import json
import os
import re
import shutil

import pytest
from helpers import CODES, run_cli

import kb
from kb import _reparse
from kb.batch import LINE_LIMIT
from kb.batch import run as run_batch
from kb.checks import validate
from kb.patterncheck import shape_problems, timing_problems
from kb.reply import MAX_SCAN, clean, parse

N = 64 * 1024 - 200  # within MAX_SCAN, so the whole line is read

# (name, 64 KB line of that form built to make a backtracking parser work, expected reply fields)
ADVERSARIAL = [
    ("code", "550 5.1.1 " + "a" * N, {"basic": "550", "enhanced": "5.1.1", "form": "reply"}),
    ("code, address-like run", "550 5.1.1 " + "a." * (N // 2), {"basic": "550", "enhanced": "5.1.1", "recipient": None}),
    ("code, @-run", "550 5.1.1 " + "a@" * (N // 2), {"basic": "550", "enhanced": "5.1.1"}),
    ("reply with recipient last", "550 5.1.1 " + "x-" * (N // 2 - 20) + " <user@example.com>",
     {"basic": "550", "recipient": "user@example.com", "domain": "example.com"}),
    ("multiline", "550-5.1.1 a\n" * (N // 12) + "550 5.1.1 end", {"basic": "550", "form": "multiline"}),
    ("flattened", "550-5.1.1 first " + " " * N + " 550 5.1.1 last", {"basic": "550", "form": "flattened"}),
    ("dsn", "Status: 5.1.1\nDiagnostic-Code: smtp; 550 " + "\n ".join(["a"] * (N // 3)),
     {"enhanced": "5.1.1", "basic": "550", "form": "dsn"}),
    ("postfix", "postfix/smtp[1]: to=<u@example.com>, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 "
     + " (in reply to" * (N // 14 - 20) + " (in reply to RCPT TO command))",
     {"basic": "550", "form": "postfix", "command": "RCPT TO", "recipient": "u@example.com"}),
    ("postfix, host runs", "status=deferred " + "host a[" * (N // 7) + " host mx.example.com[192.0.2.1] said: 451 4.3.0 x",
     {"basic": "451", "form": "postfix", "host": "mx.example.com"}),
    ("exim (issue)", "** " + "a@" * 32000 + "a< SMTP error from remote mail server after RCPT TO: 550 5.1.1 x",
     {"basic": "550", "enhanced": "5.1.1", "form": "exim", "command": "RCPT TO"}),
    ("exim, repeated", "SMTP error from remote mail server after " * (N // 41 - 5) + "RCPT TO:<u@example.com>: 550 5.1.1 x",
     {"basic": "550", "form": "exim", "command": "RCPT TO"}),
    ("sendmail", "to=<u@example.com>, " + "relay=" * (N // 6 - 20) + ", dsn=5.1.1, stat=User unknown",
     {"enhanced": "5.1.1", "form": "sendmail", "recipient": "u@example.com"}),
    ("sendmail, dotted relay", "to=u@example.com, relay=a" + "." * (N - 100) + ", dsn=4.4.1, stat=Deferred",
     {"enhanced": "4.4.1", "form": "sendmail"}),
    ("exchange ##", "#550 " * (N // 5 - 20) + "\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
     {"basic": "550", "enhanced": "5.1.1", "form": "exchange"}),
    ("exchange returned", "Remote Server at x (" * (N // 20 - 10) + " Remote Server returned '550 5.1.1 User unknown'",
     {"basic": "550", "enhanced": "5.1.1", "form": "exchange"}),
    ("free text", "x " * (N // 2) + "5.1.1", {"enhanced": "5.1.1", "guessed": True}),
    ("dotted digits", "5.1.1." * (N // 6), {"enhanced": None, "basic": None}),
    ("in reply to / after", "after " * (N // 6) + "550 5.1.1 x", {"basic": "550", "enhanced": "5.1.1"}),
]


@pytest.mark.parametrize("name,line,expected", ADVERSARIAL, ids=[a[0] for a in ADVERSARIAL])
def test_64k_adversarial_line_is_read_right(name, line, expected):
    assert len(line) > 60_000
    r = parse(line)
    for field, value in expected.items():
        assert getattr(r, field) == value, (name, field, getattr(r, field))
    ex = kb.explain(line)
    assert (ex.reply.basic, ex.reply.enhanced) == (r.basic, r.enhanced)


def test_batch_reads_adversarial_lines():
    lines = [line for _, line, _ in ADVERSARIAL if "\n" not in line]
    data = "\n".join(lines).encode()
    out = io.StringIO()
    assert run_batch(io.BytesIO(data), out, as_json=True) == len(lines)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [(r["basic"], r["enhanced"]) for r in rows] == [(parse(x).basic, parse(x).enhanced) for x in lines]


def test_coloured_log_line_reads_as_plain_text():
    r = parse("\x1b[31m550\x1b[0m 5.1.1 \x1b]0;title\x07user unknown")
    assert (r.basic, r.enhanced, r.text) == ("550", "5.1.1", "user unknown")
    assert parse("\x9b1m421\x9b0m 4.7.0 try later").basic == "421"  # 8-bit CSI
    assert clean("a\u009b2Jb\x1bc") == "abc"


# --- CLI output ---------------------------------------------------------------------------------------

def test_strict_stdout_and_undecodable_argument_exit_0():
    r = run_cli("explain", "--json", b"550 5.1.1 \xff", env={"PYTHONIOENCODING": "utf-8:strict"})
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr and json.loads(r.stdout)["reply"]["basic"] == "550"
    ascii_only = run_cli("explain", "--json", "550 5.1.1 Benutzer unbekannt \u201ex\u201c", env={"PYTHONIOENCODING": "ascii:strict"})
    assert ascii_only.returncode == 0 and b"\\u201e" in ascii_only.stdout


HOSTILE = "550 5.1.1 \u009b2J\x1b[2Jcleared\rover\u202egnp.exe \x07 user@example.com"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.mark.parametrize("flags", [[], ["--markdown"], ["--json"], ["--lang", "de"]])
def test_echoed_input_never_reaches_the_terminal_raw(flags):
    r = run_cli("explain", *flags, HOSTILE)
    out = r.stdout.decode("utf-8")
    assert r.returncode == 0 and not RAW.search(out), [c for c in out if RAW.match(c)]
    if flags == ["--json"]:
        assert json.loads(out)["reply"]["basic"] == "550"


def test_batch_and_prompt_output_escape_controls():
    r = run_cli("explain", "--json", "-", input=HOSTILE.encode() + b"\n")
    assert r.returncode == 0 and not RAW.search(r.stdout.decode())
    p = run_cli("prompt", input=HOSTILE.encode() + b"\n\n:q\n")
    assert p.returncode == 0 and not RAW.search(p.stdout.decode())


def test_terminal_safe_stream_keeps_json_valid_and_escapes_text(capsys):
    from kb.cli import _TerminalSafe

    buf = io.StringIO()
    safe = _TerminalSafe(buf)
    safe.write(json.dumps({"t": "a\u009bb\x7f\u2028"}, ensure_ascii=False) + "\n")
    safe.write("x\x1b[2Jy\rz\x1b[1mbold\x1b[0m\n")
    first, second = buf.getvalue().splitlines()
    assert json.loads(first) == {"t": "a\u009bb\x7f\u2028"}
    assert second == "x\\u001b[2Jy\\u000dz\x1b[1mbold\x1b[0m"  # our own bold passes, nothing else


def test_internal_error_is_not_reported_as_broken_knowledge_base(monkeypatch, capsys):
    import kb.cli as cli

    def boom(_text):
        raise RuntimeError("a bug")

    monkeypatch.setattr(kb, "explain", boom)
    assert cli.main(["explain", "--json", "550"]) == cli.EXIT_INTERNAL != cli.EXIT_DATA
    assert "internal error" in capsys.readouterr().err


# --- batch ----------------------------------------------------------------------------------------------

def test_batch_line_is_the_input_line_number():
    out = io.StringIO()
    data = b"550 5.1.1 a@example.com\n\n   \n421 4.7.0 later\n\n452 4.2.2 full\n"
    assert run_batch(io.BytesIO(data), out, as_json=True) == 3
    assert [json.loads(x)["line"] for x in out.getvalue().splitlines()] == [1, 4, 6]
    text = io.StringIO()
    run_batch(io.BytesIO(data), text)
    assert [row.split("\t")[0] for row in text.getvalue().splitlines()] == ["1", "4", "6"]


def test_batch_over_long_line_starting_with_blanks_gives_a_row():
    data = b" " * (LINE_LIMIT + 10) + b"550 5.1.1 user unknown\n421 4.7.0 next\n"
    out = io.StringIO()
    assert run_batch(io.BytesIO(data), out, as_json=True) == 2
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [(r["line"], r["basic"], r["enhanced"]) for r in rows] == [(1, "550", "5.1.1"), (2, "421", "4.7.0")]


# --- provider patterns ------------------------------------------------------------------------------------

def test_regex_parser_tree_is_what_patterncheck_expects():
    """Fails if Python's private regex parser changes shape (kb/_reparse.py is the only reader)."""
    tree = _reparse.parse(r"(a+)+b|[^x]{2,}?(?>c*)d*+\b(?=e)\1", 0)
    assert [n[0] for n in tree] == ["branch"]
    first, second = tree[0][1]
    assert first[0][:4] == ("repeat", 1, None, "greedy") and first[0][4][0][0] == "group"
    inner = first[0][4][0][1][0]
    assert inner[:4] == ("repeat", 1, None, "greedy") and inner[4] == [("set", frozenset("a"))]
    assert first[1] == ("set", frozenset("b"))
    assert second[0][:4] == ("repeat", 2, None, "lazy") and "x" not in second[0][4][0][1] and "y" in second[0][4][0][1]
    assert second[1][0] == "atomic" and second[2][:4] == ("repeat", 0, None, "possessive")
    assert [n[0] for n in second[3:]] == ["empty", "look", "backref"]
    assert _reparse.parse("A", re.I) == [("set", frozenset("Aa"))]


@pytest.mark.parametrize("pattern", [r"(a+)+ gcdp", r"(?:[a-z0-9-]+\.)+google\.com", r"(\w+\s?)+$", r"\w+@", r"x\d+\d+y", r"(?:ab|ac)*d", r"x(a*)*y",
                                     r"foo\s*.*\s*bar"])
def test_backtracking_shapes_are_found(pattern):
    assert shape_problems(pattern)


@pytest.mark.parametrize("pattern", [r"gcdp", r"\bsmtp-in\.orange\.fr\b", r"user (?:unknown|not found)",
                                     r"(?<![a-z0-9-])(?:[a-z0-9-]+\.)+google\.com", r"\bfoo.*bar", r"RESOLVER\.RST\.\w+",
                                     r"virus [^\n]{1,200} detected", r"(?<![\w.])\d{3}[ -]\d\.\d\.\d"])
def test_linear_shapes_pass(pattern):
    assert shape_problems(pattern) == []


def test_every_provider_pattern_is_linear():
    from kb.checks import _patterns, read_sources

    sources, _ = read_sources(str(CODES))
    patterns = [p for _, _, p in _patterns(sources)]
    assert len(patterns) > 100
    assert {p: shape_problems(p) for p in patterns if shape_problems(p)} == {}
    assert timing_problems(patterns) == {}


def test_timing_catches_what_the_shape_rules_are_not_asked_about():
    # a run re-read from every start inside it: quadratic, so 8 times the length takes about 64 times as long
    slow = timing_problems([r"gcdp", r"[a-z]+$", r"\bsmtp\.example\.com"], deadline=60, sizes=(500, 4_000))
    assert list(slow) == [1] and "not linear" in slow[1], slow
    hang = timing_problems([r"gcdp", r"(x+x+)+y", r"gcdp"], deadline=3)
    assert list(hang) == [1] and "did not finish" in hang[1]  # the rules would have stopped it; the deadline does too


@pytest.fixture
def codes_copy(tmp_path):
    root = tmp_path / "codes"
    shutil.copytree(CODES, root)
    return root


def _problems(root, needle):
    return [str(p) for p in validate(str(root)) if needle in str(p)]


def test_poisoned_provider_pattern_is_reported_with_its_place(codes_copy):
    path = codes_copy / "providers" / "zoho.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("    pattern: 'Mail rejected by destination domain'") + 1
    path.write_text(text.replace("'Mail rejected by destination domain'", "'(a+)+ gcdp'"), encoding="utf-8")
    found = _problems(codes_copy, "(a+)+ gcdp")
    assert found and all(re.match(rf".*providers/zoho\.yaml:{line}:\d+: \$\.signatures\[\d+\]\.pattern: ", f) for f in found)
    assert any("nested unbounded quantifiers" in f for f in found)
    r = run_cli("validate", str(codes_copy))
    assert r.returncode == 1 and b"zoho.yaml" in r.stdout and b"Traceback" not in r.stderr


def test_symlink_loop_and_missing_structure_are_problems(tree, tmp_path):
    os.symlink("loop.yaml", tree / "basic" / "loop.yaml")
    os.symlink(tmp_path / "nowhere", tree / "basic" / "gone.yaml")
    found = [str(p) for p in validate(str(tree))]
    assert any("basic/loop.yaml" in f and "symbolic link loop" in f for f in found), found
    assert any("basic/gone.yaml" in f and "does not exist" in f for f in found), found
    (tree / "structure.yaml").unlink()
    assert any("structure.yaml is missing" in str(p) for p in validate(str(tree)))
    shutil.rmtree(tree / "basic")
    os.symlink("basic", tree / "basic")
    assert any("symbolic link loop" in str(p) and str(p).split(":")[0].endswith("basic") for p in validate(str(tree)))


@pytest.mark.parametrize("old,new,needle", [
    ("  en: Service not available, closing connection", "  en: Service <script>alert(1)</script> not available",
     "raw HTML '<script>'"),
    ("  en: Service not available, closing connection", "  en: 'Click <a href=x>here</a>'", "raw HTML"),
    ("  en: Service not available, closing connection", "  en: '<iframe src=//evil>'", "raw HTML '<iframe"),
    ("  en: Service not available, closing connection", "  en: '<img/src=x onerror=alert(1)>'", "raw HTML"),
    ("  en: Service not available, closing connection", "  en: 'Service <!-- hidden --> gone'", "raw HTML"),
    ("  en: Service not available, closing connection", "  en: \"Service \\e[2J not available\"",
     "control character U+001B"),
    ("  en: Service not available, closing connection", "  en: \"Service \\x9b2J not available\"",
     "control character U+009B"),
    ("  en: Service not available, closing connection", "  en: \"Service \\u202e not available\"",
     "control character U+202E"),
    ("  en: Service not available, closing connection", "  en: 'see javascript:alert(1)'", "script URL"),
    ("url: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3", "url: https://example.com)<script>x</script>",
     "does not match"),
    ("url: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3", "url: 'https://example.com/\"onmouseover=x'",
     "does not match"),
])
def test_poisoned_record_text_is_rejected_with_its_place(tree, old, new, needle):
    path = tree / "basic" / "421.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [str(p) for p in validate(str(tree)) if needle in str(p)]
    assert found and all(f.split(":")[1] == str(line) and ": $." in f for f in found), (found, line)


def test_inline_code_and_placeholders_are_not_html(tree):
    path = tree / "basic" / "421.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  en: Service not available, closing connection",
                                 "  en: 'Service `<script>` at <domain> to <user@example.com> (<421 4.4.2 x>)'", 1),
                    encoding="utf-8")
    assert [str(p) for p in validate(str(tree)) if "HTML" in str(p)] == []


def test_german_copy_differing_only_in_case_is_caught(tree):
    path = tree / "basic" / "421.yaml"
    text = path.read_text(encoding="utf-8")
    en = "The receiving server cannot serve you right now and is closing the connection."
    path.write_text(text.replace("  de: Dienst nicht verfügbar, Verbindung wird geschlossen",
                                 f"  de: '{en.upper()}  '", 1).replace(
        "  en: Service not available, closing connection", f"  en: '{en}'", 1), encoding="utf-8")
    assert any("German text is identical" in str(p) for p in validate(str(tree)))


def test_max_scan_still_bounds_the_read():
    assert parse("550 5.1.1 " + "a" * (MAX_SCAN * 3)).text.startswith("a")
