"""The one catalogue of interface words (kb/texts.py): every entry in both languages, German written as the
glossary wants it, every key a surface asks for present, and no surface keeping word pairs of its own."""

from __future__ import annotations

import ast
import itertools
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


def test_one_entry_per_wording():
    # the mail reader looks its fact labels up by field name (fact.<name>); two of them are general words too
    by_words: dict[tuple[str, str], list[str]] = {}
    for key, pair in texts.WORDS.items():
        by_words.setdefault(pair, []).append(key)
    twice = [keys for keys in by_words.values() if len(keys) > 1]
    assert sorted(twice) == [["recipient", "fact.recipient"], ["status", "fact.status"]], twice


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


def test_german_ellipsis_after_a_whole_word_has_a_space():
    # German typography (Duden): "Wörter …" where words are left out, unlike English "words…"
    for key, (_, de) in texts.WORDS.items():
        assert not re.search(r"\w…", de), (key, de)


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


# ---------------------------------------------------------------- no surface keeps word pairs of its own

_WORD = re.compile(r"[^\W\d_]{3,}")


def _german_words() -> frozenset[str]:
    """Words that occur in the German texts of the records and the catalogue but in none of the English ones."""
    en: set[str] = set()
    de: set[str] = set()

    def walk(v: object) -> None:
        if isinstance(v, dict):
            if set(v) == {"en", "de"} and all(isinstance(x, str) for x in v.values()):
                en.update(w.lower() for w in _WORD.findall(v["en"]))
                de.update(w.lower() for w in _WORD.findall(v["de"]))
            else:
                for x in v.values():
                    walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk([r.as_dict() for r in kb.records()])
    walk([{"en": e, "de": d} for e, d in texts.WORDS.values()])
    return frozenset(de - en)


GERMAN_WORDS = _german_words()


def _looks_german(s: str) -> bool:
    return bool(re.search("[äöüÄÖÜß„]", s)) or any(w.lower() in GERMAN_WORDS for w in _WORD.findall(s))


def _literal(node: ast.AST) -> str | None:
    """The literal text of a string or f-string node (placeholders left out), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _is_pair(en: str | None, de: str | None) -> bool:
    letters = re.compile(r"[^\W\d_]")
    return (en is not None and de is not None and len(letters.findall(en)) >= 2 and len(letters.findall(de)) >= 2
            and not _looks_german(en) and _looks_german(de))


def word_pairs(source: str) -> list[tuple[int, str]]:
    """English/German pairs written into code: adjacent string arguments of a call, a two-string tuple or
    list, or a dict literal with "en" and "de" keys. (line, the German) of each."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            runs = [node.args, [k.value for k in node.keywords]]
        elif isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
            runs = [node.elts]
        elif isinstance(node, ast.Dict):
            keys = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}
            if "en" in keys and "de" in keys and _literal(keys["de"]) is not None:
                found.append((node.lineno, _literal(keys["de"]) or ""))
            continue
        else:
            continue
        for run in runs:
            for a, b in itertools.pairwise(run):
                if _is_pair(_literal(a), _literal(b)):
                    found.append((b.lineno, _literal(b) or ""))
    return found


def _surfaces() -> list[Path]:
    files = [*(ROOT / "kb").rglob("*.py"), *(ROOT / "tui").glob("*.py"), *(ROOT / "site").glob("*.py")]
    return sorted(p for p in files if p != ROOT / "kb" / "texts.py")


def test_the_pair_finder_finds_each_kind_of_pair():
    source = '''
label = Text("Retry", "Wiederholung")
d.fact("recipient", value, where, "original recipient", "ursprünglicher Empfänger")
T = {"reason": ("Reason", "Grund für die Ablehnung"), "x": ("Example", "Beispiel für einen Code")}
facts.append(_t(f"IP address named: {ip}", f"Genannte IP-Adresse: {ip}"))
page = {"en": "Help", "de": "Hilfe"}
'''
    assert sorted(line for line, _ in word_pairs(source)) == [2, 3, 4, 4, 5, 6]
    # what is no pair: data tuples, languages, codes, one-letter test characters, matching words
    assert word_pairs('LANGS = ("en", "de")\nx = ("é", "ß")\nS = ("not delivered", "unzustellbar", "nicht zustellbar")\n'
                      'f(a, "SMTP", "5.7.26")\n') == []


