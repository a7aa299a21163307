"""The one loader: finds the records, keeps a compiled index, decodes records on demand.

Parsing ~150 YAML files costs far more than a cold start may, so the records are compiled once into a
JSON index (a header line with byte offsets, then one JSON document per record) and read from it:
- installed wheel: ``kb/_index.json``, built by the wheel's build hook from ``kb/codes/``;
- source checkout: ``build/kb-index.json``, rebuilt whenever a file under ``codes/`` or ``kb/schema/``, or a
  module of ``kb/``, changes (size or mtime), after full validation: a broken record stops the build, it is
  never dropped. What a process reads is checked, not the whole tree (see ``Index.current``);
- ``SMTPKB_CODES=/path/to/codes``: another tree, compiled in memory.
"""

import _thread  # not threading: the builtin costs nothing at a cold start, threading a millisecond
import json
import os

from . import syntax as _codes

FORMAT = 12  # bump when the index layout changes
# What an explanation reads of a record; the rest of it (causes, examples, definitions, ...) is a document of
# its own, decoded only when a field of it is read: a cold explain decodes a fifth of each record.
RECORD_CORE = frozenset({"code", "status", "title", "summary", "replaced_by", "retry", "remedies", "_source"})
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
PACKAGED_INDEX = os.path.join(PACKAGE_DIR, "_index.json")
SCHEMA_DIR = os.path.join(PACKAGE_DIR, "schema")
_DIR_FD = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd


_PRIME = 1_000_000_007  # below 2**30: one digit of CPython's ints, so the remainder is one linear pass


def checksum(blob: bytes) -> int:
    """The bytes read as one number, modulo a prime: any changed byte (or run of up to three) changes it.
    Not CRC-32: binascii and zlib are shared libraries, and loading one costs a cold start 0.3 ms."""
    return int.from_bytes(blob, "little") % _PRIME


class DataError(Exception):
    """The knowledge base files are broken; ``problems`` lists each as file:line:column: path: message."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"the knowledge base has {len(problems)} problem(s); run `smtpkb validate`:\n{shown}{more}")


def schemas() -> dict[str, dict]:
    """The JSON Schemas (kb/schema/NAME.schema.json) by NAME: the one place they are read."""
    out = {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        if name.endswith(".schema.json"):
            with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as fh:
                out[name[: -len(".schema.json")]] = json.load(fh)
    return out


def codes_dir() -> str:
    """Where the YAML records are: $SMTPKB_CODES, the installed copy, or the checkout's codes/."""
    env = os.environ.get("SMTPKB_CODES")
    if env:
        return env
    installed = os.path.join(PACKAGE_DIR, "codes")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(PACKAGE_DIR), "codes")


def stamp(folder: str, names: list[str]) -> str:
    """One stamp for the files ``names`` in ``folder`` (``"."``: the folder itself, whose mtime changes when
    an entry is added, removed or renamed). It changes when one of them is edited in place, as size or
    mtime say: one stat each, the least that sees such an edit, made relative to the open folder."""
    nums: list[int] = []
    try:
        fd = os.open(folder, os.O_RDONLY) if _DIR_FD else None
    except OSError:
        return "missing"
    try:
        for name in names:
            try:  # follows links; a looping or dangling one is validation's to report
                st = os.stat(name, dir_fd=fd) if fd is not None else os.stat(os.path.join(folder, name))
                nums += (st.st_size, st.st_mtime_ns)
            except OSError:
                nums.append(-1)  # missing or unreadable
    finally:
        if fd is not None:
            os.close(fd)
    return f"{hash(tuple(nums)) & 0xFFFFFFFFFFFFFFFF:x}"  # an int's hash is not salted per process, a str's is


def _code_stamp() -> str:
    """The code that compiles the index: every module of kb/ and every schema, named and stamped."""
    try:
        modules = sorted(n for n in os.listdir(PACKAGE_DIR) if n.endswith(".py"))
        schemas_ = sorted(os.listdir(SCHEMA_DIR))
    except OSError:
        return "unreadable"
    names = "\n".join([str(FORMAT)] + modules + schemas_).encode()
    return f"{checksum(names):x}.{stamp(PACKAGE_DIR, modules)}.{stamp(SCHEMA_DIR, schemas_)}"


def _folders_stamp(root: str) -> str:
    return stamp(root, [".", "basic", "enhanced", "providers"])


