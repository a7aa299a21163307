"""The built site: strict build without warnings, every page in both languages, no broken links."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import kb

LANG_PREFIX = {"en": "", "de": "de/"}


def page(site, lang: str, path: str) -> Path:
    return site.out / LANG_PREFIX[lang] / path / "index.html"


def test_strict_build_has_no_warnings(site):
    bad = [ln for ln in site.log.splitlines() if re.match(r"\s*(WARNING|ERROR)\b", ln)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_record_has_a_page(site, lang):
    missing = [r.key for r in kb.records() if not page(site, lang, f"codes/{r.kind}/{r.key}").is_file()]
    assert not missing, f"{lang}: no page for {missing}"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_provider_has_a_page(site, lang):
    for p in kb.providers():
        html = page(site, lang, f"providers/{p.id}").read_text(encoding="utf-8")
        assert p.name.split(" ")[0] in html


@pytest.mark.parametrize("lang, code, words", [
    ("en", "X.7.26", ["X.7.26", "5.7.26", "Meaning", "Related codes", 'lang="en"']),
    ("de", "X.7.26", ["X.7.26", "5.7.26", "Bedeutung", "Verwandte Codes", 'lang="de"']),
    ("en", "421", ["421", "Retry guidance", "Anatomy"]),
    ("de", "421", ["421", "Wiederholung", "Aufbau"]),
])
def test_code_page_content(site, lang, code, words):
    rec = kb.lookup(code)
    html = page(site, lang, f"codes/{rec.kind}/{rec.key}").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert rec.key in h1 and rec.title(lang).split(" ")[0] in h1
    for w in words:
        assert w in html, f"{w!r} missing on {lang} {code}"
    assert "kb-badge" in html


def test_language_switcher_stays_on_the_code(site):
    en = page(site, "en", "codes/basic/421").read_text(encoding="utf-8")
    de = page(site, "de", "codes/basic/421").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*/de/codes/basic/421/" hreflang="de"', en)
    assert re.search(r'href="[./]*/codes/basic/421/" hreflang="en"', de)


def test_theme_speaks_the_page_language(site):
    de = page(site, "de", "codes/basic/421").read_text(encoding="utf-8")
    en = page(site, "en", "codes/basic/421").read_text(encoding="utf-8")
    assert 'placeholder="Suche"' in de and 'placeholder="Search"' in en


def test_each_edition_searches_its_own_index(site):
    en = json.loads((site.out / "search/search_index.json").read_text(encoding="utf-8"))
    de = json.loads((site.out / "de/search/search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in en["docs"] if d["location"].startswith("de/")]
    titles_de = {d["title"] for d in de["docs"]}
    assert "Ursachen" in titles_de and "Causes" not in titles_de
    assert '"base": "../../../../de/"' in page(site, "de", "codes/basic/421").read_text(encoding="utf-8")


def test_dataset_files_come_from_kb_export(site):
    doc = json.loads((site.out / "codes.json").read_text(encoding="utf-8"))
    assert [r.get("key", r["code"]) for r in doc["records"]] == list(kb.codes())
    lines = (site.out / "codes.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln)["code"] for ln in lines] == list(kb.codes())
    rows = list(csv.DictReader(io.StringIO((site.out / "codes.csv").read_text(encoding="utf-8"))))
    assert [r["code"] for r in rows] == list(kb.codes())
    schema_dir = Path(kb.__file__).parent / "schema"
    for src in schema_dir.glob("*.json"):
        published = json.loads((site.out / "schema" / src.name).read_text(encoding="utf-8"))
        if src.name in ("basic.schema.json", "enhanced.schema.json"):
            published["properties"].pop("kind")  # the exported records' folder (test_dataset.py)
        assert published == json.loads(src.read_text(encoding="utf-8"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for attr in ("href", "src"):
            if a.get(attr) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append(a[attr])


def _target(out: Path, src: Path, path: str) -> Path:
    base = out if path.startswith("/") else src.parent
    t = (base / unquote(path.lstrip("/"))).resolve()
    return t / "index.html" if t.is_dir() else t


def test_no_broken_internal_links(site):
    """Every internal href/src of every built page resolves to a file, and every #anchor to an id there."""
    out = site.out.resolve()
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            p = _Links()
            p.feed(path.read_text(encoding="utf-8"))
            parsed[path] = p
        return parsed[path]

    broken = []
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 2 * len(list(kb.codes()))
    for src in pages:
        for link in parse(src).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = _target(out, src, parts.path) if parts.path else src
            if not target.exists() or out not in target.parents:
                broken.append(f"{src.relative_to(out)}: {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                broken.append(f"{src.relative_to(out)}: {link} (no such anchor)")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])


def test_no_request_to_font_or_other_servers(site):
    for path in (site.out / "index.html", page(site, "de", "codes/basic/421")):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        loaded = re.findall(r'<(?:script|link|img)\b([^>]*)>', html)
        assert not [a for a in loaded if re.search(r'(?:src|href)="https?://', a) and 'rel="canonical"' not in a]


def test_sitemap_and_canonical_carry_the_site_url(site):
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "None" not in sitemap and "<loc>http://127.0.0.1:8000/codes/basic/421/</loc>" in sitemap
    assert '<link rel="canonical" href="http://127.0.0.1:8000/de/codes/basic/421/">' in \
        page(site, "de", "codes/basic/421").read_text(encoding="utf-8")


def test_one_not_found_page_per_language(site):
    en = (site.out / "404.html").read_text(encoding="utf-8")
    de = (site.out / "de/404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en and '<html lang="de"' in de
    for html in (en, de):
        assert re.findall(r'href="([^"]*)" hreflang="(en|de)"', html)[-2:] == [("/", "en"), ("/de/", "de")]
        assert '<script src="/assets/explain.js">' in html and 'class="md-search__input"' in html
    # each with the explain box and its own edition's search, links absolute: it is served at any depth
    assert "<h1>Page not found</h1>" in en and "<h1>Seite nicht gefunden</h1>" in de
    assert '"base": "/"' in en and '"base": "/de/"' in de and 'placeholder="Suche"' in de
    if (site.out / "assets/kb").is_dir():
        assert '<form class="kb-explain"' in en and 'data-root="/"' in en
        assert '<form class="kb-explain"' in de and 'data-root="/de/"' in de and "Erklären" in de
    else:  # no `make pyodide`: the box says how to get it, in each language
        assert "make pyodide" in en and "make pyodide" in de and "Der Erklärer" in de


def test_dataset_page_gives_version_date_licence_and_sizes(site):
    for lang, words in (("en", ["Version", "Built on", "Licence", "KiB"]), ("de", ["Version", "Erstellt am", "Lizenz", "KiB"])):
        html = page(site, lang, "dataset").read_text(encoding="utf-8")
        assert all(w in html for w in words), lang
        size = (site.out / "codes.csv").stat().st_size
        assert f"{size:,}".replace(",", "." if lang == "de" else ",") in html


def test_site_works_under_a_base_path(builder, tmp_path):
    build = builder(tmp_path / "out", env={"SITE_URL": "https://example.org/smtp-kb/"})
    assert build.returncode == 0, build.log
    for path in build.out.rglob("*.html"):
        if path.name == "404.html":
            continue  # served at any depth: absolute from the base path
        html = path.read_text(encoding="utf-8")
        rooted = [h for h in re.findall(r'(?:href|src)="(/[^"]*)"', html) if not h.startswith("//")]
        assert not rooted, (path, rooted[:5])
    assert 'href="/smtp-kb/de/" hreflang="de"' in (build.out / "404.html").read_text(encoding="utf-8")
    for prefix in ("", "de/"):
        html = (build.out / prefix / "404.html").read_text(encoding="utf-8")
        rooted = [h for h in re.findall(r'(?:href|src)="(/[^"]*)"', html) if not h.startswith("//")]
        assert rooted and all(h.startswith("/smtp-kb/") for h in rooted), rooted
        assert f'"base": "/smtp-kb/{prefix}"' in html
        assert f'data-root="/smtp-kb/{prefix}"' in html or not (build.out / "assets/kb").is_dir()
        assert '<script src="/smtp-kb/assets/explain.js">' in html
