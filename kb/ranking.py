"""The one search ranking, shared by the CLI, the terminal browser and the tests.

Tiers, best first (ties broken by score, then natural code order, so results are deterministic):
0 exact code (``421``, ``4.7.0``, ``X.7.0``), 1 code prefix (``45``, ``5.7``), 2 the whole query in a title,
3 every word in title/keywords/tags, 4 the whole query in a summary or keywords, 5 every word anywhere.
Within a tier: standard codes before non-standard ones, then more matches, then natural code order.
Both languages are searched; umlauts and case do not matter (``Postfach`` finds ``postfach``).
"""

from __future__ import annotations

import re
import unicodedata

from . import syntax as _codes
from .model import Frozen, Record, _set

_WORD = re.compile(r"[\w.]+")
TIERS = ("exact code", "code prefix", "title", "title words", "summary", "text")


class Hit(Frozen):
    __slots__ = ("record", "tier", "score")
    _fields = __slots__
    record: Record
    tier: int
    score: int

    def __init__(self, record: Record, tier: int, score: int) -> None:
        _set(self, "record", record)
        _set(self, "tier", tier)
        _set(self, "score", score)

    @property
    def code(self) -> str:
        return self.record.code


def fold(s: str) -> str:
    """Lower case, umlauts and accents folded: 'Größe' -> 'grosse', 'für' -> 'fur'."""
    s = s.casefold()
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# Within a tier, codes a standard defines come before deprecated, draft and folklore codes.
_STATUS_RANK = {"standard": 0, "extension": 0, "provider-specific": 1, "draft": 1, "deprecated": 2, "non-standard": 2}


def search_row(rec: Record) -> list:
    """What the ranking compares a query with, folded once when the index is compiled: [key, status,
    title, strong (title, keywords, tags), summary, text (everything a person reads)]."""
    def t(x):
        return "" if x is None else f"{x.en}\n{x.de}"

    title = fold("\n".join([t(rec.title), rec.registry.get("title", ""), rec.reply_text or ""]))
    strong = fold("\n".join([title, t(rec.keywords), " ".join(rec.tags)]))
    summary = fold("\n".join([t(rec.summary), t(rec.keywords), t(rec.category)]))
    parts = [strong, summary, t(rec.meaning), t(rec.action)]
    for group in (rec.causes, rec.remedies, rec.best_practices, rec.scenarios):
        for it in group:
            parts += [t(it.title), t(it.detail)]
    parts += [e.reply for e in rec.examples]
    parts += [t(d.meaning) for d in rec.definitions]
    return [rec.key, rec.status, title, strong, summary, fold("\n".join(parts))]


class _Doc:
    __slots__ = ("key", "title", "strong", "summary", "text", "order")

    def __init__(self, row: list) -> None:
        self.key, status, self.title, self.strong, self.summary, self.text = row
        self.order = (_STATUS_RANK.get(status, 2),) + _codes.sort_key(self.key)


_DOCS: list[_Doc] | None = None


def _docs() -> list[_Doc]:
    # built whole and then published in one assignment: the TUI may search from two threads at once
    global _DOCS
    docs = _DOCS
    if docs is None:
        import kb

        docs = _DOCS = [_Doc(row) for row in kb._index().search_rows()]
    return docs


def forget() -> None:
    global _DOCS
    _DOCS = None


def search(query: str, limit: int | None = 50) -> list[Hit]:
    import kb

    q = " ".join(str(query).split())[:200]
    if not q:
        return []
    hits: dict[str, tuple[int, int, tuple]] = {}
    asked_class: dict[str, str | None] = {}

    def add(key: str, tier: int, score: int, order: tuple, klass: str | None = None) -> None:
        old = hits.get(key)
        if old is None or (tier, -score) < (old[0], -old[1]):
            hits[key] = (tier, score, order)
            asked_class[key] = klass

    norm = _codes.normalize(q)
    if norm is not None:
        rec = kb.get(norm)
        if rec is not None:
            add(rec.key, 0, 0, (0,) + _codes.sort_key(rec.key), _codes.klass(norm))
    prefix = q.upper() if re.fullmatch(r"[0-9Xx.]{1,7}", q) else None
    fq = fold(q)
    words = [w for w in _WORD.findall(fq) if len(w) > 1 or w.isdigit()]
    for d in _docs():
        if prefix:
            gen = d.key
            probe = prefix if _codes.is_basic(d.key) or prefix[0] == "X" else "X" + prefix[1:]
            if gen.startswith(probe) and (prefix[0] in "X" or _codes.is_basic(d.key) or prefix[0] in "245"):
                if not _codes.is_basic(d.key) and prefix[0] in "245" and "." not in prefix:
                    pass  # "5" alone is a basic-code prefix, not an enhanced class
                else:
                    add(d.key, 1, 0, d.order, prefix[0] if prefix[0] in "245" and not _codes.is_basic(d.key) else None)
        if not words:
            continue
        if fq in d.title:
            add(d.key, 2, d.title.count(fq), d.order)
        elif all(w in d.strong for w in words):
            add(d.key, 3, sum(d.strong.count(w) for w in words), d.order)
        elif fq in d.summary:
            add(d.key, 4, d.summary.count(fq), d.order)
        elif all(w in d.text for w in words):
            add(d.key, 5, sum(d.text.count(w) for w in words), d.order)
    ranked = sorted(hits.items(), key=lambda kv: (kv[1][0], kv[1][2][0], -kv[1][1], kv[1][2]))
    if limit is not None:
        ranked = ranked[:limit]
    return [Hit(kb.lookup(key).via(asked_class[key]), tier, score) for key, (tier, score, _) in ranked]
