"""Site build time vs building the same pages as plain Markdown with the same theme, side by side.

The full build (hooks generating pages from the records, two language editions, the per-language search
index, the dataset files) is compared with a plain mkdocs-material build of the very same Markdown, written to
disk beforehand: same page count, same content, same theme, extensions and search, but no hook and no i18n
plugin. The ratio is the cost of generating the site from the knowledge base. Target: at most 1.3x.

    .venv/bin/python bench/bench_site.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3


def _generate():
    # site/ is mkdocs' docs_dir, not a package: load the generator by path, as site/hooks.py does
    return types.SimpleNamespace(**runpy.run_path(str(ROOT / "site" / "generate.py"), run_name="_smtpkb_site_generate"))


def _build(config: Path, out: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                   cwd=config.parent, env=env, check=True)
    return time.perf_counter() - start


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
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    config = {k: site[k] for k in ("site_name", "use_directory_urls", "markdown_extensions", "extra_css",
                                   "extra_javascript", "nav", "not_in_nav") if k in site}
    theme = {k: v for k, v in site["theme"].items() if k != "custom_dir"}
    config.update(docs_dir="docs", theme=theme, plugins=["search"])
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="builds of each kind; the fastest counts")
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
        s, p = min(site_times), min(plain_times)
        ratio = s / p
        print(f"site build: {s:.1f} s for {built} pages vs plain markdown {p:.1f} s for {pages} pages "
              f"= {ratio:.2f}x (target <= {TARGET}x)")
        sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
