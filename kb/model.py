"""Read-only record types.

Plain classes with ``__slots__`` instead of dataclasses: ``import dataclasses`` alone costs more than
the whole cold-start budget of ``import kb`` (see bench/). Instances refuse attribute assignment;
sequences are tuples and mappings are ``types.MappingProxyType``.
"""

from types import MappingProxyType

from . import syntax as _codes

TYPE_CHECKING = False  # typing costs a third of the start-up budget; type checkers read this name as True
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_set = object.__setattr__
_EMPTY: MappingProxyType = MappingProxyType({})


def frozen(value: object) -> object:
    """A read-only deep copy of decoded JSON: dicts become mapping proxies, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


class Frozen:
    """Base of every read-only value: equality and repr by fields, no assignment.

    Why not ``@dataclass(frozen=True, slots=True)``: importing dataclasses costs 13-20 ms on this kind of
    machine (``python -X importtime -c "import dataclasses"``), about as much as a whole cold
    ``python -c "import re, json"``; the cold-start target (bench/bench_core.py: at most 1.3x that) would
    not hold. ``assign`` gives the one safety a dataclass adds that matters here: unknown fields are errors."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + tuple(_hashable(getattr(self, f)) for f in self._fields))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields[:3])
        return f"{type(self).__name__}({shown}{', ...' if len(self._fields) > 3 else ''})"


def assign(obj: Frozen, kw: dict) -> None:
    """Set each of ``obj``'s slots from ``kw`` (a missing one is None); an unknown name is a TypeError,
    as it is for a dataclass, so a misspelled field never passes silently."""
    cls = type(obj)
    slots: tuple[str, ...] = cls.__slots__
    names = _SLOT_SETS.get(cls)
    if names is None:
        names = _SLOT_SETS[cls] = frozenset(slots)
    if not kw.keys() <= names:  # one set comparison in C, not a scan of the slots per field
        unknown = [k for k in kw if k not in names]
        raise TypeError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}")
    if len(kw) == len(names):  # every field given (most constructions): no lookups
        for f, v in kw.items():
            _set(obj, f, v)
        return
    for f in slots:
        _set(obj, f, kw.get(f))


_SLOT_SETS: dict[type, frozenset] = {}  # one entry per Frozen class


def _hashable(v: object) -> object:
    return tuple(sorted(v.items())) if isinstance(v, MappingProxyType) else v


class Text(Frozen):
    """A text in English and German. ``text("de")`` or ``text.de``; ``str(text)`` is the English."""

    __slots__ = ("en", "de")
    _fields = ("en", "de")
    en: str
    de: str

    def __init__(self, en: str, de: str) -> None:
        _set(self, "en", en)
        _set(self, "de", de)

    def __eq__(self, other: object) -> bool:  # Frozen's, for the one type compared most (remedies, caches)
        return type(other) is Text and self.en == other.en and self.de == other.de

    def __hash__(self) -> int:
        return hash(("Text", self.en, self.de))

    def __call__(self, lang: str = "en") -> str:
        return self.de if lang == "de" else self.en

    def __getitem__(self, lang: str) -> str:
        if lang not in ("en", "de"):
            raise KeyError(lang)
        return self(lang)

    def __str__(self) -> str:
        return self.en

    def as_dict(self) -> dict:
        return {"en": self.en, "de": self.de}


def text(d: dict | None) -> Text | None:
    return None if d is None else Text(d["en"], d["de"])


class Item(Frozen):
    """A cause or scenario: what happens, and how to confirm it (``check``)."""

    __slots__ = ("title", "detail", "check")
    _fields = __slots__
    title: Text
    detail: Text
    check: Text | None

    def __init__(self, d: dict) -> None:
        _set(self, "title", text(d["title"]))
        _set(self, "detail", text(d["detail"]))
        _set(self, "check", text(d.get("check")))


class Remedy(Frozen):
    """What to do, and who must do it (sender, sending-admin, receiving-admin, recipient, developer)."""

    __slots__ = ("title", "detail", "actors")
    _fields = __slots__
    title: Text
    detail: Text
    actors: tuple[str, ...]

    def __init__(self, d: dict) -> None:
        _set(self, "title", text(d["title"]))
        _set(self, "detail", text(d["detail"]))
        _set(self, "actors", tuple(d["actors"]))


