"""Explanations as flat rows with one stable schema, for reports, DuckDB, Parquet and distributed engines.

``explain_rows(lines)`` streams one row (a plain dict) per non-empty input line, in ``ROW_FIELDS`` order.
The same rows feed ``smtpkb report``, ``smtpkb explain --json`` style tooling, ``smtpkb export`` and the
DuckDB and Dask integrations, so every consumer counts the same way. Repeated log lines are explained once
(kb/batch.py masks the parts that vary: ids, times, IPs, local parts), so memory stays flat.
"""

from __future__ import annotations

import re
from datetime import datetime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from .explainer import Explanation

# name -> (type, description); the order is the column order everywhere (CSV, Parquet, DuckDB)
ROW_SCHEMA: dict[str, tuple[str, str]] = {
    "line": ("int", "input line number (1-based, empty lines counted)"),
    "time": ("str|null", "timestamp read from the log line, ISO 8601 (syslog lines get the current year)"),
    "recipient": ("str|null", "recipient address read from the line"),
    "domain": ("str|null", "recipient domain, lower case"),
    "code": ("str|null", "the most specific code read (enhanced if present, else basic)"),
    "basic": ("str|null", "basic reply code, e.g. 550"),
    "enhanced": ("str|null", "enhanced status code, e.g. 5.1.1"),
    "form": ("str", "input form recognised: reply, multiline, dsn, postfix, exim, sendmail, exchange, text, ..."),
    "mta": ("str|null", "log format of the reporting MTA"),
    "host": ("str|null", "remote host named in the line"),
    "ip": ("str|null", "remote IP named in the line"),
    "command": ("str|null", "SMTP stage the reply answered (RCPT TO, DATA, ...)"),
    "outcome": ("str", "what happened to this message: success, intermediate, transient, permanent, unknown"),
    "bounce": ("str", "address-level bounce class (see README: hard only when the address itself is bad)"),
    "suppress": ("bool|null", "whether to stop mailing this address; null when unsure"),
    "reason": ("str", "bounce reason id (codes/reasons.yaml)"),
    "retry": ("str", "retry decision: retry, retry-after-fix, do-not-retry, not-applicable"),
    "actors": ("str", "who must act, comma-separated (sender, sending-admin, receiving-admin, recipient, developer)"),
    "provider": ("str|null", "recognised mailbox provider or MTA id"),
    "signature": ("str|null", "provider signature id that matched"),
    "findings": ("str", "finding kinds, comma-separated (class-mismatch, unregistered, guessed, ...)"),
}
ROW_FIELDS: tuple[str, ...] = tuple(ROW_SCHEMA)

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
# syslog "Nov 27 10:00:00" (optionally after "<PRI>"), ISO "2026-11-27 10:00:00" / "2026-11-27T10:00:00.1+00:00";
# anchored at the start, fixed widths: linear
_SYSLOG = re.compile(r"(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)")
_ISO = re.compile(r"(?:<\d{1,3}>\d? ?)?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)")


def log_time(line: str, year: int | None = None) -> str | None:
    """The timestamp a log line starts with, as ISO 8601 without zone; None if it has none."""
    m = _ISO.match(line)
    if m:
        y, mo, d, h, mi, s = (int(x) for x in m.groups())
    else:
        m = _SYSLOG.match(line)
        if not m or m.group(1) not in _MONTHS:
            return None
        now = datetime.now()
        y = year or now.year
        mo, d, h, mi, s = _MONTHS[m.group(1)], int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))
        if year is None and (mo, d) > (now.month, now.day):
            y -= 1  # a syslog date later in the year than today is from last year
    try:
        return datetime(y, mo, d, h, mi, s).isoformat()
    except ValueError:
        return None


def row(ex: Explanation, line: int = 1, time: str | None = None, recipient: str | None = None) -> dict:
    """One explanation as a flat row in ``ROW_FIELDS`` order (``recipient`` overrides the explained one:
    a repeated line reuses another line's explanation but keeps its own address)."""
    r, v = ex.reply, ex.verdict
    rcpt = recipient if recipient is not None else r.recipient
    return {
        "line": line, "time": time, "recipient": rcpt, "domain": rcpt.rsplit("@", 1)[1].lower() if rcpt and "@" in rcpt else r.domain,
        "code": r.enhanced or r.basic, "basic": r.basic, "enhanced": r.enhanced, "form": r.form, "mta": r.mta,
        "host": r.host, "ip": r.ip, "command": r.command, "outcome": v.outcome, "bounce": v.bounce,
        "suppress": getattr(v, "suppress", None), "reason": v.reason, "retry": v.retry, "actors": ",".join(v.actors),
        "provider": ex.provider.id if ex.provider else None, "signature": ex.signature.id if ex.signature else None,
        "findings": ",".join(f.kind for f in ex.findings),
    }


def explain_rows(lines: Iterable[str | bytes | None], year: int | None = None, keep_empty: bool = False,
                 cache: dict | None = None) -> Iterator[dict]:
    """One row per non-empty line, streamed; repeated lines (up to ids, times, IPs and local parts) are
    explained once. ``year`` dates syslog timestamps, which carry none (default: the current year).
    ``keep_empty`` gives empty lines (and None) a row too, so that rows and lines pair up one to one
    (the DuckDB and Dask functions need that). Pass the same ``cache`` dict to calls over chunks of one log
    so that a line explained in one chunk is reused in the next (it stays bounded)."""
    reuser = Reuser(cache)
    for n, raw in enumerate(lines, 1):
        line = text_line(raw)
        if line or keep_empty:
            yield reuser.row(n, line, year)


