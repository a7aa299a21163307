"""Whole bounce messages: every recipient of a delivery report or an MTA's bounce mail, explained.

``explain_message(data)`` reads a mail (bytes, str or ``email.message.Message``) and returns a
``MessageReport``: its ``kind`` (``bounce``, ``delay``, ``delivery-report``, or a mail that is not a
bounce: ``auto-reply``, ``feedback-report``, ``read-receipt``, ``not-a-bounce``, ``unreadable``) and one
``RecipientReport`` per recipient. Each recipient's verdict is ``kb.explain`` of the diagnostic the
report gives for it (its RFC 3464 fields, or the reply the MTA quoted), so a mail and a pasted line
never disagree. The returned original message is never read as the bounce's text: only its From and
Message-ID are taken from it. Any input is read in bounded time and memory (kb/mail/mime.py).
"""

from __future__ import annotations

import email.message
import functools
import re

from ..explainer import Explanation, Finding, Step, _quote, explain
from ..model import Frozen, Text, assign
from ..texts import say
from . import dsn as _dsn
from . import formats as _formats
from . import mime as _mime

__all__ = ["MessageReport", "RecipientReport", "explain_message", "looks_like_message", "messages"]

MAX_RECIPIENTS = 1000  # a report naming more is read up to here (and says so)
MAX_SCAN = 65536  # characters of human-readable text scanned for recipients

KINDS = ("bounce", "delay", "delivery-report", "auto-reply", "feedback-report", "read-receipt", "not-a-bounce", "unreadable")


class RecipientReport(Frozen):
    """One recipient of a bounce: what the report says about it, and ``explanation``, the verdict on
    its diagnostic (``kb.explain``). ``why`` names the part and field each fact came from."""

    __slots__ = ("recipient", "original_recipient", "action", "status", "diagnostic", "diagnostic_type",
                 "reporting_mta", "remote_mta", "stage", "arrival_date", "last_attempt_date", "will_retry_until",
                 "original_sender", "message_id", "format", "explanation", "findings", "why")
    _fields = ("recipient", "action", "status", "diagnostic", "explanation")
    recipient: str | None
    original_recipient: str | None
    action: str | None  # failed | delayed | delivered | relayed | expanded
    status: str | None  # the report's Status (enhanced code), if it gives one
    diagnostic: str  # the text given to kb.explain's parser as the reply
    diagnostic_type: str | None  # smtp | x-unix | x-postfix ... (RFC 3464 diagnostic-type)
    reporting_mta: str | None
    remote_mta: str | None
    stage: str | None  # the SMTP command answered: CONNECT | EHLO | MAIL FROM | RCPT TO | DATA ...
    arrival_date: str | None  # ISO 8601 when the date could be read, else as written
    last_attempt_date: str | None
    will_retry_until: str | None
    original_sender: str | None
    message_id: str | None
    format: str  # rfc3464 | rfc6533 | postfix | exim | sendmail | qmail | exchange | gmail | ... | generic
    explanation: Explanation
    findings: tuple[Finding, ...]
    why: tuple[Step, ...]

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    def as_dict(self) -> dict:
        out = {f: getattr(self, f) for f in self.__slots__ if f not in ("explanation", "findings", "why")}
        out["explanation"] = self.explanation.as_dict()
        out["findings"] = [{"kind": f.kind, "message": f.message.as_dict()} for f in self.findings]
        out["why"] = [{"rule": s.rule, "detail": s.detail.as_dict(), "source": s.source} for s in self.why]
        return out


class MessageReport(Frozen):
    """What a mail is (``kind``) and, for a report, its recipients. Iterating it, ``len`` and indexing
    go over ``recipients``."""

    __slots__ = ("kind", "format", "subject", "sender", "date", "recipients", "findings", "why", "truncated")
    _fields = ("kind", "format", "recipients")
    kind: str
    format: str | None
    subject: str | None
    sender: str | None  # who sent the bounce (its From)
    date: str | None
    recipients: tuple[RecipientReport, ...]
    findings: tuple[Finding, ...]
    why: tuple[Step, ...]
    truncated: bool  # only the first part of the input was read (see kb/mail/mime.py)

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    def __iter__(self):
        return iter(self.recipients)

    def __len__(self) -> int:
        return len(self.recipients)

    def __getitem__(self, i: int) -> RecipientReport:
        return self.recipients[i]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "format": self.format, "subject": self.subject, "sender": self.sender,
                "date": self.date, "truncated": self.truncated,
                "recipients": [r.as_dict() for r in self.recipients],
                "findings": [{"kind": f.kind, "message": f.message.as_dict()} for f in self.findings],
                "why": [{"rule": s.rule, "detail": s.detail.as_dict(), "source": s.source} for s in self.why]}


# ---------------------------------------------------------------------------------------------- detection

_HEADER_LINE = re.compile(r"[!-9;-~]{1,76}:[ \t]?.*|[ \t].*")  # a field (RFC 5322 field name) or a continuation
_MAIL_FIELDS = frozenset({"from", "to", "subject", "date", "message-id", "received", "return-path", "mime-version",
                          "content-type", "delivered-to", "x-failed-recipients", "auto-submitted", "reply-to", "sender"})


