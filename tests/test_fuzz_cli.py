"""Property tests (hypothesis) over every smtpkb subcommand, run in-process through kb.cli.main with
arbitrary text arguments and stdin bytes, on a strict UTF-8 stdout like an ordinary terminal's: only the
documented exit codes 0, 1, 2; no encoding failure, no traceback, no raw control character on a terminal."""

import io
import json
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.cli import main

# argv as the OS hands it over: undecodable bytes arrive as lone surrogates (surrogateescape)
arg = st.text(max_size=60) | st.lists(st.sampled_from(
    ["550", "5.1.1", "x.7.26", "4.7.0", " ", "-", "--json", "\x1b[2J", "\x9b", "\r", "\udcff", "<script>", "é", "\u202e",
     "status=bounced", "user@example.com", "421-", "\n", "Status: 5.1.1"]), max_size=8).map("".join)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
SOME = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def call(argv, stdin=b""):
    """main(argv) with a strict UTF-8 stdout/stderr and ``stdin`` bytes; (exit code, stdout, stderr)."""
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="strict", write_through=True)
    wrappers = sys.stdin, sys.stdout, sys.stderr
    try:
        code = main(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for w in wrappers[1:]:  # stdin may be closed: batch reads it to the end and closes it
            w.flush()
            w.detach()  # keep the BytesIO open when the wrapper goes away
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def check(code, out, err, *, as_json=False):
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert not RAW.search(err), err
    if as_json:
        if out.strip():
            json.loads(out)
    else:
        assert not RAW.search(out), [c for c in out if RAW.match(c)]


@SOME
@given(st.lists(arg, min_size=1, max_size=3), st.sampled_from([[], ["--json"], ["--markdown"], ["--lang", "de"]]))
def test_explain(words, flags):
    code, out, err = call(["explain", *flags, *words])
    check(code, out, err, as_json=flags == ["--json"] and not any(w.startswith("-") for w in words))


@SOME
@given(st.binary(max_size=400), st.sampled_from([[], ["--json"], ["--summary"], ["--json", "--summary"]]))
def test_explain_stdin_batch(data, flags):
    code, out, err = call(["explain", *flags, "-"], stdin=data)
    assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err
    if "--json" in flags and code == 0:
        for line in out.splitlines():
            json.loads(line)
    elif code == 0:
        assert not RAW.search(out)


@SOME
@given(arg, st.sampled_from([[], ["--json"], ["--markdown"], ["--lang", "de"]]))
def test_show(code_arg, flags):
    code, out, err = call(["show", *flags, "--", code_arg])
    check(code, out, err, as_json=flags == ["--json"])


@SOME
@given(st.lists(arg, min_size=1, max_size=3), st.sampled_from([[], ["--json"], ["--limit", "3"]]))
def test_search(words, flags):
    code, out, err = call(["search", *flags, "--", *words])
    check(code, out, err, as_json=flags == ["--json"])


@SOME
@given(st.lists(st.sampled_from(["--json", "--kind", "basic", "enhanced", "--class", "4", "5", "--subject", "7",
                                 "--lang", "de", "x", "9"]), max_size=5))
def test_list(flags):
    code, out, err = call(["list", *flags])
    check(code, out, err, as_json="--json" in flags and code == 0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arg, st.booleans())
def test_validate_any_path(path, as_json):
    code, out, err = call(["validate", *(["--json"] if as_json else []), "/nonexistent/" + path])
    check(code, out, err, as_json=as_json)
    assert code == 1  # no such directory is a problem, reported, not a crash


@SOME
@given(st.lists(st.sampled_from(["--json", "--lang", "de", "en", "x"]), max_size=3))
def test_providers(flags):
    code, out, err = call(["providers", *flags])
    check(code, out, err, as_json="--json" in flags and code == 0)


@pytest.mark.parametrize("flags", [["--format", "json"], ["--format", "jsonl"], ["--format", "csv"],
                                   ["--format", "parquet"], ["--format", "xml"]])
def test_export(flags):
    code, out, err = call(["export", *flags])
    assert code in (0, 2) and "Traceback" not in err
    if flags[1] == "json":
        assert json.loads(out)


@SOME
@given(st.lists(arg, max_size=4))
def test_any_argv(argv):
    if argv and argv[0] in ("browse", "prompt", "report", "export", "validate"):
        return  # interactive or whole-dataset commands: covered above with safe arguments
    if not argv:
        return  # no arguments opens the browser
    code, _out, err = call(argv)
    assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err
