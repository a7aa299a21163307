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


class Phrases:
    """The first of many phrases, in their order, that occurs in a text: ``first(text)`` answers as
    ``next((i for i, p in enumerate(phrases) if p in text), None)``. The first ``warm`` texts are checked
    phrase by phrase; later ones in one regex pass, compiled then (a few milliseconds: a cold start cannot
    pay that, a batch of texts can). The regex holds the phrases as a trie inside a lookahead, so at each
    position it matches the longest phrase that starts there; every shorter phrase that starts there is a
    prefix of that one and is counted with it. Linear: the work at each position is bounded by the longest
    phrase. Worth it for many phrases: each ``in`` costs a call and a scan, the regex one scan in all."""

    __slots__ = ("phrases", "_warm", "_rx", "_first_at", "_empty")

    def __init__(self, phrases, warm: int = 64) -> None:
        self.phrases: tuple[str, ...] = tuple(phrases)
        self._warm = warm
        self._rx: re.Pattern | None = None
        self._first_at: dict[str, int] = {}  # longest phrase at a position -> least index of it and its prefixes
        self._empty: int | None = None  # an empty phrase occurs in every text

    def first(self, text: str) -> int | None:
        rx = self._rx
        if rx is None:
            if self._warm > 0:
                self._warm -= 1
                return next((i for i, p in enumerate(self.phrases) if p in text), None)
            rx = self._compile()
        best = self._empty
        first_at = self._first_at
        for m in rx.finditer(text):
            i = first_at[m.group(1)]
            if best is None or i < best:
                best = i
        return best

    def _compile(self) -> re.Pattern:
        trie: dict = {}
        for i, p in enumerate(self.phrases):
            if not p:
                self._empty = i if self._empty is None else self._empty
                continue
            node = trie
            for ch in p:
                node = node.setdefault(ch, {})
            node[""] = min(node.get("", i), i)  # "": the least index of a phrase ending here
        for p in self.phrases:
            node, least = trie, None
            for ch in p:
                node = node[ch]
                end = node.get("")
                if end is not None and (least is None or end < least):
                    least = end
            if p:
                self._first_at[p] = least  # type: ignore[assignment]  # p itself ends at its last node
        self._rx = re.compile("(?=(" + _alternation(trie) + "))") if trie else re.compile(r"(?!)")
        return self._rx


def _alternation(node: dict) -> str:
    """A regex matching each string of a trie (see Phrases), the longest first where one extends another."""
    branches = [re.escape(ch) + _alternation(sub) for ch, sub in node.items() if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a phrase ends here and longer ones go on: try the longer first
        return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
    return body
