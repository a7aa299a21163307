"""site/compat.py against the installed plugins: what it reads must still be there, with the types it expects.

An upgrade of mkdocs-static-i18n that renames or retypes its language configuration fails here, not as a
site quietly built with one search index or a 404 page in the wrong language.
"""

from __future__ import annotations

import os
import runpy
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compat():
    return types.SimpleNamespace(**runpy.run_path(str(ROOT / "site" / "compat.py"), run_name="_smtpkb_site_compat"))


def _config(**overrides):
    pytest.importorskip("mkdocs_static_i18n")
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(str(ROOT / "mkdocs.yml"), **overrides)


def test_the_i18n_plugin_still_keeps_its_languages_where_compat_reads_them(compat):
    plugin = _config().plugins["i18n"]
    languages = plugin.config.languages
    assert isinstance(languages, list) and len(languages) == 2
    for lang in languages:
        assert isinstance(lang.locale, str) and isinstance(lang.default, bool) and isinstance(lang.build, bool)
    assert [(lang.locale, lang.default, lang.build) for lang in languages] == [("en", True, True), ("de", False, True)]


def test_editions_of_the_site(compat):
    assert compat.editions(_config()) == ("en", ("en", "de"))
    assert compat.editions(_config()).default == "en"


def test_no_i18n_plugin_no_editions(compat):
    assert compat.editions(_config(plugins=["search"])) is None


def test_the_hooks_read_plugins_only_through_compat():
    hooks = (ROOT / "site" / "hooks.py").read_text(encoding="utf-8")
    assert "config.plugins" not in hooks and "i18n." not in hooks
