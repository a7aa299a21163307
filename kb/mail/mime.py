"""Reading a mail safely: parse with bounds, walk its parts, decode text, read headers.

The standard library's ``email`` package does the MIME work. It is parsed with the ``compat32`` policy:
``email.policy.default`` builds header objects that raise when read on malformed headers (Python 3.11:
``Message-ID: <[>`` raises IndexError, ``From: a@[`` AttributeError), and a bounce is often the least
well-formed mail there is; compat32 returns header values as strings, which are decoded here (RFC 2047,
raw UTF-8) inside a guard. A Message a caller parsed with ``policy.default`` is read the same way. Bounds, so that any input costs bounded time and memory:
at most ``MAX_BYTES`` of the input are parsed, a mail with more nested multiparts than ``MAX_DEPTH``
or more delimiter lines than ``MAX_PARTS`` is cut before the excess, and at most ``MAX_TEXT`` bytes of
any one part are decoded.
"""

from __future__ import annotations

import binascii
import codecs
import email
import email.errors
import email.message
import quopri
import re
from email.header import Header, decode_header, make_header

MAX_BYTES = 1024 * 1024  # a bounce's report sits at its start; the returned message may be huge
MAX_DEPTH = 16  # nested multiparts (each nesting needs its own boundary parameter)
MAX_PARTS = 400  # body parts walked
MAX_TEXT = 256 * 1024  # bytes decoded from one part

# Parts that are (or hold) the returned original message: never read as the bounce's text.
RETURNED = frozenset({"message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global",
                      "message/global-headers", "message/partial", "message/external-body"})

_BOUNDARY = re.compile(rb"boundary", re.I)
_DELIMITER = re.compile(rb"^--", re.M)


def bounded(data: bytes) -> tuple[bytes, bool]:
    """``data`` cut so that the parser's work is bounded (see the module text); True if it was cut."""
    cut = len(data) > MAX_BYTES
    data = data[:MAX_BYTES]
    delimiters = data.count(b"\n--") + data.startswith(b"--")  # counted in C; located only when too many
    if delimiters > MAX_PARTS * 2:
        for i, m in enumerate(_DELIMITER.finditer(data)):
            if i == MAX_PARTS * 2:
                data, cut = data[: m.start()], True
                break
    # The parser checks each line against every open boundary, and each nesting level is a generator
    # frame: deep nesting is quadratic. Each level opens with a delimiter line, so only a mail with many
    # of them can nest deeply; stop it before the boundary parameter that would nest too deep.
    if delimiters > MAX_DEPTH:
        for i, m in enumerate(_BOUNDARY.finditer(data)):
            if i == MAX_DEPTH * 2:  # a parameter may be written twice (quoted in a header and in a body)
                data, cut = data[: m.start()], True
                break
    return data, cut


# The part that returns the original message: a delimiter line, a few part headers, then its type.
_RETURNED_PART = re.compile(rb"\n--[^\r\n]{1,200}\r?\n(?:[^\r\n]{1,998}\r?\n){0,12}?content-type:[ \t]*"
                            rb"(?:message/rfc822|text/rfc822-headers|message/global|message/rfc822-headers)\b", re.I)


def split_returned(data: bytes) -> tuple[bytes, bytes]:
    """``data`` up to the part that returns the original message, and that part's first 32 KiB. The returned
    message can be the largest part by far (attachments); the bounce is read without parsing it, and its
    headers are scanned as text. Not split when a delivery report would follow it."""
    m = _RETURNED_PART.search(data)
    if not m or data.find(b"delivery-status", m.end()) >= 0:
        return data, b""
    return data[: m.start() + 1], data[m.start() + 1: m.start() + 1 + 32768]