def looks_like_message(text: str | bytes) -> bool:
    """True if ``text`` is a whole mail (header fields, a blank line, a body) rather than a reply or
    log line: its first line is a header field or an mbox ``From `` line, every line up to the first
    blank one is a field or a continuation, and at least two of the fields are ones every mail has
    (From, To, Subject, Date, Received, Message-ID, ...). A pasted block of DSN fields is not a mail."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text[:16384]).decode("utf-8", "replace")
    head = text[:16384].lstrip("\r\n").replace("\r\n", "\n")
    lines = head.split("\n")
    if lines and lines[0].startswith("From ") and ":" not in lines[0].split(" ", 2)[1][-1:]:
        lines = lines[1:]  # an mbox separator line
    known = 0
    for i, line in enumerate(lines[:400]):
        if not line.strip():
            return known >= 2 and i > 0
        if not _HEADER_LINE.fullmatch(line) or (i == 0 and line[0] in " \t"):
            return i == len(lines) - 1 and known >= 3  # a last line cut short by the sample still counts
        if line[0] not in " \t" and line.split(":", 1)[0].strip().lower() in _MAIL_FIELDS:
            known += 1
    return known >= 3  # the header section runs past the sample: long Received chains do


def _read_bounded(box, key) -> bytes:
    """One mail of a mailbox, read only as far as it is parsed (an 80 MB attachment is not loaded)."""
    fh = box.get_file(key)
    try:
        return fh.read(_mime.MAX_BYTES + 1)
    finally:
        fh.close()


def messages(path: str):
    """(index, bytes) for each mail in ``path``: a maildir folder, an mbox file or one message file.
    Raises OSError when the path cannot be read."""
    import mailbox
    import os

    if os.path.isdir(path):
        if not (os.path.isdir(os.path.join(path, "cur")) and os.path.isdir(os.path.join(path, "new"))):
            raise NotADirectoryError(20, "a folder, but not a maildir (it has no cur/ and new/)")
        box = mailbox.Maildir(path, factory=None, create=False)
        for i, key in enumerate(sorted(box.iterkeys())):
            yield i, _read_bounded(box, key)
        return
    with open(path, "rb") as fh:
        start = fh.read(5)
    if start == b"From ":
        mb = mailbox.mbox(path, factory=None, create=False)
        try:
            for i, key in enumerate(mb.iterkeys()):
                yield i, _read_bounded(mb, key)
        finally:
            mb.close()
        return
    with open(path, "rb") as fh:
        yield 0, fh.read(_mime.MAX_BYTES + 1)


# ---------------------------------------------------------------------------------------------- reading


def _q(s: str, n: int = 60) -> str:
    """explainer._quote, reading only the start of a long text (a returned message's copy): the start's
    folded form is a prefix of the whole's, so once it is longer than ``n`` the answer is the same."""
    if len(s) > 8 * n:
        head = " ".join(s[: 8 * n].split())
        if len(head) > n:
            return head[: n - 1] + "…"
    return _quote(s, n)


# The form almost every MTA writes (RFC 5322 section 3.3): read directly, as email.utils would read it.
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_RFC5322_DATE = re.compile(r"(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) ([1-9]\d{3}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"
                           r"(?: \([^()\n]{0,40}\))?")


def _usual_date(value: str) -> str | None:
    """``value`` in the usual form as email.utils.parsedate_to_datetime(value).isoformat() gives it; None when
    it is in another form or not a valid date (then email.utils decides). Checked and written out here, as
    datetime would (tests/test_message.py compares the two): building datetime objects cost more."""
    m = _RFC5322_DATE.fullmatch(value.strip())
    month = _MONTHS.get(m.group(2).lower()) if m else None
    if m is None or month is None:
        return None
    day, year, hour, minute, second = (int(g) for g in m.group(1, 3, 4, 5, 6))
    sign, tzh, tzm = m.group(7, 8, 9)
    offset = int(tzh) * 3600 + int(tzm) * 60
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS[month]
    if not (1 <= day <= days and hour < 24 and minute < 60 and second < 60 and offset < 86400):
        return None  # datetime (or its time zone, within a day of UTC) would refuse it
    stamp = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
    if sign == "-" and not offset:  # -0000: the zone is unknown
        return stamp
    return f"{stamp}{sign}{offset // 3600:02d}:{offset % 3600 // 60:02d}"


_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@functools.lru_cache(maxsize=256)  # bounded; a report repeats its dates (Arrival-Date, Last-Attempt-Date, Date)
def _date(value: str | None) -> str | None:
    if not value:
        return None
    usual = _usual_date(value)
    if usual is not None:
        return usual
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return " ".join(value.split())[:200]


def _addr_of(value: str | None) -> str | None:
    """The first address in a From or To value (``Alice <a@b>``, ``a@b (Alice)``)."""
    if not value or "@" not in value:
        return None
    found = _formats.addresses(value)
    return found[0] if found else None


class _Part:
    __slots__ = ("index", "ctype", "text", "_low", "copy")

    def __init__(self, index: int, ctype: str, text, copy: str = "", low: str | None = None) -> None:
        self.index, self.ctype = index, ctype
        self.text = text  # str, or the HTML part until it is read
        self._low = low
        self.copy = copy  # a returned message's copy that followed this text inline

    @property
    def low(self) -> str:
        """The text lower-cased position for position (formats.lowered), worked out when first read."""
        if self._low is None:
            self._low = _formats.lowered(self.text) if isinstance(self.text, str) else ""
        return self._low

    def where(self) -> str:
        return f"the body ({self.ctype})" if self.index == 0 else f"part {self.index} ({self.ctype})"


class _Mail:
    """The parsed mail split into what a bounce reader needs."""

    def __init__(self, msg: email.message.Message) -> None:
        self.msg = msg
        self.headers = _mime.Headers(msg)
        self.report_type = _mime.param(msg, "report-type") if _mime.content_type(msg) == "multipart/report" else None
        self.status_parts: list[_Part] = []  # message/(global-)delivery-status
        self.text_parts: list[_Part] = []  # human-readable text
        self.html_parts: list[_Part] = []
        self.returned: list[tuple[int, email.message.Message]] = []  # returned message (headers only read)
        self.other_reports: set[str] = set()
        self.rejections: list[_Part] = []  # MDNs that report a deleted (refused) message
        self._human: list[_Part] | None = None
        for part, ctype, index in _mime.walk(msg):
            if ctype.startswith("multipart/"):
                continue
            if ctype in ("message/delivery-status", "message/global-delivery-status"):
                self.status_parts.append(_Part(index, ctype, _mime.text(part)))
            elif ctype in ("message/disposition-notification", "message/global-disposition-notification"):
                self.other_reports.add(ctype)
                body = _mime.text(part)
                # "Disposition: automatic-action/MDN-sent-automatically; deleted": a Sieve reject (RFC 5429),
                # the recipient's system refused the message; read like a delivery report
                if re.search(r"(?im)^disposition:[^\n]{0,200};[ \t]*deleted", body):
                    self.rejections.append(_Part(index, ctype, body))
            elif ctype == "message/feedback-report":
                self.other_reports.add(ctype)
            elif ctype in _mime.RETURNED:
                self.returned.append((index, part))
            elif ctype == "text/plain" or (ctype.startswith("text/") and ctype not in ("text/html", "text/enriched")):
                self.text_parts.append(_Part(index, ctype, _mime.text(part)))
            elif ctype == "text/html":
                self.html_parts.append(_Part(index, ctype, part))  # decoded only when there is no plain text

    def human(self) -> list[_Part]:
        """The human-readable text parts (HTML only when there is no plain text), cut where a returned copy starts."""
        if self._human is None:
            self._human = self._read_human()
        return self._human

    def _read_human(self) -> list[_Part]:
        parts = self.text_parts or [_Part(p.index, p.ctype, _mime.html_text(_mime.text(p.text))) for p in self.html_parts]
        out, left = [], MAX_SCAN
        for p in parts:
            if left <= 0:
                break
            # single-part bounces carry the returned message inline: the text ends where its copy begins
            text = p.text[:left]
            cut, low = _formats.copy_starts(text)
            out.append(_Part(p.index, p.ctype, text[:cut], copy=p.text[cut:cut + 65536], low=low[:cut]))
            left -= cut
        return out


def _returned_headers(mail: _Mail, human: list[_Part], split: bytes) -> tuple[str | None, str | None, str | None]:
    """(From address, Message-ID, where) of the returned original message: from its part (``split``: the part
    as bytes, when it was set aside before parsing), or from an inline copy in the text."""
    if split:
        blank = _BLANK_LINE.search(split)
        head, body = (split[: blank.start()], split[blank.end():]) if blank else (split, b"")
        found = _PART_TYPE.search(head)
        ctype = found.group(1).decode("ascii").lower() if found else "message/rfc822"
        end = _BLANK_LINE.search(body)
        sender, mid = _header_fields(_mime.decode_bytes(body[: end.start() if end else 32768]))
        if sender or mid:
            return sender, mid, f"the returned message part ({ctype})"
    for index, part in mail.returned:
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], email.message.Message):
            sender, mid = _addr_of(_mime.header(payload[0], "from")), _mime.header(payload[0], "message-id")
        else:  # text/rfc822-headers: the header block as text
            sender, mid = _header_fields(_mime.text(part))
        if sender or mid:
            return sender, mid, f"part {index} ({_mime.content_type(part)})"
    for p in human:  # an inline copy after the marker line
        if p.copy:  # its headers start after the marker line and any blank lines
            nl = p.copy.find("\n")
            start = _NEWLINES.match(p.copy, nl + 1).end()  # type: ignore[union-attr]  # \n* always matches
            sender, mid = _header_fields(p.copy[start:start + _HEAD_MAX])
            if sender or mid:
                return sender, mid, f"{p.where()}, after “{_q(p.copy, 50)}”"
    return None, None, None


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_NEWLINES = re.compile(r"\n*")
_HEAD_MAX = 32768  # characters of a returned message read for its header fields
_PART_TYPE = re.compile(rb"(?im)^content-type:[ \t]*([a-z0-9.+-]{1,64}/[a-z0-9.+-]{1,64})")
_FROM_OR_ID = re.compile(r"^(from|message-id):[ \t]*([^\n]{0,998}(?:\n[ \t][^\n]{0,998}){0,20})", re.I | re.M)


