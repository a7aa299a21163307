"""Bounces that are not (only) RFC 3464 reports: the human-readable text of an MTA or provider.

Each format is a row of data: the phrases that recognise it, where its list of recipients starts and
ends, and the phrases that mean "not given up yet" (a delay warning) or "delivered". One reader splits
a list into recipients (a line that is an address, ``<address>:`` or ``address:``, with the text up to
the next such line) and one reader picks the reply out of each recipient's text (``Remote host said:``,
``SMTP error from remote mail server after``, ``Remote Server returned '...'``, ``<<<`` transcript lines
...). Wording is quoted from each MTA's source or documentation; tests/messages/expectations.yaml
names the source of each sample.
"""

from __future__ import annotations

import re

# An address as bounces write it (RFC 6531 local parts included); it starts at a token boundary, so a
# long run without one is scanned once.
ADDR = r"(?<![^\s<(\[:;,=*\"'])[^\s<>()\[\]@,;:\"']{1,200}@[^\s<>()\[\]@,;:\"'.]{1,63}(?:\.[^\s<>()\[\]@,;:\"'.]{1,63}){1,8}"
_ADDR_RX = re.compile(ADDR)
# "<a@b>: text", "<a@b> (expanded from <c@d>): text", "<a@b>:", "<a@b>"
_ANGLE_LINE = re.compile(rf"[ \t]*<({ADDR})>[ \t]*(?:\(expanded from:? <?({ADDR})>?\)[ \t]*)?(?::[ \t]*(.*)|\.\.\.[ \t]*(.*))?")
# "a@b: reason" (OpenSMTPD)
_COLON_LINE = re.compile(rf"[ \t]*({ADDR}):[ \t]+(\S.*)")
# "a@b", "a@b:", "a@b on 1/2/2010 10:00 AM" (Exchange 2003)
_BARE_LINE = re.compile(rf"[ \t>*]*({ADDR})[ \t]*(?::[ \t]*|on[ \t][^@]{{0,60}})?")
# "Recipient address: a@b", "Undeliverable Address: a@b", X.400 "...;dda:SMTP=a@b; on ..."
_LABEL_LINE = re.compile(rf"[ \t]*(?:(?:original |final |undeliverable |invalid |bad )?(?:recipient|address|addressee|rcpt)"
                         rf"(?: address)?|to)[ \t]*:[ \t]*<?({ADDR})>?(?:[ \t,;].{{0,200}})?|.{{0,200}}\bSMTP=({ADDR});.{{0,200}}", re.I)
# '"Name" <a@b>' alone on a line
# (the name starts with a non-blank, so the blanks before and after it never compete: linear)
_NAMED_LINE = re.compile(rf"[ \t]*(?:(?:\"[^\"\n]{{0,100}}\"|[^<>@\n:\s][^<>@\n:]{{0,60}})[ \t]*)?<({ADDR})>[ \t]*:?")
# "(expanded from: <a@b>)", "Original address: a@b": the address the sender used, for the recipient above
_ORIGINAL_LINE = re.compile(rf"[ \t]*(?:\((?:expanded|generated) from:?[ \t]*<?({ADDR})>?\)|original (?:address|recipient):[ \t]*<?({ADDR})>?)[ \t]*", re.I)
# "Your message wasn't delivered to a@b because ...", "Your message to a@b couldn't be delivered."
_INLINE = re.compile(rf"(?:wasn't delivered to|was not delivered to|message to|delivery to|mail to|address:?)[ \t]+<?({ADDR})>?", re.I)


