"""LazyRegex skips the regex engine where it can; it must answer exactly as re.search would."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb.literals import literal_alternatives, required_literals
from kb.regex import LazyRegex
from kb.syntax import normalize

PATTERNS = [
    "gsmtp", r"\.google\.com|gsmtp", r"protection\.outlook\.com", "unusual rate of unsolicited mail",
    r"account (?:is )?disabled", r"rate.?limit", r"\bSPF\b", r"user(s)? unknown", r"over ?quota", r"550[- ]5\.7\.1",
    r"[abc]+xyz", r"ab{2,3}cdef", r"x+?yzw", r"\d+ messages? per", r"(abc)*defg", r"does not exist|no such user",
    "gsmtp$", r"^421",
]
FRAGMENTS = ["gsmtp", ".google.com", "GOOGLE.COM", "protection.outlook.com", "unusual rate of unsolicited mail",
             "account is disabled", "account disabled", "ratelimit", "rate-limit", "SPF", "spf=fail", "users unknown",
             "user unknown", "overquota", "over quota", "550 5.7.1", "550-5.7.1", "aabxyz", "abbcdef", "xxyzw",
             "12 messages per", "1 message per", "abcabcdefg", "does not exist", "no such user", "421", " ", "x"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATTERNS), st.lists(st.sampled_from(FRAGMENTS), max_size=5).map("".join), st.booleans())
def test_lazy_regex_agrees_with_re(pattern, text, icase):
    flags = re.I if icase else 0
    want = re.compile(pattern, flags).search(text)
    got = LazyRegex(pattern, flags).search(text)
    assert (want is None) == (got is None), (pattern, text)
    if want is not None and literal_alternatives(pattern):
        assert got.group(0).lower() == want.group(0).lower() and got.start() == want.start()


def test_required_literals():
    assert required_literals("unusual rate of unsolicited mail") == ("unusual rate of unsolicited mail",)
    assert required_literals("does not exist|no such user") == ("does not exist", "no such user")
    assert required_literals(r"a.*longword") == ("longword",)
    assert required_literals(r"(?:foo|bar)baz") == ("baz",)
    assert required_literals(r"ab{2,3}cdef") == ("cdef",)
    assert required_literals(r"\bSPF\b") == ("SPF",)
    assert required_literals(r"x|ab") is None  # an alternative without a 3-character literal: no prefilter


def test_every_provider_pattern_agrees_on_every_example():
    sigs = [s for p in kb.providers() for s in p.signatures]
    for sig in sigs:
        rx = re.compile(sig.pattern.pattern, re.I)
        lazy = LazyRegex(sig.pattern.pattern, re.I)
        for other in sigs:
            assert (rx.search(other.example) is None) == (lazy.search(other.example) is None), (sig.id, other.id)


def test_normalize():
    assert normalize(" x.7.26 ") == "X.7.26" and normalize("421\n") == "421"
    assert normalize("4.07.1") is None and normalize("621") is None and normalize("42") is None
