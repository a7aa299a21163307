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

from . import syntax as _codes
from .model import Record, Text
from .store import DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import email.message
    from collections.abc import Iterable, Iterator, Mapping

    from .checks import Problem
    from .digits import Part, Structure
    from .explainer import Explanation
    from .mail import MessageReport
    from .ranking import Hit
    from .signatures import Provider
    from .store import Database

__all__ = [
    "DataError", "Record", "Text", "UnknownCode", "anatomy", "codes", "database", "explain", "explain_message", "explain_rows", "get",
    "lookup",
    "normalize", "provider", "providers", "records", "reload", "search", "structure", "table", "use_index", "validate",
]


def __getattr__(name: str) -> str:
    # the version is written once, in pyproject.toml; read from the installed metadata on first use
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("smtp-kb")
        except PackageNotFoundError:
            return "0+unknown"
    raise AttributeError(f"module 'kb' has no attribute {name!r}")


class UnknownCode(LookupError):
    """No record for this code (it may still be well-formed: see ``kb.explain`` for those)."""


_DB: "Database | None" = None


def database() -> "Database":
    """The loaded knowledge base: the one object that owns the index and every cache (kb/store.py).
    Other modules ask for it here; ``reload()`` replaces it."""
    global _DB
    db = _DB
    if db is None:
        from .store import Database

        db = _DB = Database()
    return db


def use_index(blob: bytes) -> None:
    """Serve everything from this compiled index (``database().read(lambda idx: idx.raw())`` of another process), checked
    as any index is. The Dask integration ships it to each worker once this way; raises ``DataError`` if it
    is damaged."""
    global _DB
    from .store import Database, Index, IndexDefect

    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise TypeError(f"kb.use_index() takes the compiled index as bytes, not {type(blob).__name__}")
    try:
        index = Index(bytes(blob))
        index.verify()
    except IndexDefect as exc:
        raise DataError([f"the compiled index given to kb.use_index is damaged: {exc}"]) from None
    _DB = Database(index)


def reload() -> None:
    """Forget everything loaded; the next call reads the records again (after editing codes/, or after
    pointing SMTPKB_CODES elsewhere). ``mkdocs serve`` and the tests use it."""
    global _DB
    _DB = None


def normalize(code: str) -> str | None:
    """Canonical spelling of a code (``" x.7.26 "`` -> ``"X.7.26"``), or None if it is not one."""
    return _codes.normalize(code) if isinstance(code, str) else None


def get(code: str, default: "Record | None" = None) -> "Record | None":
    """The record for ``code`` (``"421"``, ``"4.7.0"``, ``"X.7.0"``), or ``default``."""
    db = database()
    try:
        hit = db.records.get(code) or db.spellings.get(code)  # fast path: warm lookups
    except TypeError:  # unhashable: certainly not a code
        return default
    if hit is not None:
        return hit
    norm = normalize(code)
    if norm is None:
        return default
    hit = db.records.get(norm)
    if hit is None:
        key = _codes.generic(norm)
        base = db.records.get(key)
        if base is None:
            head = db.read(lambda idx: idx.record_head(key))
            if head is None:
                return default
            # the rest of the record is decoded when a field beyond code, status and title is read
            base = db.records[key] = Record(head, load=lambda: db.read(lambda idx: idx.record_data(key)),
                                            core=lambda: db.read(lambda idx: idx.record_core(key)))
        hit = base.via(_codes.klass(norm))
        db.records[norm] = hit
    if code != norm:  # remember odd spellings like " 421 " too, but only so many
        if len(db.spellings) >= db.MAX_SPELLINGS:
            db.spellings.clear()
        db.spellings[code] = hit
    return hit


def lookup(code: str) -> "Record":
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
    return database().index.record_keys


def records(kind: str | None = None) -> "Iterator[Record]":
    """Every record (``kind`` ``"basic"`` or ``"enhanced"`` to narrow), in natural order."""
    database().read(lambda idx: idx.heads())  # a listing shows titles: read them all at once
    for key in codes():
        if kind is None or (kind == "basic") == _codes.is_basic(key):
            yield lookup(key)


