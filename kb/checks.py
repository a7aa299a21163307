"""Check the knowledge base: strict YAML, JSON Schema, and the rules that span records.

Every problem is reported, each as ``codes/basic/421.yaml:12:5: $.causes[2].title.de: message``.
jsonschema and yaml are imported here, never by ``import kb``.
"""

from __future__ import annotations

import errno
import json
import os
import re
from typing import Any

from . import style as _style
from . import syntax as _codes
from .reply import parse as parse_reply
from .yamlsource import YamlProblem, load

SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "schema")
KINDS = ("basic", "enhanced", "providers")
_SCHEMA_OF = {"basic": "basic", "enhanced": "enhanced", "providers": "provider", "structure": "structure"}
# Long texts that stand word for word in two records are paragraphs pasted across records.
PASTE_MIN_CHARS = 80
# Languages that read the same (short labels, names) are fine; a long German text equal to the English one is not.
SAME_TEXT_MIN_CHARS = 40


class Problem:
    """One finding, with the place it is at."""

    __slots__ = ("path", "line", "column", "where", "message")

    def __init__(self, path: str, line: int, column: int, where: str, message: str) -> None:
        self.path, self.line, self.column, self.where, self.message = path, line, column, where, message

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.path}:{self.line}:{self.column}:{where} {self.message}"

    __repr__ = __str__

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "where": self.where, "message": self.message}


def json_path(parts: tuple | list) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(p)) else f"[{json.dumps(p)}]")
    return out


class Source:
    """One loaded file: its kind, value, and where each value stands in it."""

    def __init__(self, path: str, kind: str, value: object, marks: dict) -> None:
        self.path, self.kind, self.marks = path, kind, marks
        self.value: Any = value  # parsed YAML: checked by the schema, then read field by field

    def at(self, parts: tuple | list, message: str) -> Problem:
        parts = tuple(parts)
        while parts and parts not in self.marks:  # nearest enclosing value that has a mark
            parts = parts[:-1]
        line, col = self.marks.get(parts, (1, 1))
        return Problem(self.path, line, col, json_path(parts if parts else ()), message)