def stamps_at_open(root: str) -> tuple[str, str]:
    """What is checked when a checkout's index is opened: the code that compiles it, and which files
    there are (a folder's mtime changes when an entry is added, removed or renamed)."""
    return _code_stamp(), _folders_stamp(root)


def fingerprint(root: str) -> str:
    """Changes whenever any file the index is compiled from is added, removed or edited: the whole tree, for
    a surface that reads every record anyway (the site's ``mkdocs serve`` reloads on it). A start checks less
    (``Index.current``)."""
    parts = list(stamps_at_open(root))
    for folder in (root, os.path.join(root, "basic"), os.path.join(root, "enhanced"), os.path.join(root, "providers")):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        parts.append(stamp(folder, names))
    return ".".join(parts)


def _record_folder(root: str, code: str) -> str:
    return os.path.join(root, "basic" if _codes.is_basic(code) else "enhanced")


class IndexDefect(Exception):
    """The compiled index is torn, truncated or not ours; the store rebuilds it."""


class IndexStale(IndexDefect):
    """A file the index was compiled from has changed since; the store rebuilds it, saying nothing."""


class IndexOutdated(IndexDefect):
    """Written by another version of smtp-kb (another index format): a checkout's is rebuilt, saying nothing,
    as after any change of the code that compiles it."""