def _header_fields(text: str) -> tuple[str | None, str | None]:
    """From address and Message-ID of a header block given as text (up to its first blank line)."""
    head = text[:_HEAD_MAX]
    if "\r" in head:
        head = head.replace("\r\n", "\n")
    end = head.find("\n\n")
    head = head[:end] if end >= 0 else head
    found: dict[str, str] = {}
    for m in _FROM_OR_ID.finditer(head):
        found.setdefault(m.group(1).lower(), " ".join(m.group(2).split()))
    mid = found.get("message-id")
    return _addr_of(found.get("from")), mid or None


def _kind_not_bounce(mail: _Mail) -> tuple[str, Step] | None:
    rt = mail.report_type
    if rt == "feedback-report" or "message/feedback-report" in mail.other_reports:
        return "feedback-report", Step("kind", say("mail.arf"), "RFC 5965")
    if mail.rejections:
        return None
    if rt == "disposition-notification" or mail.other_reports & {"message/disposition-notification",
                                                                 "message/global-disposition-notification"}:
        return "read-receipt", Step("kind", say("mail.mdn"), "RFC 8098")
    return None


# subjects mail clients give automatic replies (Outlook: "Automatic reply:", "Automatische Antwort:")
_AUTO_SUBJECT = ("out of office", "automatic reply", "auto-reply", "autoreply", "auto:", "abwesenheitsnotiz",
                 "automatische antwort")


