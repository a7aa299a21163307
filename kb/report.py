"""``smtpkb report``: what a postmaster reads after a day of mail logs.

Rows come from ``kb.rows.explain_rows`` (the same rows as the export and the DuckDB and Dask recipes), are
counted by ``Report`` with bounded memory, and are written as a terminal summary, one self-contained HTML page
with charts (``--html``) or Prometheus counters (``--prometheus``, for node_exporter's textfile collector).
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import sys
from collections import Counter

from .texts import text as _t  # the report's words, from the catalogue
from .texts import value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

MAX_KEYS = 5_000  # distinct domains, addresses, cases kept; further ones are counted as "other"
TOP = 15
# reasons that say the sender must fix something, not that the address is bad
SENDER_SIDE = ("sender-authentication", "blocked", "rate-limited", "smtp-auth", "tls-required", "relaying-denied",
               "policy", "content", "message-too-large", "no-reverse-dns")
FAILED = ("transient", "permanent")


class _Bounded(Counter):
    """A Counter that keeps at most MAX_KEYS keys; later new keys are counted under ``other``, and
    ``overflow`` says how many entries went there."""

    overflow = 0

    def add(self, key: str, n: int = 1) -> None:
        if key in self or len(self) < MAX_KEYS:
            self[key] += n
        else:
            self["other"] += n
            self.overflow += n

    def named(self, n: int | None = None) -> list[tuple[str, int]]:
        """The most common keys, without the ``other`` bucket."""
        return [(k, c) for k, c in self.most_common() if k != "other"][:n]

    def distinct(self) -> str:
        """How many distinct keys: exact, or "at least N" once some were counted as ``other``."""
        known = len(self) - (1 if "other" in self else 0)
        return f"{known}" if not self.overflow else f">= {known + 1}"


class Report:
    """Counts rows; every table is bounded, so a billion lines take the memory of a few thousand."""

    def __init__(self) -> None:
        self.lines = 0
        self.reasons = _Bounded()
        self.outcomes = _Bounded()
        self.codes = _Bounded()
        self.providers = _Bounded()
        self.domains: dict[str, _Bounded] = {o: _Bounded() for o in FAILED}
        self.provider_failures: dict[str, _Bounded] = {o: _Bounded() for o in FAILED}
        self.timeline = _Bounded()  # "bucket\treason"
        self.suppress = _Bounded()  # address -> count
        self.sender_side = _Bounded()  # "reason\tcode\tprovider"
        self.cases = _Bounded()  # "code\treason\tprovider\toutcome"
        self.examples: dict[str, str] = {}  # case -> first input line (bounded with cases)

    def add(self, row: dict, text: str | None = None) -> None:
        self.lines += 1
        reason, outcome = row["reason"], row["outcome"]
        provider = row.get("provider") or "-"
        code = " ".join(c for c in (row.get("basic"), row.get("enhanced")) if c) or "-"
        self.reasons.add(reason)
        self.outcomes.add(outcome)
        self.codes.add(code)
        self.providers.add(provider)
        if outcome in FAILED:
            self.domains[outcome].add(row.get("domain") or "-")
            self.provider_failures[outcome].add(provider)
            if row.get("time"):
                self.timeline.add(f"{row['time'][:10]}\t{reason}")
        if row.get("suppress") is True or (row.get("suppress") is None and row.get("bounce") == "hard"):
            if row.get("recipient"):
                self.suppress.add(row["recipient"].lower())
        if reason in SENDER_SIDE and outcome in FAILED:
            self.sender_side.add(f"{reason}\t{code}\t{provider}")
        case = f"{code}\t{reason}\t{provider}\t{outcome}"
        self.cases.add(case)
        if text is not None and case in self.cases and case not in self.examples and len(self.examples) < MAX_KEYS:
            self.examples[case] = text[:2000]

    # ----- terminal -----
    def text(self, lang: str = "en") -> str:
        failures = sum(self.domains[o].total() for o in FAILED)
        out = [f"{_t('report_title', lang)}: {self.lines} {_t('report_entries', lang)}, {failures} {_t('report_failures', lang)}"]
        for key, counter in (("by_reason", self.reasons), ("by_code", self.codes), ("by_provider", self.providers)):
            out.append(f"\n{_t(key, lang)}:")
            out += [f"  {n:>9}  {k}" for k, n in counter.most_common(TOP)]
        out.append(f"\n{_t('top_domains', lang)}:")
        both = Counter(self.domains["transient"]) + Counter(self.domains["permanent"])
        for dom, _ in both.most_common(TOP):
            out.append(f"  {dom:<40} {_t('deferred', lang)} {self.domains['transient'][dom]:>7}  "
                       f"{_t('rejected', lang)} {self.domains['permanent'][dom]:>7}")
        out.append(f"\n{_t('sender_side', lang)}:")
        out += [f"  {n:>9}  " + "  ".join(k.split("\t")) for k, n in self.sender_side.most_common(TOP)] or [f"  {_t('none_listed', lang)}"]
        out.append(f"\n{_t('to_suppress', lang)}: {self.suppress.distinct()}")
        out += [f"  {a}" for a, _ in self.suppress.named(TOP)]
        return "\n".join(out) + "\n"

    # ----- Prometheus -----
    def prometheus(self) -> str:
        """Counters in the text exposition format. Labels are bounded: reasons and classes are fixed
        lists, providers are the knowledge base's, enhanced codes are registered ones (else "other")."""
        import kb

        known_providers = {p.id for p in kb.providers()}
        counts: Counter = Counter()
        for case, n in self.cases.items():
            if case == "other":
                counts[("other", "unknown", "other", "other")] += n
                continue
            code, reason, provider, outcome = case.split("\t")
            enhanced = code.split(" ")[-1] if "." in code else "none"
            if enhanced != "none" and kb.get(enhanced) is None:
                enhanced = "other"
            prov = provider if provider in known_providers else ("none" if provider == "-" else "other")
            counts[(reason, outcome, prov, enhanced)] += n
        lines = ["# HELP smtpkb_replies_total Mail log lines classified by smtp-kb, by reason, class, provider and enhanced code.",
                 "# TYPE smtpkb_replies_total counter"]
        for (reason, outcome, prov, enhanced), n in sorted(counts.items()):
            labels = ",".join(f'{k}="{_label(v)}"' for k, v in
                              (("reason", reason), ("class", outcome), ("provider", prov), ("enhanced", enhanced)))
            lines.append(f"smtpkb_replies_total{{{labels}}} {n}")
        lines += ["# HELP smtpkb_suppress_addresses Distinct recipient addresses whose bounce says the address itself is bad.",
                  "# TYPE smtpkb_suppress_addresses gauge",
                  f"smtpkb_suppress_addresses {len(self.suppress.named())}",
                  "# HELP smtpkb_suppress_overflow_total Suppressible entries beyond the distinct addresses the report keeps.",
                  "# TYPE smtpkb_suppress_overflow_total counter", f"smtpkb_suppress_overflow_total {self.suppress.overflow}",
                  "# HELP smtpkb_lines_total Lines read.", "# TYPE smtpkb_lines_total counter", f"smtpkb_lines_total {self.lines}"]
        return "\n".join(lines) + "\n"

    # ----- HTML -----
    def html(self, lang: str = "en", site_url: str = "") -> str:
        from .render import explanation_text

        e = html.escape
        failures = sum(self.domains[o].total() for o in FAILED)
        parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
                 "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                 "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                 f"<title>{e(_t('report_title', lang))}</title><style>{_CSS}</style></head><body>",
                 f"<h1>{e(_t('report_title', lang))}</h1>",
                 f"<p>{self.lines:,} {e(_t('report_entries', lang))}, {failures:,} {e(_t('report_failures', lang))}.</p>"]
        parts.append(f"<h2>{e(_t('over_time', lang))}</h2>")
        parts.append(_timeline_svg(self.timeline) if self.timeline else f"<p>{e(_t('no_time', lang))}</p>")
        both = Counter(self.domains["transient"]) + Counter(self.domains["permanent"])
        top = [d for d, _ in both.most_common(TOP)]
        parts.append(f"<h2>{e(_t('top_domains', lang))}</h2>")
        parts.append(_bars_svg(top, [self.domains["transient"][d] for d in top], [self.domains["permanent"][d] for d in top],
                               (_t("deferred", lang), _t("rejected", lang))))
        pboth = Counter(self.provider_failures["transient"]) + Counter(self.provider_failures["permanent"])
        ptop = [p for p, _ in pboth.most_common(TOP)]
        parts.append(f"<h2>{e(_t('by_provider', lang))}</h2>")
        parts.append(_bars_svg(ptop, [self.provider_failures["transient"][p] for p in ptop],
                               [self.provider_failures["permanent"][p] for p in ptop], (_t("deferred", lang), _t("rejected", lang))))

        def code_links(code: str) -> str:
            return " ".join(f"<a href='{e(_code_url(site_url, c, lang))}'>{e(c)}</a>" for c in code.split(" ") if c != "-") or "-"

        parts.append(f"<h2>{e(_t('sender_side', lang))}</h2>")
        rows = [(n, *k.split("\t")) for k, n in self.sender_side.most_common(50) if k != "other"]
        parts.append(_table([_t("count", lang), _t("reason", lang), _t("code", lang), _t("provider", lang)],
                            [[f"{n:,}", e(_reason(r, lang)), code_links(c), e(p)] for n, r, c, p in rows], lang))
        parts.append(f"<h2>{e(_t('to_suppress', lang))} ({e(self.suppress.distinct())})</h2>")
        shown = self.suppress.named(200)
        parts.append(_table([_t("address", lang), _t("count", lang)], [[e(a), f"{n:,}"] for a, n in shown], lang))
        rest = sum(self.suppress.values()) - sum(n for _, n in shown)
        if rest:
            parts.append(f"<p>{e(_t('more_entries', lang).format(n=f'{rest:,}'))}</p>")
        parts.append(f"<h2>{e(_t('cases', lang))}</h2>")
        import kb

        case_rows = []
        for case, n in self.cases.most_common(50):
            if case == "other":
                continue
            code, reason, provider, outcome = case.split("\t")
            example = self.examples.get(case)
            detail = ""
            if example is not None:
                explained = explanation_text(kb.explain(example), lang)
                detail = (f"<details><summary>{e(_t('explanation', lang))}</summary><pre>{e(example)}</pre>"
                          f"<pre>{e(explained)}</pre></details>")
            case_rows.append([f"{n:,}", code_links(code), e(_reason(reason, lang)), e(value(outcome, lang)),
                              e(provider), detail])
        parts.append(_table([_t("count", lang), _t("code", lang), _t("reason", lang), _t("class", lang), _t("provider", lang), ""],
                            case_rows, lang))
        parts.append(f"<footer>{e(_t('generated', lang).format(n=f'{self.lines:,}'))}</footer></body></html>")
        return "\n".join(parts)


