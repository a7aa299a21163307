"""The syntax of reply codes: recognise, normalise and order them. No data, no I/O."""

from .regex import LazyRegex

# What normalize() accepts, as patterns for other uses (compiled on first use: not on a cold start).
BASIC_RE = LazyRegex(r"[1-5][0-9][0-9]")
# RFC 3463: class "." subject "." detail; subject and detail are 1-3 digits without leading zeros.
ENHANCED_RE = LazyRegex(r"([245Xx])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})")
_DIGITS = frozenset("0123456789")


def _number(part: str) -> bool:
    """1-3 ASCII digits without a leading zero (ENHANCED_RE's subject or detail)."""
    return 0 < len(part) <= 3 and all(c in _DIGITS for c in part) and (part == "0" or part[0] != "0")


def normalize(text: str) -> str | None:
    """The canonical spelling of a code, or None if ``text`` is not a code.

    ``" 421 "`` -> ``"421"``; ``"x.7.26"`` -> ``"X.7.26"``; ``"5.7.26"`` stays ``"5.7.26"``.
    Plain string tests, so that a cold start compiles no pattern (tests/test_regex.py checks them against
    BASIC_RE and ENHANCED_RE).
    """
    s = text.strip()
    if len(s) == 3 and s[0] in "12345" and s[1] in _DIGITS and s[2] in _DIGITS:
        return s
    if s[:1] in ("2", "4", "5", "X", "x") and s[1:2] == ".":
        subject, dot, detail = s[2:].partition(".")
        if dot and _number(subject) and _number(detail):
            return s[0].upper() + s[1:]
    return None


def is_basic(code: str) -> bool:
    return len(code) == 3 and code.isdigit()


def generic(code: str) -> str:
    """``"5.7.26"`` -> ``"X.7.26"``; basic codes are returned unchanged."""
    return code if is_basic(code) else "X" + code[1:]


def klass(code: str) -> str | None:
    """The class digit a code is seen through: ``"4"`` for 421 or 4.7.0, None for ``X.7.0``."""
    return None if code[0] == "X" else code[0]


def sort_key(code: str) -> tuple:
    """Natural order: basic codes first by number, then enhanced codes by subject and detail."""
    if is_basic(code):
        return (0, int(code), 0, 0)
    cls, subject, detail = code.split(".")
    return (1, int(subject), int(detail), "X245".index(cls))


__all__ = ["BASIC_RE", "ENHANCED_RE", "generic", "is_basic", "klass", "normalize", "sort_key"]