class Format:
    __slots__ = ("id", "name", "markers", "start", "stop", "own_stop", "delayed", "delivered", "reporting", "inline", "stage_in_text")

    def __init__(self, id: str, name: str, markers: tuple[str, ...], start: tuple[str, ...] = (),
                 stop: tuple[str, ...] = (), delayed: tuple[str, ...] = (), delivered: tuple[str, ...] = (),
                 reporting: str | None = None, inline: bool = False, stage_in_text: bool = False) -> None:
        self.id, self.name, self.markers, self.start, self.stop = id, name, markers, start, stop
        self.own_stop = tuple(p for p in stop if p not in COPY)  # the text is cut at COPY before region() reads it
        self.delayed, self.delivered, self.inline = delayed, delivered, inline
        # its text names the SMTP command a reply answered, which a delivery report does not carry
        self.stage_in_text = stage_in_text
        self.reporting = re.compile(reporting, re.I) if reporting else None


COPY = ("--- below this line is a copy of the message", "--- below this line is the original bounce",
         "------ this is a copy of the message", "----- original message follows -----",
         "----- message header follows -----", "----- unsent message follows -----", "original message headers:",
         "----- original message -----", "------- returned message --------", "--- original message ---",
         "below is a copy of the original message")

# Checked in this order; the first whose marker is in the text (or subject) reads it.
FORMATS: tuple[Format, ...] = (
    # qmail-send.c (notqmail): "Hi. This is the qmail-send program at <host>." ... "--- Below this line is a copy of the message."
    Format("qmail", "qmail", ("hi. this is the qmail-send program at", "this is the qmail-send program"),
           start=("sorry it didn't work out.", "but the bounce bounced!"), stop=COPY,
           reporting=r"this is the qmail-send program at ([^\s]+?)\.?\s", stage_in_text=True),
    # Postfix bounce_template.c: "This is the mail system at host <host>." ... "The mail system" then "<rcpt>: text"
    Format("postfix", "Postfix", ("this is the mail system at host", "this is the postfix program at host"),
           start=("the mail system\n", "the postfix program\n"), stop=COPY,
           delayed=("this is a warning only", "it will be retried until"),
           delivered=("successfully delivered", "delivery to the following recipient was successful"),
           reporting=r"this is the (?:mail system|postfix program) at host ([^\s]+?)\.?\s", stage_in_text=True),
    # Exim deliver.c: "This message was created automatically by mail delivery software."
    Format("exim", "Exim", ("this message was created automatically by mail delivery software",),
           start=("following address(es) failed:", "following address failed:", "following addresses failed:",
                  "has not yet been delivered is:", "have not yet been delivered are:",
                  "not yet been delivered to one or more of its recipients"),
           stop=COPY + ("no action is required on your part",),
           delayed=("has not yet been delivered to", "no action is required on your part"), stage_in_text=True),
    # Sendmail savemail.c / deliver.c
    Format("sendmail", "Sendmail", ("----- the following addresses had permanent fatal errors -----",
                                     "----- the following addresses had transient non-fatal errors -----",
                                     "----- transcript of session follows -----"),
           start=("----- the following addresses had", "----- transcript of session follows -----"), stop=COPY,
           delayed=("this is a warning message only", "will keep trying until message is",
                    "had transient non-fatal errors"), stage_in_text=True),
    # Courier courierdsn: "This is a delivery status notification from <host>, running the Courier mail server"
    Format("courier", "Courier", ("running the courier mail server",),
           start=("your message to the following recipients cannot be delivered:",
                  "your message to the following recipients has been delayed",
                  "your message was successfully delivered to the following address"),
           stop=COPY, delayed=("delayed mail", "has been delayed"), delivered=("successfully delivered",),
           reporting=r"delivery status notification from ([^\s,]+)", stage_in_text=True),
    # Microsoft Exchange / Microsoft 365 non-delivery reports
    Format("exchange", "Microsoft Exchange", ("diagnostic information for administrators", "remote server returned '",
                                              "did not reach the following recipient(s)",
                                              "the following recipient(s) cannot be reached",
                                              "delivery has failed to these recipients or groups",
                                              "delivery is delayed to these recipients or groups",
                                              "your message did not reach some or all of the intended recipients"),
           start=("diagnostic information for administrators", "the following recipient(s) cannot be reached",
                  "did not reach the following recipient(s)",
                  "delivery has failed to these recipients or groups", "delivery is delayed to these recipients or groups"),
           stop=COPY, delayed=("delivery is delayed to these recipients", "delivery has been delayed"),
           reporting=r"generating server:\s*([^\s]+)", inline=True),
    # Gmail: "** Address not found **" ... "The response from the remote server was:" (older: "Technical details of ...")
    Format("gmail", "Gmail", ("the response from the remote server was:", "the error that the other server returned was:",
                              "delivery to the following recipient failed permanently",
                              "delivery to the following recipient has been delayed",
                              "** address not found **", "** message not delivered **", "** message blocked **"),
           stop=COPY, delayed=("has been delayed", "message not delivered yet", "will retry for"), inline=True),
    # Yahoo: "Sorry, we were unable to deliver your message to the following address."
    Format("yahoo", "Yahoo", ("sorry, we were unable to deliver your message to the following address",
                              "message from  yahoo.com.", "unable to deliver message to the following address"),
           stop=COPY),
    # Amazon SES's human-readable part (its report is RFC 3464)
    Format("ses", "Amazon SES", ("an error occurred while trying to deliver the mail to the following recipients",),
           start=("to the following recipients:",), stop=COPY),
    # OpenSMTPD bounce.c: NOTICE_INTRO, notice_error / notice_warning, then "rcpt: reason" lines
    Format("opensmtpd", "OpenSMTPD", ("this is the mailer-daemon, please do not reply to this e-mail",
                                      "this is the mailer-daemon, please do not reply to this email"),
           start=("the following list of recipients:", "list of recipients:"),
           stop=COPY + ("below is a copy of the original message",),
           delayed=("a message is delayed for more than", "this is only a temporary failure report"),
           delivered=("successfully delivered to these recipients", "was relayed to these recipients")),
    # HCL (Lotus) Domino: "Your message ... was not delivered to: <addr> because: <text>"
    Format("domino", "Domino", ("was not delivered to:",), start=("was not delivered to:",), stop=COPY),
)