def discover(root: str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The record files under ``root`` as (path, kind), and problems with files that do not belong."""
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    if not os.path.isdir(root):
        return found, [Problem(root, 1, 1, "", "no such directory")]
    structure = os.path.join(root, "structure.yaml")
    if os.path.exists(structure):
        found.append((structure, "structure"))
    else:
        problems.append(Problem(structure, 1, 1, "", _missing_or_loop(structure, "structure.yaml is missing: it describes "
                                                                     "the parts of a code, and the knowledge base needs it")))
    try:
        entries = sorted(os.listdir(root))
    except OSError as exc:
        return found, [Problem(root, 1, 1, "", f"cannot list: {exc.strerror}")]
    for entry in entries:
        full = os.path.join(root, entry)
        if os.path.islink(full) and not os.path.exists(full):
            problems.append(Problem(full, 1, 1, "", _missing_or_loop(full, "")))
            continue
        if entry.startswith(".") or entry == "structure.yaml" or entry in KINDS:
            continue
        if entry.endswith(".yaml") and os.path.isfile(os.path.join(SCHEMA_DIR, entry[: -len(".yaml")] + ".schema.json")):
            found.append((full, "tables"))  # a table with a schema of its own: codes/reasons.yaml, ...
            continue
        problems.append(Problem(full, 1, 1, "", "not part of the knowledge base (expected basic/, enhanced/, providers/, structure.yaml)"))
    for kind in KINDS:
        folder = os.path.join(root, kind)
        if not os.path.isdir(folder):
            if os.path.lexists(folder):
                problems.append(Problem(folder, 1, 1, "", _missing_or_loop(folder, "not a directory")))
            continue
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            problems.append(Problem(folder, 1, 1, "", f"cannot list: {exc.strerror}"))
            continue
        for name in names:
            if name.startswith("."):
                continue
            full = os.path.join(folder, name)
            if os.path.islink(full) and not os.path.exists(full):
                problems.append(Problem(full, 1, 1, "", _missing_or_loop(full, "")))
            elif name.endswith(".yaml") and os.path.isfile(full):
                found.append((full, kind))
            else:
                problems.append(Problem(full, 1, 1, "", "not a record file (records are NAME.yaml)"))
    return found, problems


def _missing_or_loop(path: str, otherwise: str) -> str:
    """Why ``path`` cannot be read, in words: a symlink loop and a dangling link say so."""
    if os.path.islink(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symbolic link loop: the link points (through others) back at itself"
            return f"a symbolic link to {os.readlink(path)!r}, which does not exist"
    return otherwise


def read_sources(root: str) -> tuple[list[Source], list[Problem]]:
    """Load every file strictly; a file that cannot be read is a problem, never silently skipped."""
    files, problems = discover(root)
    sources = []
    for path, kind in files:
        try:
            value, marks = load(path)
        except YamlProblem as exc:
            problems.append(Problem(exc.path, exc.line, exc.column, "", exc.message))
            continue
        except OSError as exc:
            problems.append(Problem(path, 1, 1, "", f"cannot read: {exc.strerror}"))
            continue
        sources.append(Source(path, kind, value, marks))
    return sources, problems


def _validators() -> dict:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from .store import schemas as read_schemas

    schemas = read_schemas()
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return {k: Draft202012Validator(s, registry=registry) for k, s in schemas.items() if k != "common"}


def schema_problems(source: Source, validator) -> list[Problem]:
    from jsonschema.exceptions import best_match

    out = []
    for error in sorted(validator.iter_errors(source.value), key=lambda e: list(map(str, e.absolute_path))):
        if error.context:  # anyOf/oneOf: name the branch that came closest, not the whole union
            error = best_match(error.context)
        message = error.message
        if len(message) > 300:
            message = message[:300] + "..."
        out.append(source.at(tuple(error.absolute_path), message))
    return out


def _texts(value: object, where: tuple = ()):
    """Every localized text {en, de} in a record, with its path."""
    if isinstance(value, dict):
        if set(value) == {"en", "de"} and all(isinstance(v, str) for v in value.values()):
            yield where, value
            return
        for k, v in value.items():
            yield from _texts(v, where + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, where + (i,))


def cross_problems(sources: list[Source]) -> list[Problem]:
    """The rules JSON Schema cannot say."""
    out: list[Problem] = []
    records = [s for s in sources if s.kind in ("basic", "enhanced") and isinstance(s.value, dict)]
    by_code: dict[str, Source] = {}
    for s in records:
        code = s.value.get("code")
        if not isinstance(code, str):
            continue
        stem = os.path.basename(s.path)[: -len(".yaml")]
        if stem != code:
            out.append(s.at(("code",), f"code {code!r} does not match the file name {stem!r}"))
        if code in by_code:
            out.append(s.at(("code",), f"code {code!r} is also defined in {by_code[code].path}"))
        else:
            by_code[code] = s
    providers: dict[str, Source] = {}
    for s in sources:
        if s.kind == "providers" and isinstance(s.value, dict) and isinstance(s.value.get("id"), str):
            stem = os.path.basename(s.path)[: -len(".yaml")]
            if stem != s.value["id"]:
                out.append(s.at(("id",), f"id {s.value['id']!r} does not match the file name {stem!r}"))
            providers[s.value["id"]] = s
            seen_ids: dict[Any, int] = {}
            for i, sig in enumerate(s.value.get("signatures") or []):
                if not isinstance(sig, dict):
                    continue
                if sig.get("id") in seen_ids:
                    out.append(s.at(("signatures", i, "id"), f"signature id {sig.get('id')!r} repeats signatures[{seen_ids[sig['id']]}]"))
                seen_ids.setdefault(sig.get("id"), i)
                pattern = sig.get("pattern")
                if isinstance(pattern, str):
                    try:
                        rx = re.compile(pattern, re.IGNORECASE)
                    except re.error as exc:
                        out.append(s.at(("signatures", i, "pattern"), f"not a valid regular expression: {exc}"))
                        continue
                    if isinstance(sig.get("example"), str) and not rx.search(sig["example"]):
                        out.append(s.at(("signatures", i, "example"), "the example does not match the signature's pattern"))

    def exists(code: str) -> bool:
        return _codes.generic(code) in by_code

    for s in records:
        v, code = s.value, s.value.get("code")
        if not isinstance(code, str):
            continue
        for i, rel in enumerate(v.get("related") or []):
            if isinstance(rel, str) and not exists(rel):
                out.append(s.at(("related", i), f"related code {rel!r} has no record"))
            if isinstance(rel, str) and _codes.generic(rel) == code:
                out.append(s.at(("related", i), "a record is not related to itself"))
        if isinstance(v.get("replaced_by"), str) and not exists(v["replaced_by"]):
            out.append(s.at(("replaced_by",), f"{v['replaced_by']!r} has no record"))
        for i, ex in enumerate(v.get("examples") or []):
            if not isinstance(ex, dict) or not isinstance(ex.get("reply"), str):
                continue
            parsed = parse_reply(ex["reply"])  # the explainer's own parser: what users paste must read back
            basic, enh = parsed.basic, parsed.enhanced
            where = ("examples", i, "reply")
            if s.kind == "basic" and basic != code:
                out.append(s.at(where, f"example reply does not start with its record's code {code} (read: {basic})"))
            if s.kind == "enhanced" and (enh is None or _codes.generic(enh) != code):
                out.append(s.at(where, f"example reply does not carry the enhanced code {code} (read: {enh})"))
            if basic and enh and basic[0] != enh[0]:
                out.append(s.at(where, f"enhanced class {enh[0]} disagrees with basic class {basic[0]}"))
        # Both directions of the basic <-> enhanced association must agree.
        if s.kind == "enhanced":
            for i, b in enumerate(v.get("basic_codes") or []):
                other = by_code.get(b)
                if other and code not in (other.value.get("enhanced_codes") or []):
                    out.append(s.at(("basic_codes", i), f"{b} is associated here, but {other.path} does not list {code} in enhanced_codes"))
        if s.kind == "basic":
            for i, e in enumerate(v.get("enhanced_codes") or []):
                other = by_code.get(_codes.generic(e))
                if other and code not in (other.value.get("basic_codes") or []):
                    out.append(s.at(("enhanced_codes", i), f"{e} is listed here, but {other.path} does not list {code} in basic_codes"))
        for i, pn in enumerate(v.get("provider_notes") or []):
            if isinstance(pn, dict) and isinstance(pn.get("code"), str) and _codes.generic(pn["code"]) not in (code, None) and s.kind == "enhanced" and not _codes.is_basic(pn["code"]):
                out.append(s.at(("provider_notes", i, "code"), f"{pn['code']} is not a form of {code}"))

    # Texts: German must not be a copy of the English, and no long text may be pasted into two records.
    first_seen: dict[str, tuple[Source, tuple]] = {}
    for s in sources:
        for where, text in _texts(s.value):
            en, de = text["en"], text["de"]
            if " ".join(en.split()).casefold() == " ".join(de.split()).casefold() and len(en) >= SAME_TEXT_MIN_CHARS:
                out.append(s.at(where + ("de",), "German text is identical to the English; write it in German"))
            if where[-1:] == ("source",):  # an example's citation may rightly stand in several records
                continue
            for lang, t in (("en", en), ("de", de)):
                key = " ".join(t.split())
                if len(key) < PASTE_MIN_CHARS:
                    continue
                if key in first_seen and first_seen[key][0] is not s:
                    other, other_where = first_seen[key]
                    out.append(s.at(where + (lang,), f"same text as {other.path} {json_path(other_where)}; write each record's text for its own code"))
                first_seen.setdefault(key, (s, where + (lang,)))
    return out


def _strings(value: object, where: tuple = ()):
    """Every string in a record (keys too), with its path."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                yield where, k
            yield from _strings(v, where + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, where + (i,))


# Record text is Markdown, shown on the site and in terminals: no markup of its own and nothing a terminal obeys.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CODE_SPAN = re.compile(r"(`++)[^`]*+.*?\1", re.S)  # Markdown inline code (and fences): shown as written
# What a browser would run or render as markup: an HTML element, any tag with attributes, a comment or
# processing instruction. A placeholder such as <domain> or <forward-path> is no element; the site shows it.
_HTML_ELEMENTS = (
    "a|abbr|address|area|article|aside|audio|b|base|bdi|bdo|blockquote|body|br|button|canvas|caption|cite|code|col|"
    "colgroup|data|datalist|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|"
    "frame|frameset|h[1-6]|head|header|hgroup|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|"
    "marquee|math|menu|meta|meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|rp|rt|"
    "ruby|s|samp|script|search|section|select|slot|small|source|span|strong|style|sub|summary|sup|svg|table|tbody|td|"
    "template|textarea|tfoot|th|thead|time|title|tr|track|u|ul|var|video|wbr|xmp|plaintext|listing"
)
_TAG = re.compile(rf"<(?:/?(?:{_HTML_ELEMENTS})(?=[\s/>])|/?[A-Za-z][A-Za-z0-9-]*+[\s/]++[^<>]*?=|[!?][A-Za-z-])", re.I)
_SCRIPT_URL = re.compile(r"\b(?:java|vb)script\s*+:|\bdata\s*+:\s*+text/html", re.I)
# Fields that quote a reply as it was written (shown as code): placeholders such as <address> stand there,
# but nothing that would run or load.
_LITERAL_FIELDS = frozenset({"reply", "reply_text", "example", "pattern", "host_patterns", "lines"})
_ACTIVE_TAG = re.compile(r"<(?:/?(?:script|iframe|frame|style|object|embed|img|svg|math|link|meta|base|form|input|"
                         r"textarea|button|video|audio|source|template|noscript|xmp|plaintext|listing)(?=[\s/>])"
                         r"|/?[A-Za-z][A-Za-z0-9-]*+[\s/]++[^<>]*?=|[!?][A-Za-z-])", re.I)


def markup_problems(sources: list[Source]) -> list[Problem]:
    """Raw HTML, script URLs and control characters (ESC, C1, bidi overrides) in any record text."""
    out = []
    for s in sources:
        for where, text in _strings(s.value):
            if text.isprintable() and "<" not in text and ":" not in text:
                continue
            c = _CONTROL.search(text)
            if c:
                out.append(s.at(where, f"control character U+{ord(c.group()):04X} in the text: a terminal would obey "
                                       "it; write the text without it"))
            outside_code = _CODE_SPAN.sub("", text) if "`" in text else text
            literal = any(isinstance(w, str) and w in _LITERAL_FIELDS for w in where[-1:])
            tag = (_ACTIVE_TAG if literal else _TAG).search(outside_code)
            if tag:
                snippet = outside_code[tag.start():tag.start() + 20].split(">")[0] + ">"
                out.append(s.at(where, f"raw HTML {snippet!r}: record text is Markdown; put it in `backticks` "
                                       "or write &lt;"))
            if _SCRIPT_URL.search(text):
                out.append(s.at(where, "a script URL (javascript:, vbscript:, data:text/html) has no place in a record"))
    return out


def _patterns(sources: list[Source]):
    """Every provider regex with its place: (source, path, pattern)."""
    for s in sources:
        if s.kind != "providers" or not isinstance(s.value, dict):
            continue
        for i, p in enumerate(s.value.get("host_patterns") or []):
            if isinstance(p, str):
                yield s, ("host_patterns", i), p
        for i, sig in enumerate(s.value.get("signatures") or []):
            if isinstance(sig, dict) and isinstance(sig.get("pattern"), str):
                yield s, ("signatures", i, "pattern"), sig["pattern"]


def pattern_problems(sources: list[Source]) -> list[Problem]:
    """Provider patterns whose shape backtracks (nested or side-by-side runs, an unanchored leading run)."""
    from .patterncheck import shape_problems

    return [s.at(where, f"pattern {p!r}: {why}") for s, where, p in _patterns(sources) for why in shape_problems(p)]


def pattern_timing_problems(root: str) -> list[Problem]:
    """Provider patterns that are slow on hostile strings built from them; run by `smtpkb validate`, not by
    every index build, since it takes a child process and about a second."""
    from .patterncheck import shape_problems, timing_problems

    sources, _ = read_sources(root)
    places = [(s, where, p) for s, where, p in _patterns(sources) if not shape_problems(p)]
    slow = timing_problems([p for _, _, p in places])
    return [places[i][0].at(places[i][1], f"pattern {places[i][2]!r}: {why}") for i, why in sorted(slow.items())]


def validate(root: str) -> list[Problem]:
    """All problems in the knowledge base under ``root`` (e.g. ``codes/``), sorted by place."""
    sources, problems = read_sources(root)
    validators = _validators()
    for s in sources:
        schema = os.path.basename(s.path)[: -len(".yaml")] if s.kind == "tables" else _SCHEMA_OF[s.kind]
        problems.extend(schema_problems(s, validators[schema]))
    problems.extend(cross_problems(sources))
    problems.extend(markup_problems(sources))
    problems.extend(pattern_problems(sources))
    problems.extend(_style.style_problems(sources))  # German quotes, glossary, working notes, retry profiles
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.message))
    return problems
