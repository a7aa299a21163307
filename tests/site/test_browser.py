"""The built site in a real Chromium: search, language switch, related codes, light and dark palette.

Uses Debian's chromium through playwright's Python API; never downloads a browser. Without chromium the
test is skipped, except on CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import kb

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _require_browser():
    missing = None
    if not os.path.exists(CHROMIUM):
        missing = f"{CHROMIUM} not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright not installed (pip install -e '.[dev]')"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # as a static host does: a missing page gets its edition's 404 page, at whatever depth
        page = Path(self.directory) / ("de/404.html" if self.path.startswith("/de/") else "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_Quiet, directory=str(site.out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    p = ctx.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    ctx.close()
    assert not errors, errors


def search(page, query: str) -> list[str]:
    """Type into Material's search and return the result page URLs, best first."""
    box = page.locator("input.md-search__input")
    box.click()  # on a desktop viewport the search box sits in the header
    # Material reads the query on keyup (and when its worker becomes ready), not on the input event that
    # fill() sends: a fill() after the index is ready would never be searched. Type it as a person does.
    box.fill("")
    box.press_sequentially(query)
    first = page.locator(".md-search-result__list > li a").first
    first.wait_for(state="attached", timeout=45000)  # the worker loads the index first; slow on a busy machine
    page.wait_for_timeout(300)  # results are rendered as the worker answers; let the list settle
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
    return [h.split("?")[0].split("#")[0] for h in hrefs]


def h1(page) -> str:
    return page.locator("article h1").first.inner_text()


def test_search_switch_language_follow_related_and_screenshots(page, server):
    page.goto(server)
    assert "SMTP" in h1(page)

    # search 4.7.0: the X.7.0 page comes first; open it
    results = search(page, "4.7.0")
    assert results[0] == server + "codes/enhanced/X.7.0/", results[:5]
    page.locator(".md-search-result__list > li > a").first.click()
    page.wait_for_url(re.compile(r"/codes/enhanced/X\.7\.0/"))
    assert "4.7.0" in h1(page) and "X.7.0" in h1(page)

    # switch to German: same code, German interface
    page.locator(".md-header__option .md-select").first.hover()
    page.locator("a[hreflang='de']").first.click()
    page.wait_for_url(re.compile(r"/de/codes/enhanced/X\.7\.0/"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert kb.lookup("X.7.0").title.de in h1(page)
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Suche"

    # follow the first related-code link
    related = page.locator("h2#verwandte-codes + ul a").first
    target = related.inner_text().strip()
    related.click()
    rec = kb.lookup(target)
    page.wait_for_url(re.compile(rf"/de/codes/{rec.kind}/{re.escape(rec.key)}/$"))
    assert rec.key in h1(page)

    # light and dark palette, via the toggle in the header
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = {}
    for scheme in ("default", "slate"):
        if page.locator("body").get_attribute("data-md-color-scheme") != scheme:
            page.locator("form[data-md-component='palette'] label:visible").first.click()
            page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")
        shots[scheme] = SHOTS / f"code-page-{'light' if scheme == 'default' else 'dark'}.png"
        page.screenshot(path=str(shots[scheme]), full_page=False)
    for path in shots.values():
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert shots["default"].read_bytes() != shots["slate"].read_bytes()


@pytest.mark.parametrize("query, code", [
    ("421", "421"), ("4.7.0", "X.7.0"), ("5.7.26", "X.7.26"), ("X.7.26", "X.7.26"), ("4.7.26", "X.7.26"),
])
def test_search_puts_the_exact_code_first(page, server, query, code):
    rec = kb.lookup(code)
    page.goto(server)
    assert search(page, query)[0] == f"{server}codes/{rec.kind}/{rec.key}/"


@pytest.mark.parametrize("lang, query, expect", [
    ("en", "greylisting", {"450", "451"}),
    ("en", "mailbox full", {"X.2.2", "552", "452"}),
    ("de", "Postfach voll", {"X.2.2", "552", "452"}),
])
def test_search_finds_words(page, server, lang, query, expect):
    page.goto(server + ("de/" if lang == "de" else ""))
    results = search(page, query)[:5]
    prefix = server + ("de/" if lang == "de" else "")
    found = {u.rstrip("/").rsplit("/", 1)[-1] for u in results if u.startswith(prefix + "codes/")}
    assert found & expect, results
    assert all(u.startswith(prefix) for u in results) and not (lang == "en" and any("/de/" in u for u in results))


@pytest.mark.parametrize("path", ["codes/basic/421/", "de/explain/", "de/"])
def test_a_page_view_requests_nothing_that_is_missing(page, server, path):
    # Material used to ask for a sitemap.xml beside every hreflang alternate: two 404s per page view
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(server + path, wait_until="networkidle")
    assert page.locator("a[hreflang='de']").count() and page.locator("a[hreflang='en']").count()
    assert not failed


def test_jump_box_opens_the_code_page(page, server):
    page.goto(server + "de/")
    page.fill("#kb-jump-input", "550 5.7.26 Unauthenticated")
    page.press("#kb-jump-input", "Enter")
    page.wait_for_url(re.compile(r"/de/codes/enhanced/X\.7\.26/$"))
    assert "5.7.26" in h1(page)


_CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  };
  const low = [];
  for (const el of document.querySelectorAll("article *, .md-header *, .kb-badge")) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || style.opacity === "0" || !el.getClientRects().length) continue;
    const fg = rgb(style.color), bg = background(el);
    const alpha = fg.length === 4 ? fg[3] : 1;  // a translucent colour is seen blended into its background
    const seen = fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
    const [a, b] = [lum(seen), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) low.push(`${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 30)} ${ratio.toFixed(2)}`);
  }
  return low;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["codes/basic/421/", "de/codes/enhanced/X.7.26/", "de/"])