# Used when the mail looks like a bounce (sender or subject) but no format recognised it.
GENERIC = Format("generic", "generic bounce text", (), stop=COPY,
                 delayed=("warning message only", "will be retried", "still trying", "will keep trying",
                          "has been delayed", "delivery is delayed", "not yet been delivered",
                          "delivery attempts will continue", "has been postponed", "will continue to attempt"),
                 inline=True)


_MARKERS = tuple((m, fmt) for fmt in FORMATS for m in fmt.markers)  # in the formats' order


def recognise(text_low: str, subject_low: str) -> Format | None:
    """The first format one of whose markers the text or the subject holds."""
    for m, fmt in _MARKERS:
        if m in text_low or m in subject_low:
            return fmt
    return None


# A rule line that introduces the returned message: "----- Original message follows -----",
# "--------RETURNED MAIL FOLLOWS--------", "|---- Message text follows: ----|", " --------Unsent Message below:"
_RULE_LINE = re.compile(r"^[ \t|>]*(?:--|\*\*\*|===)[^\n]*", re.M)  # linear: fails at once on other lines
_RULE_WORDS = ("original message", "copy of", "returned mail", "returned message", "message follows",
               "message text follows", "unsent message", "header of the", "source mail", "message headers",
               "original mail", "returned content", "below this line")


def stop_at(text: str, low: str, begin: int, phrases: tuple[str, ...], rules: bool = True) -> int:
    """Where the returned message starts in ``text`` (after ``begin``): a stop phrase or (``rules``) a rule line."""
    end = len(text)
    for phrase in phrases:  # a phrase that starts before the earliest one so far (the rest is not scanned)
        i = low.find(phrase, begin, end + len(phrase) - 1)
        if 0 <= i < end:
            end = i
    if not rules:
        return end
    for start, line in rule_lines(low, begin, end):
        if any(w in line for w in _RULE_WORDS):
            return start
    return end