@pytest.mark.parametrize("path", _surfaces(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_surface_keeps_word_pairs_of_its_own(path):
    pairs = word_pairs(path.read_text(encoding="utf-8"))
    assert not pairs, f"{path.relative_to(ROOT)}: English/German pairs belong in kb/texts.py: {pairs}"


# ---------------------------------------------------------------- every key a surface asks for exists

def _lookup_names(tree: ast.Module) -> set[str]:
    """Local names bound to the catalogue's look-ups: imports from kb.texts, tui.i18n or kb.render's label."""
    names = {"label", "L"}  # kb/render.py's own look-up and its shorthand
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] in ("texts", "i18n", "render"):
            names |= {a.asname or a.name for a in node.names if a.name in ("text", "say", "ui", "label")}
    return names


def _keys_in(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_in(node.body) + _keys_in(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Dict):
        return [k for v in [*node.func.value.values, *node.args[1:]] for k in _keys_in(v)]  # {..}.get(x, default)
    return []


def used_keys(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    names = _lookup_names(tree)
    return [(node.lineno, key) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names and node.args
            for key in _keys_in(node.args[0])]


def test_the_key_finder_sees_plain_conditional_and_looked_up_keys():
    source = ('from kb.texts import text as t, say\n'
              't("codes", lang)\nsay("why.returned" if x else "why.queued")\nsay({True: "yes"}.get(s, "unsure"))\n')
    assert [k for _, k in used_keys(source)] == ["codes", "why.returned", "why.queued", "yes", "unsure"]


@pytest.mark.parametrize("path", _surfaces(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_a_surface_asks_for_exists(path):
    missing = [(line, key) for line, key in used_keys(path.read_text(encoding="utf-8")) if key not in texts.WORDS]
    assert not missing, f"{path.relative_to(ROOT)}: keys not in kb/texts.py: {missing}"


def test_keys_built_at_run_time_exist():
    from kb.mail import KINDS
    from kb.mail.render import FACTS
    from tui import i18n, logview

    wanted = [f"fact.{f}" for f in FACTS] + [f"mail_kind.{k}" for k in KINDS]
    wanted += list(i18n.KEYS.values()) + [k for pair in i18n.COMMANDS.values() for k in pair]
    wanted += list(i18n.COLUMNS.values())
    assert set(i18n.COLUMNS) == set(logview.COLUMNS)
    statuses = {r.status for r in kb.records()}
    wanted += [f"value.{s}" for s in statuses]
    wanted += [f"provider_kind.{p.kind}" for p in kb.providers()]
    plans = [p for r in kb.records() for p in r.retry_by_class.values()]
    wanted += [f"value.{v}" for p in plans for v in (p.decision, p.log_level)]
    wanted += [f"value.{a}" for r in kb.records() for x in (*r.remedies, *r.best_practices) for a in x.actors]
    wanted += [f"value.{v}" for v in (*texts.OUTCOME_OF_CLASS.values(), "unknown", "hard", "soft", "none",
                                      "suppress-true", "suppress-false", "suppress-null", "slow-down")]
    assert not [k for k in wanted if k not in texts.WORDS]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_renderers_find_every_word_they_ask_for(lang):
    from kb.mail import explain_message
    from kb.mail.render import report_markdown, report_text
    from kb.render import explanation_markdown, explanation_text, record_markdown

    for rec in kb.records():
        assert record_markdown(rec, lang)
    for reply in ("550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in local recipient table",
                  "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
                  "550-5.7.26 Unauthenticated email. 550 5.7.26 DKIM did not pass, SPF did not pass for example.com",
                  "554 4.4.7 Message expired: <421 4.4.2 Connection timed out>", "hello", "999 9.9.9 what",
                  "Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 452 4.2.2 mailbox full"):
        ex = kb.explain(reply)
        text_out, md = explanation_text(ex, lang), explanation_markdown(ex, lang)
        assert all(s.detail(lang) in md for s in ex.why) and text_out
    bounce = (b"From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n"
              b"Content-Type: text/plain\r\n\r\n<nobody@example.net>: host mx.example.net said: 550 5.1.1 "
              b"<nobody@example.net>: Recipient address rejected (in reply to RCPT TO command)\r\n")
    report = explain_message(bounce)
    assert report_markdown(report, lang) and report_text(report, lang)


def test_list_badges_are_short_forms_or_the_values_words():
    from tui.i18n import badge

    assert badge("non-standard", "de") == "nicht-std" and badge("standard", "de") == "Standard"
    assert badge("deprecated", "en") == "deprecated" and badge("no-such-status", "de") == "no-such-status"
