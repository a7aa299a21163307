"""Style rules of `smtpkb validate` (kb/style.py), each proven by a record it rejects."""

import shutil

from helpers import CODES
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.checks import validate
from kb.style import quote_problems


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root):
    return [str(p) for p in validate(str(root))]


def test_german_quote_closed_with_a_straight_quote_is_reported_at_its_text(tree):
    edit(tree / "basic" / "421.yaml", "„gerade nicht“", '„gerade nicht"')
    out = [m for m in messages(tree) if "straight" in m]
    assert len(out) == 1, out
    assert "421.yaml:" in out[0] and "$.meaning.de" in out[0] and "gerade nicht" in out[0]


def test_english_style_quotes_in_german_text_are_reported(tree):
    edit(tree / "basic" / "421.yaml", "„gerade nicht“", "“gerade nicht”")
    out = [m for m in messages(tree) if "$.meaning.de" in m]
    assert any("without an opening" in m for m in out), out
    assert any("not ”" in m for m in out), out


def test_ascii_quotes_inside_code_and_english_text_are_fine(tree):
    edit(tree / "basic" / "421.yaml", "„gerade nicht“", '`postconf -e "x = 1"`')
    assert messages(tree) == []
    assert quote_problems('Siehe `grep "User unknown" mail.log`') == []


def test_unclosed_and_doubled_opening_quotes(tree):
    assert [m for _, _, m in quote_problems("„eins „zwei“")] == ["„ opened again before it was closed with “"]
    assert [m for _, _, m in quote_problems("„offen")] == ["„ is never closed with “"]


def test_working_note_in_published_text_is_reported(tree):
    edit(tree / "basic" / "421.yaml", "and hanging up.", "and hanging up (the RFC could not be re-read here).")
    out = [m for m in messages(tree) if "working note" in m]
    assert len(out) == 1 and "$.meaning.en" in out[0], out


def test_first_person_notes_and_todos_are_reported_but_quoted_server_words_are_not(tree):
    f = tree / "basic" / "421.yaml"
    edit(f, "and hanging up.", 'and hanging up. TODO: check Exim. The server says "I could not finish".')
    edit(f, "und beendet die Verbindung.", "und beendet die Verbindung. Ich habe das nicht geprüft.")
    out = [m for m in messages(tree) if "working note" in m]
    assert len(out) == 2, out
    assert any("$.meaning.en" in m and "TODO" in m for m in out) and any("$.meaning.de" in m and "Ich habe" in m for m in out)


def with_retry_profiles(tree):
    shutil.copy(CODES / "retry.yaml", tree / "retry.yaml")
    return tree


def test_retry_profiles_table_is_valid_and_the_fixture_matches_it(tree):
    assert messages(with_retry_profiles(tree)) == []


def test_application_backoff_in_a_record_is_reported_as_not_an_mta_queue(tree):
    edit(with_retry_profiles(tree) / "basic" / "421.yaml", "schedule_minutes: [30, 30, 120, 180]", "schedule_minutes: [1, 2, 4, 8, 16]")
    out = [m for m in messages(tree) if "$.retry.schedule_minutes" in m]
    assert len(out) == 1 and "at least 30 minutes" in out[0], out


def test_give_up_too_early_and_attempt_caps_are_reported(tree):
    f = with_retry_profiles(tree) / "basic" / "421.yaml"
    edit(f, "  give_up_after_hours: 120\n", "  give_up_after_hours: 24\n  max_attempts: 5\n")
    out = messages(tree)
    assert any("$.retry.give_up_after_hours" in m and "96 hours" in m for m in out), out
    assert any("$.retry.max_attempts" in m and "limited by time" in m for m in out), out


def test_a_schedule_on_a_decision_that_is_not_retry_is_reported(tree):
    edit(with_retry_profiles(tree) / "basic" / "421.yaml", "  decision: retry\n", "  decision: do-not-retry\n")
    assert any("$.retry" in m and "no retry schedule belongs here" in m for m in messages(tree))


def test_without_the_profiles_table_retry_data_is_not_judged(tree):
    edit(tree / "basic" / "421.yaml", "schedule_minutes: [30, 30, 120, 180]", "schedule_minutes: [1, 2, 4]")
    assert messages(tree) == []


def test_retry_offers_both_role_plans(tree, use_tree):
    use_tree(with_retry_profiles(tree))
    import kb

    retry = kb.lookup("421").retry
    assert retry.schedule_minutes == retry.mta_queue.schedule_minutes == (30, 30, 120, 180)
    assert retry.mta_queue.give_up_after_hours == 120 and retry.mta_queue.max_attempts is None
    app = retry.application
    assert (app.role, app.schedule_minutes, app.min_attempts, app.max_attempts) == ("application", (1, 2, 4), 3, 5)
    assert app.slow_down is retry.slow_down is True
    assert retry.plan("mta-queue") == retry.mta_queue