class RetryPlan(Frozen):
    """How one role retries a temporary failure: a profile of codes/retry.yaml applied to one code."""

    __slots__ = ("role", "schedule_minutes", "min_attempts", "max_attempts", "give_up_after_hours", "log_level", "slow_down")
    _fields = __slots__
    role: str  # application | mta-queue
    schedule_minutes: tuple[int, ...]  # waits before each retry; the last one repeats
    min_attempts: int | None
    max_attempts: int | None
    give_up_after_hours: int | None
    log_level: str
    slow_down: bool

    def __init__(self, **kw: object) -> None:
        assign(self, kw)


class Retry(Frozen):
    """Retry guidance as data. ``schedule_minutes`` and ``give_up_after_hours`` are an MTA queue's
    (``mta_queue``); ``application`` is the plan for software submitting through its relay."""

    __slots__ = ("decision", "schedule_minutes", "max_attempts", "give_up_after_hours", "log_level", "note", "slow_down")
    _fields = __slots__
    decision: str  # retry | retry-after-fix | do-not-retry | not-applicable
    schedule_minutes: tuple[int, ...]
    max_attempts: int | None
    give_up_after_hours: int | None
    log_level: str
    note: Text
    slow_down: bool  # a rate or reputation deferral: send less to that destination

    def __init__(self, d: dict) -> None:
        _set(self, "decision", d["decision"])
        _set(self, "schedule_minutes", tuple(d.get("schedule_minutes", ())))
        _set(self, "max_attempts", d.get("max_attempts"))
        _set(self, "give_up_after_hours", d.get("give_up_after_hours"))
        _set(self, "log_level", d["log_level"])
        _set(self, "note", text(d["note"]))
        _set(self, "slow_down", bool(d.get("slow_down", False)))

    @property
    def should_retry(self) -> bool:
        return self.decision == "retry"

    @property
    def mta_queue(self) -> RetryPlan | None:
        """An MTA queue's plan for this code (RFC 5321 §4.5.4.1), or None when it is not retried as is."""
        return self.plan("mta-queue")

    @property
    def application(self) -> RetryPlan | None:
        """The plan for an application submitting through its relay, or None when it is not retried as is."""
        return self.plan("application")

    def plan(self, role: str) -> RetryPlan | None:
        """The plan for ``role`` ("application" or "mta-queue"): the record's own numbers where it has them,
        otherwise the role's profile in codes/retry.yaml."""
        if role not in ("application", "mta-queue"):
            raise KeyError(role)
        if not self.should_retry:
            return None
        profile = _retry_profile(role)
        attempts = profile.get("attempts") or {}
        if role == "mta-queue":
            schedule = self.schedule_minutes or tuple(profile.get("schedule_minutes", ()))
            give_up = self.give_up_after_hours or profile.get("give_up_after_hours")
        else:
            schedule, give_up = tuple(profile.get("schedule_minutes", ())), profile.get("give_up_after_hours")
        return RetryPlan(role=role, schedule_minutes=schedule, min_attempts=attempts.get("min"),
                         max_attempts=attempts.get("max"), give_up_after_hours=give_up,
                         log_level=profile.get("log_level", self.log_level), slow_down=self.slow_down)


def _retry_profile(role: str) -> "Mapping":
    """A profile of codes/retry.yaml; empty if the knowledge base has no retry table."""
    from . import table

    try:
        return table("retry")["profiles"][role]
    except KeyError:
        return _EMPTY


class Example(Frozen):
    """An example reply. ``source`` is the English citation; ``source_text`` has both languages."""

    __slots__ = ("reply", "source", "url", "illustrative", "note", "source_text")
    _fields = __slots__
    reply: str
    source: str
    url: str | None
    illustrative: bool
    note: Text | None
    source_text: Text

    def __init__(self, d: dict) -> None:
        src = d["source"]
        _set(self, "reply", d["reply"])
        _set(self, "source_text", text(src) if isinstance(src, dict) else Text(src, src))
        _set(self, "source", self.source_text.en)
        _set(self, "url", d.get("url"))
        _set(self, "illustrative", d["illustrative"])
        _set(self, "note", text(d.get("note")))


class Reference(Frozen):
    __slots__ = ("title", "url")
    _fields = __slots__
    title: str
    url: str

    def __init__(self, d: dict) -> None:
        _set(self, "title", d["title"])
        _set(self, "url", d["url"])


