"""Style rules of `smtpkb validate` (kb/style.py), each proven by a record it rejects."""



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
