"""Property tests of the browser's own text readers: links in a document, logs among pastes."""

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.document import links_in
from tui.logview import looks_like_log

link_text = st.text(alphabet=st.characters(blacklist_characters="[]\n", blacklist_categories=("Cs",)), min_size=1,
                    max_size=40)
target = st.from_regex(r"(code:[245X]\.[0-9]\.[0-9]{1,2}|https://example\.org/[a-z0-9/]{0,20})", fullmatch=True)


@given(st.lists(st.tuples(link_text, target), max_size=8), st.text(max_size=200))
def test_every_link_is_found_once_in_order(links, filler):
    filler = re.sub(r"[\[\]()]", " ", filler)
    md = filler.join(f"[{text}]({href})" for text, href in links)
    expected: dict[str, str] = {}
    for text, href in links:
        expected.setdefault(href, text)
    assert links_in(md) == [(text, href) for href, text in expected.items()]


@given(st.text(max_size=2000))
def test_reading_links_never_fails(text):
    for text_part, href in links_in(text):
        assert f"[{text_part}]({href})" in text


@given(st.text(max_size=500))
def test_a_text_without_two_reply_lines_is_not_a_log(text):
    one_reply = "550 5.1.1 user unknown\n" + text.replace("\n", " ")
    assert not looks_like_log(one_reply)


@given(st.lists(st.sampled_from(["550 5.1.1 user unknown", "421 4.7.0 try later",
                                 "to=<a@example.com>, status=bounced (host x said: 550 5.1.1 no)"]),
                min_size=2, max_size=20))
def test_two_or_more_reply_lines_are_a_log_but_one_multiline_reply_is_not(lines):
    assert looks_like_log("\n".join(lines))
    assert not looks_like_log("\n".join(f"550-5.7.26 line {i}" for i in range(len(lines))) + "\n550 5.7.26 end")


def test_unclosed_link_openers_give_no_links():
    # many openers without a close (the pattern's runs are bounded, so each start is read a bounded distance)
    text = "[a](" * 20_000 + "[" * 20_000
    assert links_in(text) == []