def _label(v: str) -> str:
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _reason(reason: str, lang: str) -> str:
    from . import reasons

    try:
        return f"{reasons.label(reason)(lang)} ({reason})"
    except KeyError:
        return reason


def _code_url(site_url: str, code: str, lang: str) -> str:
    from . import syntax

    key = syntax.generic(code) if "." in code else code
    kind = "basic" if "." not in code else "enhanced"
    base = site_url.rstrip("/") + "/" if site_url else ""
    return f"{base}{'de/' if lang == 'de' else ''}codes/{kind}/{key}/"


def _table(head: list[str], rows: list[list[str]], lang: str) -> str:
    if not rows:
        return f"<p>{html.escape(_t('none_listed', lang))}</p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)  # cells escaped by the caller
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1a1a1a}"
        "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;"
        "text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em}a{color:#0b57d0}"
        "svg{max-width:100%;height:auto}footer{color:#555;margin-top:2em}")


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # inline: without the XML prologue and doctype


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    # parse_math off: a "$" in a domain or reason must be drawn, not read as TeX
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "smtpkb", "font.size": 9, "text.parse_math": False})
    import matplotlib.pyplot as plt

    return plt


def _timeline_svg(timeline: Counter) -> str:
    plt = _pyplot()
    days = sorted({k.split("\t")[0] for k in timeline if k != "other"})
    totals: Counter = Counter()
    for k, n in timeline.items():
        if k != "other":
            totals[k.split("\t")[1]] += n
    reasons = [r for r, _ in totals.most_common(10)]
    fig, ax = plt.subplots(figsize=(10, 3.2))
    bottom = [0] * len(days)
    for r in reasons:
        vals = [timeline.get(f"{d}\t{r}", 0) for d in days]
        ax.bar(days, vals, bottom=bottom, label=r)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.legend(fontsize=7, ncol=2, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelrotation=45)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _bars_svg(names: list[str], deferred: list[int], rejected: list[int], legend: tuple[str, str]) -> str:
    if not names:
        return "<p>-</p>"
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(names) + 0.8))
    y = list(range(len(names)))[::-1]
    ax.barh(y, deferred, color="#b26a00", label=legend[0])
    ax.barh(y, rejected, left=deferred, color="#b3261e", label=legend[1])
    ax.set_yticks(y, names)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


