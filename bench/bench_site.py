"""Site build time vs building the same pages as plain Markdown with the same theme, side by side.

The full build (hooks generating pages from the records, two language editions, the per-language search
index, the dataset files) is compared with a plain mkdocs-material build of the very same Markdown, written to
disk beforehand: same page count, same content, same theme, extensions and search, but no hook and no i18n
plugin. The ratio is the cost of generating the site from the knowledge base. Target: at most 1.3x.

In Chromium (Debian's, driven by playwright; skipped without it), on the built site served locally:
- first click to first explanation vs loading Pyodide from the site and running ``1+1`` alone (target <= 1.5x);
- each later explanation (one click, timed in the page) vs the same line through ``kb.explain`` + text rendering
  in CPython here, run one at a time right after each click (target <= 5x per line); the ratio against CPython
  in a tight loop, where every cache stays hot, is printed beside it;
- the bytes a cold view of /codes/basic/421/ transfers.

    .venv/bin/python bench/bench_site.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
TARGET_FIRST = 1.5
TARGET_LATER = 5.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LINES = [
    "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints",
    "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP",
    "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
    "452 4.2.2 The email account that you tried to reach is over quota",
]


def _generate():
    # site/ is mkdocs' docs_dir, not a package: load the generator by path, as site/hooks.py does
    return types.SimpleNamespace(**runpy.run_path(str(ROOT / "site" / "generate.py"), run_name="_smtpkb_site_generate"))


def _build(config: Path, out: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `mkdocs build` in its own process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                   cwd=config.parent, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain_project(tmp: Path) -> tuple[Path, int]:
    """The site's pages, both languages, as plain Markdown files in a project without hook or i18n."""
    gen = _generate()
    docs = tmp / "docs"
    count = 0
    hand_written = [p for p in (ROOT / "site").rglob("*.md") if "overrides" not in p.parts]
    for lang, prefix in (("en", ""), ("de", "de/")):
        pages = dict(gen.pages(lang))
        for src in hand_written:
            rel = src.relative_to(ROOT / "site").as_posix()
            is_de = rel.endswith(".de.md")
            if is_de == (lang == "de"):
                pages[rel.replace(".de.md", ".md")] = gen.expand(src.read_text(encoding="utf-8"), lang, rel)
        for rel, text in pages.items():
            path = docs / prefix / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            count += 1
    (docs / "assets").mkdir(exist_ok=True)
    for asset in (ROOT / "site" / "assets").iterdir():
        (docs / "assets" / asset.name).write_bytes(asset.read_bytes())
    # the same static files as the site: Pyodide and the kb wheel (make pyodide), when vendored
    for rel, source in gen.vendored_files().items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(Path(source).read_bytes())
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#").replace("!ENV", ""))
    config = {k: site[k] for k in ("site_name", "use_directory_urls", "markdown_extensions", "extra_css",
                                   "extra_javascript", "nav", "not_in_nav") if k in site}
    theme = {k: v for k, v in site["theme"].items() if k != "custom_dir"}
    config.update(docs_dir="docs", theme=theme, plugins=["search"])
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, count