class _Parsed(email.message.Message):
    """A message as this reader parses it.

    - A delivery-status body stays text. The parser would split message/(global-)delivery-status into one
      message object per field group, only for the reader to join them again; kb/mail/dsn.py reads the text.
      (That the parser dispatches on get_content_type is checked by tests/test_message_parse.py.)
    - Its content type is worked out once: the parser asks for it four or five times per part, and each
      time Message scans and lowercases every header field; so is the raw Content-Type field this module
      reads (``content_type``, ``param``). The answers are kept while the number of fields (and the default
      type) stay, and dropped by the changes that keep the number (a field deleted, one replaced, the
      boundary set).
    """

    _memo: tuple | None = None  # ((number of fields, default type), content type)
    _field: tuple | None = None  # (number of fields, the Content-Type field's raw value or None)

    def __delitem__(self, name: str) -> None:
        self._memo = self._field = None
        super().__delitem__(name)

    def replace_header(self, _name: str, _value: str) -> None:
        self._memo = self._field = None
        super().replace_header(_name, _value)

    def set_boundary(self, boundary: str) -> None:
        self._memo = self._field = None
        super().set_boundary(boundary)

    def content_type_field(self) -> object:
        """``self.get("content-type")``, remembered."""
        n = len(self)
        field = self._field
        if field is not None and field[0] == n:
            return field[1]
        value = self.get("content-type")
        self._field = (n, value)
        return value

    def get_content_type(self) -> str:
        key = (len(self), self.get_default_type())
        memo = self._memo
        if memo is not None and memo[0] == key:
            return memo[1]
        # Message.get_content_type's reading of the field (tests/test_message_parse.py compares the two)
        value = self.content_type_field()
        if value is None:
            ctype = key[1]
        else:
            ctype = str(value).partition(";")[0].strip().lower()
            ctype = ctype if ctype.count("/") == 1 else "text/plain"
        ctype = "text/plain" if ctype in DELIVERY_STATUS else ctype
        self._memo = (key, ctype)
        return ctype


DELIVERY_STATUS = frozenset({"message/delivery-status", "message/global-delivery-status"})


def _content_type_field(part: email.message.Message) -> object:
    """The raw Content-Type field (remembered by a part this module parsed), or None."""
    return part.content_type_field() if isinstance(part, _Parsed) else part.get("content-type")


def parse(data: bytes) -> email.message.Message:
    """The parsed message as ``read`` parses it, without its bounds or the returned message set aside (the
    tests hold it to the standard parser); never raises (a parser failure gives the text as its body)."""
    quick = _quick_or_none(data)
    return quick if quick is not None else _guarded(_full, data)


def read(data: bytes) -> tuple[email.message.Message, bool, bytes]:
    """A bounce as explain_message reads it: the returned message's part set aside (``split_returned``; also
    from a multipart whose Content-Type a list server dropped), the rest parsed, and True if only its start
    was read (``MAX_BYTES``; a multipart also within ``bounded``). A mail of one part needs no bounds on its
    parts: the parser reads its body as one text, whatever it holds."""
    data, returned = split_returned(data)
    whole = len(data) > MAX_BYTES
    data = data[:MAX_BYTES]
    quick = _quick_or_none(data)
    if quick is not None:
        return quick, whole, returned
    data, cut = bounded(data)
    return _guarded(_full, data), cut or whole, returned


def _quick_or_none(data: bytes) -> email.message.Message | None:
    try:
        return _quick(data)
    except Exception:  # never expected (and then the parser reads the mail): any error of its own stays one
        return None


def _guarded(parser, data: bytes):
    try:
        return parser(data)
    except Exception:  # the feed parser is lenient; this guards against its rare internal errors
        msg = email.message.Message()
        msg.set_payload(data.decode("utf-8", "replace"))
        return msg


def _full(data: bytes) -> email.message.Message:
    return email.message_from_bytes(data, _class=_Parsed)


# What may follow a boundary on its line, as the feed parser (email.feedparser) reads a delimiter. Only matched
# at one place (the end of a boundary at a line's start), never searched: linear.
_BOUNDARY_END = re.compile(r"(--)?[ \t]*(\r\n|\r|\n)?$")


