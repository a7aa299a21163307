"""kb/regex.py's literal analysis lets LazyRegex skip compiling a pattern when a text cannot match it.
It must never skip a text that does match: property tests over patterns built from the syntax the
analyser reads (groups, classes, escapes, every kind of quantifier) check that against ``re``."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.literals import analyse, required_literals
from kb.regex import LazyRegex, Phrases
from kb.syntax import BASIC_RE, ENHANCED_RE, normalize

WORDS = ["abc", "spam", "BL0", "DT:S", "hl:ihu", "x{b}", "a.b", "5.7.1"]
ATOMS = st.sampled_from([
    "abc", "spam", "BL", "0", "DT:S", "HL:IHU", r"\.", r"\(", r"\]", "x{b}", r"\x41", r"\b", r"\d", r"\s", ".",
    "[01]", r"[a\]b]", "[^]x]", "[PU]", "^", "$", " ", "-", "5", r"\N{DIGIT SEVEN}",
])
QUANTIFIERS = st.sampled_from(["", "", "", "?", "*", "+", "{3}", "{0,2}", "{2,}", "{,2}", "{,}", "+?", "*+", "?+",
                               "{1,3}?"])


def _sequence(atoms):
    """One alternative: atoms (characters, classes, escapes or groups), each with a quantifier or none."""
    return st.lists(st.tuples(atoms, QUANTIFIERS).map("".join), min_size=1, max_size=5).map("".join)


def _alternation(atoms):
    return st.lists(_sequence(atoms), min_size=1, max_size=3).map("|".join)


def _nested(children):
    return st.one_of(ATOMS, children.map(lambda p: f"(?:{p})"), children.map(lambda p: f"({p})"),
                     children.map(lambda p: f"(?=abc{p})"), children.map(lambda p: f"(?P<g>{p})"))


PATTERNS = st.recursive(_alternation(ATOMS), lambda children: _alternation(_nested(children)), max_leaves=10)
PIECES = st.sampled_from(WORDS + ["A", "7", "0", "00", "000", "01", "1", " ", "-", "(", "]", "x", "b", "P", "U", "ABC",
                                  "Spam", "spa", "ab", "bc", "HL:IH", "DT:", "BL00"])
TEXTS = st.lists(PIECES | st.text("abcspmxBLDTSHIPU0157:.-(]{} ", max_size=4), max_size=8).map("".join)


def _compiles(pattern: str, flags: int) -> bool:
    try:
        re.compile(pattern, flags)
    except re.error:
        return False
    return True


@settings(max_examples=800, deadline=None)
@given(PATTERNS, st.data(), st.booleans(), st.booleans())
def test_a_text_that_matches_contains_a_required_literal(pattern, data, icase, inline):
    # texts made of pieces of the pattern itself meet its literals, and their near misses, often
    slices = [pattern[i:j] for i in range(len(pattern)) for j in range(i + 1, min(len(pattern), i + 6) + 1)]
    text = data.draw(st.lists(st.sampled_from(slices) | TEXTS, max_size=6).map("".join))
    if inline:
        pattern = "(?i)" + pattern
    flags = re.I if icase else 0
    if not _compiles(pattern, flags):
        return
    want = re.compile(pattern, flags).search(text)
    _, req = analyse(pattern, flags)
    if want is not None and req:
        hay = text.lower() if icase else text
        assert any(r in hay for r in req), (pattern, text, req)
    got = LazyRegex(pattern, flags).search(text)
    assert (got is None) == (want is None), (pattern, text)
    # the same with the analysis precomputed, as the index stores it
    stored = LazyRegex(pattern, flags, analyse(pattern, flags)).search(text)
    assert (stored is None) == (want is None), (pattern, text)


def test_quantifiers_groups_and_escapes_are_read_as_re_reads_them():
    assert required_literals(r"\bBL0{3}[01]{3}\b") == ("BL0",)  # {3}: at least once
    assert required_literals(r"\b(?:DT:S[PU]M|HL:IHU)\b") == ("DT:S", "HL:IHU")  # a group it must pass through
    assert required_literals(r"(abcd){2}x") == ("abcd",)
    assert required_literals(r"(abc){0,2}xy") is None  # an optional group requires nothing
    assert required_literals(r"(?=abcd)x") is None  # a lookahead is not part of the match
    assert required_literals(r"a++bcd") == ("bcd",)  # possessive: "+" is not a literal
    assert required_literals(r"x{,}abcd") == ("abcd",)  # {,} repeats zero or more times
    assert required_literals(r"x{b}cde") == ("x{b}cde",)  # not a quantifier: literal braces
    assert required_literals(r"\x41bcd") == ("bcd",)  # \x41 is one character, not "x41"
    assert required_literals(r"[a\]bcd]xy") is None  # "bcd" is inside the class
    assert required_literals(r"(?i)abcdef") is None  # inline flags change the comparison: not analysed


def test_lazy_regex_skips_the_engine_for_patterns_a_text_cannot_match():
    rx = LazyRegex(r"\b(?:DT:S[PU]M|HL:IHU)\b", re.I, analyse(r"\b(?:DT:S[PU]M|HL:IHU)\b", re.I))
    assert rx.search("421 4.7.0 Service not available") is None
    assert rx._rx is None  # never compiled
    assert rx.search("550 DT:SPM 163 smtp") is not None


CODE_LIKE = st.text("0123456789.xX245 \t\n٣", max_size=9) | st.sampled_from(
    ["421", " 421 ", "x.7.26", "5.7.26", "4.07.1", "621", "42", "2.0.0", "5.999.999", "5.1000.1", "X.0.0", "3.1.1"])


@settings(max_examples=1000, deadline=None)
@given(CODE_LIKE)
def test_normalize_accepts_exactly_what_the_code_patterns_match(text):
    s = text.strip()
    if BASIC_RE.fullmatch(s):
        want = s
    elif ENHANCED_RE.fullmatch(s):
        want = s[0].upper() + s[1:]
    else:
        want = None
    assert normalize(text) == want, text


_PHRASE = st.text(alphabet="ab. \n*(", max_size=5)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PHRASE, max_size=12), st.lists(st.text(alphabet="ab. \n*(xß", max_size=30), min_size=1, max_size=4))
def test_phrases_first_is_the_first_phrase_in_order_that_occurs(phrases, texts):
    # warm=0: the regex pass from the start; the default checks phrase by phrase first
    for table in (Phrases(phrases, warm=0), Phrases(phrases, warm=2)):
        for text in texts * 2:
            expected = next((i for i, p in enumerate(phrases) if p in text), None)
            assert table.first(text) == expected


def test_phrases_take_the_shorter_phrase_first_in_order_inside_a_longer_one():
    table = Phrases(["mailbox full", "mailbox", "full", "box"], warm=0)
    assert table.first("the mailbox full error") == 0
    assert table.first("no mailbox here") == 1
    assert table.first("box is full") == 2
    assert table.first("inbox") == 3 and table.first("nothing") is None
