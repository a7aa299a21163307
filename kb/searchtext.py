"""The texts the search ranking compares a query with, folded once when the index is compiled.

A module of its own so that the store (which compiles the index) and the ranking (which reads it) share it
without the store importing the ranking.
"""

from __future__ import annotations

import unicodedata

from .model import Record


def fold(s: str) -> str:
    """Lower case, umlauts and accents folded: 'Größe' -> 'grosse', 'für' -> 'fur'."""
    s = s.casefold()
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


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