_RULE_TOKENS = ("--", "***", "===")


def rule_lines(low: str, begin: int, end: int):
    """(start, line) of each match of _RULE_LINE in ``low[begin:end]``, found from its rule characters (str.find,
    each token's next place kept until passed): a MULTILINE ``^`` is tried at every position, and costs more.
    Only a line's first rule characters can follow its start, so each line is looked at once."""
    nxt = [low.find(t, begin, end) for t in _RULE_TOKENS]
    pos = begin
    while pos < end:
        for k, t in enumerate(_RULE_TOKENS):
            if 0 <= nxt[k] < pos:
                nxt[k] = low.find(t, pos, end)
        found = [i for i in nxt if i >= 0]
        if not found:
            return
        hit = min(found)
        nl = low.rfind("\n", max(begin - 1, 0), hit)
        line_end = low.find("\n", hit, end)
        line_end = end if line_end < 0 else line_end
        start = nl + 1 if nl >= 0 else 0 if begin == 0 else -1  # -1: the line began before ``begin``
        if start >= 0 and not low[start:hit].strip(" \t|>"):
            yield start, low[start:line_end]
        pos = line_end + 1


_COPY_LONGEST = max(map(len, COPY))
_PREFIX = 4096


def copy_starts(text: str) -> tuple[int, str]:
    """(where the returned message's copy starts in ``text``: ``stop_at(text, lowered(text), 0, COPY)``, and
    the lowered text at least up to there). Lower-casing is costly for text that is not ASCII (a copy with one
    umlaut in 20 KB), and the copy mostly starts near the top: the start is looked for in a lowered prefix
    first, and taken when the stop phrase found there ends far enough inside it that no phrase starting
    earlier could reach beyond it (rule lines before it are then read alike: they end at the phrase)."""
    # a capital sigma's lower case depends on what follows it, perhaps beyond the prefix
    if len(text) > _PREFIX and "\u03a3" not in text[:_PREFIX]:
        head = text[:_PREFIX]
        low = lowered(head)
        if stop_at(head, low, 0, COPY, rules=False) + _COPY_LONGEST <= _PREFIX:
            return stop_at(text, low, 0, COPY), low
    low = lowered(text)
    return stop_at(text, low, 0, COPY), low


def lowered(text: str) -> str:
    """``text`` in lower case, position for position, so that a phrase found in it cuts ``text`` at the same
    place: U+0130 (İ) is the one character whose lower case is two (i and a combining dot)."""
    low = text.lower()
    return low if len(low) == len(text) else text.replace("\u0130", "i").lower()


def region(text: str, low: str, fmt: Format) -> str:
    """The part of ``text`` that lists recipients: from the format's start phrase to its stop phrase. ``low``
    is ``lowered(text)``. The caller cuts ``text`` where a returned copy starts first (stop_at with COPY, in
    kb/mail's _Mail.human), so only the format's own stop phrases beyond COPY are looked for here."""
    begin = 0
    for phrase in fmt.start:
        i = low.find(phrase)
        if i >= 0:
            begin = i + len(phrase)
            if phrase.endswith("\n"):
                begin -= 1
            nl = text.find("\n", begin)
            begin = len(text) if nl < 0 else nl + 1
            break
    return text[begin:stop_at(text, low, begin, fmt.own_stop, rules=False)]


class Found:
    """A recipient in the text: the address, the original address when one was expanded, the lines after it."""

    __slots__ = ("recipient", "original", "lines", "line")

    def __init__(self, recipient: str, original: str | None, lines: list[str], line: str) -> None:
        self.recipient, self.original, self.lines, self.line = recipient, original, lines, line