def _auto_reply(headers: _mime.Headers, subject_low: str) -> Step | None:
    auto = (headers.get("auto-submitted") or "").lower()
    if auto and auto.split(";")[0].strip() != "no":  # RFC 3834: "no" marks a mail a person sent
        return Step("kind", say("mail.auto_submitted", value=auto), "RFC 3834")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if headers.get(name) is not None:
            return Step("kind", say("mail.auto_header", name=name))
    prec = (headers.get("precedence") or "").lower()
    if prec == "auto_reply" or any(subject_low.startswith(s) for s in _AUTO_SUBJECT):
        return Step("kind", say("mail.auto_subject"))
    return None


_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail delivery", "maildelivery", "mail-daemon", "mdaemon")
_BOUNCE_SUBJECTS = ("undeliver", "undelivered", "delivery fail", "failure notice", "returned mail", "delivery status",
                    "not delivered", "could not be delivered", "delivery problem", "unzustellbar", "nicht zustellbar",
                    "returned to sender", "delivery notification", "mail delivery failed", "warning: could not send",
                    "delayed mail", "delivery delayed", "nondeliverable", "non-deliverable", "mail system error",
                    "user unknown")


def _looks_like_bounce(mail: _Mail, sender_low: str, to_low: str, subject_low: str) -> bool:
    """From a mailer daemon, a subject that says so, sent to a bounce address (VERP), or a delivery report part."""
    return (any(s in sender_low for s in _BOUNCE_SENDERS) or any(s in subject_low for s in _BOUNCE_SUBJECTS)
            or "bounce" in to_low.split("@")[0] or bool(mail.status_parts) or mail.report_type == "delivery-status")


_RULE = {"original_recipient": "original-recipient", "remote_mta": "remote-mta", "reporting_mta": "reporting-mta",
         "arrival_date": "arrival-date", "last_attempt_date": "last-attempt-date", "will_retry_until": "will-retry-until",
         "original_sender": "original-sender", "message_id": "message-id"}


_FACT_STEPS: dict[str, tuple[str, str, str]] = {}  # fact name -> (rule, "Label: ", "Bezeichnung: "); bounded


def _fact_step(name: str) -> tuple[str, str, str]:
    step = _FACT_STEPS.get(name)
    if step is None:
        label = say("fact." + name)
        step = _FACT_STEPS[name] = (_RULE.get(name) or name, label.en + ": ", label.de + ": ")
    return step


