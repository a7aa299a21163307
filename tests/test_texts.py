"""The one catalogue of interface words (kb/texts.py): every entry in both languages, German written as the
glossary wants it, every key a surface asks for present, and no surface keeping word pairs of its own."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import kb
from kb import texts
from kb.model import Text
from kb.style import Glossary, quote_problems

ROOT = Path(__file__).resolve().parents[1]


def test_every_entry_has_english_and_german():
    for key, pair in texts.WORDS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, de = pair
        assert isinstance(en, str) and isinstance(de, str) and en.strip() and de.strip(), key


def test_german_differs_from_english_unless_listed():
    same = {k for k, (en, de) in texts.WORDS.items() if en == de}
    assert same == texts.SAME_IN_BOTH, "German left in English (or SAME_IN_BOTH out of date): " \
        f"{sorted(same ^ texts.SAME_IN_BOTH)}"


def test_both_languages_take_the_same_placeholders():
    def fields(s: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(s) if name}

    for key, (en, de) in texts.WORDS.items():
        assert fields(en) == fields(de), key


def test_german_follows_the_glossary_and_quotes():
    glossary = Glossary(kb.table("glossary"))
    for key, (_, de) in texts.WORDS.items():
        plain = re.sub(r"„[^„“]*“|`[^`]*`", lambda m: " " * len(m.group(0)), de)
        assert not quote_problems(de), (key, de, quote_problems(de))
        assert not glossary.problems(plain), (key, de, glossary.problems(plain))
    for key, (en, _) in texts.WORDS.items():
        assert "„" not in en, key  # English quotes with “…”


def test_text_say_and_value():
    assert texts.text("no_record", "de", code="4.7.99") == "Kein Eintrag für 4.7.99"
    assert texts.text("no_record", "en", code="4.7.99") == "No record for 4.7.99"
    both = texts.say("why.stage", command="DATA", reason=texts.say("why.general_refusal"), staged="content")
    assert both == Text("refused at DATA: a general refusal → content", "abgewiesen bei DATA: allgemeine Ablehnung → content")
    assert texts.value("transient", "de") == "vorübergehend" and texts.value("no-such-value", "de") == "no-such-value"
    with pytest.raises(KeyError):
        texts.text("no-such-key")


def test_outcome_of_every_class():
    assert texts.OUTCOME_OF_CLASS["4"] == "transient" and texts.OUTCOME_OF_CLASS["5"] == "permanent"
    assert set(texts.OUTCOME_OF_CLASS) == set("12345")


def test_hours_read_as_days_when_whole():
    assert texts.hours(120, "en") == "5 days" and texts.hours(120, "de") == "5 Tage"
    assert texts.hours(24, "de") == "1 Tag" and texts.hours(30, "en") == "30 h"
