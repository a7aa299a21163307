"""mkdocs hooks: write the docs folder from site/ and the kb records before the build (site/generate.py).

The pages are real Markdown files (``x.md``, ``x.de.md``) in a folder beside the output, so
mkdocs-static-i18n and any later tool reading mkdocs.yml (Zensical) treat them as ordinary pages. Only
MkDocs events and documented configuration are used here; the one thing read from a plugin's objects (the
i18n plugin's languages) is read in site/compat.py. ``docs_dir: site`` in mkdocs.yml names the source; the
hook points the build at the generated folder ``<site_dir>-docs``.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import sys
import types
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
import markdown
from mkdocs.plugins import event_priority

import kb
from kb.texts import text

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str):
    # loaded by path under a private name (site/ is not a package, "generate" is too common a name),
    # afresh on every config load so that `mkdocs serve` picks up edits, without writing a .pyc into site/
    path = os.path.join(_HERE, f"{name}.py")
    module = types.ModuleType(f"_smtpkb_site_{name}")
    module.__file__ = path
    sys.modules[module.__name__] = module
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), module.__dict__)
    return module


gen = _load("generate")
compat = _load("compat")
_SEEN: dict = {"source": None, "inputs": None, "depth": 0}


def _load_records() -> None:
    """The records the pages are made of: a compiled index given in SMTPKB_SITE_INDEX (the tests build from
    records validation would refuse), else codes/; `mkdocs serve` reloads them when they change."""
    from kb import store

    index = os.environ.get("SMTPKB_SITE_INDEX")
    source = index or store.fingerprint(store.codes_dir())
    if source == _SEEN["source"]:
        return
    if index:
        with open(index, "rb") as fh:
            kb.use_index(fh.read())
    elif _SEEN["source"] is not None:
        kb.reload()
    _SEEN["source"] = source


def docs_folder(site_dir: str) -> str:
    return os.path.abspath(site_dir).rstrip(os.sep) + "-docs"


def _inputs(source: str, dest: str) -> tuple:
    """What the docs folder is made of: the records (their fingerprint), site/ and the vendored files."""
    parts: list = [dest, _SEEN["source"]]
    for folder in (source, gen.VENDOR):
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                st = os.stat(os.path.join(root, name))
                parts.append((root, name, st.st_size, st.st_mtime_ns))
    return tuple(parts)


@event_priority(100)  # before mkdocs-static-i18n looks at the docs folder
def on_config(config):
    _load_records()
    source = os.path.join(os.path.dirname(os.path.abspath(config.config_file_path)), "site")
    dest = docs_folder(config.site_dir)
    # each language edition is a build of its own, each starting with on_config: the docs folder is
    # written once, and again only when its inputs change (`mkdocs serve`)
    inputs = _inputs(source, dest)
    if inputs != _SEEN.get("inputs") or not os.path.isdir(dest):
        gen.write_docs(source, dest)
        _SEEN["inputs"] = inputs
    config.docs_dir = dest
    return config


_CODE_PAGE = re.compile(r"(?:[a-z]{2}/)?codes/(?:basic/[0-9]{3}|enhanced/X\.[0-9]{1,3}\.[0-9]{1,3})/")


def _searched(doc: dict, keep: set[str]) -> bool:
    """A code page is searched by its title and first part (summary, fix, spellings) and the sections
    people search for; the rest of it (meaning, contexts, retry tables, references) stays out of the index."""
    page, _, anchor = doc["location"].partition("#")
    if not anchor or not _CODE_PAGE.fullmatch(page):
        return True
    return doc.get("title") in keep


def _prefix(lang: str, default: str) -> str:
    return "" if lang == default else f"{lang}/"


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per process: each language edition is a build of its own, with a
    Jinja environment of its own that would compile them all again. Jinja checks each entry against the
    template's source, so an edited template (`mkdocs serve`) is compiled afresh."""

    LIMIT = 512  # templates remembered; a theme has about 60

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._code) >= self.LIMIT:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


def on_env(env, config, files):
    env.bytecode_cache = _TEMPLATES
    return env


_SERVED_DOCS: set[str] = set()


def on_serve(server, config, builder):
    # `mkdocs serve` builds into a temporary folder it removes on exit; the docs folder beside it is ours
    _SERVED_DOCS.add(docs_folder(config.site_dir))
    return server


def on_shutdown():
    for folder in _SERVED_DOCS:
        shutil.rmtree(folder, ignore_errors=True)
    _SERVED_DOCS.clear()


def on_pre_build(config):
    _SEEN["depth"] += 1  # mkdocs-static-i18n builds each further edition inside the first build


def on_build_error(error):
    _SEEN["depth"] = 0


