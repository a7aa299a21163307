"""mkdocs.yml holds a few interface words of its own (the navigation's section names, the palette toggle, the
description), as the i18n plugin wants them there. They must be the text catalogue's words (kb/texts.py), so
that the catalogue stays the one place where a wording is decided."""

from pathlib import Path

import yaml

from kb.texts import WORDS

CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.yml"


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and the like: not words


def _config() -> dict:
    return yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass


def _pairs() -> set[tuple[str, str]]:
    cfg = _config()
    de = next(lang for lang in next(p["i18n"] for p in cfg["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
              if lang["locale"] == "de")
    pairs = set(de["nav_translations"].items())
    toggles = zip(cfg["theme"]["palette"], de["theme"]["palette"], strict=True)
    pairs |= {(en["toggle"]["name"], de_["toggle"]["name"]) for en, de_ in toggles}
    pairs.add((cfg["site_description"], de["site_description"]))
    return pairs


def test_every_word_pair_in_mkdocs_yml_is_a_catalogue_entry():
    pairs = _pairs()
    assert len(pairs) >= 7, pairs  # the nav sections, both toggles and the description were found
    catalogue = set(WORDS.values())
    assert not pairs - catalogue, sorted(pairs - catalogue)


def test_every_english_nav_section_is_translated():
    cfg = _config()

    def sections(items):
        for item in items:
            if isinstance(item, dict):
                for title, sub in item.items():
                    yield title
                    yield from sections(sub if isinstance(sub, list) else [])

    de = next(p["i18n"] for p in cfg["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"][1]
    assert set(sections(cfg["nav"])) <= set(de["nav_translations"])
