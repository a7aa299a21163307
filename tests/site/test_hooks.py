"""Parts of site/hooks.py that are not seen in a built page: the theme's templates compiled once per process."""

from __future__ import annotations

import runpy
import types
from pathlib import Path

import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("mkdocs")
    return types.SimpleNamespace(**runpy.run_path(str(ROOT / "site" / "hooks.py"), run_name="_smtpkb_site_hooks"))


class _Counting(jinja2.Environment):
    compiled = 0

    def compile(self, *args, **kwargs):
        type(self).compiled += 1
        return super().compile(*args, **kwargs)


def test_a_second_edition_reuses_the_compiled_templates_until_one_is_edited(hooks):
    cache = hooks._CompiledTemplates()
    sources = {"page.html": "{% extends 'base.html' %}{% block x %}{{ 6 * 7 }}{% endblock %}",
               "base.html": "<p>{% block x %}{% endblock %}</p>"}
    for edition in ("en", "de"):  # each edition's build has its own environment
        env = _Counting(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
        assert env.get_template("page.html").render() == "<p>42</p>", edition
    assert _Counting.compiled == 2  # page and base, once
    sources["base.html"] = "<div>{% block x %}{% endblock %}</div>"  # `mkdocs serve` after an edit
    env = _Counting(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
    assert env.get_template("page.html").render() == "<div>42</div>"
    assert _Counting.compiled == 3


def test_the_compiled_templates_are_bounded(hooks):
    cache = hooks._CompiledTemplates()
    sources = {f"t{i}.html": f"{i}" for i in range(cache.LIMIT + 5)}
    env = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
    for name in sources:
        env.get_template(name)
    assert 0 < len(cache._code) <= cache.LIMIT


def test_mkdocs_serve_leaves_no_docs_folder_behind(hooks, tmp_path):
    # `mkdocs serve` removes its temporary site folder on exit; the docs folder written beside it goes too
    site_dir = tmp_path / "mkdocs_x"
    site_dir.mkdir()
    docs = Path(hooks.docs_folder(str(site_dir)))
    (docs / "codes").mkdir(parents=True)
    (docs / "codes" / "index.md").write_text("# x", encoding="utf-8")
    server = object()
    assert hooks.on_serve(server, types.SimpleNamespace(site_dir=str(site_dir)), None) is server
    hooks.on_shutdown()
    assert not docs.exists() and site_dir.is_dir()