def recipients(block: str, fmt: Format, ignore: frozenset[str] = frozenset()) -> list[Found]:
    """Split ``block`` into recipients. A recipient starts at a line that is its address (bare, in angle
    brackets, with a colon); the text up to the next such line is its report."""
    found: list[Found] = []
    cur: Found | None = None
    # an address of ``ignore`` in a line is in its lower-cased form too (str.lower maps a character to an
    # ASCII one whatever surrounds it): a line without one is not searched for addresses
    ascii_ignore = all(a.isascii() for a in ignore)
    for raw in block.split("\n")[:5000]:
        line = raw.rstrip()
        if line == "/":  # qmail-send writes a blank line inside a report as "/"
            continue
        if "@" not in line:  # every recipient line names an address: most lines are ruled out here
            if cur is not None:
                cur.lines.append(line)
            continue
        if ignore and (not ascii_ignore or any(a in line.lower() for a in ignore)) \
                and any(a.lower() in ignore for a in _ADDR_RX.findall(line)):
            if cur is not None:  # the bounce's own sender or addressee: never a recipient, but maybe in a reply
                cur.lines.append(line)
            continue
        m = _ANGLE_LINE.fullmatch(line)
        if m:
            rest = m.group(3) if m.group(3) is not None else m.group(4)
            cur = Found(m.group(1), m.group(2), [rest] if rest else [], line)
            found.append(cur)
            continue
        m = _COLON_LINE.fullmatch(line)
        if m:
            cur = Found(m.group(1), None, [m.group(2)], line)
            found.append(cur)
            continue
        m = _BARE_LINE.fullmatch(line)
        if m:
            if cur is not None and not any(x.strip() for x in cur.lines) and cur.recipient == m.group(1):
                continue  # the same address written twice in a row
            cur = Found(m.group(1), None, [], line)
            found.append(cur)
            continue
        m = _ORIGINAL_LINE.fullmatch(line)
        if m and cur is not None:
            cur.original = cur.original or m.group(1) or m.group(2)
            continue
        if m:  # Exim: "an undisclosed address" / "(generated from a@b)": the address the sender used is all there is
            cur = Found(m.group(1) or m.group(2), None, [], line)
            found.append(cur)
            continue
        m = _NAMED_LINE.fullmatch(line)
        if m:
            cur = Found(m.group(1), None, [], line)
            found.append(cur)
            continue
        m = _LABEL_LINE.fullmatch(line)
        if m:
            addr = m.group(1) or m.group(2)
            if cur is None or cur.recipient != addr:
                cur = Found(addr, None, [], line)
                found.append(cur)
            continue
        if cur is not None:
            cur.lines.append(line)
    if not found and fmt.inline:
        m = _INLINE.search(block)
        if m:
            found.append(Found(m.group(1), None, block.split("\n")[:200], m.group(0)))
    if not found and fmt is GENERIC:
        found = _loose(block, ignore)
    return found


_CUE = re.compile(r"\b[45][0-9][0-9]\b|fail|unknown|not |full|quota|error|reject|denied|invalid|unable|undeliver|"
                  r"no such|could not|cannot|can't|doesn't|does not", re.I)
_NOT_RECIPIENTS = ("postmaster@", "mailer-daemon@", "mail-daemon@")


def _loose(block: str, ignore: frozenset[str]) -> list[Found]:
    """Lines that name an address next to a failure cue (a reply code, "unknown", "quota" ...): the
    last resort for a mail that looks like a bounce but whose format is not known."""
    found: list[Found] = []
    seen: set[str] = set()
    lines = block.split("\n")[:2000]
    for i, line in enumerate(lines):
        if len(found) >= 50:
            break
        for addr in _ADDR_RX.findall(line)[:4]:
            low = addr.lower()
            if low in ignore or low.startswith(_NOT_RECIPIENTS) or low in seen:
                continue
            near = [ln for ln in lines[i:i + 4]]
            if _CUE.search(" ".join(near)):
                text = [line.replace(addr, " ").strip(" <>:\"'")] + [ln for ln in lines[i + 1:i + 4] if ln.strip()]
                found.append(Found(addr, None, text, line))
                seen.add(low)
    return found[:50]