class _Draft:
    """A recipient being put together: facts with where each came from."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.facts: dict[str, str | None] = {}
        self.why: list[Step] = []
        self.findings: list[Finding] = []

    def fact(self, name: str, value: str | None, where: str, label: Text | None = None) -> None:
        """Keep the first ``value`` of fact ``name``; the step says ``label`` (the fact's own by default): value."""
        if not value or self.facts.get(name):
            return
        self.facts[name] = value
        shown = value if len(value) <= 70 and "\n" not in value else _q(value, 70)
        if label is None:
            rule, en, de = _fact_step(name)
        else:
            rule, en, de = _RULE.get(name) or name, label.en + ": ", label.de + ": "
        self.why.append(Step(rule, Text(en + shown, de + shown), where))


_GROUP_FACTS = (("remote_mta", "remote-mta", _dsn.host), ("last_attempt_date", "last-attempt-date", _date),
                ("will_retry_until", "will-retry-until", _date))


def _from_dsn(mail: _Mail, report_why: list[Step]) -> tuple[list[_Draft], dict[str, str], str | None]:
    """Recipient drafts from delivery-status parts, or from DSN fields written into text parts."""
    sources = [(p, "rfc6533" if p.ctype == "message/global-delivery-status" else "rfc3464") for p in mail.status_parts]
    sources += [(p, "rfc5429") for p in mail.rejections]
    if not sources:
        sources = [(p, "rfc3464-text") for p in mail.human() if "recipient:" in p.low]
    drafts: list[_Draft] = []
    seen: set[tuple] = set()
    message_fields: dict[str, str] = {}
    fmt = None
    for part, kind in sources:
        # a delivery-status part is read as text (kb/mail/mime.py): its values are read as header values here
        fields, names, groups = _dsn.read(part.text[:_mime.MAX_TEXT], as_headers=kind != "rfc3464-text")
        if not groups:
            continue
        fmt = fmt or kind
        field_of = f"{part.where()}, field "
        for k, v in fields.items():
            message_fields.setdefault(k, v)
            message_fields.setdefault("@" + k, field_of + names[k])
        for g in groups[:MAX_RECIPIENTS - len(drafts)]:
            d = _Draft(kind)
            def w(key: str, field_of: str = field_of, g: _dsn.Group = g) -> str:
                return field_of + g.names.get(key, key)

            final, orig = _dsn.address(g.get("final-recipient")), _dsn.address(g.get("original-recipient"))
            final_name = final.rsplit("@", 1)[1] if final else ""
            if orig and final and "." not in final_name:  # an internal routing name: the address sent to counts
                d.fact("recipient", orig, w("original-recipient"), say("fact.recipient_routed", final=final))
            d.fact("recipient", final or orig, w("final-recipient" if final else "original-recipient"))
            if orig and orig != d.facts.get("recipient"):
                d.fact("original_recipient", orig, w("original-recipient"))
            action = (g.get("action") or "").strip().lower().split(" ")[0]
            if kind == "rfc5429" and not action:  # an MDN saying "deleted": the message was refused
                d.fact("action", "failed", f"{part.where()}, field Disposition (deleted)")
            if action:
                d.fact("action", _dsn.ACTION_SPELLINGS.get(action, action), w("action"))
            d.fact("status", _dsn.status(g.get("status")), w("status"))
            dtype, diag = _dsn.typed(g.get("diagnostic-code"))
            if diag:
                d.facts["diagnostic_type"] = dtype
                d.fact("diagnostic", diag, w("diagnostic-code"))
            else:  # "Status: 5.0.0 (recipient reached disk quota)": the remark is the only diagnostic
                remark = _dsn.status_remark(g.get("status"))
                if remark:
                    d.facts["diagnostic_type"] = "x-status-remark"
                    d.fact("diagnostic", remark, w("status"), say("fact.diagnostic_remark"))
            for name, key, read in _GROUP_FACTS:  # the optional fields: most groups lack some
                value = g.get(key)
                if value:
                    d.fact(name, read(value), w(key))
            same = (d.facts.get("recipient"), d.facts.get("action"), d.facts.get("status"), d.facts.get("diagnostic"))
            if same in seen:  # some MTAs repeat a group word for word
                continue
            seen.add(same)
            drafts.append(d)
    if fmt:
        report_why.append(Step("part", say("mail.dsn_part", rfc="RFC 6533" if fmt == "rfc6533" else "RFC 3464",
                                           n=len(drafts)), sources[0][0].where()))
    return drafts, message_fields, fmt


def _from_text(human: list[_Part], fmt: _formats.Format, subject_low: str,
               ignore: frozenset[str]) -> list[tuple[_Draft, _formats.Reading]]:
    out: list[tuple[_Draft, _formats.Reading]] = []
    seen: dict[str, tuple[_Draft, _formats.Found, _Part]] = {}
    for part in human:
        low = part.low
        if fmt.id != "generic" and not any(m in low or m in subject_low for m in fmt.markers):
            continue
        block = _formats.region(part.text, low, fmt)
        for found in _formats.recipients(block, fmt, ignore):
            if found.recipient in seen:  # the same address again (a transcript line): its text joins the first
                seen[found.recipient][1].lines.extend([found.line] + found.lines)
                continue
            if len(seen) >= MAX_RECIPIENTS:
                break
            d = _Draft(fmt.id)
            d.fact("recipient", found.recipient, f"{part.where()}, line “{_q(found.line, 60)}”")
            if found.original:
                d.fact("original_recipient", found.original, f"{part.where()}, line “{_q(found.line, 60)}”")
            seen[found.recipient] = (d, found, part)
    for d, found, _part in seen.values():
        reading = _formats.read_reply(found.lines)
        out.append((d, reading))
    return out


def explain_message(data: bytes | str | email.message.Message) -> MessageReport:
    """Explain every recipient of a bounce (see the module text). Never raises for any bytes or str;
    raises TypeError for any other type."""
    truncated = False
    if isinstance(data, email.message.Message):
        msg = data
    elif isinstance(data, (bytes, bytearray, memoryview, str)):
        raw = (data[:_mime.MAX_BYTES + 1].encode("utf-8", "surrogateescape") if isinstance(data, str)
               else bytes(data[:_mime.MAX_BYTES + 1]))
        if not raw or raw.isspace():
            return MessageReport(kind="unreadable", format=None, recipients=(), findings=(), truncated=False,
                                 why=(Step("kind", say("mail.empty")),))
        msg, truncated, returned = _mime.read(raw)
        return _explain(msg, truncated, returned=returned)
    else:
        raise TypeError(f"explain_message() takes bytes, str or an email.message.Message, not {type(data).__name__}")
    return _explain(msg, truncated)


def _attached_report(mail: _Mail) -> tuple[int, email.message.Message] | None:
    """A delivery report attached whole (a gateway or a person forwarded the bounce as message/rfc822)."""
    for index, part in mail.returned:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, email.message.Message) and _mime.content_type(inner) == "multipart/report" \
                and _mime.param(inner, "report-type") in ("delivery-status", "global-delivery-status"):
            return index, inner
    return None