def row_from_json(obj: dict) -> dict:
    """A row from one JSON line of ``smtpkb explain --json`` (lists joined as in ``row``). Values of the
    wrong type are dropped and text is kept to one plain line, so a hand-edited file cannot break a report."""
    out: dict = {}
    for k, (kind, _) in ROW_SCHEMA.items():
        value = obj.get(k)
        if isinstance(value, list) and k in ("actors", "findings"):
            value = ",".join(str(v) for v in value if isinstance(v, str))
        if kind == "int":
            value = value if isinstance(value, int) and not isinstance(value, bool) else None
        elif kind == "bool|null":
            value = value if isinstance(value, bool) else None
        elif isinstance(value, str):
            value = " ".join(value.split())[:2000]  # no tab or newline: reports key their tables on them
        else:
            value = None
        out[k] = value
    for k in ("reason", "outcome", "bounce", "retry", "form"):
        out[k] = out[k] or "unknown"
    out["actors"], out["findings"] = out["actors"] or "", out["findings"] or ""
    if out["code"] is None:
        out["code"] = out["enhanced"] or out["basic"]
    rcpt = out["recipient"]
    if out["domain"] is None and rcpt and "@" in rcpt:
        out["domain"] = rcpt.rsplit("@", 1)[1].lower()
    if out["time"] and not out["time"][:4].isdigit():
        out["time"] = None
    return out


_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")


def reusable(ex: Explanation, key: str) -> bool:
    """Whether another line with the same mask ``key`` may reuse ``ex``: not when the parts the mask hides
    decided it (a signature that matched a masked token, such as Comcast's BL000000 against ES000010) or
    when a fact taken over as it is (the remote host) stands in a masked token."""
    from .batch import _VARYING

    host = ex.reply.host
    if host and _VARYING.search(host):
        return False
    sig = ex.signature
    return sig is None or sig.pattern.search(key, key.lower()) is not None


class Reuser:
    """Explains lines, reusing the explanation of an earlier line with the same mask (kb/batch.py masks ids,
    times, IPs and local parts); the recipient and IP are then picked out of the line by their position.
    The cache is bounded; one Reuser serves one stream (or the chunks of one DuckDB query)."""

    def __init__(self, cache: dict | None = None) -> None:
        from .batch import _VARYING, CACHE_MAX_LINE, CACHE_SIZE, _nth_email, _recipient_at
        from .explainer import explain

        self.cache = {} if cache is None else cache
        self._mask, self._max_line, self._size = _VARYING.sub, CACHE_MAX_LINE, CACHE_SIZE
        self._nth_email, self._recipient_at, self._explain = _nth_email, _recipient_at, explain
        self._empty: Explanation | None = None
        self._made: dict[int, tuple] = {}  # id(explanation) -> (explanation, its row): holding it keeps the id unique

    def explain(self, line: str) -> tuple[Explanation, str | None, str | None]:
        """(explanation, this line's recipient, this line's remote IP) for a cleaned, non-empty line."""
        key = self._mask("#", line) if len(line) <= self._max_line else None
        seen = self.cache.get(key) if key is not None else None
        if seen is None:
            ex = self._explain(line)
            r = ex.reply
            rcpt_at = None if r.recipient is None else self._recipient_at(line, r.recipient)
            found_ips = _IPV4.findall(line)
            ip_at = found_ips.index(r.ip) if r.ip in found_ips else (None if r.ip is None else -1)
            if key is not None and rcpt_at != -1 and ip_at != -1 and reusable(ex, key):
                if len(self.cache) >= self._size:
                    self.cache.clear()
                self.cache[key] = (ex, rcpt_at, ip_at)
            return ex, r.recipient, r.ip
        ex, rcpt_at, ip_at = seen
        recipient = None if rcpt_at is None else self._nth_email(line, rcpt_at)
        ips: list[str] = _IPV4.findall(line) if ip_at is not None else []
        return ex, recipient, ips[ip_at] if ip_at is not None and ip_at < len(ips) else None

    def empty(self) -> Explanation:
        if self._empty is None:
            self._empty = self._explain("")
        return self._empty

    def row(self, n: int, line: str, year: int | None = None) -> dict:
        """The row of input line ``n`` (cleaned; may be empty)."""
        if line:
            ex, recipient, ip = self.explain(line)
        else:
            ex, recipient, ip = self.empty(), None, None
        hit = self._made.get(id(ex))
        if hit is None:
            if len(self._made) >= 4096:
                self._made.clear()
            hit = self._made[id(ex)] = (ex, row(ex))
        out = dict(hit[1])
        out["line"], out["time"], out["ip"] = n, log_time(line, year) if line else None, ip
        if recipient != ex.reply.recipient:
            out["recipient"] = recipient
            out["domain"] = recipient.rsplit("@", 1)[1].lower() if recipient and "@" in recipient else ex.reply.domain
        return out


def text_line(raw: object) -> str:
    """A cleaned line; anything but text (None, a pandas NA or NaN from a data frame) is empty."""
    from .reply import clean

    return clean(bytes(raw) if isinstance(raw, bytearray) else raw).strip() if isinstance(raw, (str, bytes, bytearray)) else ""
