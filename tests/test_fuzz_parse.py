"""Property tests (hypothesis) over the parser, the explainer and batch: any text or bytes, only the
documented results. Each strategy mixes the literals the parsers anchor on, so odd combinations of real
forms (Postfix inside Exim inside a DSN, escapes, stray brackets) come up, not just random noise."""

import io
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb
from kb.batch import run as run_batch
from kb.reply import Reply, clean, parse

FRAGMENTS = [
    "550", "421", "5.1.1", "4.7.0", "X.7.26", "-", " ", "  ", "\t", "\n", "\r", "\r\n", "status=bounced", "status=deferred",
    "host mx.example.com[192.0.2.1] said: ", "host ", "[", "]", "(", ")", "(in reply to ", "RCPT TO", " command)",
    "** ", "SMTP error from remote mail server after ", ":", "<", ">", "@", ".", "a", "é", "€", "relay=", "dsn=",
    "stat=", "to=<", "##", "#", "Remote Server returned '", "'", '"', "Status: ", "Diagnostic-Code: smtp; ",
    "Action: failed", "\x1b[31m", "\x1b[0m", "\x1b]0;t\x07", "\x9b2J", "\x00", "\u202e", "user@example.com", "gsmtp",
    "refused to talk to me: ", "=?utf-8?q?x?=", "\udcff",
]
mixed = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=30).map("".join)
texts = st.text(max_size=300) | mixed
ENH = re.compile(r"[245]\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts | st.binary(max_size=300))
def test_parse_never_raises_and_gives_sane_fields(text):
    r = parse(text)
    assert isinstance(r, Reply)
    assert r.basic is None or re.fullmatch(r"[1-5]\d\d", r.basic)
    assert r.enhanced is None or ENH.fullmatch(r.enhanced)
    assert r.form in {"code", "reply", "multiline", "flattened", "dsn", "postfix", "exim", "sendmail", "exchange",
                      "text", "empty"}
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", r.text)
    assert r.recipient is None or "@" in r.recipient
    json.dumps(r.as_dict())


@FAST
@given(texts)
def test_clean_is_idempotent_and_strips_escapes(text):
    once = clean(text)
    assert clean(once) == once
    assert "\x1b" not in once and "\x9b" not in once


@FAST
@given(texts | st.binary(max_size=300))
def test_explain_never_raises_and_is_serialisable(text):
    ex = kb.explain(text)
    d = ex.as_dict()
    json.dumps(d, ensure_ascii=False)
    assert ex.verdict.outcome and ex.verdict.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=80) | mixed.map(lambda s: s.encode("utf-8", "surrogateescape")), max_size=12))
def test_batch_gives_one_row_per_non_blank_line_numbered_by_input_line(lines):
    data = b"\n".join(x.replace(b"\n", b" ") for x in lines)
    expected = [i for i, x in enumerate(data.split(b"\n"), 1) if x.strip()]
    out = io.StringIO()
    assert run_batch(io.BytesIO(data), out, as_json=True) == len(expected)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["line"] for r in rows] == expected


YAML_BITS = ["a: 1\n", "- x\n", "key: &a [1]\n", "b: *a\n", "? [x]\n: y\n", "!!python/object:os.system x\n", "c: no\n",
             "d: 5.7\n", "e: |\n  text\n", "  bad indent\n", "f: {g: h}\n", "\t", "'", '"', "%YAML 1.1\n", "---\n",
             "...\n", "\x00", "\ufeff", "é: ü\n", "\x1b[2J", "a: 1\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=6), max_size=12).map("".join) | st.text(max_size=80),
       st.booleans())
def test_strict_yaml_reader_only_raises_yaml_problem(text, as_latin1):
    from kb.yamlsource import YamlProblem, load

    data = text.encode("latin-1", "replace") if as_latin1 else text.encode("utf-8", "surrogatepass")
    try:
        value, marks = load("fuzz.yaml", data)
    except YamlProblem as exc:
        assert exc.path == "fuzz.yaml" and exc.line >= 1 and exc.message
    else:
        json.dumps(value)  # only plain data: str, int, bool, None, list, dict
        assert () in marks or value is None
