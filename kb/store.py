"""The one loader: finds the records, keeps a compiled index, decodes records on demand.

Parsing ~150 YAML files costs far more than a cold start may, so the records are compiled once into a
JSON index (a header line with byte offsets, then one JSON document per record) and read from it:
- installed wheel: ``kb/_index.json``, built by the wheel's build hook from ``kb/codes/``;
- source checkout: ``build/kb-index.json``, rebuilt whenever a file under ``codes/`` or ``kb/schema/``
  changes (size or mtime), after full validation: a broken record stops the build, it is never dropped;
- ``SMTPKB_CODES=/path/to/codes``: another tree, compiled in memory.
"""

from __future__ import annotations

import json
import os
import re
import zlib

from . import syntax as _codes

FORMAT = 7  # bump when the index layout changes
# The compiled index also depends on this code: editing it rebuilds a checkout's index too.
_COMPILER = ("store.py", "checks.py", "model.py", "ranking.py", "syntax.py")
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
PACKAGED_INDEX = os.path.join(PACKAGE_DIR, "_index.json")


class DataError(Exception):
    """The knowledge base files are broken; ``problems`` lists each as file:line:column: path: message."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"the knowledge base has {len(problems)} problem(s); run `smtpkb validate`:\n{shown}{more}")


def codes_dir() -> str:
    """Where the YAML records are: $SMTPKB_CODES, the installed copy, or the checkout's codes/."""
    env = os.environ.get("SMTPKB_CODES")
    if env:
        return env
    installed = os.path.join(PACKAGE_DIR, "codes")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(PACKAGE_DIR), "codes")


def fingerprint(root: str) -> str:
    """Changes whenever a record or schema file, or the code that compiles them, is added, removed or edited."""
    parts = [str(FORMAT)]
    for name in _COMPILER:
        try:
            st = os.stat(os.path.join(PACKAGE_DIR, name))
        except OSError:
            continue
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    for folder in (root, os.path.join(root, "basic"), os.path.join(root, "enhanced"),
                   os.path.join(root, "providers"), os.path.join(PACKAGE_DIR, "schema")):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.is_file():
                st = e.stat()
                parts.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
    blob = "\n".join(parts).encode()
    # stable across runs (str hash is salted) and cheaper to import than hashlib
    return f"{zlib.crc32(blob):08x}{zlib.adler32(blob):08x}{len(blob):x}"


def compile_index(root: str, fp: str = "") -> bytes:
    """Validate everything under ``root`` and serialise it; raises DataError on any problem."""
    from .checks import read_sources, validate
    from .model import Record
    from .ranking import search_row

    problems = validate(root)
    if problems:
        raise DataError(problems)
    sources, _ = read_sources(root)
    base = os.path.dirname(os.path.abspath(root))
    docs: list[tuple[str, str, dict]] = []
    matchers: list[list] = []
    for s in sources:
        value = dict(s.value)
        value["_source"] = os.path.relpath(s.path, base)
        if s.kind == "structure":
            docs.append(("structure", "structure", value))
        elif s.kind == "providers":
            docs.append(("providers", value["id"], value))
            matchers.append(_matcher(value))
        else:
            docs.append(("records", value["code"], value))
    docs.sort(key=lambda d: (d[0], _codes.sort_key(d[1]) if d[0] == "records" else d[1]))
    body = bytearray()
    matchers.sort(key=lambda m: m[0])
    header: dict = {"format": FORMAT, "fingerprint": fp, "records": {}, "providers": {}, "structure": None,
                    "matchers": matchers, "search": None}
    # the ranking's folded texts, worked out once here: the first search then reads one document
    # instead of decoding every record
    docs.append(("search", "search", [search_row(Record(v)) for section, _, v in docs if section == "records"]))
    for section, key, value in docs:
        blob = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        entry = [len(body), len(blob)]
        if section == "records":  # what a list of codes shows, readable without decoding the record
            entry += [value.get("status"), value["title"], value["_source"]]
        if section in ("structure", "search"):
            header[section] = entry
        else:
            header[section][key] = entry
        body += blob + b"\n"
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + bytes(body)


