"""RFC 3464 delivery status fields (and their RFC 6533 UTF-8 form), read from any text.

A delivery-status body is paragraphs of ``Name: value`` fields: first the per-message fields, then
one paragraph per recipient. Some MTAs run the paragraphs together or put the fields in a text part;
so a recipient group also starts wherever a second Final-Recipient (or an Original-Recipient after
one) appears, and per-message fields are taken wherever they stand.
"""

from __future__ import annotations

import re

PER_MESSAGE = frozenset({"original-envelope-id", "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date",
                         "x-postfix-queue-id", "x-postfix-sender"})
PER_RECIPIENT = frozenset({"original-recipient", "final-recipient", "action", "status", "remote-mta", "diagnostic-code",
                           "last-attempt-date", "final-log-id", "will-retry-until", "x-actual-recipient"})
ACTIONS = frozenset({"failed", "delayed", "delivered", "relayed", "expanded"})
# spellings seen in the wild for the RFC 3464 actions
ACTION_SPELLINGS = {"failure": "failed", "fail": "failed", "error": "failed", "bounced": "failed", "undeliverable": "failed",
                    "delay": "delayed", "deferred": "delayed", "deliverable": "delivered", "sent": "delivered"}

_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9-]{0,40})[ \t]*:[ \t]*(.*)")
ENHANCED = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")  # not the start of a longer number
_UTF8_ESCAPE = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")  # RFC 6533 embedded-unicode-char


class Group:
    """One recipient's fields: ``fields`` maps a lower-case name to its unfolded value; ``names`` keeps
    each name as written, for the explanation's ``why``."""

    __slots__ = ("fields", "names")

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def _fields(text: str):
    """(name, value, paragraph break before it) for each field line, continuation lines unfolded."""
    name = None
    value: list[str] = []
    brk = False
    pending_break = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            pending_break = True
            continue
        if line[0] in " \t" and name is not None and not pending_break:
            value.append(line.strip())
            continue
        if name is not None:
            yield name, " ".join(value), brk
        m = _FIELD.fullmatch(line.rstrip())
        if m:
            name, value, brk = m.group(1), [m.group(2).strip()], pending_break
        else:
            name, value = None, []
        pending_break = False
    if name is not None:
        yield name, " ".join(value), brk


def read(text: str, as_headers: bool = False) -> tuple[dict[str, str], dict[str, str], list[Group]]:
    """(per-message fields, their names as written, recipient groups) found in ``text``. ``as_headers``: values
    as a header parser gives them, RFC 2047 words decoded and white space folded (a delivery-status part's own
    text, which kb/mail/mime.py keeps from the parser)."""
    message: dict[str, str] = {}
    names: dict[str, str] = {}
    groups: list[Group] = []
    cur: Group | None = None
    for name, value, brk in _fields(text):
        if as_headers:
            value = _decoded_words(value) if "=?" in value else " ".join(value.split())
        key = name.lower()
        if key in PER_MESSAGE:
            message.setdefault(key, value)
            names.setdefault(key, name)
            cur = None if brk else cur
            continue
        if key not in PER_RECIPIENT:
            continue
        # a new recipient starts after a blank line, or where a field repeats (paragraphs run together)
        if cur is None or (brk and cur.fields) or key in cur.fields:
            cur = Group()
            groups.append(cur)
        cur.fields[key] = value
        cur.names[key] = name
    return message, names, [g for g in groups if _is_recipient(g)]


def _decoded_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded words decoded, white space folded; as written if they do not decode."""
    from email.header import decode_header, make_header

    try:
        value = str(make_header(decode_header(value)))
    except Exception:  # a malformed word or an unknown charset: the text as written
        pass
    return " ".join(value.split())


def _is_recipient(g: Group) -> bool:
    f = g.fields
    return bool(address(f.get("final-recipient")) or address(f.get("original-recipient"))
                or ("action" in f and "status" in f))


def typed(value: str | None) -> tuple[str | None, str]:
    """``"smtp; 550 ..."`` -> ("smtp", "550 ..."); a value without a type -> (None, value)."""
    if not value:
        return None, ""
    head, sep, rest = value.partition(";")
    if sep and head.strip() and " " not in head.strip() and len(head) < 40:
        return head.strip().lower(), rest.strip()
    return None, value.strip()


def address(value: str | None) -> str | None:
    """The address of a recipient field (``rfc822; <a@b>``, ``utf-8; ü@b``), or None."""
    kind, addr = typed(value)
    addr = addr.strip().strip("<>").strip()
    if kind == "utf-8" and "\\x{" in addr:
        addr = _UTF8_ESCAPE.sub(lambda m: _char(m.group(1)), addr)
    if not addr or " " in addr or "@" not in addr:
        return None
    return addr


def _char(hexdigits: str) -> str:
    """The character of an RFC 6533 \\x{HEX} escape; a surrogate, control or out-of-range one is U+FFFD."""
    try:
        c = chr(int(hexdigits, 16))
    except (ValueError, OverflowError):
        return "\ufffd"
    return "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF or not c.isprintable() else c


def status(value: str | None) -> str | None:
    m = ENHANCED.search((value or "")[:200])
    return m.group(1) if m else None


def status_remark(value: str | None) -> str | None:
    """The remark after the code in ``Status: 5.0.0 (recipient reached disk quota)``."""
    value = (value or "")[:1000]
    m = ENHANCED.search(value)
    if not m:
        return None
    rest = value[m.end():].strip().strip("()").strip()
    return rest or None


def host(value: str | None) -> str | None:
    """The host of ``dns; mx.example.com`` (brackets, trailing dots and port remarks dropped)."""
    _, name = typed(value)
    name = name.split()[0] if name.split() else ""
    name = name.strip("[]").rstrip(".")
    return name or None