# Where the reply stands in a recipient's text, most telling first.
_RETURNED = re.compile(r"Remote Server (?:at [^\n]{0,200}? )?returned '([^']{1,2000})'", re.I)
_EX2003 = re.compile(r"<([^\s<>#]{1,255}) #([245]\.\d{1,3}\.\d{1,3})(?: ((?:[^<>]|<[^<>]{0,300}>){1,2000}))?>")
_EXIM = re.compile(r"SMTP error from remote (?:mail server|mailer|server) (?:after|for) ([^\n:]{1,80}?)(?: command)?:(?:<[^>\n]{0,300}>[^\n:]{0,80})?:?", re.I)
_HOST_LINE = re.compile(r"host ([^\s\[]{1,255}) ?\[([^\]\s]{1,64})\]:?", re.I)
_SAID = re.compile(r"host ([^\s\[]{1,255})\[([^\]\s]{1,64})\] said:", re.I)
_REMOTE_SAID = re.compile(r"Remote host said:", re.I)
_QMAIL_HOST = re.compile(r"(?:Connected to )?([0-9a-fA-F.:]{3,64}) (does not like recipient|but sender was rejected|failed on DATA command|failed after I sent the message|but greeting failed|but my name was rejected)", re.I)
_TRANSCRIPT_CMD = re.compile(r">>> ?([A-Za-z]{4})")
_TRANSCRIPT_REPLY = re.compile(r"<<< ?(.*)")
_TALKING = re.compile(r"while talking to ([^\s:]{1,255}?)\.?:", re.I)
_REASON = re.compile(r"\(reason: ([^)]{1,2000})\)", re.I)
_GOOGLE = re.compile(r"(?:The response from the remote server was|The error that the other server returned was|"
                     r"The response was):?", re.I)
_GOOGLE_HOST = re.compile(r"by ([^\s\[]{1,255}?)\.? \[([^\]\s]{1,64})\]")
_AFTER_CMD = {"RCPT": "RCPT TO", "MAIL": "MAIL FROM", "DATA": "DATA", "EHLO": "EHLO", "HELO": "EHLO",
              "RSET": "RSET", "QUIT": "QUIT", "BDAT": "DATA", "AUTH": "AUTH", "STAR": "STARTTLS", "TEXT": "DATA"}
_QMAIL_STAGE = {"does not like recipient": "RCPT TO", "but sender was rejected": "MAIL FROM",
                "failed on data command": "DATA", "failed after i sent the message": "DATA",
                "but greeting failed": "CONNECT", "but my name was rejected": "EHLO"}


class Reading:
    """What one recipient's text says: the reply (or the text that stands for it), the remote host, the stage."""

    __slots__ = ("text", "host", "stage", "how")

    def __init__(self, text: str, host: str | None = None, stage: str | None = None, how: str = "text") -> None:
        self.text, self.host, self.stage, self.how = text, host, stage, how


