"""Batch explain: one item per line in, one result per line out, memory flat however long the input.

Mail logs repeat themselves: the same reply arrives for thousands of recipients, with only queue ids,
timestamps, process ids, IP addresses and the local part of the address changing. Each line is
explained by ``kb.explain``, and the result is remembered under the line with exactly those parts
masked; a later line with the same mask reuses it and only picks out its own recipient. The domain
of an address stays (it can name the provider; only a label that looks like an id, eight or more
characters with a digit, is masked), and so does anything else a rule could match on;
tests/test_batch.py proves that every provider signature still matches its example once masked.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from .explainer import explain
from .reply import clean, parse
from .rows import reusable

LINE_LIMIT = 16 * 1024 * 1024  # longer lines are read in pieces and explained by their start
CACHE_MAX_LINE = 4096  # longer lines are explained every time: a 10 MB line makes a poor dictionary key
CACHE_SIZE = 10_000  # entries (a few MB); cleared when full, so memory stays flat

# The parts of a log line that vary between otherwise equal lines; everything else stays as it is.
_TOKEN = r"[A-Za-z0-9._%+'=-]"
VARYING_PARTS = (  # possessive runs keep each linear in the line length
    rf"{_TOKEN}++(?=@[A-Za-z0-9-]+\.)"  # local part of an address (the domain stays)
    r"|\d{1,3}(?:\.\d{1,3}){3}(?![\d.])"  # IPv4 address
    r"|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"  # time of day
    r"|(?:delay|delays|xdelay|size|nrcpt|pri|port)=\d[\d./:]*+"  # Postfix and Sendmail counters
    r"|(?=[0-9A-Za-z-]{8})[A-Za-z-]*+\d[0-9A-Za-z-]*+"  # queue and message ids, long numbers
)
# Speed is the point here (this runs on every line). One shared left anchor, not after a letter or
# digit, so that inside a word the scan fails on its first test; then a guard every part above
# satisfies, a digit or an "@" ahead in the word, so that a plain word is read once and skipped
# (tests/test_batch.py checks the guard changes nothing). Values after "=", "." or "_" still start
# a match: "ip=192.0.2.7", "id=4BC9D2A0F3".
_VARYING = re.compile(rf"(?<![A-Za-z0-9])(?=[A-Za-z._%+'=-]*+[@\d])(?:{VARYING_PARTS})|\[\d++\]")  # last: a process id, [1234]
_EMAIL = re.compile(rf"(?<!{_TOKEN}){_TOKEN}+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{{2,63}}")


class _Seen:
    __slots__ = ("code", "text_row", "json_tail", "reason", "provider", "recipient_at")

    def __init__(self, ex, line: str) -> None:
        v, r = ex.verdict, ex.reply
        self.code = " ".join(c for c in (r.basic, r.enhanced) if c) or "-"
        self.provider = ex.provider.id if ex.provider else None
        self.reason = v.reason
        self.text_row = f"{self.code}\t{v.outcome}\t{v.bounce}\t{v.reason}\t{v.retry}\t{self.provider or '-'}\n"
        fields = {"basic": r.basic, "enhanced": r.enhanced, "form": r.form, "outcome": v.outcome, "bounce": v.bounce,
                  "suppress": v.suppress, "reason": v.reason, "retry": v.retry, "actors": list(v.actors), "provider": self.provider,
                  "signature": ex.signature.id if ex.signature else None, "findings": [f.kind for f in ex.findings]}
        self.json_tail = json.dumps(fields, ensure_ascii=False)[1:]  # '"basic": ..., "findings": [...]}'
        # which address in the line is the recipient, so that a line with the same mask can take its own
        # (-1: none of them; such a line is not reused)
        self.recipient_at = None if r.recipient is None else _recipient_at(line, r.recipient)


def _recipient_at(line: str, recipient: str) -> int:
    """The position of ``recipient`` among the line's addresses. The parser picks the recipient by
    where it stands (to=<...>, the RCPT in the reply, ...), never by its value; when the same address
    stands in two places (from=<a> to=<a>), the copies are told apart and the parser asked again."""
    found = _EMAIL.findall(line)
    if found.count(recipient) <= 1:
        return found.index(recipient) if recipient in found else -1
    numbered = iter(range(len(found)))
    variant = _EMAIL.sub(lambda m: f"smtpkb{next(numbered)}@{m.group().split('@', 1)[1]}", line)
    again = parse(variant).recipient or ""
    head, at, _ = again.partition("@")
    return int(head[6:]) if at and head.startswith("smtpkb") and head[6:].isdigit() else -1


def _nth_email(line: str, k: int) -> str | None:
    if k == 0:  # the usual case: the first address is the recipient
        m = _EMAIL.search(line)
        return m.group() if m else None
    for i, m in enumerate(_EMAIL.finditer(line)):
        if i == k:
            return m.group()
    return None


def _long_line_start(fh, first: bytes, limit: int = LINE_LIMIT) -> bytes:
    """The first ``limit`` bytes of an over-long line after its leading blanks; the rest is read and dropped,
    one piece at a time, so memory stays flat."""
    head = first.lstrip()
    while True:
        piece = fh.readline(limit)
        if not piece:
            break
        if len(head) < limit:
            head += (piece if head else piece.lstrip())[: limit - len(head)]
        if piece.endswith(b"\n"):
            break
    return head


def input_lines(fh, limit: int = LINE_LIMIT):
    """The lines of a binary stream, each at most ``limit`` bytes (an over-long one by its start), so that
    one huge line never takes more memory than that. Every line is yielded, empty ones too."""
    while True:
        raw = fh.readline(limit)
        if not raw:
            return
        if not raw.endswith(b"\n") and len(raw) >= limit:
            raw = _long_line_start(fh, raw, limit)
        yield raw


def run(fh, out, as_json: bool = False, summary: bool = False) -> int:
    """Read ``fh`` (binary) to the end; write one result line per non-empty input line, numbered by its
    line in the input (empty lines count). Returns the number of results."""
    reasons: Counter = Counter()
    codes: Counter = Counter()
    provs: Counter = Counter()
    cache: dict[str, _Seen] = {}
    n = 0
    write = out.write
    for lineno, raw in enumerate(input_lines(fh), 1):
        raw = raw.strip()
        if not raw:
            continue
        n += 1
        line = clean(raw)
        key = _VARYING.sub("#", line) if len(line) <= CACHE_MAX_LINE else None
        seen = cache.get(key) if key is not None else None
        reused = seen is not None
        if seen is None:
            ex = explain(line)
            seen = _Seen(ex, line)
            recipient = ex.reply.recipient
            if key is not None and seen.recipient_at != -1 and reusable(ex, key):
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[key] = seen
        elif seen.recipient_at is None:
            recipient = None
        else:
            recipient = _nth_email(line, seen.recipient_at)
        if summary:
            reasons[seen.reason] += 1
            codes[seen.code] += 1
            provs[seen.provider or "-"] += 1
        if as_json:
            if recipient is None:
                quoted = "null"
            elif reused:  # an address _EMAIL found has no quote, backslash or control character to escape
                quoted = f'"{recipient}"'
            else:
                quoted = json.dumps(recipient, ensure_ascii=False)
            write(f'{{"line": {lineno}, "recipient": {quoted}, {seen.json_tail}\n')
        else:
            write(f"{lineno}\t{seen.text_row}")
    if summary:
        if as_json:
            write(json.dumps({"summary": {"lines": n, "reasons": dict(reasons.most_common()),
                                          "codes": dict(codes.most_common()), "providers": dict(provs.most_common())}}) + "\n")
        else:
            write(f"# {n} item(s)\n")
            for title, counter in (("reason", reasons), ("code", codes), ("provider", provs)):
                write(f"# by {title}: " + ", ".join(f"{k} {c}" for k, c in counter.most_common()) + "\n")
    out.flush()
    return n
