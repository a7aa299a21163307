"""Read what people paste: a reply line, a multi-line or flattened reply, a DSN, an MTA log line.

``parse(text)`` never raises for any string; it returns a ``Reply`` whose fields are None where the input
does not say. It reads only the first ``MAX_SCAN`` characters: a bounce's codes stand near its start.
"""

import re

from .model import Frozen, _set, assign
from .regex import LazyRegex

MAX_SCAN = 65536
_CTRL = LazyRegex(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # and bidi overrides
# Terminal colour and title sequences (CSI, OSC; 7- and 8-bit), so that a coloured log line reads as its text.
_ANSI = LazyRegex(r"(?:\x1b\[|\x9b)[0-?]*+[ -/]*+[@-~]?|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*+(?:\x07|\x1b\\|\x9c)?")
_ENH = r"[245]\.(?:0|[1-9][0-9]{0,2})\.(?:0|[1-9][0-9]{0,2})"
# "not followed by more of a code" without rescanning a run of dots from every start: linear
_NOT_MORE = r"(?![0-9]|\.++[0-9])"
ENHANCED_AT = LazyRegex(rf"({_ENH}){_NOT_MORE}")

# A reply line: code, separator, optional enhanced code, text. _reply_line reads exactly this with string
# operations (no compile on a cold start); tests/test_reply_line.py holds the two to the same answers.
_LINE = LazyRegex(rf"[ \t]*#?([1-5][0-9][0-9])(?:([ -])|$)[ \t]*(?:({_ENH})(?![.0-9])[ \t]*)?(.*)")
_DIGITS = frozenset("0123456789")
# The same reply flattened onto one line: "550-5.7.26 a 550-5.7.26 b 550 5.7.26 c".
_ANY_REPLY = LazyRegex(rf"(?<![\w.:/=-])([1-5][0-9][0-9])[ -]({_ENH})(?![.0-9])")
_BARE_ENH = LazyRegex(rf"(?<![\w.])({_ENH}){_NOT_MORE}")
_BARE_CODE = LazyRegex(r"(?<![\w.:/=#\[-])([1-5][0-9][0-9])(?![\w.:/\]])")
# Linear: a local part starts only where a run of its characters starts and is taken whole (possessive).
_EMAIL = LazyRegex(r"<?(?<![A-Za-z0-9._%+'=-])([A-Za-z0-9._%+'=-]++@((?:[A-Za-z0-9-]++\.)+[A-Za-z]{2,63}))>?")

# DSN (RFC 3464) fields, one per line; Diagnostic-Code may be folded onto indented lines.
_DSN_STATUS = LazyRegex(rf"^[ \t]*Status:[ \t]*({_ENH})", re.I | re.M)
_DSN_DIAG = LazyRegex(r"^[ \t]*Diagnostic-Code:[ \t]*[A-Za-z][A-Za-z0-9-]{0,30}[ \t]*;[ \t]*(.*(?:\r?\n[ \t]+.*)*)", re.I | re.M)
_DSN_ACTION = LazyRegex(r"^[ \t]*Action:[ \t]*([A-Za-z-]+)", re.I | re.M)
_DSN_RCPT = LazyRegex(r"^[ \t]*(?:Final|Original)-Recipient:[ \t]*rfc822[ \t]*;[ \t]*<?([^\s>]+)", re.I | re.M)
_DSN_MTA = LazyRegex(r"^[ \t]*Remote-MTA:[ \t]*dns[ \t]*;[ \t]*\[?([^\s\]]+)", re.I | re.M)

# Postfix: "... dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 ... (in reply to RCPT TO command))"
_PF_STATUS = LazyRegex(r"\bstatus=(sent|bounced|deferred|expired|undeliverable|deliverable)\b")
_PF_SAID = LazyRegex(r"\bhost ([^\s\[]{1,255})\[([^\[\]\s]{0,64})\] said: (.*)")  # bounded: linear however many "host "
_PF_REFUSED = LazyRegex(r"\bhost ([^\s\[]{1,255})\[([^\[\]\s]{0,64})\] refused to talk to me: (.*)")  # at the greeting
_PF_INREPLY = LazyRegex(r"\(in reply to (.+?) command\)\)?\s*")  # fullmatch from the last "(in reply to "
_PF_TO = LazyRegex(r"\bto=<([^<>]*)>")
_PF_RELAY = LazyRegex(r"\brelay=([^\s\[,]+)(?:\[([^\]]*)\])?")
_DSN_KV = LazyRegex(rf"\bdsn=({_ENH})")

# Exim: "** user@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<...>: 550 ..."
# Every run is bounded or possessive and ends where the next piece must start, so each search is linear.
_EXIM_ERR = LazyRegex(r"SMTP error from remote (?:mail server|mailer) after (.{1,1000}?):[ \t]*"
                      r"(?:host ([^\s\[]{1,255}) \[([^\[\]\s]{0,64})\]:[ \t]*)?(#?[1-5][0-9][0-9][ -].*)", re.I)
_EXIM_ADDR = LazyRegex(r"(?:^|\s)(?:\*\*|==|=>|->)[ \t]++<?([^\s<>@]++@[^\s<>]++)>?(?:\s|$)")
_EXIM_HOST = LazyRegex(r"\bH=([^\s\[]+) \[([^\]]*)\]")
# Sendmail: "to=<user@example.com>, ... relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown"
_SM_STAT = LazyRegex(r"\bstat=(.*)$")
_SM_RELAY = LazyRegex(r"(?<![^\s,])relay=([^\s\[,]++) \[([^\[\]\s]{0,64})\]")  # host keeps its final dot; see parse
_SM_TO = LazyRegex(r"(?<![^\s,])to=([^\s,@]++@[^\s,]++)")
# Exchange NDR text and the "#550 4.4.7 QUEUE.Expired; message expired ##" form
_EX_RETURNED = LazyRegex(r"Remote Server (?:at \S{1,255} (?:\([^)]{0,255}\) )?)?returned '([^']*+)'", re.I)
_EX_HASH_START = LazyRegex(r"#[1-5][0-9][0-9][ -]")  # ... up to the first "##" on its line (_exchange_hash)

_AFTER = LazyRegex(r"(?:in reply to|after) (.{1,40}?)(?: command|:|\)|$)", re.I)
_COMMANDS = (
    ("RCPT TO", LazyRegex(r"\bRCPT(?: TO)?\b", re.I)),
    ("MAIL FROM", LazyRegex(r"\bMAIL(?: FROM)?\b", re.I)),
    ("DATA", LazyRegex(r"\b(?:end of (?:data|DATA)|DATA|BDAT)\b", re.I)),
    ("EHLO", LazyRegex(r"\b(?:EHLO|HELO)\b", re.I)),
    ("STARTTLS", LazyRegex(r"\bSTARTTLS\b", re.I)),
    ("AUTH", LazyRegex(r"\bAUTH\b", re.I)),
    ("CONNECT", LazyRegex(r"\b(?:initial connection|greeting|banner|connect)\b", re.I)),
    ("QUIT", LazyRegex(r"\bQUIT\b", re.I)),
)


class Reply(Frozen):
    """What was read from the input. ``form`` names the input form that was recognised."""

    __slots__ = ("basic", "enhanced", "text", "lines", "command", "recipient", "domain", "host", "ip",
                 "mta", "form", "dsn_action", "delivery_status", "guessed")
    _fields = __slots__
    basic: str | None
    enhanced: str | None
    text: str
    lines: tuple[str, ...]
    command: str | None
    recipient: str | None
    domain: str | None
    host: str | None
    ip: str | None
    mta: str | None  # postfix | exim | sendmail | exchange
    form: str  # code | reply | multiline | flattened | dsn | postfix | exim | sendmail | exchange | text | empty
    dsn_action: str | None
    delivery_status: str | None  # Postfix status=, DSN Action
    guessed: bool  # the code was picked out of free text, not read from a known form

    def __init__(self, **kw: object) -> None:
        assign(self, kw)
        if self.lines is None:
            _set(self, "lines", ())
        if self.text is None:
            _set(self, "text", "")
        if self.form is None:
            _set(self, "form", "text")
        _set(self, "guessed", bool(self.guessed))

    def as_dict(self) -> dict:
        return {f: (list(getattr(self, f)) if f == "lines" else getattr(self, f)) for f in self._fields}


def clean(text: str | bytes) -> str:
    """Text safe to scan: decoded, terminal escape sequences and control characters dropped, at most
    MAX_SCAN characters."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text[: MAX_SCAN * 4]).decode("utf-8", "replace")
    s = text[:MAX_SCAN]
    # the check costs a sixth of the substitution; line breaks and tabs are kept (a DSN group has them)
    if s.isprintable() or (("\n" in s or "\t" in s) and s.replace("\n", " ").replace("\t", " ").isprintable()):
        return s
    if "\x1b" in s or "\x9b" in s or "\x9d" in s:
        s = _ANSI.sub("", s)
    return _CTRL.sub("", s)


def _number_end(s: str, i: int) -> int:
    """End of the enhanced code part starting at ``s[i]``: 1-3 digits without a leading zero, not followed
    by another digit; ``i`` if there is none."""
    j = i
    while j < len(s) and s[j] in _DIGITS:
        j += 1
    return j if 0 < j - i <= 3 and (s[i] != "0" or j - i == 1) else i


def _reply_line(line: str) -> tuple[str, str | None, str | None, str] | None:
    """(code, separator, enhanced code, text) of one reply line, as ``_LINE.fullmatch`` groups 1-4 give
    them; None if the line does not start with a reply code (or holds a line break, which ``.`` stops at)."""
    if "\n" in line:
        return None
    i, n = 0, len(line)
    while i < n and line[i] in " \t":
        i += 1
    if i < n and line[i] == "#":
        i += 1
    code = line[i:i + 3]
    if len(code) != 3 or code[0] not in "12345" or code[1] not in _DIGITS or code[2] not in _DIGITS:
        return None
    i += 3
    sep = None
    if i < n:
        if line[i] not in " -":
            return None
        sep, i = line[i], i + 1
    while i < n and line[i] in " \t":
        i += 1
    enhanced = None
    if i + 1 < n and line[i] in "245" and line[i + 1] == ".":
        subject = _number_end(line, i + 2)
        detail = _number_end(line, subject + 1) if subject > i + 2 and subject < n and line[subject] == "." else 0
        if detail > subject + 1 and (detail == n or line[detail] != "."):
            enhanced, i = line[i:detail], detail
            while i < n and line[i] in " \t":
                i += 1
    return code, sep, enhanced, line[i:]


def parse_reply_lines(text: str) -> dict | None:
    """The reply at the start of ``text``: code, enhanced code, text, lines; None if it does not start with one."""
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    if not lines:
        return None
    first = _reply_line(lines[0])
    if not first:
        return None
    code, _, enhanced, rest = first
    taken = [lines[0].strip()]
    parts = [rest.strip()]
    form = "reply"
    # continuation lines carry the same code: "550-..." then "550 ..."
    for ln in lines[1:]:
        m = _reply_line(ln)
        if not m or m[0] != code:
            break
        taken.append(ln.strip())
        parts.append(m[3].strip())
        form = "multiline"
        if m[1] == " ":
            break
    joined = " ".join(p for p in parts if p)
    if form == "reply" and not joined and not enhanced:
        return {"basic": code, "enhanced": None, "text": "", "lines": tuple(taken), "form": "code"}
    if form == "reply" and (f" {code}-" in joined or f" {code} " in joined):
        # flattened: the same code and enhanced code repeat inside one line
        gap = r"(?<!\s)\s++"  # whitespace taken whole from where it starts: linear in long runs of blanks
        pieces = re.split(rf"{gap}{code}[ -]{re.escape(enhanced)}\s+" if enhanced else rf"{gap}{code}-\s*", " " + joined)
        if len(pieces) > 2 or (len(pieces) == 2 and pieces[0].strip()):
            joined = " ".join(p.strip() for p in pieces if p.strip())
            form = "flattened"
    return {"basic": code, "enhanced": enhanced, "text": joined, "lines": tuple(taken), "form": form}


def _reply_anywhere(text: str) -> dict | None:
    """A reply that starts somewhere inside ``text`` (after a prefix a tool added)."""
    m = _ANY_REPLY.search(text)
    if m:
        found = parse_reply_lines(text[m.start():])
        if found:
            return found
    return None


def _exchange_hash(s: str) -> str | None:
    """The reply of "#550 4.4.7 QUEUE.Expired; message expired ##": from "#NNN " to the first "##" on its line.
    A str search, not a lazy regex, so that many "#NNN " without "##" cost one pass."""
    pos = 0
    while (m := _EX_HASH_START.rx.search(s, pos)) is not None:
        eol = s.find("\n", m.end())
        eol = len(s) if eol < 0 else eol
        end = s.find("##", m.end(), eol)
        if end >= 0:
            return s[m.start() + 1:end].rstrip()
        pos = eol  # no "##" after this one on its line, so none after any later one either
    return None


def _command(text: str) -> str | None:
    for name, rx in _COMMANDS:
        if rx.search(text):
            return name
    return None


def _recipient(text: str) -> str | None:
    m = _EMAIL.search(text) if "@" in text else None  # most replies name no address: no compile
    return m.group(1) if m else None


def parse(text: str | bytes) -> Reply:
    """Read a reply, DSN or log line. Never raises; unknown input gives ``form="text"`` and no codes."""
    s = clean(text).strip()
    if not s:
        return Reply(form="empty")
    found: dict = {}

    low = s.lower()
    dsn_like = "status:" in low or "diagnostic-code:" in low
    diag = _DSN_DIAG.search(s, low) if dsn_like else None
    status = _DSN_STATUS.search(s, low) if dsn_like else None
    if diag or status:
        inner = " ".join(diag.group(1).split()) if diag else ""
        found = (parse_reply_lines(inner) or _reply_anywhere(inner) or {"text": inner}) if inner else {}
        if status and not found.get("enhanced"):
            found["enhanced"] = status.group(1)
        action = _DSN_ACTION.search(s, low)
        rcpt = _DSN_RCPT.search(s, low)
        mta = _DSN_MTA.search(s, low)
        found.update(form="dsn", dsn_action=action.group(1).lower() if action else None,
                     delivery_status=action.group(1).lower() if action else None,
                     recipient=rcpt.group(1) if rcpt else None, host=mta.group(1) if mta else None)
        return _finish(s, found)

    exim = _EXIM_ERR.search(s) if "smtp error from remote" in low else None
    if exim:
        found = parse_reply_lines(exim.group(4)) or {}
        found.update(form="exim", mta="exim", command=_command(exim.group(1)), host=exim.group(2), ip=exim.group(3))
        addr = _EXIM_ADDR.search(s) or _EMAIL.search(exim.group(1))
        found["recipient"] = addr.group(1) if addr else None
        h = _EXIM_HOST.search(s)
        if h and not found.get("host"):
            found.update(host=h.group(1), ip=h.group(2))
        return _finish(s, found)

    pf = _PF_STATUS.search(s) if "status=" in s else None
    if pf:
        said = _PF_SAID.search(s) or _PF_REFUSED.search(s)
        if said:
            reply = said.group(3)
            at = reply.rfind("(in reply to ")
            inreply = _PF_INREPLY.fullmatch(reply, at) if at >= 0 else None
            command = inreply.group(1) if inreply else None
            if inreply:
                reply = reply[:at].rstrip()
            elif reply.endswith(")"):
                reply = reply[:-1]
            found = parse_reply_lines(reply) or {"text": reply}
            if command is None and "refused to talk to me" in s:
                command = "greeting"
            found.update(host=said.group(1), ip=said.group(2), command=_command(command) if command else None)
        else:  # no SMTP reply: the remark in parentheses says what happened (timeout, DNS, ...)
            paren = s[pf.end():].strip()
            found = {"text": paren[1:-1] if paren.startswith("(") and paren.endswith(")") else paren}
            relay = _PF_RELAY.search(s)
            if relay and relay.group(1) != "none":
                found.update(host=relay.group(1), ip=relay.group(2))
        dsn = _DSN_KV.search(s)
        if dsn and not found.get("enhanced"):
            found["enhanced"] = dsn.group(1)
        to = _PF_TO.search(s)
        found.update(form="postfix", mta="postfix", delivery_status=pf.group(1), recipient=to.group(1) if to else None)
        return _finish(s, found)

    stat = _SM_STAT.search(s) if "stat=" in s else None
    dsn = _DSN_KV.search(s) if stat else None
    if stat and dsn:
        found = parse_reply_lines(stat.group(1)) or _reply_anywhere(stat.group(1)) or {"text": stat.group(1).strip()}
        if not found.get("enhanced"):
            found["enhanced"] = dsn.group(1)
        relay = _SM_RELAY.search(s)
        to = _PF_TO.search(s) or _SM_TO.search(s)
        found.update(form="sendmail", mta="sendmail", recipient=to.group(1) if to else None,
                     host=relay.group(1).removesuffix(".") if relay else None, ip=relay.group(2) if relay else None)
        return _finish(s, found)

    ex = (_EX_RETURNED.search(s) if "returned" in low else None)
    hashed = ex.group(1) if ex else _exchange_hash(s) if "##" in s else None
    if hashed is not None:
        inner = " ".join(hashed.split())
        found = parse_reply_lines(inner) or _reply_anywhere(inner) or {"text": inner}
        found.update(form="exchange", mta="exchange")
        return _finish(s, found)

    found = parse_reply_lines(s) or _reply_anywhere(s) or {}
    if found:
        return _finish(s, found)
    m = _BARE_ENH.search(s)
    if m:
        rest = s[m.end():].strip(" :;-\t\n")
        return _finish(s, {"enhanced": m.group(1), "text": rest or s, "form": "code" if not rest else "reply",
                           "guessed": m.start() > 0})
    m = _BARE_CODE.search(s)
    if m and len(s) <= 2000:
        return _finish(s, {"basic": m.group(1), "text": s, "form": "code" if s == m.group(1) else "text",
                           "guessed": s != m.group(1)})
    return Reply(text=s[:2000], form="text")


def _finish(s: str, found: dict) -> Reply:
    text = found.get("text") or ""
    if not found.get("command"):
        m = _AFTER.search(s) if ("reply to" in s or "after " in s) else None
        found["command"] = _command(m.group(1)) if m else None
    rcpt = found.get("recipient") or _recipient(text) or _recipient(s)
    found["recipient"] = rcpt
    found["domain"] = rcpt.rsplit("@", 1)[1].lower().rstrip(".") if rcpt and "@" in rcpt else None
    found.setdefault("text", text)
    if found.get("basic") and not found.get("enhanced") and "(#" in text:
        qmail = _QMAIL_STATUS.search(text)  # qmail's "(#5.1.1 - chkusr)": the status the reply carries
        if qmail:
            found["enhanced"] = qmail.group(1)
    return Reply(**found)


# A reply quoted inside another: "554 4.4.7 Message expired ... <421 4.4.2 Connection timed out>",
# Amazon SES's "5.1.0 - Unknown address error 550-'5.2.2 ... Mailbox Full'", qmail's "(#5.1.1 - chkusr)".
# Each piece is bounded or a single class run, so every search is linear.
_NESTED = LazyRegex(rf"(?<![\w.])([2-5][0-9][0-9])[ -]['\"]?({_ENH})?(?![.0-9])[ \t]*+([^'\"]{{0,500}})")
_QMAIL_STATUS = LazyRegex(rf"\(#({_ENH})(?![.0-9])")


def nested(reply: Reply) -> tuple[str | None, str | None, str] | None:
    """(basic, enhanced, text) of a reply quoted inside ``reply.text`` after its own code, or None."""
    t = reply.text
    if not t:
        return None
    m = _QMAIL_STATUS.search(t) if "(#" in t else None
    if m and m.group(1) != reply.enhanced:
        return None, m.group(1), t
    start = 0
    own = reply.basic or reply.enhanced
    if own and t.startswith(own):
        start = len(own)
    if not ("2" in t or "3" in t or "4" in t or "5" in t):
        return None  # a quoted reply starts with a digit 2-5; without one the pattern need not be compiled
    for m in _NESTED.rx.finditer(t, start):
        basic, enhanced = m.group(1), m.group(2)
        opened = m.start() > 0 and t[m.start() - 1] in "<'\""
        if not enhanced and not opened:
            continue  # a bare number in prose ("after 300 seconds") is not a reply
        if (basic, enhanced) == (reply.basic, reply.enhanced):
            continue  # the same reply repeated (a flattened multi-line reply)
        inner = m.group(3)
        if opened and t[m.start() - 1] == "<":  # <421 4.4.2 ...>: the reply ends at its bracket
            inner = inner.split(">", 1)[0]
        return basic, enhanced, inner.strip()
    return None


# What the user typed is a search ("421", "mailbox full") unless it reads as a reply, DSN or log line.
QUERY_LIMIT = 100  # longer text in a search field is a paste, not a query
_EXPLAINABLE_FORMS = frozenset({"reply", "multiline", "flattened", "dsn", "postfix", "exim", "sendmail", "exchange"})


def names_a_reply(line: str) -> bool:
    """True if ``line`` carries a reply code in a form the parser knows (a reply, DSN field or log line),
    not a bare code or a code picked out of free text: what a search field should explain, not search."""
    found = parse(line)
    return found.form in _EXPLAINABLE_FORMS and not found.guessed


def looks_like_reply(text: str) -> bool:
    """True if ``text`` typed or pasted into a search field is to be explained rather than searched:
    several lines, more than a query's length, or a line ``names_a_reply``."""
    stripped = text.strip()
    if not stripped:
        return False
    if "\n" in stripped or "\r" in stripped or len(stripped) > QUERY_LIMIT:
        return True
    return names_a_reply(stripped)