def _explain(msg: email.message.Message, truncated: bool, nested: bool = False, returned: bytes = b"") -> MessageReport:
    mail = _Mail(msg)
    header = mail.headers.get
    subject = header("subject")
    from_value, to_value = header("from"), header("to")
    sender = _addr_of(from_value) or from_value
    date = _date(header("date"))
    subject_low = (subject or "").lower()
    why: list[Step] = []
    findings: list[Finding] = []
    if truncated:
        findings.append(Finding("truncated", say("mail.truncated", mib=_mime.MAX_BYTES // 1048576, depth=_mime.MAX_DEPTH,
                                                 parts=_mime.MAX_PARTS)))
    other = _kind_not_bounce(mail)
    if other is not None:
        return MessageReport(kind=other[0], format=None, subject=subject, sender=sender, date=date, recipients=(),
                             findings=tuple(findings), why=(other[1],), truncated=truncated)

    human = mail.human()
    drafts, message_fields, fmt_id = _from_dsn(mail, why)
    text_low = "\n".join(p.low for p in human)
    fmt = _formats.recognise(text_low, subject_low)
    if fmt is None and (drafts or _looks_like_bounce(mail, (from_value or "").lower(), (to_value or "").lower(),
                                                      subject_low)):
        fmt = _formats.GENERIC
    # the bounce's own sender and addressee are never its failed recipients
    ignore = frozenset(a.lower() for a in (sender, _addr_of(to_value)) if a and "@" in a)
    # with a complete report, the text is read only where it says more (the SMTP stage, in some formats)
    complete = bool(drafts) and all(d.facts.get("diagnostic") for d in drafts)
    wanted = fmt is not None and (not complete or fmt.stage_in_text)
    # a list of recipients written without a domain (AOL, Yale) says more than addresses picked out of the
    # text by the generic rules (there, the list's sender or an example address in the explanation)
    bare = _bare_drafts(human, fmt, text_low, sender, mail, returned) if fmt is _formats.GENERIC and not drafts else []
    readings = _from_text(human, fmt, subject_low, ignore) if wanted and fmt is not None and not bare else []
    if fmt is not None and readings:
        why.append(Step("format", say("mail.text_format", format=fmt.name, n=len(readings)), "kb/mail/formats.py"))
    if not drafts and readings and fmt is not None:
        fmt_id = fmt.id
        action = _formats.state(text_low, fmt)
        for d, _ in readings:
            d.fact("action", action, "the wording of the text", say("fact.action_wording"))
            drafts.append(d)
        if fmt is _formats.GENERIC:
            findings.append(Finding("generic-format", say("mail.generic_format")))
    failed_header = header("x-failed-recipients")
    if failed_header and not drafts:  # Exim names the failed addresses in a header of its own
        fmt_id = fmt_id or "exim"
        for addr in _formats.addresses(failed_header)[:MAX_RECIPIENTS]:
            d = _Draft(fmt_id)
            d.fact("recipient", addr, "header X-Failed-Recipients")
            d.fact("action", "failed", "header X-Failed-Recipients")
            drafts.append(d)
    if not drafts and fmt is not None and not bare:  # a known format that names its recipients without a domain
        bare = _bare_drafts(human, fmt, text_low, sender, mail, returned)
    if bare and fmt is not None:
        fmt_id = fmt.id
        drafts.extend(bare)
        if fmt is _formats.GENERIC:
            findings.append(Finding("generic-format", say("mail.generic_format")))
    by_rcpt = {(d.facts.get("recipient") or "").lower(): r for d, r in readings}

    attached = _attached_report(mail) if not drafts and not nested else None
    if attached is not None:
        inner = _explain(attached[1], truncated, nested=True)
        if inner.recipients:
            step = Step("part", say("mail.attached", part=attached[0]))
            return MessageReport(kind=inner.kind, format=inner.format, subject=subject, sender=sender, date=date,
                                 recipients=inner.recipients, findings=tuple(findings) + inner.findings,
                                 why=(step,) + inner.why, truncated=truncated)
    if not drafts:
        auto = _auto_reply(mail.headers, subject_low)
        kind, step = ("auto-reply", auto) if auto else ("not-a-bounce", Step("kind", say("mail.not_a_bounce")))
        return MessageReport(kind=kind, format=None, subject=subject, sender=sender, date=date, recipients=(),
                             findings=tuple(findings), why=tuple(why) + (step,), truncated=truncated)

    orig_sender, mid, where = _returned_headers(mail, human, returned)
    reporting = _dsn.host(message_fields.get("reporting-mta"))
    reporting_where = message_fields.get("@reporting-mta")
    if not reporting and fmt is not None and fmt.reporting is not None:
        for p in human:
            m = fmt.reporting.search(p.text[:4096])
            if m:
                reporting, reporting_where = m.group(1).rstrip("."), f"{p.where()}, “{_q(m.group(0), 60)}”"
                break
    postfix_sender = _dsn.address(message_fields.get("x-postfix-sender"))
    arrival = _date(message_fields.get("arrival-date"))
    refs = (header("in-reply-to") or header("references") or "").split()
    out: list[RecipientReport] = []
    for d in drafts:
        reading = by_rcpt.get((d.facts.get("recipient") or "").lower())
        if reading is not None and not d.facts.get("diagnostic") and reading.text:
            d.fact("diagnostic", reading.text, f"human-readable text ({reading.how})")
        if reading is not None:
            d.fact("remote_mta", reading.host, f"human-readable text ({reading.how})")
            d.fact("stage", reading.stage, f"human-readable text ({reading.how})")
        d.fact("reporting_mta", reporting, reporting_where or "")
        d.fact("arrival_date", arrival, message_fields.get("@arrival-date", ""))
        if orig_sender:
            d.fact("original_sender", orig_sender, f"{where}, header From")
        elif postfix_sender:
            d.fact("original_sender", postfix_sender, message_fields.get("@x-postfix-sender", ""))
        if mid:
            d.fact("message_id", mid, f"{where}, header Message-ID")
        elif refs and refs[0].startswith("<"):
            d.fact("message_id", refs[0], "the bounce's In-Reply-To/References header")
        out.append(_finish(d))
    if len(out) >= MAX_RECIPIENTS:
        findings.append(Finding("too-many-recipients", say("mail.too_many", n=MAX_RECIPIENTS)))
    actions = {r.action for r in out}
    kind = "bounce" if "failed" in actions or None in actions else "delay" if "delayed" in actions else "delivery-report"
    why.append(Step("kind", say("mail.kind_actions", kind=kind, actions=", ".join(sorted(a or "-" for a in actions)))))
    return MessageReport(kind=kind, format=fmt_id, subject=subject, sender=sender, date=date, recipients=tuple(out),
                         findings=tuple(findings), why=tuple(why), truncated=truncated)


