"""The list's rows and the welcome page, as styled text (never markup: record text is plain ``Content``)."""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets.option_list import Option

import kb

from .i18n import badge, ui
from .logic import group_of, visible
from .theme import BADGE_BASES

# Badge colours: readable on the list in both themes (see tui.theme).
BADGE_STYLES = {status: f"$badge-{status}" for status in BADGE_BASES}
CODE_WIDTH = 8  # "X.7.26" and "5.7.26" plus a gap


def code_row(rec, lang: str) -> Option:
    """One list row: code, status badge, title (all plain text, never markup)."""
    status = Content.styled(badge(rec.status, lang), BADGE_STYLES.get(rec.status, "$text-muted"))
    prompt = Content.assemble((rec.code.ljust(CODE_WIDTH), "bold"), status, " ", visible(rec.title(lang)))
    return Option(prompt, id=rec.code)


def heading_row(text: str) -> Option:
    return Option(Content.styled(text, "bold $text-primary"), disabled=True)


def grouped_rows(lang: str) -> list[Option]:
    """Every record, basic codes by class (2xx..5xx), then enhanced codes by subject (X.0..X.7)."""
    structure = kb.structure()
    rows: list[Option] = []
    group = None
    for rec in kb.records():
        kind, digit = group_of(rec)
        if (kind, digit) != group:
            group = (kind, digit)
            if kind == "basic":
                title = structure.first.get(digit, (None,))[0]
                name = f"{ui('basic_short', lang)} · {digit}xx"
            else:
                title = structure.subjects.get(digit, (None,))[0]
                name = f"{ui('enhanced_short', lang)} · X.{digit}"
            rows.append(heading_row(f"{name} {title(lang)}" if title else name))
        rows.append(code_row(rec, lang))
    return rows


_INLINE = re.compile(r"\*\*([^*\n]+)\*\*|`([^`\n]+)`")


def styled_text(source: str) -> Content:
    """The welcome page's few forms (# headings, - bullets, **bold**, `code`) as styled text. Only the
    project's own texts come through here; a record's text never does."""
    parts: list = []
    for line in source.strip().splitlines():
        if line.startswith("#"):
            parts += [(line.lstrip("#").strip(), "bold $text-primary"), "\n"]
            continue
        if line.startswith("- "):
            parts.append(("• ", "$text-primary"))
            line = line[2:]
        pos = 0
        for m in _INLINE.finditer(line):
            parts.append(line[pos:m.start()])
            parts.append((m.group(1), "bold") if m.group(1) else (m.group(2), "$text-accent"))
            pos = m.end()
        parts += [line[pos:], "\n"]
    return Content.assemble(*parts)
