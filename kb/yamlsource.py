"""Strict YAML reading for records: safe, loss-free, and with a line:column for every value.

PyYAML's defaults lose data without a word: a repeated key keeps the last value, ``no`` becomes
``False`` and ``5.7`` a float, and aliases can blow a small file up. Here each of those is an error
that names the file, line and column. Only ``smtpkb validate`` and the index build import this
module (it imports yaml); ``import kb`` does not.
"""

from __future__ import annotations

import yaml

try:  # the C parser is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000  # a record is a few kB; anything near this is not a record

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class YamlProblem(Exception):
    """A file that cannot be read as a record; ``line`` and ``column`` are 1-based."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load(path: str, data: bytes | None = None) -> tuple[object, dict[tuple, tuple[int, int]]]:
    """Read one YAML file; return its value and a map from JSON path (a tuple) to (line, column)."""
    if data is None:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlProblem(path, 1, 1, f"file is larger than {MAX_BYTES} bytes; a record is never that big")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(path, line, column, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise YamlProblem(path, line, 1, "contains a NUL character; this is not a text file")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {exc.problem or exc.context}"
        if exc.problem and exc.context and context and context.line + 1 != line:
            # an unclosed bracket or quote is noticed lines later: say where it started
            message += f" ({exc.context}, started at line {context.line + 1}, column {context.column + 1})"
        raise YamlProblem(path, line, col, message) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(path, 1, 1, f"YAML: {exc}") from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlProblem(path, 1, 1, "file is empty")
    marks: dict[tuple, tuple[int, int]] = {}
    value = _Builder(path, marks).build(root, ())
    return value, marks


class _Builder:
    def __init__(self, path: str, marks: dict) -> None:
        self.path, self.marks = path, marks
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> YamlProblem:
        return YamlProblem(self.path, *_mark(node), message)

    def build(self, node: yaml.Node, where: tuple) -> object:
        # The composer turns an alias into the very node its anchor names: a node seen twice is an alias.
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases (&name, *name) are not allowed in records")
        self.seen.add(id(node))
        self.marks[where] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, f"tag {node.tag} is not allowed")
            return [self.build(item, where + (i,)) for i, item in enumerate(node.value)]
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"a {type(node).__name__} is not a value a record can hold")
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, where: tuple) -> dict:
        if node.tag != _MAP:
            raise self.fail(node, f"tag {node.tag} is not allowed")
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed in records")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain string")
            key = key_node.value  # keys are names: read as text whatever they look like ("2", "4", "5")
            if key in out:
                first = self.marks[where + (key,)]
                raise self.fail(key_node, f"duplicate key {key!r} (first at line {first[0]}); YAML would silently keep only the last")
            out[key] = self.build(value_node, where + (key,))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> object:
        tag, raw = node.tag, node.value
        if tag == _STR:
            return raw
        if tag == _INT:
            digits = raw.lstrip("+-")
            if not digits.isdigit() or (len(digits) > 1 and digits[0] == "0"):
                raise self.fail(node, f"{raw!r} is read as a YAML 1.1 number (octal, hex or sexagesimal); quote it")
            return int(raw)
        if tag == _BOOL:
            if raw not in ("true", "false"):
                raise self.fail(node, f"{raw!r} is read as a boolean by YAML 1.1; write true/false, or quote it if it is text")
            return raw == "true"
        if tag == _NULL:
            raise self.fail(node, "empty value (null); leave the key out or give it a value")
        if tag == "tag:yaml.org,2002:float":
            raise self.fail(node, f"{raw!r} is read as a number (float); quote it: codes are strings, e.g. \"{raw}\"")
        if tag == "tag:yaml.org,2002:timestamp":
            raise self.fail(node, f"{raw!r} is read as a date; quote it")
        raise self.fail(node, f"tag {tag} is not allowed")