class Definition(Frozen):
    """Where a code is defined, and what it means in that context (command, extension)."""

    __slots__ = ("document", "section", "url", "standard", "reply_text", "extension", "commands", "enhanced", "meaning", "note")
    _fields = __slots__
    document: str
    section: str | None
    url: str | None
    standard: bool
    reply_text: str | None
    extension: str | None
    commands: tuple[str, ...]
    enhanced: tuple[str, ...]
    meaning: Text
    note: Text | None

    def __init__(self, d: dict) -> None:
        for f in ("document", "section", "url", "reply_text", "extension"):
            _set(self, f, d.get(f))
        _set(self, "standard", d["standard"])
        _set(self, "commands", tuple(d.get("commands", ())))
        _set(self, "enhanced", tuple(d.get("enhanced", ())))
        _set(self, "meaning", text(d["meaning"]))
        _set(self, "note", text(d.get("note")))

    @property
    def citation(self) -> str:
        return f"{self.document} §{self.section}" if self.section else self.document


class ProviderNote(Frozen):
    """A provider that uses the code with another meaning than the registry's."""

    __slots__ = ("provider", "code", "meaning", "url", "example")
    _fields = __slots__
    provider: str
    code: str | None
    meaning: Text
    url: str | None
    example: str | None

    def __init__(self, d: dict) -> None:
        _set(self, "provider", d["provider"])
        _set(self, "code", d.get("code"))
        _set(self, "meaning", text(d["meaning"]))
        _set(self, "url", d.get("url"))
        _set(self, "example", d.get("example"))


def _items(cls, seq) -> tuple:
    return tuple(cls(d) for d in seq or ())


class Record(Frozen):
    """One code's record, seen through a class.

    ``code`` is the code as asked (``"5.7.26"``); ``key`` the record it comes from (``"X.7.26"``).
    For enhanced records ``retry`` and ``class_meaning`` are those of the class asked for, and
    ``retry_by_class`` holds them all.
    """

    __slots__ = (
        "code", "key", "kind", "klass", "status", "title", "summary", "meaning", "anatomy", "category", "action",
        "reply_text", "definitions", "enhanced_codes", "enhanced_codes_in_practice", "basic_codes", "registry",
        "classes", "class_meaning", "retry", "retry_by_class", "causes", "remedies", "best_practices", "scenarios",
        "examples", "related", "references", "provider_notes", "tags", "keywords", "replaced_by", "source", "_data",
        "_core", "_load",
    )
    _fields = ("code", "key", "kind", "status", "title")

    code: str
    key: str
    kind: str  # "basic" | "enhanced"
    klass: str | None
    status: str
    title: Text
    summary: Text
    meaning: Text
    anatomy: Text | None
    category: Text
    action: Text
    reply_text: str | None
    definitions: tuple[Definition, ...]
    enhanced_codes: tuple[str, ...]
    enhanced_codes_in_practice: tuple[str, ...]
    basic_codes: tuple[str, ...]
    registry: "Mapping[str, str]"
    classes: "Mapping[str, Text]"
    class_meaning: Text | None
    retry: Retry | None
    retry_by_class: "Mapping[str, Retry]"
    causes: tuple[Item, ...]
    remedies: tuple[Remedy, ...]
    best_practices: tuple[Remedy, ...]
    scenarios: tuple[Item, ...]
    examples: tuple[Example, ...]
    related: tuple[str, ...]
    references: tuple[Reference, ...]
    provider_notes: tuple[ProviderNote, ...]
    tags: tuple[str, ...]
    keywords: Text | None
    replaced_by: str | None
    source: str
    _data: dict
    _core: dict
    _load: "tuple[dict, Callable[[], dict], Callable[[], dict] | None]"

    def __init__(self, data: dict, klass: str | None = None, load=None, core=None) -> None:
        """``data`` is the record's whole data, or with ``load`` only its code, status, title and source:
        ``load()`` then returns the whole data when a field needs it, and ``core()`` (if given) only the
        fields an explanation reads (store.RECORD_CORE: summary, retry, remedies, replaced_by)."""
        key = data["code"]
        basic = _codes.is_basic(key)
        if load is None:
            _set(self, "_data", data)
        else:
            _set(self, "_load", (data, load, core))
        _set(self, "key", key)
        _set(self, "kind", "basic" if basic else "enhanced")
        _set(self, "klass", key[0] if basic else klass)
        _set(self, "code", key if basic or klass is None else klass + key[1:])
        _set(self, "status", data.get("status"))
        if "title" in data:  # else read from the core document when first asked for (a single lookup)
            _set(self, "source", data.get("_source", ""))
            _set(self, "title", text(data["title"]))
        # Everything else is built on first access (__getattr__): listing all codes needs titles only.

    def __getattr__(self, name: str) -> object:
        # Called only for slots not filled yet: build the field from the record's data, once.
        if name == "_data":
            data = self._load[1]()
            _set(self, "_data", data)
            return data
        if name == "_core":
            try:
                data = object.__getattribute__(self, "_data")  # the whole record is decoded already
            except AttributeError:
                core = self._load[2]
                data = core() if core is not None else self._data
            _set(self, "_core", data)
            return data
        build = _LAZY.get(name)
        if build is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = build(self, self._core if name in _FROM_CORE else self._data)
        _set(self, name, value)
        return value

    def via(self, klass: str | None) -> "Record":
        """The same record seen through another class: ``X.7.26`` via ``"4"`` is ``4.7.26``."""
        if self.kind == "basic" or klass == self.klass:
            return self
        try:
            data = object.__getattribute__(self, "_data")  # decoded already
        except AttributeError:
            head, load, core = self._load
            return Record(head, klass, load=load, core=core)
        return Record(data, klass)

    @property
    def is_standard(self) -> bool:
        return self.status in ("standard", "extension")

    @property
    def is_success(self) -> bool:
        return self.klass == "2"

    @property
    def is_intermediate(self) -> bool:
        return self.klass == "3"

    @property
    def is_transient(self) -> bool:
        return self.klass == "4"

    @property
    def is_permanent(self) -> bool:
        return self.klass == "5"

    @property
    def url_path(self) -> str:
        """Stable page slug on the documentation site."""
        return f"codes/{self.kind}/{self.key}/"

    def as_dict(self) -> dict:
        """The record as plain JSON-ready data (the YAML's content), plus the code as asked."""
        out = {k: v for k, v in self._data.items() if not k.startswith("_")}
        out["kind"] = self.kind
        if self.code != self.key:
            out["code"], out["key"] = self.code, self.key
        return out


