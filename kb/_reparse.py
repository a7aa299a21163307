"""The one place that reads the regex engine's own parser (private: ``re._parser``, ``sre_parse`` before 3.11).

It turns a pattern into a small neutral tree that kb/patterncheck.py judges; tests/test_hardening.py pins
the tree of a known pattern, so a change upstream fails there and nowhere else.

Nodes: ``("set", chars)`` one character out of ``chars`` (a frozenset over SAMPLE); ``("repeat", min, max, how,
body)`` with max None for unbounded and how "greedy" | "lazy" | "possessive"; ``("group", body)``;
``("atomic", body)``; ``("branch", [body, ...])``; ``("look", body)`` (zero width); ``("empty",)`` for
anchors and other zero-width items; ``("backref",)``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

try:
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # Python < 3.11
    _p, _c = importlib.import_module("sre_parse"), importlib.import_module("sre_constants")

# Characters that stand for their classes when sets are compared (letters, digits, marks, blanks, ...).
SAMPLE = frozenset(
    [chr(i) for i in range(0x20, 0x7F)] + ["\t", "\n", "\r", "\x00", "é", "É", "ß", "ä", "\u00a0", "\u2028", "€", "一"]
)
_CATEGORY = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


def parse(pattern: str, flags: int = 0) -> list:
    """The neutral tree of ``pattern``; raises re.error for an invalid one."""
    tree = _p.parse(pattern, flags)
    return _convert(list(tree), tree.state.flags)


def _fold(chars: set, icase: bool) -> frozenset:
    if icase:
        chars = chars | {c.swapcase() for c in chars if len(c.swapcase()) == 1}
    return frozenset(c for c in chars if c in SAMPLE)


def _class(items: list, icase: bool) -> frozenset:
    negate = False
    chars: set = set()
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE":
            lo, hi = av
            chars |= {c for c in SAMPLE if lo <= ord(c) <= hi}
        elif name == "CATEGORY":
            rx = re.compile(_CATEGORY.get(str(av), r"[^\s\S]"))
            chars |= {c for c in SAMPLE if rx.fullmatch(c)}
        else:  # a construct this reader does not know: assume it may match anything
            chars |= SAMPLE
    folded = _fold(chars, icase)
    return frozenset(SAMPLE - folded) if negate else folded


def _convert(items: list, flags: int) -> list:
    icase = bool(flags & re.IGNORECASE)
    out: list = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(("set", _fold({chr(av)}, icase)))
        elif name == "NOT_LITERAL":
            out.append(("set", frozenset(SAMPLE - _fold({chr(av)}, icase))))
        elif name == "ANY":
            out.append(("set", SAMPLE if flags & re.DOTALL else frozenset(SAMPLE - {"\n"})))
        elif name == "IN":
            out.append(("set", _class(av, icase)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, body = av
            how = {"MAX_REPEAT": "greedy", "MIN_REPEAT": "lazy", "POSSESSIVE_REPEAT": "possessive"}[name]
            out.append(("repeat", lo, None if hi == _c.MAXREPEAT else hi, how, _convert(list(body), flags)))
        elif name == "SUBPATTERN":
            group_flags = flags | (av[1] or 0)
            out.append(("group", _convert(list(av[3]), group_flags & ~(av[2] or 0))))
        elif name == "ATOMIC_GROUP":
            out.append(("atomic", _convert(list(av), flags)))
        elif name == "BRANCH":
            out.append(("branch", [_convert(list(b), flags) for b in av[1]]))
        elif name in ("ASSERT", "ASSERT_NOT"):
            out.append(("look", _convert(list(av[1]), flags)))
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            out.append(("backref",))
        else:  # AT (anchors, \b) and anything zero-width
            out.append(("empty",))
    return out
