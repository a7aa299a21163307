"""Style checks on published text: German quotes, glossary terms, working notes, retry profiles.

Called from ``kb.checks.validate``; every finding is a ``Problem`` at ``file:line: $.path``.
The glossary (codes/glossary.yaml) and the retry profiles (codes/retry.yaml) are data, read from the
same loaded sources, so a record set under test brings its own.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from .checks import Problem, Source

# `code` spans and URLs keep ASCII quotes; everything else in German text uses „…“.
_CODE = re.compile(r"`[^`\n]*`|https?://[^\s„“”\"]+")
# Notes about the writing process, not facts for the reader. Each alternative is a fixed phrase.
_WORKING_NOTE = re.compile(
    r"\b(?:todo\b|fixme\b|xxx\b|tbd\b|note to self|could(?:n't| not) be re-read|not re-read here|we could(?:n't| not)\b"
    r"|i (?:could|couldn't|did|didn't|have|haven't|am|was|think|believe|guess|assume|will|would|checked|found|read|wrote)\b"
    r"|i'(?:m|ve|d|ll)\b|notiz an mich|konnte hier nicht|nicht erneut gelesen|ich (?:habe|konnte|bin|glaube|denke|vermute)\b)",
    re.IGNORECASE)
# Keys whose strings are search aids or identifiers, not prose.
_NOT_PROSE = frozenset({"keywords", "tags", "pattern", "id", "url", "reason", "kind"})


# Quoted wording („Mailbox full“, "I could not ...") is cited, not written by us.
_QUOTED = re.compile(r"„[^„“]*“|\"[^\"\n]*\"|“[^“”]*”")


def _blank(rx: re.Pattern, text: str) -> str:
    return rx.sub(lambda m: " " * len(m.group(0)), text)


def _strip_code(text: str) -> str:
    return _blank(_CODE, text) if ("`" in text or "://" in text) else text


def _texts(value: object) -> Iterator[tuple[tuple, str, str]]:
    """(path, language, text) of every localized prose text; the path ends at the language key."""
    from .checks import _texts as localized

    for where, text in localized(value):
        if not _NOT_PROSE.intersection(str(w) for w in where):
            yield where + ("en",), "en", text["en"]
            yield where + ("de",), "de", text["de"]


def _excerpt(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 25):end + 25].split())


_QUOTE_CHAR = re.compile('["„“”]')


def quote_problems(text: str) -> list[tuple[int, int, str]]:
    """Quotes in a German text that are not „…“: (start, end, message)."""
    out: list[tuple[int, int, str]] = []
    is_open: int | None = None
    for q in _QUOTE_CHAR.finditer(_strip_code(text)):
        i, c = q.start(), q.group(0)
        if c == '"':
            out.append((i, i + 1, 'German text quotes with „…“, not a straight "'))
        elif c == "„":
            if is_open is not None:
                out.append((is_open, i + 1, "„ opened again before it was closed with “"))
            is_open = i
        elif c == "“":
            if is_open is None:
                out.append((i, i + 1, "closing “ without an opening „"))
            is_open = None
        elif c == "”":
            out.append((i, i + 1, "German quotes close with “, not ”"))
            is_open = None
    if is_open is not None:
        out.append((is_open, is_open + 1, "„ is never closed with “"))
    return out


class Glossary:
    """Forbidden German variants from codes/glossary.yaml, compiled once per validation run into one
    alternation of literals (linear in the text)."""

    def __init__(self, table: dict) -> None:
        self.term: dict[str, tuple[str, tuple[str, ...]]] = {}  # variant -> (German term, allowed phrases)
        prefixes: list[str] = []
        words: list[str] = []
        for term in table.get("terms") or []:
            allowed = tuple(term.get("allowed_in_german") or ())
            for variant in term.get("forbidden_in_german") or []:
                self.term[variant] = (term["de"], allowed)
                (words if term.get("whole_word") else prefixes).append(variant)
        # a variant is a word or the start of a compound (DNS-Blocklist, Registereintrag), or with whole_word
        # only the phrase itself (der Bounce, not der Bounce-Verarbeitung); case matters; longest first
        alternatives = []
        if prefixes:
            alternatives.append(r"(?<!\w)(" + "|".join(map(_phrase, sorted(prefixes, key=len, reverse=True))) + r")\w*")
        if words:
            alternatives.append(r"(?<!\w)(" + "|".join(map(_phrase, sorted(words, key=len, reverse=True))) + r")(?![\w-])")
        self.rx = re.compile("|".join(alternatives)) if alternatives else None

    def problems(self, plain: str) -> list[tuple[int, int, str]]:
        """``plain``: the German text with quotes and code blanked out."""
        out: list[tuple[int, int, str]] = []
        if self.rx is None:
            return out
        for m in self.rx.finditer(plain):
            preferred, allowed = self.term[" ".join(m.group(m.lastindex or 0).split())]
            if not any(_covered(plain, phrase, m.start(), m.end()) for phrase in allowed):
                out.append((m.start(), m.end(), f"glossary: write „{preferred}“, not „{m.group(0)}“"))
        return out


def _phrase(variant: str) -> str:
    """A variant as a pattern: its words may be split by any whitespace (a line break in a block text)."""
    return r"\s+".join(map(re.escape, variant.split()))


def _covered(text: str, phrase: str, start: int, end: int) -> bool:
    """Whether an occurrence of ``phrase`` in ``text`` covers ``text[start:end]``."""
    lo = max(0, end - len(phrase))
    at = text.find(phrase, lo, start + len(phrase))
    while at != -1 and at <= start:
        if at + len(phrase) >= end:
            return True
        at = text.find(phrase, at + 1, start + len(phrase))
    return False


def text_problems(sources: list[Source]) -> list[Problem]:
    tables = {os.path.basename(s.path)[: -len(".yaml")]: s.value for s in sources if s.kind == "tables"}
    table = tables.get("glossary")
    glossary = Glossary(table) if isinstance(table, dict) else None
    out: list[Problem] = []
    for s in sources:
        check_terms = glossary is not None and os.path.basename(s.path) != "glossary.yaml"
        for where, lang, text in _texts(s.value):
            found: list[tuple[int, int, str]] = []
            no_code = _strip_code(text)
            plain = _blank(_QUOTED, no_code) if ("„" in no_code or '"' in no_code or "“" in no_code) else no_code
            if lang == "de":
                found += quote_problems(text)
                if check_terms and glossary is not None:
                    found += glossary.problems(plain)
            for m in _WORKING_NOTE.finditer(plain):
                found.append((m.start(), m.end(), "a working note in published text: say what is known and where from"))
            for start, end, message in found:
                out.append(s.at(where, f"{message}: …{_excerpt(text, start, end)}…"))
    return out


def retry_problems(sources: list[Source]) -> list[Problem]:
    """Every record's retry data against the role profiles of codes/retry.yaml."""
    tables = {os.path.basename(s.path)[: -len(".yaml")]: s.value for s in sources if s.kind == "tables"}
    table = tables.get("retry")
    profiles = table.get("profiles") if isinstance(table, dict) else None
    if not isinstance(profiles, dict) or not isinstance(profiles.get("mta-queue"), dict):
        return []
    queue = profiles["mta-queue"]
    min_wait, min_give_up = queue["min_interval_minutes"], queue["min_give_up_after_hours"]
    out = []
    for s in sources:
        if s.kind not in ("basic", "enhanced") or not isinstance(s.value, dict):
            continue
        retry = s.value.get("retry")
        if not isinstance(retry, dict):
            continue
        plans = {(): retry} if "decision" in retry else {(k,): v for k, v in retry.items() if isinstance(v, dict)}
        for key, plan in plans.items():
            where = ("retry",) + key
            schedule = plan.get("schedule_minutes") or []
            if plan.get("decision") != "retry":
                if schedule or plan.get("give_up_after_hours") or plan.get("max_attempts"):
                    out.append(s.at(where, f"{plan.get('decision')}: no retry schedule belongs here (the profiles in codes/retry.yaml apply only to decision retry)"))
                continue
            if not schedule or not plan.get("give_up_after_hours"):
                out.append(s.at(where, "decision retry needs the MTA queue's schedule_minutes and give_up_after_hours (profile mta-queue)"))
                continue
            if min(schedule) < min_wait:
                out.append(s.at(where + ("schedule_minutes",), f"an MTA queue waits at least {min_wait} minutes between tries (profile mta-queue, RFC 5321 §4.5.4.1); the application profile lives in codes/retry.yaml"))
            if plan["give_up_after_hours"] < min_give_up:
                out.append(s.at(where + ("give_up_after_hours",), f"an MTA queue gives up after at least {min_give_up} hours (profile mta-queue, RFC 5321 §4.5.4.1)"))
            if "max_attempts" in plan:
                out.append(s.at(where + ("max_attempts",), "an MTA queue is limited by time (give_up_after_hours), not by a number of attempts; the application profile's attempts live in codes/retry.yaml"))
    return out


def example_source_problems(sources: list[Source]) -> list[Problem]:
    """An example's source is shown on German pages too, so it needs both languages."""
    out = []
    for s in sources:
        if s.kind not in ("basic", "enhanced") or not isinstance(s.value, dict):
            continue
        for i, ex in enumerate(s.value.get("examples") or []):
            if isinstance(ex, dict) and isinstance(ex.get("source"), str):
                out.append(s.at(("examples", i, "source"), "the source is English only; give it as {en: ..., de: ...}"))
    return out


def style_problems(sources: list[Source]) -> list[Problem]:
    return text_problems(sources) + retry_problems(sources) + example_source_problems(sources)