def _quick(data: bytes) -> email.message.Message | None:
    """The mail as the parser would give it, for the shapes bounces mostly have, or None for any other mail
    and wherever the parser would read on differently. The parser runs each line through a generator stack
    to join the lines again; here each header block is read as the parser reads one (compat32's
    header_source_parse), and bodies are cut out of the text whole:

    - a mail of one part (most MTAs' plain-text bounces, often with the returned message inline): its body;
    - a multipart whose parts are leaves or hold one (a report once its returned message is set aside: the
      text, the delivery status or feedback report, returned headers, perhaps HTML): each part at its
      delimiter lines (``_flat_multipart``).

    tests/test_message_parse.py holds both to the parser's trees."""
    text = data.decode("ascii", "surrogateescape")  # as the bytes parser decodes
    root = _Parsed()
    at = _header_block(text, 0, root, len(text))
    if at is None or text.count("\r", 0, at) != text.count("\r\n", 0, at):
        return None  # a lone CR ends a line for the parser
    maintype = root.get_content_maintype()
    if maintype == "multipart":
        return _flat_multipart(root, text, at, data)
    if maintype == "message":
        return None
    root.set_payload(text[at:])
    return root


def _flat_multipart(root: email.message.Message, text: str, at: int, data: bytes) -> email.message.Message | None:
    """``root`` (its header read, its body at ``at``) with its parts, if each is a leaf, a message/* part
    whose mail is one, or a multipart of such parts (two more levels inside ``root`` at most)."""
    if data.count(b"\r") != data.count(b"\r\n") or bounded(data)[1]:
        return None
    try:
        if not _fill(root, text, at, len(text), ()):
            root.defects.append(email.errors.CloseBoundaryNotFoundDefect())  # the mail ends inside its last part
    except _Unusual:
        return None
    return root


# ``; boundary=value`` or ``; boundary="value"``, the value without quotes, backslashes or angle brackets. Linear:
# each run stops where the next piece must start, and a quoted value's whitespace is tried apart from a plain one.
_BOUNDARY_PARAM = re.compile(r';\s*boundary\s*=(?:\s*"([^"\\<>;]*)"\s*|([^";\\<>]*))(?=;|\Z)', re.I)


def _boundary(msg: email.message.Message) -> str | None:
    """``msg.get_boundary()``, read directly when the parameter is written plainly (once, no RFC 2231 parts,
    no escapes): the standard reading takes every parameter apart, and costs a tenth of a mail's reading.
    tests/test_message_parse.py compares the two."""
    raw = _content_type_field(msg)
    value = str(raw) if raw is not None else ""
    quotes = value.count('"')
    if ("*" not in value and "\\" not in value and quotes in (0, 2) and "=" not in value.partition(";")[0]
            and value.lower().count("boundary") == 1):
        found = list(_BOUNDARY_PARAM.finditer(value))
        if len(found) == 1:
            quoted, plain = found[0].groups()
            if quotes == 0:
                return plain.strip()
            if quoted is not None:  # the two quotes are the ones around the value
                return quoted.rstrip()
    return msg.get_boundary()


class _Unusual(Exception):
    """A shape the shortcut leaves to the parser."""


