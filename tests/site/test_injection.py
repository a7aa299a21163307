"""Record text is Markdown, never HTML: a site built from a poisoned copy of codes/ carries no live markup.

The poison goes where issue 10 found it (summary, title, anatomy, a reference URL that closes the Markdown
link) and where else record text reaches a page (an example reply breaking out of its fence, a provider's
summary and reference, link and attribute-list syntax). The site is built from an index of the copy
compiled without validation (which refuses such records): the build must be safe on its own.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import kb
from kb import checks, compiler, store

ROOT = Path(__file__).resolve().parents[2]

MARK = "kbpoison"
SCRIPT = f"<script>{MARK}()</script>"
JS = f"javascript:{MARK}()"


class _Live(HTMLParser):
    """Collects what a browser would run: script bodies and sources, and every attribute value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
        self.attributes += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _poison(codes):
    def edit(path, change):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        change(doc)
        with open(path, "w", encoding="utf-8") as fh:
            yaml.safe_dump(doc, fh, allow_unicode=True, sort_keys=False)

    def basic(doc):
        doc["title"]["en"] += " " + SCRIPT
        doc["summary"]["en"] += f' {SCRIPT} `<script>{MARK}()</script>` \\`<img src=x onerror={MARK}()>`'
        doc["summary"]["de"] += f" [klick]({JS}) <a href=\"{JS}\">a</a> **b**{{: onclick=\"{MARK}()\" }}"
        doc["anatomy"]["en"] += f" <img src=x onerror={MARK}()>"
        doc["meaning"]["en"] += f"\n```\n{SCRIPT}\n```\n\n[ref]: {JS}\n"
        doc["references"].append({"title": f"T {SCRIPT}", "url": f"https://example.com){SCRIPT}"})
        doc.setdefault("examples", []).append({"reply": f"421 x\n```\n{SCRIPT}", "source": f"S {SCRIPT}",
                                               "illustrative": True})

    def provider(doc):
        doc["summary"]["en"] += " " + SCRIPT
        doc["name"] += " " + SCRIPT
        doc.setdefault("references", []).append({"title": SCRIPT, "url": f"https://example.com/\"onmouseover=\"{MARK}()"})

    edit(codes / "basic" / "421.yaml", basic)
    edit(codes / "providers" / "yahoo.yaml", provider)


@pytest.fixture(scope="module")
def poisoned_index(tmp_path_factory, monkeypatch_module):
    tmp = tmp_path_factory.mktemp("poisoned")
    codes = tmp / "codes"
    shutil.copytree(store.codes_dir(), codes)  # the tree kb reads (SMTPKB_CODES or the checkout)
    _poison(codes)
    # `smtpkb validate` rejects such records; the site must be safe even when handed them, so the index is
    # compiled here with validation switched off and given to the build (SMTPKB_SITE_INDEX, site/hooks.py)
    monkeypatch_module.setattr(checks, "validate", lambda root: [])
    index = tmp / "poisoned-index"
    index.write_bytes(compiler.compile_index(str(codes)))
    return index


@pytest.fixture(scope="module")
def poisoned_site(poisoned_index, monkeypatch_module, builder):
    monkeypatch_module.setenv("SMTPKB_SITE_INDEX", str(poisoned_index))
    build = builder(poisoned_index.parent / "out")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_no_live_markup_from_record_text(poisoned_site):
    pages = sorted(poisoned_site.out.rglob("*.html"))
    shown = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        shown += MARK in html
        live = _Live()
        live.feed(html)
        assert not [s for s in live.scripts if MARK in s], path
        # text in attributes (a description, a heading's id) is harmless; handlers, script URLs and
        # elements from the poison are not
        assert not [a for a in live.attributes if a[1].startswith("on") and MARK in a[2]], path
        assert not [a for a in live.attributes if a[2].strip().lower().startswith("javascript:")], path
        assert not [a for a in live.attributes if a[0] == "img" and a[2] == "x"], path
        assert not re.search(r"<script>" + MARK, html), path
    assert shown >= 4  # the poisoned text is there, shown as text (421 and Yahoo in both languages)


def test_poisoned_text_reads_as_text(poisoned_site):
    html = (poisoned_site.out / "codes/basic/421/index.html").read_text(encoding="utf-8")
    assert f"&lt;script&gt;{MARK}()&lt;/script&gt;" in html
    assert f"<code>&lt;script&gt;{MARK}()&lt;/script&gt;</code>" in html  # a code span stays code
    assert 'href="https://example.com%29%3Cscript%3E' in html or 'href="https://example.com)' not in html


def test_search_index_keeps_record_text_escaped(poisoned_site):
    # Material's search renders titles and text of the index as HTML
    for index in poisoned_site.out.rglob("search_index.json"):
        raw = index.read_text(encoding="utf-8")
        found = (MARK in raw, f"<script>{MARK}" in raw, f"<img src=x onerror={MARK}" in raw)
        assert found == (True, False, False), (index, found)


def _explainer_python() -> str:
    """The Python that site/assets/explain.js runs in Pyodide: its PY lines, each a JSON-compatible string."""
    js = (ROOT / "site" / "assets" / "explain.js").read_text(encoding="utf-8")
    block = js[js.index("var PY = ["):js.index('].join("\\n")')]
    return "\n".join(json.loads(m) for m in re.findall(r'^ *("(?:[^"\\\n]|\\.)*"),?$', block, re.M))


def test_explainer_in_the_browser_escapes_record_text(poisoned_index):
    # the same Python, run here on the poisoned records: its HTML goes into the page as innerHTML
    namespace: dict = {}
    exec(compile(_explainer_python(), "explain.js:PY", "exec"), namespace)
    kb.use_index(poisoned_index.read_bytes())
    try:
        for line, marked in (("421 4.7.0 Try again later, closing connection", True),
                             ("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to user complaints", True)):
            html = namespace["_explain"](line, "en", "../")
            live = _Live()
            live.feed(html)
            assert (MARK in html) == marked, html
            assert not live.scripts and not re.search(r"<(?:script|img)", html), html
            assert {a[0] for a in live.attributes} <= {"a", "p"}, live.attributes
            assert not [a for a in live.attributes if a[1].startswith("on")], live.attributes
            assert f"&lt;script&gt;{MARK}()&lt;/script&gt;" in html
    finally:
        kb.reload()
