"""Regular expressions as the knowledge base runs them: ``LazyRegex`` compiles on first use and answers
plain-word patterns with ``str.find``, skipping the engine by the literals kb/literals.py works out.
(kb/patterncheck.py judges whether a pattern is safe to run at all.)"""

import re

_ICASE = int(re.IGNORECASE)  # a plain int: bit tests on the enum cost a microsecond each


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
        self._icase = bool(self._flags & _ICASE)
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
            from .literals import analyse  # the analyser's code is loaded only by a pattern without shortcuts

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
