"""smtp-kb: the knowledge base of SMTP reply codes, and an explainer for bounce lines.

>>> import kb
>>> kb.lookup("421").title.en
'Service not available, closing connection'
>>> kb.lookup("5.7.26").key                      # enhanced codes resolve to their X.y.z record
'X.7.26'
>>> kb.explain("550 5.1.1 User unknown").verdict.reason
'user-unknown'

Nothing is read at import time; the compiled index is opened on first use. ``import kb`` imports
neither textual, rich nor jsonschema (tests/test_import_hygiene.py proves it).
"""

from __future__ import annotations

import sys

from . import syntax as _codes
from .model import Record, Text
from .store import DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from .checks import Problem
    from .digits import Part
    from .explainer import Explanation
    from .ranking import Hit
    from .signatures import Provider

__all__ = [
    "DataError", "Record", "Text", "UnknownCode", "anatomy", "codes", "explain", "get", "lookup", "normalize",
    "provider", "providers", "records", "reload", "search", "structure", "validate",
]
__version__ = "0.1.0"


class UnknownCode(LookupError):
    """No record for this code (it may still be well-formed: see ``kb.explain`` for those)."""


class _State:
    index = None
    records: dict[str, Record] = {}
    providers: tuple | None = None
    provider_by_id: dict = {}
    structure = None
    anatomy: dict = {}


def _index():
    if _State.index is None:
        from .store import open_index

        _State.index = open_index()
    return _State.index


def reload() -> None:
    """Forget everything loaded; the next call reads the records again (after editing codes/, or after
    pointing SMTPKB_CODES elsewhere). ``mkdocs serve`` and the tests use it."""
    _State.index, _State.records, _State.providers, _State.structure = None, {}, None, None
    _State.anatomy, _State.provider_by_id = {}, {}
    for module in ("kb.ranking", "kb.explainer"):  # their caches hold records of the old index
        loaded = sys.modules.get(module)
        if loaded is not None:
            loaded.forget()


def normalize(code: str) -> str | None:
    """Canonical spelling of a code (``" x.7.26 "`` -> ``"X.7.26"``), or None if it is not one."""
    return _codes.normalize(code) if isinstance(code, str) else None


def get(code: str, default: Record | None = None) -> Record | None:
    """The record for ``code`` (``"421"``, ``"4.7.0"``, ``"X.7.0"``), or ``default``."""
    try:
        hit = _State.records.get(code)  # fast path: warm lookups of canonical codes
    except TypeError:  # unhashable: certainly not a code
        return default
    if hit is not None:
        return hit
    norm = normalize(code)
    if norm is None:
        return default
    hit = _State.records.get(norm)
    if hit is None:
        key = _codes.generic(norm)
        base = _State.records.get(key)
        if base is None:
            idx = _index()
            head = idx.record_head(key)
            if head is None:
                return default
            # the rest of the record is decoded when a field beyond code, status and title is read
            base = _State.records[key] = Record(head, load=lambda: idx.record_data(key))
        hit = base.via(_codes.klass(norm))
        _State.records[norm] = hit
    if code != norm and len(code) <= 16:  # remember short spellings like " 421 " too, but stay bounded
        _State.records[code] = hit
    return hit


def lookup(code: str) -> Record:
    """The record for ``code``; raises ``UnknownCode`` (a LookupError) if there is none."""
    hit = get(code)
    if hit is None:
        norm = normalize(code) if isinstance(code, str) else None
        if norm is None:
            raise UnknownCode(f"{code!r} is not an SMTP reply code (expected e.g. 421, 4.7.0 or X.7.26)")
        raise UnknownCode(f"no record for {norm}; kb.explain({norm!r}) explains it by its structure")
    return hit


def codes() -> tuple[str, ...]:
    """Every record's code, basic codes first, in natural order."""
    return _index().record_keys


def records(kind: str | None = None) -> Iterator[Record]:
    """Every record (``kind`` ``"basic"`` or ``"enhanced"`` to narrow), in natural order."""
    for key in codes():
        if kind is None or (kind == "basic") == _codes.is_basic(key):
            yield lookup(key)


def provider(provider_id: str) -> Provider:
    """One provider or MTA file by id (``"gmail"``); raises KeyError if there is none."""
    hit = _State.provider_by_id.get(provider_id)
    if hit is None:
        from .signatures import Provider

        idx = _index()
        if provider_id not in idx.header["providers"]:
            raise KeyError(provider_id)
        hit = _State.provider_by_id[provider_id] = Provider(idx.provider_data(provider_id))
    return hit


def providers() -> tuple[Provider, ...]:
    """Every provider and MTA file, loaded once."""
    if _State.providers is None:
        _State.providers = tuple(provider(k) for k in _index().provider_keys)
    return _State.providers


def structure():
    """What digits, classes and subjects mean (codes/structure.yaml)."""
    if _State.structure is None:
        from .digits import Structure

        _State.structure = Structure(_index().structure())
    return _State.structure


def anatomy(code: str) -> tuple[Part, ...]:
    """What each part of a code says, built from codes/structure.yaml; works for unregistered codes too."""
    parts = _State.anatomy.get(code)
    if parts is None:
        parts = structure().anatomy(code)
        rec = get(code)
        if rec is not None:  # the last part of a registered code is named by its record: "26: Multiple ..."
            from .digits import Part

            last = parts[-1]
            parts = parts[:-1] + (Part(last.digits, last.position, rec.title, last.meaning),)
        if len(_State.anatomy) < 4096:
            _State.anatomy[code] = parts
    return parts


def search(query: str, limit: int | None = 50) -> list[Hit]:
    """Ranked hits: exact code first, then code prefix, title, summary and keywords, then any text."""
    from .ranking import search as _search

    return _search(query, limit)


def explain(text: str | bytes) -> Explanation:
    """Explain a code, reply, DSN or log line: parsed reply, records, provider, verdict and why."""
    from .explainer import explain as _explain

    return _explain(text)


def validate(path: str | None = None) -> list[Problem]:
    """Every problem in the knowledge base at ``path`` (default: the one kb reads), file:line:path each."""
    import os

    from .checks import validate as _validate
    from .store import codes_dir

    if path is None:  # name files as a person would type them: codes/basic/421.yaml
        path = codes_dir()
        rel = os.path.relpath(path)
        path = path if rel.startswith("..") else rel
    return _validate(path)
