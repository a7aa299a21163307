"""The library API on the real knowledge base."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb


def test_lookup_basic():
    r = kb.lookup("421")
    assert r.code == r.key == "421" and r.kind == "basic" and r.is_transient
    assert r.title.de and r.title("de") == r.title.de and str(r.title) == r.title.en
    assert r.retry.decision == "retry" and r.retry.log_level == "warning"
    assert r.retry.schedule_minutes[:3] == (30, 30, 120)  # an MTA queue's schedule (RFC 5321 §4.5.4.1)


def test_input_is_normalized():
    assert kb.lookup(" 421\n") is kb.lookup("421")
    assert kb.lookup("x.7.26").key == "X.7.26"


@pytest.mark.parametrize("asked, klass", [("5.7.26", "5"), ("4.7.26", "4"), ("X.7.26", None)])
def test_enhanced_resolves_through_class(asked, klass):
    r = kb.lookup(asked)
    assert r.key == "X.7.26" and r.code == asked and r.klass == klass
    assert r.title == kb.lookup("X.7.26").title
    if klass in r.retry_by_class:
        assert r.retry is r.retry_by_class[klass]


def test_unknown_code_errors():
    with pytest.raises(kb.UnknownCode) as err:
        kb.lookup("599")
    assert isinstance(err.value, LookupError) and "599" in str(err.value)
    with pytest.raises(kb.UnknownCode, match="not an SMTP reply code"):
        kb.lookup("hello")
    assert kb.get("599") is None and kb.get("5.9.1", "x") == "x" and kb.get(None) is None


def test_records_are_read_only():
    r = kb.lookup("421")
    with pytest.raises(AttributeError):
        r.code = "450"
    with pytest.raises(AttributeError):
        r.title.en = "x"
    with pytest.raises(TypeError):
        r.retry_by_class["4"] = None
    assert isinstance(r.causes, tuple) and isinstance(r.related, tuple)


def test_records_iterates_everything_in_order():
    all_codes = [r.key for r in kb.records()]
    assert all_codes == list(kb.codes())
    basic = [r.key for r in kb.records("basic")]
    assert basic == sorted(basic, key=int) and "421" in basic
    enhanced = [r.key for r in kb.records("enhanced")]
    assert all(c.startswith("X.") for c in enhanced)
    assert len(all_codes) == len(set(all_codes)) == len(basic) + len(enhanced)


def test_anatomy_from_structure_even_unregistered():
    parts = kb.anatomy("599")
    assert [p.digits for p in parts] == ["5", "9", "9"]
    assert parts[0].title.en.lower().startswith("permanent")
    enh = kb.anatomy("5.7.999")
    assert [p.digits for p in enh] == ["5", "7", "999"]
    assert "policy" in enh[1].title.en.lower()
    assert kb.anatomy("X.1.1")[0].digits == "1"  # no class part in the X form


def test_explain_unregistered_by_structure():
    for code, outcome in (("599", "permanent"), ("4.7.999", "transient"), ("5.9.1", "permanent")):
        ex = kb.explain(code)
        assert ex.verdict.outcome == outcome
        assert any(f.kind == "unregistered" for f in ex.findings)
        assert ex.anatomy


def test_search_exact_code_first():
    for q, first in (("421", "421"), ("4.7.0", "4.7.0"), ("X.7.26", "X.7.26"), ("5.7.26", "5.7.26")):
        hits = kb.search(q)
        assert hits[0].code == first and hits[0].tier == 0


def test_search_deterministic_and_bilingual():
    a = [h.code for h in kb.search("mailbox full")]
    assert a == [h.code for h in kb.search("mailbox full")]
    assert a and a[0] in ("X.2.2", "552", "452")
    de = [h.code for h in kb.search("Postfach voll")]
    assert de and de[0] in ("X.2.2", "552", "452")
    assert kb.search("greylisting")
    assert kb.search("") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_into_lookup_raises_only_documented_errors(s):
    try:
        rec = kb.lookup(s)
    except kb.UnknownCode:
        assert kb.get(s, "d") == "d"
    else:
        assert kb.get(s) is rec and rec.key in kb.codes()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400) | st.binary(max_size=400))
def test_any_text_into_explain_never_raises(s):
    ex = kb.explain(s)
    assert ex.verdict.reason
    assert ex.as_dict()["verdict"]["outcome"] in ("success", "intermediate", "transient", "permanent", "unknown")


def test_a_misspelled_field_is_an_error_not_a_silent_none():
    import pytest

    from kb.reply import Reply

    with pytest.raises(TypeError, match="basik"):
        Reply(basik="550")