def test_a_record_that_is_not_retried_has_no_role_plan(tree, use_tree):
    edit(with_retry_profiles(tree) / "basic" / "421.yaml", "  decision: retry\n  slow_down: true\n  schedule_minutes: [30, 30, 120, 180]\n  give_up_after_hours: 120\n",
         "  decision: retry-after-fix\n")
    use_tree(tree)
    import kb

    retry = kb.lookup("421").retry
    assert retry.application is None and retry.mta_queue is None and retry.slow_down is False


def with_glossary(tree):
    shutil.copy(CODES / "glossary.yaml", tree / "glossary.yaml")
    return tree


def test_glossary_table_is_valid_and_the_fixture_follows_it(tree):
    assert messages(with_glossary(tree)) == []


def test_forbidden_german_variant_is_reported_with_file_line_and_path(tree):
    edit(with_glossary(tree) / "basic" / "421.yaml", "um Absender zu drosseln", "um Absender auf einer DNS-Blocklist zu drosseln")
    out = [m for m in messages(tree) if "glossary" in m]
    assert len(out) == 1, out
    assert out[0].startswith(str(tree / "basic" / "421.yaml") + ":") and "$.meaning.de" in out[0]
    assert "„Sperrliste“" in out[0] and "„Blocklist“" in out[0]


def test_compounds_are_caught_but_quotes_code_and_allowed_phrases_are_not(tree):
    f = with_glossary(tree) / "basic" / "421.yaml"
    edit(f, "um Absender zu drosseln", "um Absender per Registereintrag, per „Mailbox full“, per `Policy` und per Policy-Dienst zu drosseln")
    out = [m for m in messages(tree) if "glossary" in m]
    assert len(out) == 1 and "„Registry-Eintrag“" not in out[0] and "Registereintrag" in out[0], out


def test_english_text_is_not_held_to_the_german_glossary(tree):
    edit(with_glossary(tree) / "basic" / "421.yaml", "and hanging up.", "and hanging up (policy, blocklist, Register).")
    assert messages(tree) == []


def test_readme_shows_every_glossary_term():
    import yaml

    readme = (CODES.parent / "README.md").read_text(encoding="utf-8")
    for term in yaml.safe_load((CODES / "glossary.yaml").read_text(encoding="utf-8"))["terms"]:
        assert f"| {term['en']} | {term['de']} |" in readme, term["en"]


def test_an_example_source_in_english_only_is_reported(tree):
    f = tree / "basic" / "421.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("    source:\n      en: RFC 5321 §4.2.3 reply text")
    end = text.index("\n", text.index("      de: ", start))
    f.write_text(text[:start] + "    source: RFC 5321 §4.2.3 reply text" + text[end:], encoding="utf-8")
    out = [m for m in messages(tree) if "English only" in m]
    assert len(out) == 1 and "$.examples[0].source" in out[0], out


def test_example_source_reads_in_both_languages(tree, use_tree):
    use_tree(tree)
    import kb

    ex = kb.lookup("421").examples[0]
    assert ex.source == ex.source_text.en and ex.source_text.de.startswith("Antworttext aus RFC 5321")


_words = st.text(alphabet=st.characters(blacklist_characters='"„“”`', blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_words, st.booleans()), max_size=8))
def test_balanced_german_quotes_are_never_reported(parts):
    text = "".join(f"„{w}“" if quoted else w for w, quoted in parts)
    assert quote_problems(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_quote_problems_point_inside_the_text(text):
    for start, end, message in quote_problems(text):
        assert 0 <= start < end <= len(text) and message


@settings(max_examples=200, deadline=None)
@given(_words, _words)
def test_a_straight_quote_outside_code_is_always_reported(before, after):
    assert any("straight" in m for _, _, m in quote_problems(f'{before}"{after}'))


def test_glossary_allowed_phrase_must_cover_the_match():
    from kb.style import Glossary

    g = Glossary({"terms": [{"de": "Richtlinie", "forbidden_in_german": ["Policy"], "allowed_in_german": ["Policy-Dienst"]}]})
    assert g.problems("der Policy-Dienst von Postfix") == []
    assert [m for _, _, m in g.problems("die Policy und ein Policy-Dienst")] == ["glossary: write „Richtlinie“, not „Policy“"]
    assert len(g.problems("Policy-Dienst, dann Policy")) == 1


def test_whole_word_variants_skip_compounds_and_phrases_match_across_line_breaks():
    from kb.style import Glossary

    g = Glossary({"terms": [{"de": "Unzustellbarkeitsbericht", "whole_word": True, "forbidden_in_german": ["der Bounce"]}]})
    assert g.problems("in der Bounce-Verarbeitung") == [] and g.problems("der Bounces") == []
    assert len(g.problems("Dann kommt der\n    Bounce vom eigenen Server.")) == 1