def _serve(folder: Path):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def browser_figures(out: Path) -> bool:
    """The explainer in Chromium against its baselines; False when a target is missed."""
    if not os.path.exists(CHROMIUM) or not (out / "assets/pyodide/pyodide.asm.wasm").exists():
        print("browser: skipped (no chromium or Pyodide not vendored: make pyodide)")
        return True
    from playwright.sync_api import sync_playwright

    import kb
    from kb import render

    httpd, url = _serve(out)
    ok = True
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # baseline: a page of the site loading Pyodide from the site and running 1+1, nothing else
            p = b.new_context().new_page()
            p.goto(url + "explain/")
            base = p.evaluate("""async (src) => {
                const t0 = performance.now();
                await new Promise((ok, no) => { const s = document.createElement("script"); s.src = src;
                                                 s.onload = ok; s.onerror = no; document.head.appendChild(s); });
                const py = await loadPyodide({ indexURL: new URL("./", src).href });
                py.runPython("1+1");
                window.benchPy = py;
                return (performance.now() - t0) / 1000; }""", url + "assets/pyodide/pyodide.js")
            # for comparison only: kb in this Pyodide in a tight loop, no page around it (the interpreter's own cost)
            wheel = p.locator("form.kb-explain").get_attribute("data-wheel")
            pyodide_tight = p.evaluate("""async ([wheel, lines]) => {
                const py = window.benchPy;
                py.unpackArchive(await (await fetch(wheel)).arrayBuffer(), "wheel");
                py.globals.set("lines_json", JSON.stringify(lines));
                return py.runPython(`
import json, time, kb
from kb import render
lines = json.loads(lines_json)
for i in range(41):  # as many as the clicks before CPython's tight loop
    render.explanation_text(kb.explain(lines[i % len(lines)] + f" #w{i}"), "en")
t0 = time.perf_counter()
for i in range(200):
    render.explanation_text(kb.explain(lines[i % len(lines)] + f" #t{i}"), "en")
(time.perf_counter() - t0) / 200`); }""", [url + "assets/kb/" + wheel, LINES])
            p.context.close()
            # the explainer: first click to first explanation, then each later one
            p = b.new_context().new_page()
            p.goto(url + "explain/")
            t0 = time.perf_counter()
            p.fill("#kb-explain-input", LINES[0])
            p.click(".kb-explain button[type=submit]")
            p.wait_for_function("document.querySelector('form.kb-explain').dataset.explained === '1'", timeout=300000)
            first = time.perf_counter() - t0
            render.explanation_text(kb.explain(LINES[0]), "en")  # CPython's first explanation too, untimed
            # each later explanation is one click, timed in the page around the call (explain, render, DOM);
            # right after it, the same line through kb.explain + render here in CPython, timed alone: both
            # sides run one at a time between the same pauses, on the same machine at the same moment
            n = 40
            times, cpython = [], []
            for i in range(n):
                line = LINES[i % len(LINES)] + f" #{i}"
                p.fill("#kb-explain-input", line)
                p.click(".kb-explain button[type=submit]")
                p.wait_for_function(f"document.querySelector('form.kb-explain').dataset.explained === '{i + 2}'")
                times.append(float(p.locator("form.kb-explain").get_attribute("data-ms")) / 1000)
                t = time.perf_counter()
                render.explanation_text(kb.explain(line), "en")
                cpython.append(time.perf_counter() - t)
            later, one_cpython = statistics.median(times), statistics.median(cpython)
            p.context.close()
            # cold bytes of a code page (the explainer is not loaded there)
            ctx = b.new_context()
            p = ctx.new_page()
            sizes: list[int] = []
            p.on("response", lambda r: sizes.append(len(r.body()) if r.ok else 0))
            p.goto(url + "codes/basic/421/", wait_until="networkidle")
            cold = sum(sizes)
            ctx.close()
            b.close()
    finally:
        httpd.shutdown()
    t0 = time.perf_counter()
    for i in range(200):  # for comparison only: CPython in a tight loop, every cache hot
        render.explanation_text(kb.explain(LINES[i % len(LINES)] + f" #t{i}"), "en")
    tight = (time.perf_counter() - t0) / 200
    r1, r2 = first / base, later / one_cpython
    print(f"browser: first click to first explanation {first:.2f} s vs Pyodide + 1+1 alone {base:.2f} s "
          f"= {r1:.2f}x (target <= {TARGET_FIRST}x)")
    print(f"browser: later explanation {later * 1000:.2f} ms (median of {n}: kb.explain + HTML in Pyodide + DOM) vs CPython "
          f"kb.explain + render {one_cpython * 1000:.2f} ms (median, one after each click) = {r2:.1f}x "
          f"(target <= {TARGET_LATER}x per line; against CPython in a tight loop, {tight * 1000:.2f} ms: {later / tight:.1f}x)")
    print(f"browser: tight loops, no page: kb.explain + render in Pyodide {pyodide_tight * 1000:.2f} ms vs CPython "
          f"{tight * 1000:.2f} ms per line = {pyodide_tight / tight:.1f}x")
    print(f"browser: cold view of /codes/basic/421/ transfers {cold:,} bytes")
    ok = r1 <= TARGET_FIRST and r2 <= TARGET_LATER
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="builds of each kind; the fastest counts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        tmp = Path(tmp)
        plain_config, pages = plain_project(tmp / "plain")
        site_times, plain_times = [], []
        for i in range(args.repeat):
            # alternate the order so that warm caches favour neither side
            runs = [("site", ROOT / "mkdocs.yml"), ("plain", plain_config)]
            for name, cfg in (runs if i % 2 == 0 else runs[::-1]):
                t = _build(cfg, tmp / f"out-{name}")
                (site_times if name == "site" else plain_times).append(t)
        built = sum(1 for _ in (tmp / "out-site").rglob("index.html"))
        (s, s_cpu), (p, p_cpu) = min(site_times), min(plain_times)
        ratio = s / p
        print(f"site build: {s:.1f} s for {built} pages vs plain markdown {p:.1f} s for {pages} pages "
              f"= {ratio:.2f}x (target <= {TARGET}x); CPU time of the fastest builds {s_cpu:.1f} s vs {p_cpu:.1f} s "
              f"= {s_cpu / p_cpu:.2f}x")
        browser_ok = browser_figures(tmp / "out-site")
        sys.exit(0 if ratio <= TARGET and browser_ok else 1)


if __name__ == "__main__":
    main()
