"""The literals of a regular expression: its literal alternatives (``a|b|c`` of plain words), or substrings
every match must contain. LazyRegex (kb/regex.py) finds such patterns with ``str.find`` and skips the engine
when none occurs; the index compiler stores them for every provider pattern, so a start does not work them out."""

import re

_META = frozenset(".^$*+?{}[]()|\\")
_DIGITS = frozenset("0123456789")
_ICASE = int(re.IGNORECASE)


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


def _class_end(pattern: str, i: int) -> int:
    """Index of the ``]`` that closes the character class opening at ``pattern[i]`` (``len`` if none):
    a ``]`` right after ``[`` or ``[^`` is a member, and escapes are skipped."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "]":
            return j
        j += 1
    return len(pattern)


def _group_end(pattern: str, i: int) -> int:
    """Index of the ``)`` that closes the group opening at ``pattern[i]`` (``len`` if none)."""
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(pattern, j)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return len(pattern)


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """Split at ``|`` outside groups and classes; None for patterns this simple scanner does not follow."""
    out, start, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i)
        elif c == "(":
            i = _group_end(pattern, i)
        elif c == ")":
            return None
        elif c == "|":
            out.append(pattern[start:i])
            start = i + 1
        if i >= len(pattern):
            return None  # an unclosed class or group
        i += 1
    out.append(pattern[start:])
    return out


def _quantifier(alt: str, i: int) -> tuple[int, int] | None:
    """(least repetitions, index after it) of a quantifier at ``alt[i]``, lazy or possessive suffix
    included; None if none starts there (a ``{`` that is not ``{m}``, ``{m,}``, ``{,n}``, ``{m,n}`` or
    ``{,}`` is a literal brace to ``re``)."""
    if i >= len(alt):
        return None
    c = alt[i]
    if c in "?*+":
        least, end = (1 if c == "+" else 0), i + 1
    elif c == "{":
        close = alt.find("}", i)
        low, comma, high = alt[i + 1:close].partition(",")
        if close < 0 or not (low or comma) or any(d not in _DIGITS for d in low + high):
            return None
        least, end = (int(low) if low else 0), close + 1
    else:
        return None
    if end < len(alt) and alt[end] in "?+":  # lazy or possessive: the same repetitions
        end += 1
    return least, end


def _escape_end(alt: str, i: int) -> int:
    """Index after the escape at ``alt[i]`` (a backslash and a letter or digit): ``\\x41``, ``\\u00e9``,
    ``\\N{...}``, ``\\101`` and backreferences take more than one character."""
    kind = alt[i + 1]
    if kind in "xuU":
        return i + 2 + {"x": 2, "u": 4, "U": 8}[kind]
    if kind == "N":
        close = alt.find("}", i)
        return len(alt) if close < 0 else close + 1
    j = i + 2
    while kind in _DIGITS and j < len(alt) and j < i + 4 and alt[j] in _DIGITS:
        j += 1
    return j


def _has_inline_flags(pattern: str) -> bool:
    """``(?i)``, ``(?s:...)`` and the like change how the text must be compared: not analysed."""
    i = pattern.find("(?")
    while i >= 0:
        if i + 2 < len(pattern) and pattern[i + 2] in "aiLmsux-":
            return True
        i = pattern.find("(?", i + 2)
    return False


def required_literals(pattern: str, minimum: int = 3) -> tuple[str, ...] | None:
    """For each top-level alternative, a plain substring that any match must contain (its longest
    literal run, or else the literals of a group it cannot skip), or None when some alternative has
    none of at least ``minimum`` characters. A match is impossible unless one of them occurs in the
    text, so the regex need not even be compiled for most texts."""
    if _has_inline_flags(pattern):
        return None
    alts = _top_level_alternatives(pattern)
    if alts is None:
        return None
    found: list[str] = []
    for alt in alts:
        runs, run, i = [], "", 0
        groups: list[str] = []  # bodies of groups every match passes through at least once
        while i < len(alt):
            c = alt[i]
            nxt = alt[i + 1] if i + 1 < len(alt) else ""
            if c == "\\" and nxt and not nxt.isalnum():  # an escaped character stands for itself
                ch, i = nxt, i + 2
            elif c in "()[\\.^$|":  # a group, class, class escape (\d, \b), wildcard or anchor ends the run
                body: str | None = None
                if c == "(":
                    end = _group_end(alt, i)
                    body = alt[i + 1:end]
                    if body.startswith(("?:", "?>")):
                        body = body[2:]
                    elif body.startswith("?P<"):
                        body = body[body.find(">") + 1:]
                    elif body.startswith("?"):  # lookaround, backreference, conditional, comment
                        body = None
                    i = end + 1
                elif c == "[":
                    i = _class_end(alt, i) + 1
                elif c == "\\":
                    i = _escape_end(alt, i)
                else:
                    i += 1
                runs.append(run)
                run = ""
                q = _quantifier(alt, i)
                if q is not None:
                    i = q[1]
                if body is not None and (q is None or q[0] >= 1):
                    groups.append(body)
                continue
            else:
                ch, i = c, i + 1
            q = _quantifier(alt, i)
            if q is None:
                run += ch
            elif q[0] >= 1:  # at least once: the run ends with this character
                runs.append(run + ch)
                run, i = "", q[1]
            else:  # optional: the run ends before it
                runs.append(run)
                run, i = "", q[1]
        runs.append(run)
        longest = max(runs, key=len)
        if len(longest) >= minimum:
            found.append(longest)
            continue
        # a group the match must pass through: one of its alternatives' literals is then required
        inner = min((lits for lits in map(lambda g: required_literals(g, minimum), groups) if lits),
                    key=lambda lits: (-min(map(len, lits)), len(lits)), default=None)
        if inner is None:
            return None
        found.extend(inner)
    return tuple(found)


def analyse(pattern: str, flags: int = 0) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(literal alternatives, required literals) of a pattern, lower-cased for IGNORECASE; the index
    stores this for every provider pattern so that a cold start does not even scan the patterns."""
    flags = int(flags)
    if flags & ~_ICASE:
        return None, None
    lits = literal_alternatives(pattern)
    req = None if lits else required_literals(pattern)
    if flags & _ICASE:
        lits = tuple(x.lower() for x in lits) if lits else lits
        req = tuple(x.lower() for x in req) if req else req
    return lits, req
