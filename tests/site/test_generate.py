"""The page generator (site/generate.py) on the real knowledge base, without mkdocs."""

from __future__ import annotations

from pathlib import Path

import pytest

import kb


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pages_cover_every_record_and_index(generate, lang):
    pages = generate.pages(lang)
    for rec in kb.records():
        assert f"codes/{rec.kind}/{rec.key}.md" in pages
    for d in ("1", "2", "3", "4", "5"):
        assert f"codes/basic/{d}xx.md" in pages
    for s in range(8):
        assert f"codes/enhanced/X.{s}.md" in pages
    assert {"codes/index.md", "codes/basic/index.md", "codes/enhanced/index.md", "providers/index.md"} <= set(pages)
    for p in kb.providers():
        assert f"providers/{p.id}.md" in pages


def test_enhanced_title_carries_every_spelling(generate):
    md = generate.code_page(kb.lookup("X.7.0"), "en")
    h1 = next(ln for ln in md.splitlines() if ln.startswith("# "))
    assert "X.7.0" in h1 and "4.7.0" in h1 and "5.7.0" in h1
    assert "search:" in md and "boost" in md


def test_code_page_links_related_codes_to_their_pages(generate):
    rec = kb.lookup("421")
    md = generate.code_page(rec, "de")
    for code in rec.related:
        target = generate.code_uri(code)
        assert target and f"({generate.rel('codes/basic/421.md', target)})" in md
    assert md.index("## Bedeutung") < md.index("## Aufbau") < md.index("## Wiederholung")


def test_link_to_a_code_without_record_stays_inside_the_site(generate):
    link = generate.linker("codes/basic/421.md")
    assert link("X.7.999") == "../enhanced/index.md"
    assert link("5.7.26") == "../enhanced/X.7.26.md"


def test_placeholders(generate):
    md = generate.expand("<!-- kb:anatomy 4.7.0 -->\n<!-- kb:retry-table -->\n<!-- kb:jump -->", "de",
                         "guide/temporary-failures.md")
    assert "Klasse" in md and "Subjekt" in md
    assert "[421](../codes/basic/421.md)" in md
    assert 'data-codes="' in md and " X.7.26 " in md
    with pytest.raises(ValueError):
        generate.expand("<!-- kb:nonsense -->", "en", "index.md")


def test_datasets_match_kb_export(generate):
    import io

    from kb import export

    files = generate.datasets()
    buf = io.StringIO()
    export.write(buf, "csv")
    assert files["codes.csv"] == buf.getvalue()
    assert {"codes.json", "codes.jsonl", "schema/basic.schema.json", "schema/enhanced.schema.json"} <= set(files)


def test_docs_folder_holds_real_pages_in_both_languages(generate, tmp_path):
    ROOT = Path(__file__).resolve().parents[2]
    dest = tmp_path / "docs"
    assert generate.write_docs(str(ROOT / "site"), str(dest)) > 2 * len(list(kb.codes()))
    rec = kb.lookup("421")
    assert rec.title("de") in (dest / "codes/basic/421.de.md").read_text(encoding="utf-8")
    assert rec.title("en") in (dest / "codes/basic/421.md").read_text(encoding="utf-8")
    assert "<!-- kb:" not in (dest / "index.de.md").read_text(encoding="utf-8")  # placeholders filled in
    assert not list(dest.rglob("*.py"))
    (dest / "stale.md").write_text("gone", encoding="utf-8")
    assert generate.write_docs(str(ROOT / "site"), str(dest)) == 0  # unchanged files are not rewritten
    assert not (dest / "stale.md").exists()


def test_code_page_is_shaped_for_readers(generate):
    md = generate.code_page(kb.lookup("421"), "en")
    summary = md.index("**" + kb.lookup("421").summary("en")[:20])
    assert summary < md.index("| Who acts | What to do |") < md.index("## Meaning")  # fix by role under the summary
    assert "Search terms" not in md
    assert "How to handle temporary failures" in md and "../../guide/temporary-failures.md" in md
    assert '??? note "Example replies"' in md and '??? note "References"' in md
    rec = kb.lookup("421")
    for code in rec.related:
        if kb.get(code):
            assert f"]({generate.linker('codes/basic/421.md')(code)}): {generate.text(kb.get(code).title('en'))}" in md
    assert md.count("**4** (") + md.count("- **4**") <= 1  # anatomy once


def test_seen_at_providers_lists_the_signatures_using_the_code(generate):
    rows = []
    for p in kb.providers():
        for s in p.signatures:
            if "421" in s.codes:
                rows.append(p.name)
    md = generate.code_page(kb.lookup("421"), "de")
    assert rows and "## Bei Providern" in md
    assert all(generate.text(name) in md for name in rows)


def test_the_explain_box_escapes_its_catalogue_words(generate, monkeypatch):
    """The box's words go into attributes and text: a quote or a tag in a catalogue entry stays text."""
    from kb import texts

    monkeypatch.setattr(generate, "wheel_name", lambda: "kb-1-py3-none-any.whl")
    for key in ("explain_loading", "explain_label", "explain_note"):
        monkeypatch.setitem(texts.WORDS, key, ('say "hi" <b>', 'sag "hallo" <b>'))
    box = generate.explain_box("de", "index.md")
    assert 'data-loading="sag &quot;hallo&quot; &lt;b&gt;"' in box
    assert "<b>" not in box and box.count("&lt;b&gt;") == 3
