"""Provider and MTA knowledge: reply signatures and where a provider deviates from the registry.

The explainer matches against the index's compact match table (explainer._Matchers) and loads a
Provider only once one of its patterns matched."""

from __future__ import annotations

import re

from .model import Frozen, Reference, Text, _items, _set, text
from .regex import LazyRegex


class Deviation(Frozen):
    __slots__ = ("code", "registry_meaning", "provider_meaning")
    _fields = __slots__
    code: str
    registry_meaning: Text
    provider_meaning: Text

    def __init__(self, d: dict) -> None:
        _set(self, "code", d["code"])
        _set(self, "registry_meaning", text(d["registry_meaning"]))
        _set(self, "provider_meaning", text(d["provider_meaning"]))


class Signature(Frozen):
    """A reply a provider really sends: which codes, which text pattern, what it means, what to do."""

    __slots__ = ("id", "provider", "codes", "enhanced", "pattern", "meaning", "reason", "mechanism", "permanent",
                 "remedy", "actors", "url", "example", "example_source", "deviation", "marker")
    _fields = ("provider", "id")
    id: str
    provider: str
    codes: tuple[str, ...]
    enhanced: tuple[str, ...]
    pattern: LazyRegex  # compiled on first use
    meaning: Text
    reason: str
    mechanism: str | None
    permanent: bool | None
    remedy: Text
    actors: tuple[str, ...]
    url: str | None
    example: str
    example_source: str
    deviation: Deviation | None
    marker: bool  # the pattern itself marks the provider: it applies without the provider recognised

    def __init__(self, provider: str, d: dict) -> None:
        _set(self, "provider", provider)
        _set(self, "id", d["id"])
        _set(self, "codes", tuple(d.get("codes", ())))
        _set(self, "enhanced", tuple(d.get("enhanced", ())))
        _set(self, "pattern", LazyRegex(d["pattern"], re.I))
        for f in ("reason", "mechanism", "permanent", "url", "example", "example_source"):
            _set(self, f, d.get(f))
        _set(self, "meaning", text(d["meaning"]))
        _set(self, "remedy", text(d["remedy"]))
        _set(self, "actors", tuple(d["actors"]))
        _set(self, "deviation", Deviation(d["deviation"]) if "deviation" in d else None)
        _set(self, "marker", bool(d.get("marker")))


class Provider(Frozen):
    __slots__ = ("id", "name", "kind", "summary", "domains", "host_patterns", "references", "signatures", "source")
    _fields = ("id", "name")
    id: str
    name: str
    kind: str  # mailbox-provider | mta
    summary: Text
    domains: tuple[str, ...]
    host_patterns: tuple[LazyRegex, ...]
    references: tuple[Reference, ...]
    signatures: tuple[Signature, ...]
    source: str

    def __init__(self, d: dict) -> None:
        _set(self, "id", d["id"])
        _set(self, "name", d["name"])
        _set(self, "kind", d["kind"])
        _set(self, "summary", text(d["summary"]))
        _set(self, "domains", tuple(d.get("domains", ())))
        _set(self, "host_patterns", tuple(LazyRegex(p, re.I) for p in d.get("host_patterns", ())))
        _set(self, "references", _items(Reference, d.get("references")))
        _set(self, "signatures", tuple(Signature(d["id"], s) for s in d["signatures"]))
        _set(self, "source", d.get("_source", ""))