# ----- input -----
LINE_LIMIT = 1 << 20  # a log line is read up to here (the parser reads only its first 64 KB); the rest is skipped


def open_input(path: str) -> tuple:
    """(stream to read, file to close or None): ``-`` is stdin; gzip is recognised by its magic bytes
    (on stdin too), not by a name."""
    raw = sys.stdin.buffer if path == "-" else open(path, "rb")
    fh = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[type-var]
    closer = None if path == "-" else raw
    if fh.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh), closer
    return fh, closer


def _lines(fh) -> Iterator[bytes]:
    """The lines of ``fh`` as batch reads them (bounded length), without a UTF-8 byte order mark at the start."""
    from .batch import input_lines

    for n, raw in enumerate(input_lines(fh, LINE_LIMIT)):
        yield raw.removeprefix(b"\xef\xbb\xbf") if n == 0 else raw


def _json_row(raw: bytes) -> dict | None:
    """The row of a line written by ``smtpkb explain --json``, or None if the line is not one."""
    if not raw.lstrip().startswith(b"{"):
        return None
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("reason"), str) or not isinstance(parsed.get("outcome"), str):
        return None
    from .rows import row_from_json

    return row_from_json(parsed)


def read_rows(paths: Iterable[str], year: int | None = None) -> Iterator[tuple[dict, str | None]]:
    """(row, input line) for every entry of every input: log lines are explained, lines written by
    ``smtpkb explain --json`` are taken as they are (their input line is then unknown), and mailboxes go
    through the bounce-message reader. Each line is judged on its own, so mixed files lose nothing."""
    from .rows import Reuser, text_line

    for path in paths:
        if path != "-" and _is_mailbox(path):
            yield from _mail_rows(path)
            continue
        fh, closer = open_input(path)
        reuser = Reuser()
        try:
            for n, raw in enumerate(_lines(fh), 1):
                parsed = _json_row(raw)
                if parsed is not None:
                    yield parsed, None
                    continue
                line = text_line(raw)
                if line:
                    yield reuser.row(n, line, year), line[:2000]
        finally:
            if closer is not None:
                closer.close()