def _matcher(provider: dict) -> list:
    """What the explainer needs to recognise a provider and pick a signature, without the texts:
    [id, kind, domains, [[host pattern, shortcuts]], [[codes, enhanced, pattern, shortcuts]]].
    The shortcuts (see syntax.analyse) are worked out here once instead of at every start."""
    ic = re.IGNORECASE
    return [provider["id"], provider["kind"], provider.get("domains", []),
            [[p, _codes.analyse(p, ic)] for p in provider.get("host_patterns", ())],
            [[sig.get("codes", []), sig.get("enhanced", []), sig["pattern"], _codes.analyse(sig["pattern"], ic)]
             for sig in provider["signatures"]]]


class Index:
    """The compiled index: a header of byte offsets, and each document decoded when first asked for."""

    def __init__(self, blob: bytes | None = None, path: str | None = None) -> None:
        """From bytes in memory, or from a file of which only the header is read now: each record is
        read when first asked for, so a lookup does not pay for reading the whole knowledge base."""
        self.path, self.blob = path, blob
        if blob is not None:
            nl = blob.index(b"\n")
            head, self.base = blob[:nl], nl + 1
        else:
            # kept open: a rebuild replaces the file (os.replace), and this inode stays the one the
            # header's offsets describe
            self._fd = os.open(path, os.O_RDONLY)
            with os.fdopen(os.dup(self._fd), "rb") as fh:
                head = fh.readline()
            self.base = len(head)
        try:
            self.header = json.loads(head)
        except ValueError:
            self.close()
            raise
        self.record_keys: tuple[str, ...] = tuple(self.header["records"])  # already in natural order
        self.provider_keys: tuple[str, ...] = tuple(self.header["providers"])
        self._decoded: dict[str, dict] = {}

    def _doc(self, entry: list) -> dict:
        start, length = entry[:2]
        if self.blob is not None:
            return json.loads(self.blob[self.base + start:self.base + start + length])
        return json.loads(os.pread(self._fd, length, self.base + start))

    def close(self) -> None:
        if self.blob is None:
            os.close(self._fd)

    def matchers(self) -> list:
        return self.header["matchers"]

    def record_head(self, key: str) -> dict | None:
        """A record's code, status, title and source from the header; None if there is no such record."""
        entry = self.header["records"].get(key)
        if entry is None:
            return None
        return {"code": key, "status": entry[2], "title": entry[3], "_source": entry[4]}

    def record_data(self, key: str) -> dict | None:
        data = self._decoded.get(key)
        if data is None:
            entry = self.header["records"].get(key)
            if entry is None:
                return None
            data = self._decoded[key] = self._doc(entry)
        return data

    def provider_data(self, key: str) -> dict:
        return self._doc(self.header["providers"][key])

    def search_rows(self) -> list[list[str]]:
        return self._doc(self.header["search"])

    def structure(self) -> dict:
        return self._doc(self.header["structure"])


def _write_atomic(path: str, blob: bytes) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout still works; it just compiles again next time


def open_index() -> Index:
    root = codes_dir()
    if not os.environ.get("SMTPKB_CODES") and root == os.path.join(PACKAGE_DIR, "codes"):
        if os.path.exists(PACKAGED_INDEX):
            return Index(path=PACKAGED_INDEX)
    if not os.path.isdir(root):
        raise DataError([f"{root}: no knowledge base here (set SMTPKB_CODES to a codes/ directory)"])
    fp = fingerprint(root)
    cache = None
    if not os.environ.get("SMTPKB_CODES"):
        cache = os.path.join(os.path.dirname(PACKAGE_DIR), "build", "kb-index.json")
        try:
            idx = Index(path=cache)
            if idx.header.get("fingerprint") == fp and idx.header.get("format") == FORMAT:
                return idx
            idx.close()
        except (OSError, ValueError, KeyError):
            pass  # missing, torn or foreign: rebuild it
    blob = compile_index(root, fp)
    if cache:
        _write_atomic(cache, blob)
    return Index(blob)
