"""The one catalogue of interface words: every entry in both languages, German not left in English."""

from kb import texts
from kb.model import Text


def test_every_label_and_value_has_english_and_german():
    for table in (texts.LABELS, texts.VALUES):
        for key, t in table.items():
            assert isinstance(t, Text), key
            assert t.en.strip() and t.de.strip(), key


def test_outcome_of_every_class():
    assert texts.OUTCOME_OF_CLASS["4"] == "transient" and texts.OUTCOME_OF_CLASS["5"] == "permanent"
    assert set(texts.OUTCOME_OF_CLASS) == set("12345")


def test_hours_read_as_days_when_whole():
    assert texts.hours(120, "en") == "5 days" and texts.hours(120, "de") == "5 Tage"
    assert texts.hours(24, "de") == "1 Tag" and texts.hours(30, "en") == "30 h"