def test_every_text_meets_wcag_aa_contrast(browser, server, scheme, path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        p = ctx.new_page()
        p.goto(server + path)
        p.wait_for_function("document.body.dataset.mdColorScheme === '%s'" % ("default" if scheme == "light" else "slate"))
        assert p.locator(".kb-badge").count() or path == "de/"
        low = p.evaluate(_CONTRAST_JS)
        assert not low, sorted(set(low))[:15]
    finally:
        ctx.close()


# ---------------------------------------------------------------- the explainer in the browser (Pyodide)

EXPLAIN_INPUTS = [
    "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints",
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser",
    "Action: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full",
    "Dec  4 10:00:00 mx postfix/smtp[123]: 0AB12: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, "
    "delay=1, dsn=4.7.1, status=deferred (host mx.example.com[192.0.2.1] said: 450 4.7.1 Greylisted, try again later)",
]


def _require_vendored(site) -> None:
    """The explain box needs Pyodide in the build: skipped without it, a failure on CI."""
    if not (site.out / "assets" / "pyodide" / "pyodide.asm.wasm").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("Pyodide not vendored: run `make pyodide`")
        pytest.skip("Pyodide not vendored (make pyodide)")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_explain_box_runs_kb_in_the_browser_without_leaving_the_site(browser, server, site, lang):
    _require_vendored(site)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []

    def guard(route):
        # every request must stay on this site; anything else is recorded and refused
        if route.request.url.startswith(server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    p = ctx.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    try:
        home = server + ("de/" if lang == "de" else "")
        p.goto(home)
        assert not [u for u in _requested(p) if "pyodide" in u]  # nothing loaded before the first click
        for n, text in enumerate(EXPLAIN_INPUTS, 1):
            _explain_and_check(p, text, n, home, lang)
        assert p.locator(".kb-explain__code").count() >= 1
        assert "#explain=" not in p.url  # sharing through the address is off unless ticked
    finally:
        ctx.close()
    assert not foreign, foreign
    assert not errors, errors


def _explain_and_check(p, text: str, n: int, home: str, lang: str) -> None:
    """Explain ``text`` in the page's box (its ``n``-th explanation) and compare with kb.explain here."""
    ex = kb.explain(text)
    p.fill("#kb-explain-input", text)
    p.click(".kb-explain button[type=submit]")
    p.wait_for_function(f"document.querySelector('form.kb-explain').dataset.explained === '{n}'", timeout=180000)
    verdict = p.locator(".kb-explain__verdict").evaluate("e => ({...e.dataset})")
    assert (verdict["outcome"], verdict["retry"], verdict["reason"]) == (ex.verdict.outcome, ex.verdict.retry, ex.verdict.reason)
    assert verdict.get("provider") == (ex.provider.name if ex.provider else None)
    shown = p.locator(".kb-explain__result pre").inner_text()
    assert ex.verdict.reason_label(lang) in shown
    # only the elements the explainer writes: record text is escaped, never markup
    tags = p.locator(".kb-explain__result *").evaluate_all("els => els.map(e => e.tagName)")
    assert set(tags) <= {"P", "A", "PRE"}, tags
    links = p.locator(".kb-explain__code").all()
    assert len(links) == len([c for c in (ex.reply.basic, ex.reply.enhanced) if c and kb.get(c)])
    for a in links:
        code = a.inner_text().split(" ")[0]
        rec = kb.get(code)
        assert a.evaluate("e => e.href") == f"{home}codes/{rec.kind}/{rec.key}/"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_not_found_page_at_any_depth_has_search_and_explain_box(page, server, site, lang):
    _require_vendored(site)
    home = server + ("de/" if lang == "de" else "")
    response = page.goto(home + "codes/basic/no/such/page/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == lang
    assert h1(page) == ("Seite nicht gefunden" if lang == "de" else "Page not found")
    _explain_and_check(page, EXPLAIN_INPUTS[0], 1, home, lang)
    # the search of the 404 page is its edition's
    assert search(page, "4.7.0")[0] == home + "codes/enhanced/X.7.0/"


def _requested(p) -> list[str]:
    return p.evaluate("performance.getEntriesByType('resource').map(e => e.name)")


def test_word_query_ranks_registered_code_pages_first(page, server):
    page.goto(server)
    results = [u for u in search(page, "mailbox full")[:8]]
    pages = [u.rstrip("/").rsplit("/", 1)[-1] for u in results]
    best = min(pages.index(c) for c in ("X.2.2", "552") if c in pages)
    assert "422" not in pages[: best + 1], results


def _no_hits_link(page, server):
    page.goto(server)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Postfach voll")  # keyup events: see search()
    other = page.locator("a.kb-search-other")
    other.wait_for(state="visible", timeout=15000)
    assert other.get_attribute("href") == server + "de/?q=Postfach%20voll"
    return other


def _opened_with_the_search(page):
    # the German edition, its search open on the same query, with German hits
    page.wait_for_url(re.compile(r"/de/(\?q=.*)?$"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("input.md-search__input").input_value() == "Postfach voll"
    first = page.locator(".md-search-result__list > li a").first
    first.wait_for(state="attached", timeout=45000)
    assert first.evaluate("e => e.href").startswith(page.url.split("/de/")[0] + "/de/")


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_no_hits_offers_the_other_edition(page, server, how):
    other = _no_hits_link(page, server)
    if how == "click":
        other.click()
    else:
        page.keyboard.press("ArrowDown")  # Material moves the focus from the query into the results
        # waited for, not read at once: a loaded machine once ran this read before the focus had moved
        page.wait_for_function("document.activeElement.matches('a.kb-search-other')", timeout=5000)
        page.keyboard.press("Enter")
    _opened_with_the_search(page)


def test_search_index_holds_what_people_search_for(site):
    import json

    docs = json.loads((site.out / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    sections = {d["title"] for d in docs if d["location"].startswith("codes/basic/421/#")}
    assert sections and sections <= {"Causes", "Remedies", "Example replies"}, sections
    assert any(d["location"] == "codes/basic/421/" and "4.2.1" not in d["title"] for d in docs)


def test_explain_box_survives_a_malformed_shared_address(page, server, site):
    """A shared #explain= address that was cut mid-escape (%E0%A4%A) still leaves a working box; a well-formed
    one fills it in."""
    _require_vendored(site)
    page.goto(server + "#explain=550%205.1.1%20%E0%A4%A")
    assert page.input_value("#kb-explain-input") == ""
    _explain_and_check(page, EXPLAIN_INPUTS[0], 1, server, "en")
    page.goto(server + "de/#explain=552%205.2.2%20Postfach%20voll")
    page.wait_for_function("document.querySelector('#kb-explain-input').value !== ''")
    assert page.input_value("#kb-explain-input") == "552 5.2.2 Postfach voll"