def _command(name: str) -> str | None:
    """The SMTP command named in "after RCPT TO:<a>", "after pipelined MAIL FROM", "after end of data" ..."""
    upper = name.upper()
    if "END OF DATA" in upper or "AFTER DATA" in upper:
        return "DATA"
    if "INITIAL CONNECTION" in upper or "GREETING" in upper:
        return "CONNECT"
    for word in upper.replace(":", " ").split()[:4]:
        hit = _AFTER_CMD.get(word[:4])
        if hit:
            return hit
    return None


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def read_reply(lines: list[str], guarded: bool = True) -> Reading:
    """The reply in one recipient's text (see the module text for the forms). ``guarded``: a form's pattern is
    tried only where a phrase it needs occurs (exact for ASCII text: case-insensitive matching folds a few
    other characters, such as the long s, to ASCII letters); the tests compare it with trying every form."""
    lines = [ln for ln in lines[:200]]
    body = "\n".join(lines)
    low = body.lower() if guarded and body.isascii() else None

    def may(*needed: str) -> bool:
        return low is None or any(n in low for n in needed)

    m = _RETURNED.search(body) if may("returned '") else None
    if m:
        return Reading(" ".join(m.group(1).split()), how="Remote Server returned")
    m = _EX2003.search(body) if " #" in body or not guarded else None
    if m:
        rest = (m.group(3) or "").strip()
        if rest.lower().startswith("smtp;"):
            rest = rest[5:].strip()
        return Reading(" ".join(f"{rest or m.group(2)}".split()) if rest else m.group(2), host=m.group(1),
                       how="<host #status>")
    m = _EXIM.search(body) if may("smtp error from remote ") else None
    if m:
        after = body[m.end():]
        host = None
        h = _HOST_LINE.search(body)
        if h:
            host = h.group(1)
            if h.start() > m.start():  # old layout: "after RCPT TO:<a>:\n host h [ip]: 550 ..."
                after = body[h.end():]
        reply = _joined([ln for ln in after.split("\n") if ln.strip()][:8])
        return Reading(reply, host=host, stage=_command(m.group(1)), how="SMTP error from remote mail server after")
    m = _SAID.search(body) if may("] said:") else None
    if m:
        reply = _joined(body[m.end():].split("\n"))
        stage = None
        tail = re.search(r"\(in reply to (.{1,40}?) command\)\s*$", reply)
        if tail:
            stage = _command(tail.group(1))
            reply = reply[: tail.start()].rstrip()
        return Reading(reply, host=m.group(1), stage=stage, how="host said")
    m = _REMOTE_SAID.search(body) if may("remote host said:") else None
    if m:
        q = _QMAIL_HOST.search(body)
        reply = _joined([ln for ln in body[m.end():].split("\n") if ln.strip() and not ln.startswith("Giving up on")][:8])
        return Reading(reply, host=q.group(1) if q else None, stage=_QMAIL_STAGE.get(q.group(2).lower()) if q else None,
                       how="Remote host said")
    m = _REASON.search(body) if may("(reason: ") else None
    if m:
        t = _TALKING.search(body)
        cmds = [c.group(1) for c in (_TRANSCRIPT_CMD.match(ln.strip()) for ln in lines) if c]
        return Reading(" ".join(m.group(1).split()), host=t.group(1) if t else None,
                       stage=_command(cmds[-1]) if cmds else None, how="(reason: ...)")
    replies = [(i, r.group(1)) for i, r in ((i, _TRANSCRIPT_REPLY.match(ln.strip())) for i, ln in enumerate(lines)) if r] \
        if "<<<" in body or not guarded else []
    if replies:
        i, first = replies[-1]
        cmd = None
        for ln in reversed(lines[:i]):
            c = _TRANSCRIPT_CMD.match(ln.strip())
            if c:
                cmd = _command(c.group(1))
                break
        t = _TALKING.search(body)
        return Reading(" ".join(first.split()), host=t.group(1) if t else None, stage=cmd, how="<<< transcript")
    m = _GOOGLE.search(body) if may("the response", "the error that the other server returned was") else None
    if m:
        out: list[str] = []
        for ln in body[m.end():].split("\n"):
            if not ln.strip():
                if out:
                    break
                continue
            out.append(ln)
        h = _GOOGLE_HOST.search(body)
        return Reading(_joined(out), host=h.group(1) if h else None, how="The response from the remote server was")
    session = _session_reply(lines)
    if session is not None:
        return session
    q = _QMAIL_HOST.search(body)
    skip = ("because:", "giving up on")
    text = _joined([ln for ln in lines if ln.strip() and not ln.strip().lower().startswith(skip)][:12])
    if q:
        return Reading(text, host=q.group(1), stage=_QMAIL_STAGE.get(q.group(2).lower()), how="text")
    return Reading(text)


