"""The one search ranking, shared by the CLI, the terminal browser and the tests.

Tiers, best first (ties broken by score, then natural code order, so results are deterministic):
0 exact code (``421``, ``4.7.0``, ``X.7.0``), 1 code prefix (``45``, ``5.7``), 2 the whole query in a title,
3 every word in title/keywords/tags, 4 the whole query in a summary or keywords, 5 every word anywhere.
Within a tier: standard codes before non-standard ones, then more matches, then natural code order.
Both languages are searched; umlauts and case do not matter (``Postfach`` finds ``postfach``).
"""

from __future__ import annotations

import re

from . import syntax as _codes
from .model import Frozen, Record, _set
from .searchtext import fold, search_row

__all__ = ["TIERS", "Hit", "fold", "search", "search_row"]

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


# Within a tier, codes a standard defines come before deprecated, draft and folklore codes.
_STATUS_RANK = {"standard": 0, "extension": 0, "provider-specific": 1, "draft": 1, "deprecated": 2, "non-standard": 2}


class _Doc:
    __slots__ = ("key", "title", "strong", "summary", "text", "order")

    def __init__(self, row: list) -> None:
        self.key, status, self.title, self.strong, self.summary, self.text = row
        self.order = (_STATUS_RANK.get(status, 2),) + _codes.sort_key(self.key)


def _docs() -> list[_Doc]:
    import kb

    # built whole by one thread (Database.memo holds a lock): the TUI may search from two threads at once
    return kb.database().memo("ranking.docs", lambda db: [_Doc(row) for row in db.read(lambda idx: idx.search_rows())])


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
    if len(ranked) > 1:  # a list of hits shows titles: read them all at once, not record by record
        kb.database().read(lambda idx: idx.heads())
    return [Hit(kb.lookup(key).via(asked_class[key]), tier, score) for key, (tier, score, _) in ranked]