class Index:
    """The compiled index: a header of byte offsets, and each document decoded when first asked for.

    It checks itself: the header line carries its own checksum and the body's length (checked on open),
    and every document its checksum (checked when it is decoded). Any defect raises IndexDefect."""

    def __init__(self, blob: bytes | None = None, path: str | None = None, root: str | None = None) -> None:
        """From bytes in memory, or from a file of which only the header is read now: each record is
        read when first asked for, so a lookup does not pay for reading the whole knowledge base.
        ``root``: the codes/ folder a checkout's index was compiled from, checked part by part (``current``)."""
        self.path, self.blob, self.root = path, blob, root
        self._current: set[str] = set()  # the parts found current
        self._fd: int | None = None
        if blob is not None:
            nl = blob.find(b"\n")
            head, self.base, size = blob[: max(nl, 0)], nl + 1, len(blob)
        else:
            assert path is not None
            # kept open: a rebuild replaces the file (os.replace), and this inode stays the one the
            # header's offsets describe; closed when the index is closed or collected (kb.reload drops it)
            self._fd = os.open(path, os.O_RDONLY)
            try:
                size = os.fstat(self._fd).st_size
                with os.fdopen(os.dup(self._fd), "rb") as fh:
                    line = fh.readline()
                nl = len(line) - 1 if line.endswith(b"\n") else -1
                head, self.base = line[: max(nl, 0)], nl + 1
            except OSError:
                self.close()
                raise
        try:
            self.header = self._read_header(head, nl, size)
        except IndexDefect:
            self.close()
            raise
        self.record_keys: tuple[str, ...] = tuple(self.header["records"])  # already in natural order
        self.provider_keys: tuple[str, ...] = tuple(self.header["providers"])
        self._decoded: dict[str, dict] = {}
        self._cores: dict[str, dict] = {}
        self._heads: dict[str, list] | None = None

    def _read_header(self, head: bytes, nl: int, size: int) -> dict:
        if nl < 0:
            raise IndexDefect("no header line")
        body, _, crc = head.rpartition(b" ")
        if not body or crc != f"{checksum(body):08x}".encode():
            # another format may have summed its header otherwise: say "outdated" rather than "damaged"
            fmt = _format_of(body)
            if fmt is not None and fmt != FORMAT:
                raise IndexOutdated(f"index format {fmt}, this version reads {FORMAT}")
            raise IndexDefect("header checksum does not match")
        try:
            header = json.loads(body)
        except ValueError as exc:
            raise IndexDefect(f"header is not JSON ({exc})") from None
        fmt = header.get("format") if isinstance(header, dict) else None
        if not isinstance(fmt, int) or isinstance(fmt, bool):
            raise IndexDefect("header without a format number")
        if fmt != FORMAT:
            raise IndexOutdated(f"index format {fmt}, this version reads {FORMAT}")
        if not isinstance(header.get("body_length"), int) or size != self.base + header["body_length"]:
            raise IndexDefect(f"{size} bytes, not what the header promises")
        shape = {"records": dict, "providers": dict, "tables": dict, "matchers": str, "structure": str, "search": str,
                 "heads": str}  # each a document's "offset,length,checksum", or a table of them
        if any(not isinstance(header.get(k), t) for k, t in shape.items()):
            raise IndexDefect("header without the sections of an index")
        if any(not isinstance(e, str) for k in ("records", "providers", "tables", "reasons")
               for e in header.get(k, {}).values()):
            raise IndexDefect("header with an entry that is not offset,length,checksum")
        return header

    def current(self, part: str) -> None:
        """Raise IndexStale if the files behind ``part`` changed since the index was compiled: "providers",
        "tables" (codes/*.yaml), "record:<code>" or "records" (all of them). Each part is checked when a
        process first reads it: a cold explain stats the files of the few parts it reads, not all of codes/
        (which folders hold which files, and the code that compiles, were checked when the index was opened)."""
        if self.root is None or part in self._current:
            return
        stamps = self.header["stamps"]
        if part == "records":
            for key in self.record_keys:
                self.current("record:" + key)
        elif part.startswith("record:"):
            code = part[len("record:"):]
            if stamp(_record_folder(self.root, code), [code + ".yaml"]) != self.header["records"][code].split(",")[7]:
                raise IndexStale(f"{code} changed")
        elif part == "providers":
            names = [k + ".yaml" for k in self.provider_keys]
            if stamp(os.path.join(self.root, "providers"), names) != stamps["providers"]:
                raise IndexStale("a provider file changed")
        elif stamp(self.root, stamps["top_files"]) != stamps["tables"]:
            raise IndexStale(f"a file of {self.root} changed")
        self._current.add(part)

    def _doc(self, entry: str, at: int = 0):
        """The document whose "offset,length,checksum" begin at field ``at`` of ``entry``. Entries are strings,
        not JSON lists: a header of strings decodes in a fraction of the time, and leaves fewer objects."""
        try:
            start, length, crc = map(int, entry.split(",")[at:at + 3])
        except (AttributeError, ValueError):
            raise IndexDefect("the header holds an entry that is not offset,length,checksum") from None
        if self.blob is not None:
            blob = self.blob[self.base + start:self.base + start + length]
        else:
            assert self._fd is not None
            blob = os.pread(self._fd, length, self.base + start)
        if checksum(blob) != crc:
            raise IndexDefect(f"a document at byte {self.base + start} is damaged")
        try:
            return json.loads(blob)
        except ValueError:
            raise IndexDefect(f"a document at byte {self.base + start} is not JSON") from None

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        self.close()

    def matchers(self) -> dict:
        """What recognising a provider needs (kb/explainer.py prepare_matchers), but the host patterns."""
        self.current("providers")
        return self._doc(self.header["matchers"])

    def hosts(self) -> list:
        """Every provider's host patterns, in the order they are tried (kb/explainer.py prepare_matchers)."""
        self.current("providers")
        return self._doc(self.header["hosts"])

    def heads(self) -> dict[str, list]:
        """Every record's [title, source] by code: what a list of codes shows, without decoding the records."""
        heads = self._heads
        if heads is None:
            self.current("records")
            heads = self._heads = self._doc(self.header["heads"])
        return heads

    def record_head(self, key: str) -> dict | None:
        """A record's code and status, with its title and source once ``heads()`` has been read (a listing
        reads it; a single lookup takes them from the record's core document instead); None if there is
        no such record."""
        entry = self.header["records"].get(key)
        if entry is None:
            return None
        self.current("record:" + key)
        head = {"code": key, "status": entry.split(",")[3] or None}
        if self._heads is not None:
            try:
                head["title"], head["_source"] = self._heads[key]
            except (KeyError, TypeError, ValueError):
                raise IndexDefect(f"the heads document has no title and source for {key}") from None
        return head

    def record_core(self, key: str) -> dict | None:
        """The fields of a record that an explanation reads (RECORD_CORE); None if there is no such record."""
        core = self._cores.get(key)
        if core is None:
            entry = self.header["records"].get(key)
            if entry is None:
                return None
            self.current("record:" + key)
            core = self._cores[key] = self._doc(entry)
        return core

    def record_data(self, key: str) -> dict | None:
        """A record's whole data, its fields in the order of its file."""
        data = self._decoded.get(key)
        if data is None:
            core = self.record_core(key)
            if core is None:
                return None
            rest = self._doc(self.header["records"][key], 4)
            try:
                data = {k: core[k] if k in core else rest[k] for k in rest["_keys"]}
            except (KeyError, TypeError):
                raise IndexDefect(f"the record {key} does not join up") from None
            self._decoded[key] = data
        return data

    def provider_data(self, key: str) -> dict:
        self.current("providers")
        return self._doc(self.header["providers"][key])

    def provider_signatures(self, key: str) -> list:
        """A provider's signatures as the explainer matches them (kb/compiler.py _signatures)."""
        self.current("providers")
        return self._doc(self.header["providers"][key], 3)

    def taxonomy(self) -> dict:
        """The explainer's reason tables (kb/reasons.py prepare); KeyError without a codes/reasons.yaml."""
        entry = self.header.get("taxonomy")
        if entry is None:
            raise KeyError("reasons")
        self.current("tables")
        return self._doc(entry)

    def reason(self, reason: str) -> dict:
        """A reason's fix, crosswalk and actors (kb/reasons.py prepare)."""
        self.current("tables")
        return self._doc(self.header["reasons"][reason])

    def table(self, name: str) -> dict:
        self.current("tables")
        return self._doc(self.header["tables"][name])

    def table_names(self) -> tuple[str, ...]:
        return tuple(self.header["tables"])

    def search_rows(self) -> list[list[str]]:
        self.current("records")
        return self._doc(self.header["search"])

    def structure(self) -> dict:
        self.current("tables")
        return self._doc(self.header["structure"])

    def raw(self) -> bytes:
        """The whole compiled index as bytes: what ``kb.use_index`` takes (to ship it to a worker once). Every
        part is checked first: whoever is given it checks nothing against the files."""
        for part in ("records", "providers", "tables"):
            self.current(part)
        if self.blob is not None:
            return bytes(self.blob)
        assert self._fd is not None
        return os.pread(self._fd, self.base + self.header["body_length"], 0)

    def verify(self) -> None:
        """Decode every document once: raises IndexDefect if any is damaged."""
        for section in ("records", "providers", "tables", "reasons"):
            for entry in self.header.get(section, {}).values():
                self._doc(entry)
                if section in ("records", "providers"):
                    self._doc(entry, 4 if section == "records" else 3)
        for section in ("structure", "search", "heads", "matchers", "hosts", "taxonomy"):
            if self.header.get(section) is not None:
                self._doc(self.header[section])


