"""Read what people paste: a reply line, a multi-line or flattened reply, a DSN, an MTA log line.

``parse(text)`` never raises for any string; it returns a ``Reply`` whose fields are None where the input
does not say. It reads only the first ``MAX_SCAN`` characters: a bounce's codes stand near its start.
"""

from __future__ import annotations

import re

from .model import Frozen, _set

MAX_SCAN = 65536
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENH = r"[245]\.(?:0|[1-9][0-9]{0,2})\.(?:0|[1-9][0-9]{0,2})"
ENHANCED_AT = re.compile(rf"({_ENH})(?![0-9.]*[0-9])")

# A reply line: code, separator, optional enhanced code, text.
_LINE = re.compile(rf"[ \t]*#?([1-5][0-9][0-9])(?:([ -])|$)[ \t]*(?:({_ENH})(?![.0-9])[ \t]*)?(.*)")
# The same reply flattened onto one line: "550-5.7.26 a 550-5.7.26 b 550 5.7.26 c".
_ANY_REPLY = re.compile(rf"(?<![\w.:/=-])([1-5][0-9][0-9])[ -]({_ENH})(?![.0-9])")
_BARE_ENH = re.compile(rf"(?<![\w.])({_ENH})(?![.0-9]*[0-9])")
_BARE_CODE = re.compile(r"(?<![\w.:/=#\[-])([1-5][0-9][0-9])(?![\w.:/\]])")
_EMAIL = re.compile(r"<?([A-Za-z0-9._%+'=-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}))>?")

# DSN (RFC 3464) fields, one per line; Diagnostic-Code may be folded onto indented lines.
_DSN_STATUS = re.compile(rf"^[ \t]*Status:[ \t]*({_ENH})", re.I | re.M)
_DSN_DIAG = re.compile(r"^[ \t]*Diagnostic-Code:[ \t]*smtp[ \t]*;[ \t]*(.*(?:\r?\n[ \t]+.*)*)", re.I | re.M)
_DSN_ACTION = re.compile(r"^[ \t]*Action:[ \t]*([A-Za-z-]+)", re.I | re.M)
_DSN_RCPT = re.compile(r"^[ \t]*(?:Final|Original)-Recipient:[ \t]*rfc822[ \t]*;[ \t]*<?([^\s>]+)", re.I | re.M)
_DSN_MTA = re.compile(r"^[ \t]*Remote-MTA:[ \t]*dns[ \t]*;[ \t]*\[?([^\s\]]+)", re.I | re.M)

# Postfix: "... dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 ... (in reply to RCPT TO command))"
_PF_STATUS = re.compile(r"\bstatus=(sent|bounced|deferred|expired|undeliverable|deliverable)\b")
_PF_SAID = re.compile(r"\bhost ([^\s\[]+)\[([^\]]*)\] said: (.*)")
_PF_INREPLY = re.compile(r"\s*\(in reply to (.+?) command\)\)?\s*$")
_PF_TO = re.compile(r"\bto=<([^>]*)>")
_PF_RELAY = re.compile(r"\brelay=([^\s\[,]+)(?:\[([^\]]*)\])?")
_DSN_KV = re.compile(rf"\bdsn=({_ENH})")

# Exim: "** user@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<...>: 550 ..."
_EXIM_ERR = re.compile(r"SMTP error from remote (?:mail server|mailer) after (.+?):[ \t]*(?:host ([^\s\[]+) \[([^\]]*)\]:[ \t]*)?(#?[1-5][0-9][0-9][ -].*)", re.I)
_EXIM_ADDR = re.compile(r"(?:^|\s)(?:\*\*|==|=>|->)\s+<?([^\s<>]+@[^\s<>]+?)>?(?:\s|$)")
_EXIM_HOST = re.compile(r"\bH=([^\s\[]+) \[([^\]]*)\]")
# Sendmail: "to=<user@example.com>, ... relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown"
_SM_STAT = re.compile(r"\bstat=(.*)$")
_SM_RELAY = re.compile(r"\brelay=([^\s\[,]+?)\.? \[([^\]]*)\]")
# Exchange NDR text and the "#550 4.4.7 QUEUE.Expired; message expired ##" form
_EX_RETURNED = re.compile(r"Remote Server (?:at \S+ (?:\([^)]*\) )?)?returned '(.*?)'", re.I | re.S)
_EX_HASH = re.compile(r"#([1-5][0-9][0-9][ -].*?)\s*##")

