"""A MessageReport as plain text (terminals, logs) or Markdown (the terminal browser), in English or German.

Text from the mail never reaches a terminal with control characters, nor Markdown unescaped.
"""

from __future__ import annotations

from ..render import escape, explanation_markdown, explanation_text
from ..texts import text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from . import MessageReport, RecipientReport

# the facts of a recipient, in the order shown (labels: fact.<name> in kb/texts.py)
FACTS = ("action", "status", "stage", "remote_mta", "reporting_mta", "original_recipient", "original_sender", "message_id",
         "arrival_date", "last_attempt_date", "will_retry_until", "diagnostic")


def safe(s: object) -> str:
    """Text from a mail for a terminal: control characters (escape sequences) shown as "?"."""
    text = str(s)
    return text if text.isprintable() else "".join(c if c.isprintable() else "?" for c in text)


def kind_label(kind: str, lang: str = "en") -> str:
    try:
        return text("mail_kind." + kind, lang)
    except KeyError:
        return kind


def recipient_text(r: RecipientReport, lang: str = "en") -> str:
    facts = [r.action or "?", r.status or "", r.stage or "", text("mail.remote", lang, host=r.remote_mta) if r.remote_mta else ""]
    lines = [safe(f"{r.recipient or '?'}  ({', '.join(f for f in facts if f)})")]
    if r.diagnostic:
        lines.append(safe(f"  {text('fact.diagnostic', lang)}: {r.diagnostic[:300]}"))
    lines += ["  ! " + safe(f.message(lang)) for f in r.findings]
    lines += ["  " + safe(line) for line in explanation_text(r.explanation, lang).split("\n")]
    return "\n".join(lines)


def report_text(report: MessageReport, lang: str = "en", name: str = "", index: int = 0) -> str:
    """A head line (file, index, kind, format, subject), then each recipient's facts and explanation."""
    head = (f"== {name}" + (f" #{index}" if index else "") + ": ") if name else ""
    head += report.kind + (f" ({report.format})" if report.format else "")
    if report.subject:
        head += f" — {report.subject[:100]}"
    lines = [safe(head)]
    if not report.recipients:
        lines.append("  " + safe(report.why[-1].detail(lang)))
    lines += [recipient_text(r, lang) for r in report]
    return "\n".join(lines)


def _headings_down(markdown: str) -> str:
    """Every heading two levels deeper (outside fenced blocks): an explanation nested under its recipient."""
    lines, fenced = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        lines.append("##" + line if line.startswith("#") and not fenced else line)
    return "\n".join(lines)


def report_markdown(report: MessageReport, lang: str = "en", link: Callable[[str], str] | None = None) -> str:
    """The report as Markdown: what the mail is, then per recipient a section with its facts, findings,
    the explanation (its headings nested under the recipient) and where each fact came from."""
    title = escape(safe(report.subject)) if report.subject else kind_label(report.kind, lang)
    out = [f"# {title}", "", f"**{kind_label(report.kind, lang)}**" + (f" · {escape(report.format)}" if report.format else "")]
    if report.sender:
        out[-1] += f" · {escape(safe(report.sender))}"
    out += [""] + [f"- {escape(safe(f.message(lang)))}" for f in report.findings]
    if not report.recipients:
        out += [text("mail.no_recipient", lang), "", escape(safe(report.why[-1].detail(lang))), ""]
    for r in report:
        out += [f"## {escape(safe(r.recipient or '?'))}", ""]
        for attr in FACTS:
            v = getattr(r, attr)
            if v:
                out.append(f"- **{text('fact.' + attr, lang)}:** {escape(safe(v))}")
        out += [""] + [f"> {escape(safe(f.message(lang)))}" for f in r.findings]
        out += ["", _headings_down(explanation_markdown(r.explanation, lang, link)), ""]
        out += [f"### {text('mail.where', lang)}", ""]
        out += [f"- {escape(safe(s.detail(lang)))}" + (f" — {escape(safe(s.source))}" if s.source else "") for s in r.why]
        out.append("")
    return "\n".join(out)