def provider(provider_id: str) -> "Provider":
    """One provider or MTA file by id (``"gmail"``); raises KeyError if there is none."""
    db = database()
    hit = db.providers.get(provider_id) if isinstance(provider_id, str) else None
    if hit is None:
        from .signatures import Provider

        if not isinstance(provider_id, str) or provider_id not in db.index.header["providers"]:
            raise KeyError(provider_id)
        hit = db.providers[provider_id] = Provider(db.read(lambda idx: idx.provider_data(provider_id)))
    return hit


def providers() -> "tuple[Provider, ...]":
    """Every provider and MTA file, loaded once."""
    return database().memo("providers", lambda db: tuple(provider(k) for k in db.index.provider_keys))


def table(name: str) -> "Mapping":
    """A data table of the knowledge base (``codes/<name>.yaml``, e.g. ``"reasons"``), read-only;
    raises KeyError if there is none."""
    db = database()
    hit = db.tables.get(name)
    if hit is None:
        if name not in db.index.header["tables"]:
            raise KeyError(name)
        from .model import frozen

        hit = db.tables[name] = frozen(db.read(lambda idx: idx.table(name)))
    return hit  # type: ignore[return-value]


def structure() -> "Structure":
    """What digits, classes and subjects mean (codes/structure.yaml)."""
    from .digits import Structure

    return database().memo("structure", lambda db: Structure(db.read(lambda idx: idx.structure())))


def anatomy(code: str) -> "tuple[Part, ...]":
    """What each part of a code says, built from codes/structure.yaml; works for unregistered codes too.
    Raises ``UnknownCode`` if ``code`` is not shaped like a code, TypeError if it is not a string."""
    if not isinstance(code, str):
        raise TypeError(f"kb.anatomy() takes a code as a string, not {type(code).__name__}")
    db = database()
    parts = db.anatomy.get(code)
    if parts is None:
        norm = normalize(code)
        if norm is None:
            raise UnknownCode(f"{code!r} is not an SMTP reply code (expected e.g. 421, 4.7.0 or X.7.26)")
        parts = structure().anatomy(norm)
        rec = get(norm)
        if rec is not None:  # the last part of a registered code is named by its record: "26: Multiple ..."
            from .digits import Part

            last = parts[-1]
            parts = parts[:-1] + (Part(last.digits, last.position, rec.title, last.meaning),)
        if len(db.anatomy) >= 4096:
            db.anatomy.clear()
        db.anatomy[code] = parts
    return parts


def search(query: str, limit: int | None = 50) -> "list[Hit]":
    """Ranked hits: exact code first, then code prefix, title, summary and keywords, then any text.
    Raises TypeError if ``query`` is not a string."""
    if not isinstance(query, str):
        raise TypeError(f"kb.search() takes a string, not {type(query).__name__}")
    from .ranking import search as _search

    return _search(query, limit)


def explain(text: str | bytes, provider: str | None = None) -> "Explanation":
    """Explain a code, reply, DSN or log line: parsed reply, records, provider, verdict and why.
    ``provider`` (e.g. ``"gmail"``) says where the input comes from when the caller knows it."""
    from .explainer import explain as _explain

    return _explain(text, provider)


def explain_rows(lines: "Iterable[str | bytes]") -> "Iterator[dict]":
    """One flat row per non-empty line (schema: ``kb.rows.ROW_SCHEMA``), repeated lines explained once."""
    from .rows import explain_rows as _rows

    return _rows(lines)


def explain_message(data: "bytes | str | email.message.Message") -> "MessageReport":
    """Explain every recipient of a whole bounce mail (RFC 3464 report or an MTA's text): a ``MessageReport``
    with the mail's ``kind`` and one ``RecipientReport`` per recipient, each built on ``explain``."""
    from .mail import explain_message as _explain_message

    return _explain_message(data)


def validate(path: str | None = None) -> "list[Problem]":
    """Every problem in the knowledge base at ``path`` (default: the one kb reads), file:line:path each."""
    import os

    from .checks import validate as _validate
    from .store import codes_dir

    if path is None:  # name files as a person would type them: codes/basic/421.yaml
        path = codes_dir()
        rel = os.path.relpath(path)
        path = path if rel.startswith("..") else rel
    return _validate(path)