_TO_OR_CC = re.compile(r"^(to|cc):[ \t]*([^\n]{0,998}(?:\n[ \t][^\n]{0,998}){0,20})", re.I | re.M)


def _returned_addressees(mail: _Mail, human: list[_Part], split: bytes) -> list[tuple[str, str]]:
    """(address, "To" or "Cc") of the returned original message, wherever it is (see _returned_headers)."""
    blocks: list[str] = []
    if split:
        blank = _BLANK_LINE.search(split)
        blocks.append(_mime.decode_bytes(split[blank.end():] if blank else b""))
    out: list[tuple[str, str]] = []
    for _, part in mail.returned:
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], email.message.Message):
            for field in ("To", "Cc"):
                out += [(a, field) for a in _formats.addresses(_mime.header(payload[0], field) or "")]
        else:
            blocks.append(_mime.text(part))
    blocks += [p.copy.split("\n", 1)[-1].lstrip("\n") for p in human if p.copy]
    for block in blocks:
        head = block[:_HEAD_MAX].replace("\r\n", "\n")
        end = head.find("\n\n")
        for m in _TO_OR_CC.finditer(head[:end] if end >= 0 else head):
            out += [(a, m.group(1).capitalize()) for a in _formats.addresses(m.group(2))]
    return out


def _complete(local: str, addressees: list[tuple[str, str]], sender: str | None,
              text: str) -> tuple[str | None, Text | None]:
    """The address of a recipient the bounce names by its local part only, and where its domain comes from:
    the returned message's To or Cc address with that local part (as written there); else the local part at
    the bounce's sender's domain, or at the parent of it that the bounce's own text uses in addresses (a
    reporting host's organisation). None: the mail does not say."""
    for address, field in addressees:
        if address.rpartition("@")[0].lower() == local.lower():
            return address, say("mail.domain_from_returned", field=field, address=address)
    if not sender or "@" not in sender:
        return None, None
    host = sender.rpartition("@")[2].lower().rstrip(".")
    parents = {a.rpartition("@")[2].lower() for a in _formats.addresses(text[:MAX_SCAN])}
    parents = {d for d in parents if "." in d and host.endswith("." + d)}
    if parents:
        return f"{local}@{max(parents, key=len)}", say("mail.domain_from_parent", sender=sender)
    return f"{local}@{host}", say("mail.domain_from_sender", sender=sender)


