"""Regular expressions as the knowledge base runs them: ``LazyRegex`` compiles on first use and answers
plain-word patterns with ``str.find``; ``analyse`` works out the literals that let it skip the engine.
(kb/patterncheck.py judges whether a pattern is safe to run at all.)"""

from __future__ import annotations

import re

_META = frozenset(".^$*+?{}[]()|\\")


def literal_alternatives(pattern: str) -> tuple[str, ...] | None:
    """``"gsmtp|\\.google\\.com"`` -> ``("gsmtp", ".google.com")``; None if the pattern needs the regex engine."""
    if any(c in pattern for c in "()[]{}"):
        return None
    out = []
    for alt in pattern.split("|"):
        plain = alt.replace("\\.", "\x00").replace("\\-", "-").replace("\\ ", " ").replace("\\/", "/")
        if not plain or any(c in _META for c in plain):
            return None
        out.append(plain.replace("\x00", "."))
    return tuple(out)


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """Split at ``|`` outside groups and classes; None for patterns this simple scanner does not follow."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth or in_class:
        return None
    out.append(pattern[start:])
    return out


def required_literals(pattern: str, minimum: int = 3) -> tuple[str, ...] | None:
    """For each top-level alternative, a plain substring that any match must contain (its longest
    literal run), or None when some alternative has none. A match is impossible unless one of them
    occurs in the text, so the regex need not even be compiled for most texts."""
    alts = _top_level_alternatives(pattern)
    if alts is None:
        return None
    found = []
    for alt in alts:
        runs, run, i, depth = [], "", 0, 0
        while i < len(alt):
            c = alt[i]
            nxt = alt[i + 1] if i + 1 < len(alt) else ""
            if c == "\\" and depth == 0 and nxt and not nxt.isalnum():
                ch, width = nxt, 2
            elif c in "()[]" or c == "\\" or depth or c in ".^$":
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                elif c == "[":
                    j = alt.find("]", i + 2)
                    i = j if j > 0 else len(alt)
                elif c == "\\":
                    i += 1
                runs.append(run)
                run = ""
                i += 1
                if depth == 0:  # a quantifier on a group, class or wildcard belongs to it
                    while i < len(alt) and alt[i] in "?*+{":
                        i = (alt.find("}", i) + 1 or len(alt)) if alt[i] == "{" else i + 1
                continue
            else:
                ch, width = c, 1
            i += width
            after = alt[i] if i < len(alt) else ""
            if after and after in "?*{":  # optional character: the run ends before it
                runs.append(run)
                run = ""
                i = (alt.find("}", i) + 1 or len(alt)) if after == "{" else i + 1
            elif after == "+":
                runs.append(run + ch)
                run = ""
                i += 1
            else:
                run += ch
            if i < len(alt) and alt[i] == "?" and not run:  # lazy quantifier suffix
                i += 1
        runs.append(run)
        best = max(runs, key=len)
        if len(best) < minimum:
            return None
        found.append(best)
    return tuple(found)


class _LiteralMatch:
    __slots__ = ("_s", "_a", "_b")

    def __init__(self, s: str, a: int, b: int) -> None:
        self._s, self._a, self._b = s, a, b

    def group(self, n: int = 0) -> str:
        if n:
            raise IndexError("no such group")
        return self._s[self._a:self._b]

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b


def analyse(pattern: str, flags: int = 0) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(literal alternatives, required literals) of a pattern, lower-cased for IGNORECASE; the index
    stores this for every provider pattern so that a cold start does not even scan the patterns."""
    flags = int(flags)
    if flags & ~int(re.IGNORECASE):
        return None, None
    lits = literal_alternatives(pattern)
    req = None if lits else required_literals(pattern)
    if flags & re.IGNORECASE:
        lits = tuple(x.lower() for x in lits) if lits else lits
        req = tuple(x.lower() for x in req) if req else req
    return lits, req


class LazyRegex:
    """A regular expression compiled on first use.

    Compiling every pattern at import would cost more than the whole cold-start budget, and most
    runs need only a few. Patterns that are plain words (``unauthenticated``, ``\\.google\\.com``, or
    alternatives of such) are never compiled: ``search`` finds them with ``str.find``, which is also
    what keeps batch explain fast.
    """

    __slots__ = ("_pattern", "_flags", "_rx", "_literals", "_icase", "_required")

    def __init__(self, pattern: str, flags: int = 0, analysis: list | tuple | None = None) -> None:
        self._pattern, self._flags = pattern, int(flags)
        self._rx: re.Pattern | None = None
        self._icase = bool(self._flags & re.IGNORECASE)
        self._literals: tuple[str, ...] | bool | None = False  # False: not analysed yet
        self._required: tuple[str, ...] | None = None
        if analysis is not None:  # precomputed by analyse(), e.g. stored in the index
            lits, req = analysis
            self._literals = tuple(lits) if lits else None
            self._required = tuple(req) if req else None

    @property
    def rx(self) -> re.Pattern:
        if self._rx is None:
            self._rx = re.compile(self._pattern, self._flags)
        return self._rx

    def search(self, s: str, folded: str | None = None):
        """Like ``re.Pattern.search``; ``folded`` may pass ``s.lower()`` when the caller tries many patterns."""
        lits = self._literals
        if lits is False:
            lits, self._required = analyse(self._pattern, self._flags)
            self._literals = lits
        if self._icase:
            hay = folded if folded is not None else s.lower()
        else:
            hay = s
        if lits is None:
            req = self._required
            if req:
                for r in req:
                    if r in hay:
                        break
                else:
                    return None  # no match possible: skip the regex (and its compile)
            return self.rx.search(s)
        best = -1
        size = 0
        assert lits is not True  # analyse() gives a tuple or None
        for lit in lits:
            i = hay.find(lit)
            if i >= 0 and (best < 0 or i < best):
                best, size = i, len(lit)
        return _LiteralMatch(s, best, best + size) if best >= 0 else None

    def match(self, s: str, *a):
        return self.rx.match(s, *a)

    def fullmatch(self, s: str, *a):
        return self.rx.fullmatch(s, *a)

    def sub(self, repl, s: str, *a):
        return self.rx.sub(repl, s, *a)

    @property
    def pattern(self) -> str:
        return self._pattern