_REPLY_LINE = re.compile(r"[ \t]*([45][0-9][0-9])([ -])[^\n]*")
_COMMAND_LINE = re.compile(r"[ \t]*(RCPT|MAIL|DATA|EHLO|HELO|BDAT|STARTTLS|AUTH)\b", re.I)


def _session_reply(lines: list[str]) -> Reading | None:
    """A session transcript without >>>/<<< marks (MDaemon and others): the last 4xx/5xx reply, whole
    if it ran over several lines, and the command written before it."""
    last = None
    for i, line in enumerate(lines):
        if _REPLY_LINE.fullmatch(line):
            last = i
    if last is None:
        return None
    code = lines[last].strip()[:3]
    start = last
    while start > 0 and lines[start - 1].strip().startswith(code + "-"):
        start -= 1
    stage = None
    for line in reversed(lines[:start]):
        m = _COMMAND_LINE.match(line)
        if m:
            stage = _command(m.group(1))
            break
    return Reading(_joined(lines[start:last + 1]), stage=stage, how="session transcript")


def state(low: str, fmt: Format) -> str:
    """The DSN action the text implies: delayed, delivered, or failed."""
    if any(p in low for p in fmt.delayed):
        return "delayed"
    if any(p in low for p in fmt.delivered):
        return "delivered"
    return "failed"


def addresses(text: str) -> list[str]:
    return _ADDR_RX.findall(text)


# A list of recipients written without a domain (AOL's "Your mail to the following recipients could not be
# delivered ...:" then a screen name; Yale's phquery " --------Message not delivered to the following:" then
# "name    reason"): an intro line that ends with a colon and says "the following", then one local part a line,
# alone or followed by a column gap (two blanks or a tab) or an opening quote or bracket and its reason.
_BARE_LOCAL = re.compile(r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}){0,8})"
                         r"(?:([ \t]+)(\S[^\n]{0,500}))?")
MAX_BARE = 50
# what may stand above the entries of such a list and is no recipient: a rule (=====, -----) or a column
# header row ("Recipient   Reason")
_HEADER_WORDS = frozenset({"recipient", "recipients", "address", "addresses", "user", "users", "name", "reason",
                           "status", "error", "errors", "diagnostic", "to", "mailbox", "account"})


def _above_the_entries(entry: str) -> bool:
    if not any(c.isalnum() for c in entry):
        return True
    words = entry.lower().replace(":", " ").split()
    return len(words) >= 2 and all(w in _HEADER_WORDS for w in words)


def _list_intro(line: str) -> bool:
    """"... to the following recipients:", "... not delivered to the following:": a list of recipients follows."""
    low = line.lower()
    return (line.rstrip().endswith(":") and "the following" in low and len(line) < 600
            and any(w in low for w in ("recipient", "address", "deliver", "user")))


def bare_recipients(text: str) -> list[Found]:
    """Recipients a bounce names by their local part only (see above); ``Found.lines`` holds the reason on
    the same line, else the intro sentence. Empty when a line of the list is anything else."""
    lines = text.split("\n")[:5000]
    for i, line in enumerate(lines):
        if not _list_intro(line):
            continue
        found: list[Found] = []
        for raw in lines[i + 1:i + 1 + MAX_BARE * 2]:
            entry = raw.strip()
            if not entry:
                if found:
                    break
                continue
            if not found and _above_the_entries(entry):
                continue
            m = _BARE_LOCAL.fullmatch(entry)
            if m is None or not any(c.isalnum() for c in m.group(1)):
                break
            gap, reason = m.group(2) or "", m.group(3) or ""
            if gap and len(gap) < 2 and "\t" not in gap and reason[0] not in "\"([<":
                break  # a sentence, not a list entry
            found.append(Found(m.group(1), None, [reason] if reason else [line.strip()], entry))
            if len(found) >= MAX_BARE:
                break
        if found:
            return found
    return []
