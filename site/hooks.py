"""mkdocs hooks: add the pages generated from the kb records to the build (logic in site/generate.py).

mkdocs-static-i18n builds the site once per language and re-creates every File from its path in docs_dir,
which would lose in-memory content; so the generated pages are added after it (lower event priority), for
the language being built, already carrying the attributes the plugin gives its own files (alternates for
the language switcher, locale).
"""

from __future__ import annotations

import json
import os
import sys
import types

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

import kb

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load_generate():
    # loaded by path under a private name (docs_dir is not a package, "generate" is too common a name),
    # afresh on every config load so that `mkdocs serve` picks up edits, and without writing a .pyc into
    # the watched docs_dir
    path = os.path.join(_HERE, "generate.py")
    module = types.ModuleType("_smtpkb_site_generate")
    module.__file__ = path
    sys.modules[module.__name__] = module
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), module.__dict__)
    return module


gen = _load_generate()


def _i18n(config):
    return config.plugins.get("i18n")


def _language(config) -> tuple[str, str, tuple[str, ...]]:
    """(language being built, default language, languages built)."""
    i18n = _i18n(config)
    if i18n is None:
        return "en", "en", ("en",)
    return i18n.current_language, i18n.default_language, tuple(i18n.build_languages)


def _prefix(lang: str, default: str) -> str:
    return "" if lang == default else f"{lang}/"


def _generated(config, src_uri: str, content: str, lang: str, default: str) -> File:
    f = File.generated(config, src_uri, content=content)
    f.dest_uri = _prefix(lang, default) + f.dest_uri
    return f


@event_priority(-200)  # after mkdocs-static-i18n (-100) has localized the hand-written files
def on_files(files, config):
    lang, default, langs = _language(config)
    added = []
    for src_uri, content in gen.pages(lang).items():
        f = _generated(config, src_uri, content, lang, default)
        if _i18n(config) is not None:
            # what the i18n plugin sets on its own files: the switcher reads alternates[lang].url
            f.alternates = {other: (f if other == lang else
                                    _generated(config, src_uri, "", other, default)) for other in langs}
            f.locale = f.locale_alternate_of = lang
            f.localization = None if lang == default else lang
            f.norm_src_uri = src_uri
        files.append(f)
        added.append(f)
    for path, content in _datasets().items():
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    i18n = _i18n(config)
    if i18n is not None and lang in i18n.i18n_files_per_language:  # sitemap alternates
        i18n.i18n_files_per_language[lang] = list(i18n.i18n_files_per_language[lang]) + added
    return files


_DATA: dict[str, str] = {}


def _datasets() -> dict[str, str]:
    # written once per build process; the language builds share it
    if not _DATA:
        _DATA.update(gen.datasets())
    return _DATA


_SEEN = {"fingerprint": None}


def on_pre_build(config):
    # a compiled index given instead of codes/ (the tests build from records validation would refuse)
    index = os.environ.get("SMTPKB_SITE_INDEX")
    if index:
        if _SEEN["fingerprint"] != index:
            with open(index, "rb") as fh:
                kb.use_index(fh.read())
            _SEEN["fingerprint"] = index
            _DATA.clear()
        return
    # `mkdocs serve` rebuilds in the same process: drop what kb and this hook loaded when codes/ changed
    from kb import store

    fp = store.fingerprint(store.codes_dir())
    if fp != _SEEN["fingerprint"]:
        if _SEEN["fingerprint"] is not None:
            kb.reload()
        _SEEN["fingerprint"] = fp
        _DATA.clear()


def on_page_markdown(markdown, page, config, files):
    lang, _, _ = _language(config)
    return gen.expand(markdown, lang, page.file.src_uri)


@event_priority(-200)  # after mkdocs-static-i18n has merged every language into one search index
def on_post_build(config):
    """Give every language its own search index, so a German reader gets German results.

    The German pages point the search at de/search/search_index.json (overrides/main.html).
    """
    i18n = _i18n(config)
    if i18n is None or i18n.building:  # the inner per-language builds: the index is not complete yet
        return
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        index = json.load(fh)
    by_lang: dict[str, list] = {lang: [] for lang in i18n.build_languages}
    for doc in index["docs"]:
        lang = doc["location"].split("/", 1)[0]
        if lang in by_lang and lang != i18n.default_language:
            by_lang[lang].append(dict(doc, location=doc["location"][len(lang) + 1:]))
        else:
            by_lang[i18n.default_language].append(doc)
    for lang, docs in by_lang.items():
        out = os.path.join(config.site_dir, _prefix(lang, i18n.default_language), "search", "search_index.json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            # each edition's index stems and drops stop words for its own language only
            json.dump(dict(index, config=dict(index["config"], lang=[lang]), docs=docs), fh, ensure_ascii=False, separators=(",", ":"))