def _write_atomic(path: str, blob: bytes) -> None:
    """Write ``path`` whole or not at all; never leave a temporary file behind."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout, or the path is a directory: it still works, compiling again next time
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # it was renamed into place, or never written


class _BuildLock:
    """One process compiles the index at a time; the others wait for it and then read its result."""

    def __init__(self, cache: str) -> None:
        self.path, self.fd = cache + ".lock", -1

    def __enter__(self) -> None:
        try:
            import fcntl

            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass  # no locking here (read-only checkout, other platform): at worst two processes compile alike

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing releases the lock


def _format_of(body: bytes) -> int | None:
    """The format number a header says it has, or None (not a JSON object, or no whole number there)."""
    try:
        header = json.loads(body)
    except ValueError:
        return None
    fmt = header.get("format") if isinstance(header, dict) else None
    return fmt if isinstance(fmt, int) and not isinstance(fmt, bool) else None


def _say(message: str) -> None:
    import sys

    print(f"smtpkb: {message}", file=sys.stderr)


def _compile(root: str) -> bytes:
    from .compiler import compile_index  # validation, YAML and jsonschema: only when there is something to compile

    return compile_index(root)


def _cached(cache: str, root: str, quiet: bool = False) -> Index | None:
    """The checkout's compiled index if it is intact, and current as far as checked on opening (the code
    that compiles it, and which files there are); None if it must be built."""
    try:
        idx = Index(path=cache, root=root)
    except FileNotFoundError:
        return None
    except IndexOutdated:  # after an upgrade: rebuilt like any index older than its code
        return None
    except IndexDefect as exc:
        if not quiet:
            _say(f"the compiled index {cache} is damaged ({exc}); rebuilding it")
        return None
    except OSError as exc:
        if not quiet:
            _say(f"cannot read the compiled index {cache} ({exc.strerror}); rebuilding it")
        return None
    stamps = idx.header.get("stamps")
    if isinstance(stamps, dict) and (stamps.get("code"), stamps.get("folders")) == stamps_at_open(root):
        return idx
    idx.close()
    return None


def open_index() -> Index:
    root = codes_dir()
    if not os.environ.get("SMTPKB_CODES") and root == os.path.join(PACKAGE_DIR, "codes") and os.path.exists(PACKAGED_INDEX):
        try:
            return Index(path=PACKAGED_INDEX)
        except (IndexDefect, OSError) as exc:
            _say(f"the packaged index {PACKAGED_INDEX} is damaged ({exc}); compiling the records instead")
    if not os.path.isdir(root):
        raise DataError([f"{root}: no knowledge base here (set SMTPKB_CODES to a codes/ directory)"])
    if os.environ.get("SMTPKB_CODES"):
        return Index(_compile(root))
    cache = os.path.join(os.path.dirname(PACKAGE_DIR), "build", "kb-index.json")
    idx = _cached(cache, root)
    if idx is not None:
        return idx
    with _BuildLock(cache):
        idx = _cached(cache, root, quiet=True)  # another process may have built it while this one waited
        if idx is not None:
            return idx
        blob = _compile(root)
        _write_atomic(cache, blob)
    return Index(blob)


def rebuild_index(damaged: Index) -> Index:
    """A fresh index after ``damaged`` failed a check while in use (torn, or older than its files): the one
    another process rebuilt meanwhile, or compiled from the records again, once, under the build lock.
    The damaged one is not closed here: another thread may still be reading it; it closes when collected."""
    root = codes_dir()
    if not damaged.path or damaged.path == PACKAGED_INDEX:
        return Index(_compile(root))
    with _BuildLock(damaged.path):
        idx = _cached(damaged.path, root, quiet=True)
        if idx is not None and idx.header != damaged.header:
            return idx  # rebuilt by another process meanwhile; its parts are checked as they are read
        if idx is not None:
            idx.close()
        blob = _compile(root)
        _write_atomic(damaged.path, blob)
    return Index(blob)


class Database:
    """Everything loaded from the knowledge base, owned in one place (as pycountry's ``Database``).

    ``kb`` creates one lazily and ``kb.reload()`` replaces it; every cache lives here, is bounded, and goes
    with it. Modules that derive something from the index (the ranking's documents, the explainer's
    matchers) keep it with ``memo``, so nothing reaches into another module to forget it."""

    MAX_SPELLINGS = 4096  # odd spellings of codes remembered (" 421 ", "x.7.26"): bounded

    def __init__(self, index: Index | None = None) -> None:
        self._index: Index | None = index
        self._lock = _thread.RLock()
        self.records: dict = {}  # canonical code -> Record (at most three class views per record)
        self.spellings: dict = {}  # other spellings -> Record, bounded by MAX_SPELLINGS
        self.providers: dict = {}
        self.tables: dict = {}
        self.anatomy: dict = {}
        self._memo: dict = {}

    @property
    def index(self) -> Index:
        idx = self._index
        if idx is None:
            with self._lock:
                if self._index is None:
                    self._index = open_index()
                idx = self._index
        return idx

    def read(self, fn):
        """``fn(index)``; if the index turns out to be damaged or stale while in use, rebuild it and retry.
        Twice at most: a rebuild another process made may itself be stale by then; one compiled here is not
        checked against the files again, so the third try reads it."""
        for _ in range(2):
            idx = self.index
            try:
                return fn(idx)
            except IndexDefect as exc:
                with self._lock:
                    if self._index is idx:
                        if not isinstance(exc, IndexStale):
                            _say(f"the compiled index was damaged ({exc}); rebuilt it")
                        self._index = rebuild_index(idx)
                        # what was derived from the old index (matchers, providers, records) goes with
                        # it: the explainer's marker indexes must number the same provider's signatures
                        for cache in (self.records, self.spellings, self.providers, self.tables, self.anatomy,
                                      self._memo):
                            cache.clear()
        return fn(self.index)

    def memo(self, name: str, build):
        """A value derived from the index (``build(database)``), built once per database."""
        hit = self._memo.get(name)
        if hit is None:
            with self._lock:
                hit = self._memo.get(name)
                if hit is None:
                    hit = self._memo[name] = build(self)
        return hit

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