def _fill(msg: email.message.Message, text: str, at: int, stop: int, outer: tuple[str, ...]) -> bool:
    """The parts of multipart ``msg`` from ``text[at:stop]``, as the parser reads them; True if its closing
    delimiter was found. ``outer``: the delimiters of the multiparts around it (each ends the parts inside)."""
    if len(outer) > 2 or msg.get_content_type() == "multipart/digest":
        raise _Unusual
    boundary = _boundary(msg)
    if boundary is None or str(msg.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
        raise _Unusual
    sep = "--" + boundary
    if any(o.startswith(sep) or sep.startswith(o) for o in outer):
        raise _Unusual  # which delimiter a line is would depend on the order the parser tries them
    marks: list[tuple[int, int, re.Match]] = []  # (start, end) of each delimiter line, and its match
    pos = text.find(sep, at, stop)
    while pos >= 0:
        if pos == at or text[pos - 1] == "\n":
            eol = text.find("\n", pos, stop)
            end = stop if eol < 0 else eol + 1
            m = _BOUNDARY_END.match(text, pos + len(sep), end)
            if m:
                marks.append((pos, end, m))
                if len(marks) > MAX_PARTS:
                    raise _Unusual
        pos = text.find(sep, pos + 1, stop)
    if not marks or marks[0][2].group(1):
        raise _Unusual  # no delimiter, or a closing one before any part
    if marks[0][0] > at:
        msg.preamble = _strip_eol(text[at:marks[0][0]])
    for n, (_, end, m) in enumerate(marks):
        if m.group(1):
            # everything after the closing delimiter is the epilogue (its own line end belongs to the delimiter)
            msg.epilogue = text[end:stop] if m.group(2) else ""
            return True
        nxt = marks[n + 1][0] if n + 1 < len(marks) else stop
        if nxt == end:
            raise _Unusual  # delimiters in a row
        part = _Parsed()
        body = _header_block(text, end, part, nxt)
        if body is None:
            raise _Unusual
        maintype = part.get_content_maintype()
        if maintype == "multipart":
            if not _fill(part, text, body, nxt, (*outer, sep)):
                part.defects.append(email.errors.CloseBoundaryNotFoundDefect())
            # the line end before this multipart's next delimiter belongs to the delimiter
            part.epilogue = None if part.epilogue == "" else part.epilogue and _strip_eol(part.epilogue)
            msg.attach(part)
            continue
        if maintype == "message":  # the body is a mail of its own (a feedback report's fields, returned headers)
            leaf = _Parsed()
            body = _header_block(text, body, leaf, nxt)
            if body is None or leaf.get_content_maintype() in ("multipart", "message"):
                raise _Unusual
            part.attach(leaf)
        else:
            leaf = part
        leaf.set_payload(_strip_eol(text[body:nxt]))
        msg.attach(part)
    return False


def _strip_eol(line: str) -> str:
    return line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith(("\n", "\r")) else line


def _header_block(text: str, start: int, msg: email.message.Message, stop: int) -> int | None:
    """Read the header fields of ``text[start:stop]`` into ``msg``, as the parser does; where the body starts
    (after the blank line), or None where the parser would note a defect or stop elsewhere."""
    pos = start
    field = _FIELD.match
    while True:
        m = field(text, pos, stop)
        if m is None:
            break
        # compat32's header_source_parse: the name before the colon, the value from its first non-blank
        # character with its continuation lines as written, the last line end dropped
        msg.set_raw(m.group(1), m.group(2).lstrip(" \t").rstrip("\r\n"))
        pos = m.end()
    if text.startswith("\n", pos, stop):
        return pos + 1
    if text.startswith("\r\n", pos, stop):
        return pos + 2
    return None  # a line that is no field (or an envelope line, a continuation first), or no blank line


# A field as the parser takes it (a name without a colon or blank, then a colon), with its continuation lines.
# Only matched where the previous field ended, never searched: linear in the header block.
_FIELD = re.compile(r"([\041-\071\073-\176]+):([^\n]*\n(?:[ \t][^\n]*\n)*)")


def header(msg: email.message.Message, name: str) -> str | None:
    """A header's value, RFC 2047 words and raw 8-bit (RFC 6532) decoded, whitespace folded; None if absent."""
    try:
        raw = msg.get(name)
    except Exception:
        return None
    return None if raw is None else value(raw)


class Headers:
    """A message's header fields read as ``header`` reads them, from one pass over the fields: ``Message.get``
    scans (and lowercases) every field for each name asked, and a bounce is asked for a dozen names."""

    __slots__ = ("_first", "_policy")

    def __init__(self, msg: email.message.Message) -> None:
        first: dict[str, tuple[str, str]] = {}
        try:
            for k, v in msg.raw_items():
                first.setdefault(k.lower(), (k, v))  # the first field of a name, as Message.get takes it
        except Exception:
            first = {}
        self._first, self._policy = first, msg.policy

    def get(self, name: str) -> str | None:
        """As ``header(msg, name)``; ``name`` in lower case."""
        kv = self._first.get(name)
        if kv is None:
            return None
        try:
            raw = self._policy.header_fetch_parse(*kv)
        except Exception:
            return None
        return value(raw)


def value(raw: object) -> str:
    """A compat32 header value as text. 8-bit bytes come back as a Header of charset unknown-8bit."""
    try:
        if isinstance(raw, Header):
            text = "".join(chunk if isinstance(chunk, str) else decode_bytes(chunk, cs)
                           for chunk, cs in decode_header(raw))
        else:
            text = str(raw)
            if "=?" in text:
                text = str(make_header(decode_header(text)))
    except Exception:  # an undecodable encoded word stays as it was written
        text = str(raw)
    return " ".join(text.split())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_codec(charset: str | None) -> str | None:
    """The codec for a declared charset if it is one that decodes bytes to text, else None: a mail may
    name "unicode_escape", "base64" or "rot13", which would run escapes or never give text."""
    if not charset or charset == "unknown-8bit":
        return None
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):  # unknown or malformed name ("x\0y" raises ValueError)
        return None
    if not getattr(info, "_is_text_encoding", True) or "escape" in info.name:
        return None
    return info.name


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset, else UTF-8, else Latin-1 (every byte is a character).
    Never a lone surrogate: they cannot be written out as UTF-8."""
    for cs in (_text_codec(charset), "utf-8"):
        if not cs:
            continue
        try:
            text = raw.decode(cs)
        except (LookupError, ValueError):
            continue
        return _SURROGATE.sub("\ufffd", text) if cs != "utf-8" and not text.isascii() else text
    return raw.decode("latin-1")


def content_type(part: email.message.Message) -> str:
    """The part's type/subtype, lower-case; text/plain when absent or malformed (RFC 2045 section 5.2).
    Read from the raw header: Message.get_content_type parses the whole header, a cost per part that adds up."""
    try:
        raw = _content_type_field(part)
    except Exception:
        return "text/plain"
    if raw is None:
        return "text/plain"
    ctype = str(raw).split(";", 1)[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


_PARAM = re.compile(r";[ \t\r\n]*([A-Za-z0-9*_.-]{1,40})[ \t\r\n]*=[ \t\r\n]*(\"[^\"]{0,200}\"|[^;\s]{1,200})")


def param(part: email.message.Message, name: str) -> str | None:
    """A Content-Type parameter (``charset``, ``report-type``), lower-case, quotes removed; None if absent."""
    try:
        raw = _content_type_field(part)
    except Exception:
        return None
    if raw is None:
        return None
    for m in _PARAM.finditer(str(raw)[:2000]):
        if m.group(1).lower().rstrip("*") == name:
            return m.group(2).strip('"').lower()
    return None


def walk(msg: email.message.Message):
    """(part, content type, index) for every part outside the returned message, in order, within the
    bounds. A returned message part is yielded itself (to read its headers) but not entered."""
    stack = [(msg, 0)]
    seen = 0
    while stack and seen < MAX_PARTS:
        part, depth = stack.pop()
        ctype = content_type(part)
        yield part, ctype, seen  # numbered in reading order, the mail itself 0: its first part is "part 1"
        seen += 1
        if ctype in RETURNED or depth >= MAX_DEPTH:
            continue
        try:
            payload = part.get_payload() if part.is_multipart() else None
        except Exception:
            payload = None
        if isinstance(payload, list) and ctype.startswith("multipart/"):
            stack.extend((p, depth + 1) for p in reversed(payload[:MAX_PARTS]) if isinstance(p, email.message.Message))


def text(part: email.message.Message) -> str:
    """At most ``MAX_TEXT`` bytes of a leaf part, transfer encoding and charset decoded."""
    try:
        if part.is_multipart():  # a message/* part: its body was parsed as a header block (an MDN's fields)
            payload: list = part.get_payload()  # type: ignore[assignment]
            joined = "\n\n".join(block_text(p) for p in payload[:1024] if isinstance(p, email.message.Message))
            return _undo_transfer_encoding(part, joined)[:MAX_TEXT]
        raw = part.get_payload(decode=True)  # bytes: base64, quoted-printable and raw 8-bit undone
    except Exception:
        return ""
    if not isinstance(raw, bytes):
        return ""
    if content_type(part) in DELIVERY_STATUS:
        return _field_text(raw[:MAX_TEXT])
    return decode_bytes(raw[:MAX_TEXT], param(part, "charset"))


def _field_text(raw: bytes) -> str:
    """A delivery-status part's text. Its fields are header fields: 8-bit bytes in them are read line by line as
    the header parser reads a value (UTF-8, else Latin-1), whatever charset the part names; MTAs write raw
    UTF-8 addresses under a Latin-1 label, and one stray Latin-1 byte must not garble the other lines."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(decode_bytes(line) for line in raw.splitlines(keepends=True))


