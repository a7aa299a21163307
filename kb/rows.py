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
    made: dict[int, tuple] = {}  # id(explanation) -> (explanation, its row): a reused explanation's row is copied
    for n, line, ex, recipient, ip in explain_lines(lines, keep_empty, cache):
        hit = made.get(id(ex))
        if hit is None:
            if len(made) >= 4096:
                made.clear()
            hit = made[id(ex)] = (ex, row(ex))  # holding ex keeps its id from being reused while listed
        out = dict(hit[1])
        out["line"], out["time"], out["ip"] = n, log_time(line, year), ip
        if recipient != ex.reply.recipient:
            out["recipient"] = recipient
            out["domain"] = recipient.rsplit("@", 1)[1].lower() if recipient and "@" in recipient else ex.reply.domain
        yield out


def row_from_json(obj: dict) -> dict:
    """A row from one JSON line of ``smtpkb explain --json`` (lists joined as in ``row``)."""
    out = {k: obj.get(k) for k in ROW_FIELDS}
    for k in ("actors", "findings"):
        value = out[k]
        if isinstance(value, list):
            out[k] = ",".join(map(str, value))
    if out["code"] is None:
        out["code"] = out["enhanced"] or out["basic"]
    rcpt = out["recipient"]
    if out["domain"] is None and isinstance(rcpt, str) and "@" in rcpt:
        out["domain"] = rcpt.rsplit("@", 1)[1].lower()
    return out


_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")


def explain_lines(lines: Iterable[str | bytes | None], keep_empty: bool = False,
                  cache: dict | None = None) -> Iterator[tuple[int, str, Explanation, str | None, str | None]]:
    """(line number, cleaned line, explanation, its own recipient, its own remote IP) per non-empty line.
    An explanation is reused for a line equal up to the parts kb/batch.py masks; the recipient and IP
    are then picked out of the line by their position among its addresses."""
    from .batch import _VARYING, CACHE_MAX_LINE, CACHE_SIZE, _nth_email, _recipient_at
    from .explainer import explain
    from .reply import clean

    if cache is None:
        cache = {}
    empty = None
    for n, raw in enumerate(lines, 1):
        line = clean(raw).strip() if raw is not None else ""
        if not line:
            if keep_empty:
                empty = empty or explain("")
                yield n, "", empty, None, None
            continue
        key = _VARYING.sub("#", line) if len(line) <= CACHE_MAX_LINE else None
        seen = cache.get(key) if key is not None else None
        if seen is None:
            ex = explain(line)
            r = ex.reply
            rcpt_at = None if r.recipient is None else _recipient_at(line, r.recipient)
            found_ips = _IPV4.findall(line)
            ip_at = found_ips.index(r.ip) if r.ip in found_ips else (None if r.ip is None else -1)
            if key is not None and rcpt_at != -1 and ip_at != -1:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[key] = (ex, rcpt_at, ip_at)
            yield n, line, ex, r.recipient, r.ip
            continue
        ex, rcpt_at, ip_at = seen
        recipient = None if rcpt_at is None else _nth_email(line, rcpt_at)
        ips: list[str] = _IPV4.findall(line) if ip_at is not None else []
        yield n, line, ex, recipient, ips[ip_at] if ip_at is not None and ip_at < len(ips) else None