_COMMANDS = (
    ("RCPT TO", re.compile(r"\bRCPT(?: TO)?\b", re.I)),
    ("MAIL FROM", re.compile(r"\bMAIL(?: FROM)?\b", re.I)),
    ("DATA", re.compile(r"\b(?:end of (?:data|DATA)|DATA|BDAT)\b", re.I)),
    ("EHLO", re.compile(r"\b(?:EHLO|HELO)\b", re.I)),
    ("STARTTLS", re.compile(r"\bSTARTTLS\b", re.I)),
    ("AUTH", re.compile(r"\bAUTH\b", re.I)),
    ("CONNECT", re.compile(r"\b(?:initial connection|greeting|banner|connect)\b", re.I)),
    ("QUIT", re.compile(r"\bQUIT\b", re.I)),
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
        for f in self._fields:
            _set(self, f, kw.get(f))
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
    """Text safe to scan: decoded, control characters dropped, at most MAX_SCAN characters."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text[: MAX_SCAN * 4]).decode("utf-8", "replace")
    return _CTRL.sub("", text[:MAX_SCAN])


def parse_reply_lines(text: str) -> dict | None:
    """The reply at the start of ``text``: code, enhanced code, text, lines; None if it does not start with one."""
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    if not lines:
        return None
    first = _LINE.fullmatch(lines[0])
    if not first:
        return None
    code = first.group(1)
    enhanced = first.group(3)
    taken = [lines[0].strip()]
    parts = [first.group(4).strip()]
    form = "reply"
    # continuation lines carry the same code: "550-..." then "550 ..."
    for ln in lines[1:]:
        m = _LINE.fullmatch(ln)
        if not m or m.group(1) != code:
            break
        taken.append(ln.strip())
        parts.append(m.group(4).strip())
        form = "multiline"
        if m.group(2) == " ":
            break
    joined = " ".join(p for p in parts if p)
    if form == "reply" and not joined and not enhanced:
        return {"basic": code, "enhanced": None, "text": "", "lines": tuple(taken), "form": "code"}
    if form == "reply":
        # flattened: the same code and enhanced code repeat inside one line
        pieces = re.split(rf"\s+{code}[ -]{re.escape(enhanced)}\s+" if enhanced else rf"\s+{code}-\s*", " " + joined)
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


def _command(text: str) -> str | None:
    for name, rx in _COMMANDS:
        if rx.search(text):
            return name
    return None


def _recipient(text: str) -> str | None:
    m = _EMAIL.search(text)
    return m.group(1) if m else None


def parse(text: str | bytes) -> Reply:
    """Read a reply, DSN or log line. Never raises; unknown input gives ``form="text"`` and no codes."""
    s = clean(text).strip()
    if not s:
        return Reply(form="empty")
    found: dict = {}

    diag = _DSN_DIAG.search(s)
    status = _DSN_STATUS.search(s)
    if diag or status:
        inner = " ".join(diag.group(1).split()) if diag else ""
        found = (parse_reply_lines(inner) or _reply_anywhere(inner) or {"text": inner}) if inner else {}
        if status and not found.get("enhanced"):
            found["enhanced"] = status.group(1)
        action = _DSN_ACTION.search(s)
        rcpt = _DSN_RCPT.search(s)
        mta = _DSN_MTA.search(s)
        found.update(form="dsn", dsn_action=action.group(1).lower() if action else None,
                     delivery_status=action.group(1).lower() if action else None,
                     recipient=rcpt.group(1) if rcpt else None, host=mta.group(1) if mta else None)
        return _finish(s, found)

    exim = _EXIM_ERR.search(s)
    if exim:
        found = parse_reply_lines(exim.group(4)) or {}
        found.update(form="exim", mta="exim", command=_command(exim.group(1)), host=exim.group(2), ip=exim.group(3))
        addr = _EXIM_ADDR.search(s) or _EMAIL.search(exim.group(1))
        found["recipient"] = addr.group(1) if addr else None
        h = _EXIM_HOST.search(s)
        if h and not found.get("host"):
            found.update(host=h.group(1), ip=h.group(2))
        return _finish(s, found)

    pf = _PF_STATUS.search(s)
    if pf:
        said = _PF_SAID.search(s)
        if said:
            reply = said.group(3)
            inreply = _PF_INREPLY.search(reply)
            command = inreply.group(1) if inreply else None
            if inreply:
                reply = reply[: inreply.start()]
            elif reply.endswith(")"):
                reply = reply[:-1]
            found = parse_reply_lines(reply) or {"text": reply}
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

    stat = _SM_STAT.search(s)
    dsn = _DSN_KV.search(s)
    if stat and dsn:
        found = parse_reply_lines(stat.group(1)) or _reply_anywhere(stat.group(1)) or {"text": stat.group(1).strip()}
        if not found.get("enhanced"):
            found["enhanced"] = dsn.group(1)
        relay = _SM_RELAY.search(s)
        to = _PF_TO.search(s) or re.search(r"\bto=([^\s,]+@[^\s,]+)", s)
        found.update(form="sendmail", mta="sendmail", recipient=to.group(1) if to else None,
                     host=relay.group(1) if relay else None, ip=relay.group(2) if relay else None)
        return _finish(s, found)

    ex = _EX_RETURNED.search(s) or _EX_HASH.search(s)
    if ex:
        inner = " ".join(ex.group(1).split())
        found = parse_reply_lines(inner) or _reply_anywhere(inner) or {"text": inner}
        found.update(form="exchange", mta="exchange")
        return _finish(s, found)

    found = parse_reply_lines(s) or _reply_anywhere(s)
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
        m = re.search(r"(?:in reply to|after) (.{1,40}?)(?: command|:|\)|$)", s, re.I)
        found["command"] = _command(m.group(1)) if m else None
    rcpt = found.get("recipient") or _recipient(text) or _recipient(s)
    found["recipient"] = rcpt
    found["domain"] = rcpt.rsplit("@", 1)[1].lower().rstrip(".") if rcpt and "@" in rcpt else None
    found.setdefault("text", text)
    return Reply(**found)