def _undo_transfer_encoding(part: email.message.Message, text: str) -> str:
    """A delivery report sent base64 or quoted-printable (RFC 3464 wants 7bit; some MTAs do it anyway): the
    parser split the encoded text into header blocks, so it is put back together and decoded here."""
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte not in ("base64", "quoted-printable"):
        return text
    raw = text[: MAX_TEXT * 2].encode("ascii", "replace")
    try:
        if cte == "base64":
            compact = b"".join(raw.split())
            raw = binascii.a2b_base64(compact[: len(compact) // 4 * 4])
        else:
            raw = quopri.decodestring(raw)
    except (binascii.Error, ValueError):
        return text
    return decode_bytes(raw[:MAX_TEXT], param(part, "charset"))


def block_text(block: email.message.Message) -> str:
    """A header block the parser read as a message (a DSN field group) back as text."""
    try:
        lines = [f"{k}: {value(v)}" for k, v in block.items()]
        raw = block.get_payload()
        # a group's body is nearly always empty: blanks decode to blanks, which are not kept either way
        body = b"" if isinstance(raw, str) and not raw.strip() else block.get_payload(decode=True)
    except Exception:
        return ""
    if isinstance(body, bytes) and body.strip():
        lines.append("")
        lines.append(decode_bytes(body[:MAX_TEXT]))
    return "\n".join(lines)


_TAG = re.compile(r"<(?:br|p|div|tr|li|h[1-6])\b[^<>]*>|</(?:p|div|tr|li|h[1-6]|table)>", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")  # [^<>]: a scan stops at the next "<", so the whole pass stays linear


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


def html_text(html: str) -> str:
    """The readable text of an HTML part: blocks become lines, tags go, entities are decoded."""
    import html as _html

    low = html.translate(_ASCII_LOWER)  # str.lower() may change the length (İ): positions must agree
    kept, pos = [], 0
    nxt = {t: low.find(t) for t in ("<style", "<script", "<head>", "<head ")}  # each found again only when passed
    while True:
        for t, i in nxt.items():
            if 0 <= i < pos:
                nxt[t] = low.find(t, pos)
        found = [i for i in nxt.values() if i >= 0]
        if not found:
            break
        start = min(found)
        name = low[start + 1:start + 7].rstrip("> ")
        end = low.find(f"</{name}", start)
        kept.append(html[pos:start])
        pos = len(html) if end < 0 else (low.find(">", end) + 1 or len(html))
    kept.append(html[pos:])
    s = _TAG.sub("\n", " ".join(kept))
    s = _ANY_TAG.sub("", s)
    return _html.unescape(s)