@event_priority(-200)  # after mkdocs-static-i18n has built the other editions and merged their search index
def on_post_build(config):
    """Give every language its own search index, so a German reader gets German results.

    The German pages point the search at de/search/search_index.json (overrides/main.html).
    """
    _SEEN["depth"] -= 1
    editions = compat.editions(config)
    if editions is None or _SEEN["depth"] > 0:  # an inner per-edition build: the index is not complete yet
        return
    _write_not_found(config, editions.default)
    _link_vendored(config.site_dir)
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        index = json.load(fh)
    by_lang: dict[str, list] = {lang: [] for lang in editions.built}
    keep = gen.searched_sections()
    for doc in index["docs"]:
        if not _searched(doc, keep):
            continue
        lang = doc["location"].split("/", 1)[0]
        if lang in by_lang and lang != editions.default:
            by_lang[lang].append(dict(doc, location=doc["location"][len(lang) + 1:]))
        else:
            by_lang[editions.default].append(doc)
    for lang, docs in by_lang.items():
        out = os.path.join(config.site_dir, _prefix(lang, editions.default), "search", "search_index.json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            # each edition's index stems and drops stop words for its own language only
            json.dump(dict(index, config=dict(index["config"], lang=[lang]), docs=docs), fh, ensure_ascii=False, separators=(",", ":"))


def _link_vendored(site_dir: str) -> None:
    """Pyodide and the kb wheel into the output: hard links where the file system allows (no 14 MB copied
    on each build), else copies."""
    for rel_path, source in gen.vendored_files().items():
        dest = os.path.join(site_dir, *rel_path.split("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.exists(dest):
            if os.path.samefile(source, dest):
                continue
            os.remove(dest)
        try:
            os.link(source, dest)
        except OSError:
            shutil.copy2(source, dest)


# ---------------------------------------------------------------- links that work under any base path

_ROOT_LINK = re.compile(r'(href|src)="(/[^"]*)"')


def _base_path(config) -> str:
    return urlsplit(config.site_url or "/").path.rstrip("/") + "/"


# Material fetches "sitemap.xml" beside each <link rel="alternate" hreflang> of a page, taking them for the
# editions' roots; the i18n plugin makes them this page in each language, so every page view asked for two
# sitemaps that do not exist. The language links in the header stay, and sitemap.xml names the alternates.
_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"<>]*" hreflang="[A-Za-z-]+">[ \t]*\n?')


def on_post_page(output, page, config):
    """Root-absolute links (the i18n plugin writes the home page's language links as /de/) become relative
    to the page, so the site works wherever it is served from."""
    output = _ALTERNATE.sub("", output)
    if '="/' not in output:  # most pages: nothing to rewrite, and no regex run over the whole page
        return output
    base = _base_path(config)
    here = posixpath.dirname("/" + page.url) if page.url.endswith(".html") else "/" + page.url.rstrip("/")

    def relative(m: re.Match) -> str:
        path = m.group(2)
        if path.startswith("//") or not path.startswith(base):
            return m.group(0)
        target = "/" + path[len(base):]
        rel = posixpath.relpath(target, here or "/")
        if path.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return f'{m.group(1)}="{rel}"'

    return _ROOT_LINK.sub(relative, output)


def _edition_context(context: dict, config) -> dict:
    """For overrides/main.html: the edition of this build unless it is the default one (its pages search
    their own index)."""
    editions = compat.editions(config)
    lang = config.theme["language"]
    context["kb_edition"] = lang if editions and lang != editions.default else None
    # the templates' own words, from the one text catalogue, escaped for HTML here (MkDocs does not autoescape)
    context["kb_words"] = {key: html.escape(text(key, lang))
                           for key in ("search_other", "not_found", "not_found_text", "home_page")}
    return context


def on_page_context(context, page, config, nav):
    return _edition_context(context, config)


def on_template_context(context, template_name, config):
    """The 404 page of each edition (overrides/404.html): the explain box, its links absolute from the
    site's base path, as the page is served at any depth."""
    _edition_context(context, config)
    if template_name == "404.html":
        lang = config.theme["language"]
        root = _base_path(config) + (f"{lang}/" if context["kb_edition"] else "")
        box = gen.explain_box(lang, "404.md")
        relative = f'data-root="{gen.page_root("404.md")}"'
        if relative in box:
            box = box.replace(relative, f'data-root="{html.escape(root)}"', 1)
        else:  # no `make pyodide`: the box is a Markdown note saying so; a template takes HTML
            box = markdown.markdown(box)
        context.update(kb_root=root, kb_explain_box=box)
    return context


_NOT_FOUND: dict[str, str] = {}


def on_post_template(output, template_name, config):
    """Keep each language's 404 page (both builds write 404.html); written per language after the build."""
    if template_name == "404.html":
        output = _ALTERNATE.sub("", output)
        _NOT_FOUND[config.theme["language"]] = output
    return output


def _write_not_found(config, default: str) -> None:
    # a 404 page is served at any depth: its links stay absolute (from site_url's path); its language links
    # lead to each edition's home page, not to the page that happened to be built last
    base = _base_path(config)
    for lang, page in _NOT_FOUND.items():
        page = re.sub(r'href="[^"]*" hreflang="([a-z]+)"',
                      lambda m: f'href="{base}{_prefix(m.group(1), default)}" hreflang="{m.group(1)}"', page)
        path = os.path.join(config.site_dir, _prefix(lang, default), "404.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(page)