def _is_mailbox(path: str) -> bool:
    """A maildir folder, an mbox file or one saved message (.eml): read by the bounce-message reader."""
    if os.path.isdir(path):
        return True
    from .mail import looks_like_message

    with open(path, "rb") as fh:
        head = fh.read(16384)
    return head.startswith(b"From ") or looks_like_message(head)


def _mail_rows(path: str) -> Iterator[tuple[dict, str | None]]:
    """One row per recipient of each bounce in a mailbox; mails that are no bounce (auto-replies,
    feedback reports, receipts) are not counted as failures."""
    from .mail import explain_message, messages
    from .rows import row

    for index, data in messages(path):
        report = explain_message(data)
        for rcpt in report.recipients:
            ex = rcpt.explanation
            when = rcpt.last_attempt_date or rcpt.arrival_date or report.date
            out = row(ex, index + 1, when if when and when[:4].isdigit() else None, rcpt.recipient)
            yield out, rcpt.diagnostic


def run(paths: list[str], lang: str = "en", html_path: str | None = None, prometheus_path: str | None = None,
        site_url: str = "", out=None) -> Report:
    out = out or sys.stdout
    report = Report()
    progress = _progress()
    for row, text in read_rows(paths):
        report.add(row, text)
        if progress is not None and report.lines % 1000 == 0:
            progress(1000)
    if progress is not None:
        progress(None)
    out.write(report.text(lang))
    if html_path:
        _write(html_path, report.html(lang, site_url))
    if prometheus_path:
        _write(prometheus_path, report.prometheus())
    return report


def _write(path: str, text: str) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"  # node_exporter must never read a half-written file
    try:
        with open(tmp, "w", encoding="utf-8", errors="replace") as fh:  # a lone surrogate from a mail stays "?"
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _progress():
    """A progress bar on stderr (Rich's) when stderr is a terminal and Rich is installed; else None."""
    if not sys.stderr.isatty():
        return None
    try:
        from rich.console import Console
        from rich.progress import Progress
    except ImportError:
        return None
    bar = Progress(transient=True, console=Console(stderr=True))
    bar.start()
    task = bar.add_task("lines", total=None)

    def step(n):
        if n is None:
            bar.stop()
        else:
            bar.advance(task, n)

    return step