def _bare_drafts(human: list[_Part], fmt: _formats.Format, text_low: str, sender: str | None, mail: _Mail,
                 returned: bytes) -> list[_Draft]:
    """Drafts for a list of recipients written without a domain (kb/mail/formats.py bare_recipients); each
    completed with a domain only from what the mail itself says, and said so in its why and findings."""
    for part in human:
        found = _formats.bare_recipients(part.text)
        if found:
            break
    else:
        return []
    addressees = _returned_addressees(mail, human, returned)
    text = "\n".join(p.text for p in human)
    action = _formats.state(text_low, fmt)
    drafts = []
    for f in found[:MAX_RECIPIENTS]:
        address, source = _complete(f.recipient, addressees, sender, text)
        d = _Draft(fmt.id)
        where = f"{part.where()}, line “{_q(f.line, 60)}”"
        if address and source:
            d.fact("recipient", address, where, say("fact.recipient_completed", local=f.recipient, source=source))
            d.findings.append(Finding("local-part-only", say("mail.local_part_only", local=f.recipient,
                                                              domain=address.rpartition("@")[2], source=source)))
        else:
            d.fact("recipient", f.recipient, where, say("fact.recipient_local_only"))
            d.findings.append(Finding("local-part-only", say("mail.local_part_no_domain", local=f.recipient)))
        d.fact("action", action, "the wording of the text", say("fact.action_wording"))
        d.fact("diagnostic", " ".join(f.lines[0].split()), where)
        drafts.append(d)
    return drafts


_CODE_START = re.compile(r"#?[245][0-9][0-9][ -]")
_QSBMF = re.compile(r"\(#([245]\.[0-9]{1,3}\.[0-9]{1,3})\)")  # cr.yp.to/proto/qsbmf.txt


def _explain_block(text: str) -> Explanation:
    """kb.explain, remembered by its exact input: a bounce mailbox holds the same dead address bouncing
    again and again. Bounded, and kept per loaded knowledge base (kb.reload forgets it)."""
    import kb

    seen = kb.database().memo("mail.explanations", lambda db: {})
    ex = seen.get(text)
    if ex is None:
        ex = explain(text)
        if len(seen) >= 1024:  # a few MB at most
            seen.clear()
        seen[text] = ex
    return ex


def _finish(d: _Draft) -> RecipientReport:
    f = d.facts
    diag = f.get("diagnostic") or ""
    dtype = f.get("diagnostic_type") or ("smtp" if _CODE_START.match(diag) else "x-text" if diag else None)
    qsbmf = _QSBMF.search(diag) if dtype == "x-text" else None
    if qsbmf:  # "Sorry, I couldn't find any host by that name. (#5.1.2)": the status, as qmail writes it
        d.fact("status", qsbmf.group(1), "the diagnostic's (#x.y.z), qmail's way of writing the status")
    # The explainer reads the recipient as a DSN (RFC 3464) group: the same parser and rules as a pasted
    # report, with the report's Action deciding a returned or a queued message.
    block = []
    if f.get("recipient"):
        block.append(f"Final-Recipient: rfc822; {f['recipient']}")
    if f.get("action"):
        block.append(f"Action: {f['action']}")
    if f.get("status"):
        block.append(f"Status: {f['status']}")
    if f.get("remote_mta"):
        block.append(f"Remote-MTA: dns; {f['remote_mta']}")
    # without a diagnostic the line stays, empty, so that the report's Action is still read as a report
    block.append(f"Diagnostic-Code: {dtype or 'x-none'}; {' '.join(diag.split())}".rstrip())
    ex = _explain_block("\n".join(block))
    stage = f.get("stage") or ex.reply.command
    if stage and not f.get("stage"):
        d.why.append(Step("stage", say("mail.stage", stage=stage), "kb/reply.py"))
    if not diag:
        d.findings.append(Finding("no-diagnostic", say("mail.no_diagnostic")))
    status = f.get("status")
    if status and diag:
        enh = _dsn.ENHANCED.search(diag[:200])
        said_enhanced = enh.group(1) if enh else None
        said_basic = diag[:3] if _CODE_START.match(diag) and diag[:3].isdigit() else diag[1:4] if diag[:1] == "#" else None
        # "5.0.0" says less than the diagnostic's code, not something else (Exim always writes it)
        vague = status.endswith(".0.0") and said_enhanced is not None and said_enhanced[0] == status[0]
        if said_enhanced and said_enhanced != status and not vague:
            d.findings.append(Finding("status-mismatch", say("mail.status_mismatch", status=status, said=said_enhanced)))
        elif said_basic and said_basic[0] != status[0]:
            d.findings.append(Finding("status-mismatch", say("mail.status_class_mismatch", status=status, klass=status[0],
                                                             said=said_basic)))
    d.why.append(Step("explain", say("mail.explained_as", block=_q(" | ".join(block), 120)), "kb/explainer.py"))
    return RecipientReport(
        recipient=f.get("recipient"), original_recipient=f.get("original_recipient"), action=f.get("action"),
        status=status, diagnostic=diag, diagnostic_type=dtype if diag else None, reporting_mta=f.get("reporting_mta"),
        remote_mta=f.get("remote_mta") or ex.reply.host, stage=stage, arrival_date=f.get("arrival_date"),
        last_attempt_date=f.get("last_attempt_date"), will_retry_until=f.get("will_retry_until"),
        original_sender=f.get("original_sender"), message_id=f.get("message_id"), format=d.fmt,
        explanation=ex, findings=tuple(d.findings), why=tuple(d.why))