def _retry_by_class(rec: Record, d: dict) -> MappingProxyType:
    if rec.kind == "basic":
        return MappingProxyType({rec.key[0]: Retry(d["retry"])})
    return MappingProxyType({k: Retry(v) for k, v in d["retry"].items()})


def _classes(rec: Record, d: dict) -> MappingProxyType:
    return MappingProxyType({k: text(v) for k, v in d.get("classes", {}).items()})


def _plain(name: str):
    return lambda rec, d: d.get(name)


def _text(name: str):
    return lambda rec, d: text(d.get(name))


def _tuple(name: str):
    return lambda rec, d: tuple(d.get(name, ()))


# fields built from the record's core document alone (store.RECORD_CORE); "retry" reads retry_by_class
_FROM_CORE = frozenset({"title", "source", "summary", "replaced_by", "retry", "retry_by_class", "remedies"})

_LAZY = {
    "title": lambda rec, d: text(d["title"]),
    "source": lambda rec, d: d.get("_source", ""),
    **{f: _plain(f) for f in ("reply_text", "replaced_by")},
    **{f: _text(f) for f in ("summary", "meaning", "anatomy", "category", "action", "keywords")},
    **{f: _tuple(f) for f in ("enhanced_codes", "enhanced_codes_in_practice", "basic_codes", "related", "tags")},
    "registry": lambda rec, d: MappingProxyType(dict(d["registry"])) if "registry" in d else _EMPTY,
    "classes": _classes,
    "class_meaning": lambda rec, d: rec.classes.get(rec.klass) if rec.klass and rec.kind == "enhanced" else None,
    "retry_by_class": _retry_by_class,
    "retry": lambda rec, d: rec.retry_by_class.get(rec.klass) if rec.klass else None,
    "definitions": lambda rec, d: _items(Definition, d.get("definitions")),
    "causes": lambda rec, d: _items(Item, d.get("causes")),
    "remedies": lambda rec, d: _items(Remedy, d.get("remedies")),
    "best_practices": lambda rec, d: _items(Remedy, d.get("best_practices")),
    "scenarios": lambda rec, d: _items(Item, d.get("scenarios")),
    "examples": lambda rec, d: _items(Example, d.get("examples")),
    "references": lambda rec, d: _items(Reference, d.get("references")),
    "provider_notes": lambda rec, d: _items(ProviderNote, d.get("provider_notes")),
}
