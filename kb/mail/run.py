"""``smtpkb explain --mail FILE...``: every recipient of every mail in .eml files, mboxes and maildirs.

Text: per mail a head line, per recipient its facts and the explanation. ``--json``: JSON Lines, one
object per recipient (or one per mail that names none) with the file and the mail's index.
``--summary``: counts by kind, reason, recipient domain and provider at the end.
"""

from __future__ import annotations

import json
from collections import Counter

from . import explain_message, messages
from .mime import MAX_BYTES
from .render import report_text, safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from . import MessageReport


class _Summary:
    def __init__(self) -> None:
        self.mails = 0
        self.kinds: Counter = Counter()
        self.reasons: Counter = Counter()
        self.domains: Counter = Counter()
        self.providers: Counter = Counter()

    def add(self, report: MessageReport) -> None:
        self.mails += 1
        self.kinds[report.kind] += 1
        for r in report:
            ex = r.explanation
            self.reasons[ex.verdict.reason] += 1
            self.domains[(r.recipient or "-").rpartition("@")[2].lower() or "-"] += 1
            self.providers[ex.provider.id if ex.provider else "-"] += 1

    def write(self, out, as_json: bool) -> None:
        tables = (("kind", self.kinds), ("reason", self.reasons), ("domain", self.domains), ("provider", self.providers))
        if as_json:
            out.write(json.dumps({"summary": {"mails": self.mails, "recipients": sum(self.reasons.values()),
                                              **{f"{t}s": dict(c.most_common()) for t, c in tables}}},
                                 ensure_ascii=False) + "\n")
            return
        out.write(f"# {self.mails} mail(s), {sum(self.reasons.values())} recipient(s)\n")
        for title, counter in tables:
            out.write(f"# by {title}: " + ", ".join(f"{safe(k)} {n}" for k, n in counter.most_common(20)) + "\n")


def _text(out, name: str, index: int, report: MessageReport, lang: str) -> None:
    out.write(report_text(report, lang, name, index) + "\n\n")


def _json(out, name: str, index: int, report: MessageReport) -> None:
    base = {"file": name, "message": index, "kind": report.kind, "format": report.format}
    if not report.recipients:
        out.write(json.dumps({**base, "recipient": None, "why": report.why[-1].detail.en}, ensure_ascii=False) + "\n")
    for r in report:
        out.write(json.dumps({**base, **r.as_dict()}, ensure_ascii=False) + "\n")


def _write(out, name: str, index: int, report: MessageReport, as_json: bool, lang: str) -> None:
    (_json(out, name, index, report) if as_json else _text(out, name, index, report, lang))


def run(paths: Iterable[str], stdin, out, err, as_json: bool = False, summary: bool = False, lang: str = "en") -> int:
    """Explain every mail in ``paths`` (``-``: one mail read from ``stdin``, binary). Returns the exit code:
    0, or 2 when a path could not be read (the others are still explained)."""
    totals = _Summary()
    failed = False
    for path in paths:
        if path == "-":
            report = explain_message(stdin.read(MAX_BYTES + 1))
            totals.add(report)
            _write(out, "-", 0, report, as_json, lang)
            continue
        try:
            for index, data in messages(path):
                report = explain_message(data)
                totals.add(report)
                _write(out, path, index, report, as_json, lang)
        except OSError as exc:
            err.write(f"smtpkb: cannot read {safe(path)}: {exc.strerror or exc}\n")
            failed = True
    if summary:
        totals.write(out, as_json)
    out.flush()
    return 2 if failed else 0
