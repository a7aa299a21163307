"""The one place the site reads a MkDocs plugin beyond the events and configuration MkDocs documents.

mkdocs-static-i18n (1.3) offers no API for "which languages are built, which is the default"; its loaded
plugin configuration holds them (``plugin.config.languages``: items with ``locale``, ``default`` and
``build``). site/hooks.py asks here and nowhere else; tests/site/test_compat.py fails when an upgrade of the
plugin changes what is read.
"""

from __future__ import annotations

from typing import NamedTuple


class Editions(NamedTuple):
    default: str  # the locale served at the site root
    built: tuple[str, ...]  # every locale with an edition of its own, the default first


def editions(config) -> Editions | None:
    """The language editions of the i18n plugin in this MkDocs config, or None without the plugin."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return None
    languages = plugin.config.languages
    default = next(lang.locale for lang in languages if lang.default)
    built = [lang.locale for lang in languages if lang.build and lang.locale != default]
    return Editions(default, (default, *built))
