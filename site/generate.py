"""Markdown for the generated pages of the documentation site, built from the kb records.

Plain functions from kb data to Markdown strings; nothing here knows about mkdocs (site/hooks.py adds
the results to the build), so tests and other tools can call them directly. Every page exists in English
and German; links between pages are relative ``.md`` paths so that ``mkdocs build --strict`` checks them.
"""

from __future__ import annotations

import html
import io
import json
import os
import posixpath
import re

import kb
from kb import export, reasons
from kb.render import label as render_label
from kb.render import record_markdown, retry_lines, value
from kb.texts import OUTCOME_OF_CLASS, WORDS, hours
from kb.texts import text as t  # the site's words, from the one catalogue

LANGS = ("en", "de")
CLASS_KIND = OUTCOME_OF_CLASS

# ---------------------------------------------------------------- paths and links

def code_uri(code: str) -> str | None:
    """Source path of a code's page (``codes/enhanced/X.7.26.md`` for 5.7.26), or None without a record."""
    rec = kb.get(code)
    return None if rec is None else f"codes/{rec.kind}/{rec.key}.md"


def rel(from_uri: str, to_uri: str) -> str:
    """Relative link between two source files, as mkdocs resolves and validates it."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def linker(from_uri: str):
    """The ``link`` callable for kb.render: a code to a relative link to its page."""
    def link(code: str) -> str:
        # a code without a record (unregistered, only mentioned) points at the list of its kind
        target = code_uri(code) or ("codes/basic/index.md" if kb.normalize(code or "") and "." not in code
                                    else "codes/enhanced/index.md")
        return rel(from_uri, target)
    return link


def class_forms(rec) -> list[str]:
    """The codes an enhanced record is seen as in replies (``4.7.26``, ``5.7.26``)."""
    if rec.kind == "basic":
        return [rec.code]
    classes = sorted(set(rec.classes) | set(rec.retry_by_class))
    return [f"{k}{rec.key[1:]}" for k in classes]


def spellings(rec) -> list[str]:
    """Every form a reader may search for: the defined class forms, and always 4.y.z and 5.y.z, since any
    subject.detail can travel with either failure class (RFC 3463 §2) and providers do send both."""
    if rec.kind == "basic":
        return [rec.code]
    classes = sorted(set(rec.classes) | set(rec.retry_by_class) | {"4", "5"})
    return [f"{k}{rec.key[1:]}" for k in classes]


def page_title(rec, lang: str) -> str:
    """Code first, every spelling with it, so that search ranks the page first for any of them."""
    if rec.kind == "basic":
        return f"{rec.code} {rec.title(lang)}"
    return f"{rec.key} ({', '.join(spellings(rec))}) {rec.title(lang)}"


def front_matter(**meta) -> str:
    return "---\n" + "".join(f"{k}: {json.dumps(plain(v), ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"


# ---------------------------------------------------------------- record text is Markdown, never HTML
#
# Record text reaches the pages as Markdown. Everything that would let it become markup of another kind is
# written as an HTML entity: raw HTML (< > &), attribute lists ({ }), and, in text the generator places
# itself, link syntax ([ ]); code spans stay code spans (Markdown escapes their content). Links that
# record_markdown writes are kept, but only to http(s), mailto or a relative path.

_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "&#96;", "{": "&#123;", "}": "&#125;"}
_ENTITY_TEXT = str.maketrans(dict(_ENTITY, **{"[": "&#91;", "]": "&#93;", "|": "&#124;", "\n": " "}))
_ENTITY_MARKDOWN = str.maketrans(_ENTITY)  # str.translate: one pass in C, not a Python loop per character
_CODE_SPAN = re.compile(r"(?<!\\)`[^`\n]+`")
_LINK_TARGET = re.compile(r"\]\(([^()\s]*)")
_REF_DEFINITION = re.compile(r"^(\s*)\[([^\]\n]*)\]:", re.M)
_FENCE_OPEN = re.compile(r"```[A-Za-z]*")
_SAFE_SCHEME = re.compile(r"(?:https?://|mailto:|[^:/?#]*(?:[/?#]|$))", re.I)


def _entities(s: str, table: dict[int, str]) -> str:
    out, last = [], 0
    for m in _CODE_SPAN.finditer(s):
        out.append(s[last:m.start()].translate(table))
        out.append(m.group(0))
        last = m.end()
    out.append(s[last:].translate(table))
    return "".join(out)


def text(s: str) -> str:
    """Record text placed inline by the generator: Markdown emphasis and code spans, nothing else."""
    return _entities(s.strip(), _ENTITY_TEXT)


def plain(v):
    """Front matter (page title, description): plain text, no markup characters at all."""
    return re.sub(r"[<>&\"`{}]", "", v) if isinstance(v, str) else v


def safe_url(url: str | None) -> str | None:
    """A record's URL as a link target: http(s) only, with every character that could end it encoded."""
    if not url or not re.match(r"https?://", url, re.I):
        return None
    return "".join(c if c.isascii() and c.isprintable() and c not in ' ()<>"\'`[]{}\\|' else
                   "".join(f"%{b:02X}" for b in c.encode()) for c in url)


def safe_markdown(md: str) -> str:
    """Markdown built from record text (kb.render's output): raw HTML, attribute lists and links to other
    schemes are neutralised outside code. A fenced block is left to Markdown (which escapes it) only when
    it is unambiguous: opened by ```lang at column 0 and closed by a bare ``` before any other line that
    starts like a fence; anything else is treated as text."""
    lines = md.split("\n")
    # index of the next line at or after i that starts like a fence (one backward pass: linear)
    next_fence = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        next_fence[i] = i if lines[i].lstrip().startswith(("```", "~~~")) else next_fence[i + 1]
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE_OPEN.fullmatch(line):
            end = next_fence[i + 1]
            if end < len(lines) and lines[end].rstrip() == "```":
                out += lines[i:end + 1]
                i = end + 1
                continue
        line = _entities(line, _ENTITY_MARKDOWN)
        line = _LINK_TARGET.sub(lambda m: m.group(0) if _SAFE_SCHEME.match(m.group(1)) else "]&#40;" + m.group(1), line)
        out.append(_REF_DEFINITION.sub(lambda m: f"{m.group(1)}&#91;{m.group(2)}&#93;:", line))
        i += 1
    return "\n".join(out)


def cell(s: str) -> str:
    return text(s)


def code(s: str) -> str:
    """A literal (pattern, domain) as a code span: Markdown escapes what is inside."""
    return "`` " + s.replace("`", "'").replace("\n", " ") + " ``"


def fenced(s: str) -> str:
    """A literal block (a provider's reply) in a fence no line of it can close."""
    return "```text\n" + s.replace("```", "'''").replace("~~~", "'''") + "\n```"


def reference(title: str, url: str | None) -> str:
    u = safe_url(url)
    return f"- [{text(title)}]({u})" if u else f"- {text(title)}"


# ---------------------------------------------------------------- badges

def _badge(kind: str, label: str) -> str:
    return f'<span class="kb-badge kb-badge--{kind}">{label}</span>'


def badges(rec, lang: str) -> str:
    out = []
    if rec.kind == "basic":
        kind = CLASS_KIND.get(rec.code[0], "unknown")
        out.append(_badge(kind, value(kind, lang)))
    else:
        for form in class_forms(rec):
            kind = CLASS_KIND.get(form[0], "unknown")
            out.append(_badge(kind, f"{form} {value(kind, lang)}"))
    out.append(_badge("status-" + rec.status, value(rec.status, lang)))
    return " ".join(out)


# ---------------------------------------------------------------- code pages

ROLES = ("sender", "sending-admin", "recipient")
FOLDED = ("examples", "scenarios", "references")  # long parts a phone reader opens when needed


def fix_by_role(rec, lang: str) -> str:
    """Under the summary: the first remedy for each of sender, sending admin and recipient."""
    firsts: dict[int, list[str]] = {}  # one row per remedy, naming every role it is the first for
    for role in ROLES:
        i = next((i for i, r in enumerate(rec.remedies) if role in r.actors), None)
        if i is not None:
            firsts.setdefault(i, []).append(role)
    rows = []
    for i, roles in firsts.items():
        fix = rec.remedies[i]
        rows.append(f"| {text(', '.join(value(r, lang) for r in roles))} | **{text(fix.title(lang))}**: {text(fix.detail(lang))} |")
    if not rows:
        return ""
    return f"| {t('actors', lang)} | {t('remedy', lang)} |\n| --- | --- |\n" + "\n".join(rows) + "\n"


def seen_at_providers(rec, lang: str, from_uri: str) -> str:
    """The providers whose signatures use this code, with their wording and fix (from codes/providers)."""
    forms = set(spellings(rec)) | {rec.key, rec.code}
    rows = []
    for p in kb.providers():
        for sig in p.signatures:
            if forms & (set(sig.codes) | set(sig.enhanced)):
                link = rel(from_uri, provider_uri(p)) + f"#{re.sub(r'[^a-z0-9-]', '', sig.id.lower())}"
                rows.append(f"| [{text(p.name)}]({link}) | {text(sig.meaning(lang))} | {text(sig.remedy(lang))} |")
    if not rows:
        return ""
    return (f"## {t('seen_at', lang)}\n\n| {t('provider', lang)} | {t('meaning', lang)} | {t('remedy', lang)} |\n"
            "| --- | --- | --- |\n" + "\n".join(rows) + "\n")


def _split_sections(md: str) -> list[tuple[str, list[str]]]:
    """Markdown split at its second-level headings: (heading or "", lines)."""
    out: list[tuple[str, list[str]]] = [("", [])]
    fence = False
    for line in md.split("\n"):
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            out.append((line[3:], []))
        else:
            out[-1][1].append(line)
    return out


def _fold(title: str, lines: list[str]) -> str:
    body = "\n".join(("    " + ln) if ln.strip() else "" for ln in lines).strip("\n")
    return f'??? note "{plain(title)}"\n\n{body}\n'


def shape_record(md: str, rec, lang: str, uri: str) -> str:
    """kb.render's record as a page: fix by role under the summary, anatomy once, related codes with their
    titles, the provider table, a link to the temporary-failures guide, long parts folded."""
    label = {k: render_label(k, lang) for k in ("anatomy", "related", "retry", *FOLDED)}
    parts = _split_sections(md)
    head, rest = parts[0], parts[1:]
    lead = "\n".join(head[1]).strip()
    summary_end = lead.find("\n\n")
    fix = fix_by_role(rec, lang)
    if fix and summary_end > 0:
        lead = lead[:summary_end] + "\n\n" + fix + lead[summary_end:]
    out = [lead, ""]
    for title, lines in rest:
        if title == label["anatomy"] and rec.anatomy:
            lines = [ln for ln in lines if not ln.startswith("- **")]  # the record's own anatomy text says it once
        if title == label["related"]:
            lines = ["", "\n".join(f"- [{c}]({linker(uri)(c)}): {text(kb.get(c).title(lang))}" if kb.get(c) else f"- {c}"
                                   for c in rec.related), ""]
        if title == label["retry"] and "4" in rec.retry_by_class:
            lines = lines + [f"[{t('guide_temporary', lang)}]({rel(uri, 'guide/temporary-failures.md')})", ""]
        if title in (label[k] for k in FOLDED):
            out.append(_fold(title, lines))
            continue
        out.append(f"## {title}")
        out += lines
    providers = seen_at_providers(rec, lang, uri)
    if providers:
        out.append(providers)
    return "\n".join(out)


def code_page(rec, lang: str) -> str:
    """One record's page: title with every spelling, badges, then the shared record rendering shaped for
    readers (search terms stay in the front matter for the search, not on the page)."""
    uri = f"codes/{rec.kind}/{rec.key}.md"
    title = page_title(rec, lang)
    body = shape_record(safe_markdown(record_markdown(rec, lang, link=linker(uri), heading=False)), rec, lang, uri)
    data_link = rel(uri, "dataset.md")
    boost = 4 if rec.status in ("standard", "extension") else 2  # word queries: registered codes first
    terms = [rec.key] + [f for f in spellings(rec) if f != rec.key] + ([rec.keywords(lang)] if rec.keywords else [])
    return (
        front_matter(title=title, description=rec.summary(lang).strip(), search={"boost": boost})
        + f"# {text(title)}\n\n{badges(rec, lang)}\n\n"
        # every spelling and keyword, for the search index only (in the page's first entry): readers do not see it
        + f'<p class="kb-terms" hidden>{html.escape(", ".join(terms))}</p>\n\n{body}\n'
        + f"*{t('data', lang)}: [{', '.join(('JSON', 'JSONL', 'CSV'))}]({data_link}) · "
        + f"{t('source', lang)}: `{rec.source}`*\n"
    )


def searched_sections() -> set[str]:
    """The sections of a code page the search indexes besides its title and summary: what people search
    for (causes, remedies, examples), in both languages."""
    return {render_label(k, lang) for k in ("causes", "remedies", "examples") for lang in LANGS}


def _retry_label(rec, lang: str) -> str:
    shown = [(k, r) for k, r in sorted(rec.retry_by_class.items())]
    if len(shown) == 1:
        return value(shown[0][1].decision, lang)
    return "; ".join(f"{k}: {value(r.decision, lang)}" for k, r in shown)


def code_table(recs, from_uri: str, lang: str) -> list[str]:
    recs = list(recs)
    if not recs:
        return [f"*{t('group_empty', lang)}*", ""]
    out = [f"| {t('code', lang)} | {t('title', lang)} | {t('status', lang)} | {t('retry_column', lang)} |",
           "| --- | --- | --- | --- |"]
    for r in recs:
        label = r.key if r.kind == "basic" else f"{r.key} ({', '.join(class_forms(r))})"
        out.append(f"| [{label}]({rel(from_uri, code_uri(r.key))}) | {cell(r.title(lang))} | "
                   f"{value(r.status, lang)} | {_retry_label(r, lang)} |")
    return out + [""]


# ---------------------------------------------------------------- index pages

def basic_classes() -> list[str]:
    return sorted(kb.structure().first)


def enhanced_subjects() -> list[str]:
    return sorted(kb.structure().subjects)


def _records(kind: str) -> list:
    return list(kb.records(kind))


def class_page(digit: str, lang: str) -> str:
    uri = f"codes/basic/{digit}xx.md"
    title, meaning = kb.structure().first[digit]
    recs = [r for r in _records("basic") if r.key[0] == digit]
    out = [f"# {digit}xx {title(lang)}", "", meaning(lang), ""] + code_table(recs, uri, lang)
    return front_matter(search={"boost": 0.5}) + "\n".join(out)


def subject_page(subject: str, lang: str) -> str:
    uri = f"codes/enhanced/X.{subject}.md"
    title, meaning = kb.structure().subjects[subject]
    recs = [r for r in _records("enhanced") if r.key.split(".")[1] == subject]
    out = [f"# X.{subject}.z {title(lang)}", "", meaning(lang), ""] + code_table(recs, uri, lang)
    return front_matter(search={"boost": 0.5}) + "\n".join(out)


def _sections(uri: str, lang: str, groups) -> list[str]:
    """One section per (label, page, (title, meaning), records): a linked heading, what the group
    means, and the table of its codes."""
    out: list[str] = []
    for label, page, (title, meaning), recs in groups:
        out += [f"## [{label} {title(lang)}]({rel(uri, page)})", "", meaning(lang), ""]
        out += code_table(recs, uri, lang)
    return out


def basic_index(lang: str) -> str:
    uri = "codes/basic/index.md"
    st = kb.structure()
    out = [f"# {t('basic_codes', lang)}", "", st.basic_intro(lang), ""]
    recs = _records("basic")
    out += _sections(uri, lang, ((f"{d}xx", f"codes/basic/{d}xx.md", st.first[d], [r for r in recs if r.key[0] == d])
                                 for d in basic_classes()))
    return front_matter(search={"boost": 0.5}) + "\n".join(out)


def enhanced_index(lang: str) -> str:
    uri = "codes/enhanced/index.md"
    st = kb.structure()
    out = [f"# {t('enhanced_codes', lang)}", "", st.enhanced_intro(lang), ""]
    out += [f"| {t('class', lang)} | {t('title', lang)} | |", "| --- | --- | --- |"]
    out += [f"| {k}.y.z | {cell(title(lang))} | {cell(meaning(lang))} |" for k, (title, meaning) in sorted(st.classes.items())]
    out.append("")
    recs = _records("enhanced")
    out += _sections(uri, lang, ((f"X.{s}.z", f"codes/enhanced/X.{s}.md", st.subjects[s],
                                  [r for r in recs if r.key.split(".")[1] == s]) for s in enhanced_subjects()))
    return front_matter(search={"boost": 0.5}) + "\n".join(out)


def codes_overview(lang: str) -> str:
    uri = "codes/index.md"
    st = kb.structure()
    basic, enhanced = _records("basic"), _records("enhanced")
    out = [f"# {t('codes', lang)}", "", f"## [{t('basic_codes', lang)}]({rel(uri, 'codes/basic/index.md')})", "",
           st.basic_intro(lang), "",
           f"| {t('class', lang)} | {t('title', lang)} | {t('n_codes', lang)} |", "| --- | --- | --- |"]
    for d in basic_classes():
        n = sum(1 for r in basic if r.key[0] == d)
        out.append(f"| [{d}xx]({rel(uri, f'codes/basic/{d}xx.md')}) | {cell(st.first[d][0](lang))} | {n} |")
    out += ["", f"## [{t('enhanced_codes', lang)}]({rel(uri, 'codes/enhanced/index.md')})", "", st.enhanced_intro(lang), "",
            f"| {t('subject', lang)} | {t('title', lang)} | {t('n_codes', lang)} |", "| --- | --- | --- |"]
    for s in enhanced_subjects():
        n = sum(1 for r in enhanced if r.key.split(".")[1] == s)
        out.append(f"| [X.{s}.z]({rel(uri, f'codes/enhanced/X.{s}.md')}) | {cell(st.subjects[s][0](lang))} | {n} |")
    return front_matter(search={"boost": 0.5}) + "\n".join(out) + "\n"


# ---------------------------------------------------------------- providers

def provider_uri(p) -> str:
    return f"providers/{p.id}.md"


def _code_links(codes, from_uri: str) -> str:
    link = linker(from_uri)
    return ", ".join(f"[{c}]({link(c)})" for c in codes)


def provider_page(p, lang: str) -> str:
    uri = provider_uri(p)
    out = [f"# {text(p.name)}", "", f"*{t('provider_kind.' + p.kind, lang) if 'provider_kind.' + p.kind in WORDS else text(p.kind)}*", "",
           text(p.summary(lang)), ""]
    if p.domains:
        out += [f"**{t('domains', lang)}:** " + ", ".join(code(d) for d in p.domains), ""]
    out += [f"## {t('signatures', lang)}", ""]
    for s in p.signatures:
        codes = list(s.codes) + list(s.enhanced)
        # the heading names the case, not the codes: a code search should land on the code's own page
        anchor = re.sub(r"[^a-z0-9-]", "", s.id.lower())
        out += [f"### {text(reasons.label(s.reason)(lang))}: {text(s.id.replace('-', ' '))} {{ #{anchor} }}", "",
                text(s.meaning(lang)), ""]
        if codes:
            out += [f"- **{t('code', lang)}:** {_code_links(codes, uri)}"]
        out += [f"- **{t('reason', lang)}:** {code(s.reason)}",
                f"- **{t('pattern', lang)}:** {code(s.pattern.pattern)}",
                f"- **{t('actors', lang)}:** " + ", ".join(text(value(a, lang)) for a in s.actors),
                f"- **{t('remedy', lang)}:** {text(s.remedy(lang))}"]
        if safe_url(s.url):
            out.append(f"- **{t('source', lang)}:** [{text(s.url)}]({safe_url(s.url)})")
        out.append("")
        if s.deviation is not None:
            d = s.deviation
            out += [f'!!! warning "{t("deviation", lang)}: {plain(d.code)}"', "",
                    f"    **{t('registry', lang)}:** {text(d.registry_meaning(lang))}", "",
                    f"    **{t('provider', lang)}:** {text(d.provider_meaning(lang))}", ""]
        if s.example:
            out += [f"{t('example', lang)}:", "", fenced(s.example), ""]
            if s.example_source:
                out += [f"*{text(s.example_source)}*", ""]
    if p.references:
        out += [f"## {t('references', lang)}", ""] + [reference(r.title, r.url) for r in p.references] + [""]
    return front_matter(title=p.name) + "\n".join(out)


def providers_index(lang: str) -> str:
    uri = "providers/index.md"
    provs = kb.providers()
    out = [f"# {t('providers', lang)}", ""]
    if not provs:
        return "\n".join(out + [t("no_providers", lang), ""])
    out += [f"| {t('provider', lang)} | {t('signatures', lang)} | |", "| --- | --- | --- |"]
    for p in provs:
        first = p.summary(lang).strip().split(". ")[0].rstrip(".") + "."
        out.append(f"| [{text(p.name)}]({rel(uri, provider_uri(p))}) | {len(p.signatures)} | {cell(first)} |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- pieces of hand-written pages

def anatomy_table(code: str, lang: str) -> str:
    """The anatomy of a code as a table, for the home page (``<!-- kb:anatomy 4.7.0 -->``)."""
    rows = [f"| {t('digits', lang)} | {t('position', lang)} | {t('meaning', lang)} |", "| --- | --- | --- |"]
    for p in kb.anatomy(code):
        rows.append(f"| **{p.digits}** | {p.position(lang)} | **{cell(p.title(lang))}**: {cell(p.meaning(lang))} |")
    return "\n".join(rows) + "\n"


def retry_table(lang: str, from_uri: str) -> str:
    """Every transient code with its retry data (``<!-- kb:retry-table -->`` in the guide)."""
    rows = [f"| {t('code', lang)} | {t('title', lang)} | {t('decision', lang)} | {t('backoff', lang)} | "
            f"{t('max_attempts', lang)} | {t('give_up', lang)} | {t('log_level', lang)} |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for rec in kb.records():
        r = rec.retry_by_class.get("4")
        if r is None:
            continue
        form = rec.code if rec.kind == "basic" else "4" + rec.key[1:]
        give_up = hours(r.give_up_after_hours, lang) if r.give_up_after_hours else "—"
        rows.append(f"| [{form}]({rel(from_uri, code_uri(rec.key))}) | {cell(rec.title(lang))} | "
                    f"{value(r.decision, lang)} | {', '.join(map(str, r.schedule_minutes)) or '—'} | "
                    f"{r.max_attempts or '—'} | {give_up} | {r.log_level} |")
    return "\n".join(rows) + "\n"


def retry_summary(lang: str) -> str:
    """What the records say about retrying, counted (``<!-- kb:retry-summary -->`` in the guide)."""
    from collections import Counter

    decisions = {k: Counter() for k in ("4", "5")}
    give_up = Counter()
    for rec in kb.records():
        for k, r in rec.retry_by_class.items():
            if k in decisions:
                decisions[k][r.decision] += 1
            if k == "4" and r.give_up_after_hours:
                give_up[r.give_up_after_hours] += 1
    rows = [f"| {t('class', lang)} | " + " | ".join(value(d, lang) for d in
            ("retry", "retry-after-fix", "do-not-retry")) + " |", "| --- | --- | --- | --- |"]
    for k, c in decisions.items():
        rows.append(f"| {k}xx / {k}.y.z | " + " | ".join(str(c[d]) for d in ("retry", "retry-after-fix", "do-not-retry")) + " |")
    if give_up:
        common = ", ".join(f"{hours(h, lang)} ({n}×)" for h, n in give_up.most_common(3))
        rows += ["", f"**{t('give_up', lang)}** ({t('most_common', lang)}): {common}"]
    return "\n".join(rows) + "\n"


def retry_example(code: str, lang: str) -> str:
    """One record's retry guidance, as the record page shows it (``<!-- kb:retry 421 -->``)."""
    rec = kb.lookup(code)
    return "\n".join(retry_lines(rec.retry, lang)) + "\n"


def jump_box(lang: str) -> str:
    """A form that opens a code's page; site/assets/jump.js resolves the code against ``data-codes``."""
    keys = " ".join(kb.codes())
    return (
        f'<form class="kb-jump" data-codes="{keys}" data-unknown="{t("jump_unknown", lang)}" role="search">\n'
        f'<label for="kb-jump-input">{t("jump_label", lang)}</label>\n'
        f'<input id="kb-jump-input" name="code" type="text" autocomplete="off" spellcheck="false" '
        f'placeholder="{t("jump_placeholder", lang)}">\n'
        f'<button type="submit" class="md-button md-button--primary">{t("open", lang)}</button>\n'
        f'<output class="kb-jump__message" aria-live="polite"></output>\n'
        "</form>\n"
    )


def dataset_facts(lang: str) -> str:
    """Version, date, licence and the size of every file of the dataset (``<!-- kb:dataset-facts -->``)."""
    import datetime
    from importlib import metadata

    try:
        version = metadata.version("smtp-kb")
    except metadata.PackageNotFoundError:
        version = "—"
    # SOURCE_DATE_EPOCH makes the page reproducible; otherwise the day of the build
    stamp = os.environ.get("SOURCE_DATE_EPOCH")
    day = (datetime.datetime.fromtimestamp(int(stamp), datetime.UTC) if stamp and stamp.isdigit()
           else datetime.datetime.now(datetime.UTC)).date().isoformat()
    files = datasets()
    rows = [f"| {t('file', lang)} | {t('size', lang)} |", "| --- | --- |"]
    for name in ("codes.json", "codes.jsonl", "codes.csv"):
        size = len(files[name].encode("utf-8"))
        rows.append(f"| [{name}]({name}) | {size / 1024:,.0f} KiB ({size:,} {t('bytes', lang)}) |".replace(",", "." if lang == "de" else ","))
    facts = [f"- **{t('version', lang)}:** {version}", f"- **{t('built', lang)}:** {day}",
             f"- **{t('records', lang)}:** {sum(1 for _ in kb.records())}",
             f"- **{t('licence', lang)}:** {t('licence_text', lang)}"]
    return "\n".join(facts) + "\n\n" + "\n".join(rows) + "\n"


VENDOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "vendor")


def wheel_name(vendor: str = VENDOR) -> str | None:
    """The kb wheel `make pyodide` put beside Pyodide (served under assets/kb/), or None without one."""
    try:
        return next((n for n in sorted(os.listdir(os.path.join(vendor, "kb"))) if n.endswith(".whl")), None)
    except OSError:
        return None


def page_root(src_uri: str) -> str:
    """Relative URL from a page to its edition's home (directory URLs: guide/x.md is served at guide/x/)."""
    depth = src_uri.count("/") + (0 if src_uri.rsplit("/", 1)[-1] == "index.md" else 1)
    return "../" * depth or "./"


def explain_box(lang: str, src_uri: str) -> str:
    """The "explain a bounce" form (``<!-- kb:explain -->``); site/assets/explain.js runs kb in Pyodide."""
    wheel = wheel_name()
    if wheel is None:
        return f"*{t('explain_missing', lang)}*\n"

    def esc(key: str) -> str:  # catalogue words go into attributes and text: escaped like any other text
        return html.escape(t(key, lang))

    return (
        f'<form class="kb-explain" data-wheel="{wheel}" data-root="{page_root(src_uri)}" '
        f'data-loading="{esc("explain_loading")}" data-failed="{esc("explain_failed")}">\n'
        f'<label for="kb-explain-input">{esc("explain_label")}</label>\n'
        f'<textarea id="kb-explain-input" rows="5" spellcheck="false" autocomplete="off" '
        f'placeholder="421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred"></textarea>\n'
        f'<div class="kb-explain__actions"><button type="submit" class="md-button md-button--primary">'
        f'{esc("explain")}</button>\n'
        f'<label><input type="checkbox" name="share"> {esc("explain_share")}</label></div>\n'
        f'<p class="kb-explain__note">{esc("explain_note")}</p>\n'
        f'<output class="kb-explain__status" aria-live="polite"></output>\n'
        f'<div class="kb-explain__result" aria-live="polite"></div>\n'
        "</form>\n"
    )


_PLACEHOLDER = re.compile(r"<!--\s*kb:([a-z-]+)(?:\s+(\S+))?\s*-->")


def expand(markdown: str, lang: str, src_uri: str) -> str:
    """Replace ``<!-- kb:NAME [ARG] -->`` markers in hand-written pages by data from the records."""
    def sub(m: re.Match) -> str:
        name, arg = m.group(1), m.group(2)
        if name == "anatomy":
            return anatomy_table(arg, lang)
        if name == "retry-table":
            return retry_table(lang, src_uri)
        if name == "retry-summary":
            return retry_summary(lang)
        if name == "retry":
            return retry_example(arg, lang)
        if name == "jump":
            return jump_box(lang)
        if name == "explain":
            return explain_box(lang, src_uri)
        if name == "dataset-facts":
            return dataset_facts(lang)
        if name == "count":
            return str(sum(1 for _ in kb.records(arg)))
        raise ValueError(f"{src_uri}: unknown placeholder {m.group(0)}")
    return _PLACEHOLDER.sub(sub, markdown)


# ---------------------------------------------------------------- everything

def pages(lang: str) -> dict[str, str]:
    """Every generated page of one language: source path -> Markdown."""
    out = {"codes/index.md": codes_overview(lang), "codes/basic/index.md": basic_index(lang),
           "codes/enhanced/index.md": enhanced_index(lang), "providers/index.md": providers_index(lang)}
    out.update({f"codes/basic/{d}xx.md": class_page(d, lang) for d in basic_classes()})
    out.update({f"codes/enhanced/X.{s}.md": subject_page(s, lang) for s in enhanced_subjects()})
    for rec in kb.records():
        out[f"codes/{rec.kind}/{rec.key}.md"] = code_page(rec, lang)
    for p in kb.providers():
        out[provider_uri(p)] = provider_page(p, lang)
    return out


def datasets() -> dict[str, str]:
    """The dataset files at stable URLs: codes.json/.jsonl/.csv from kb.export.write, and the schemas
    (made once per loaded knowledge base: the dataset page gives their sizes, the docs folder holds them)."""
    return kb.database().memo("site-datasets", lambda _db: _make_datasets())


def _make_datasets() -> dict[str, str]:
    out = {}
    for fmt in ("json", "jsonl", "csv"):
        buf = io.StringIO()
        export.write(buf, fmt)
        out[f"codes.{fmt}"] = buf.getvalue()
    folder = os.path.join(os.path.dirname(os.path.abspath(kb.__file__)), "schema")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                out[f"schema/{name}"] = published_schema(name, fh.read())
    return out


def published_schema(name: str, source: str) -> str:
    """A record schema as published beside the export: the exported records carry the ``kind`` their
    folder gives them in codes/ (basic, enhanced), so the published schema allows exactly that value."""
    kind = name.split(".", 1)[0]
    if kind not in ("basic", "enhanced"):
        return source
    schema = json.loads(source)
    schema["properties"] = {"kind": {"const": kind, "description": "which list the record belongs to (in codes/, its folder)"},
                            **schema["properties"]}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- the docs folder mkdocs builds

def source_name(src_uri: str, lang: str) -> str:
    """File name of a page in the docs folder: ``x.md`` for English, ``x.de.md`` for German (the i18n
    plugin's suffix structure)."""
    return src_uri if lang == LANGS[0] else f"{src_uri[:-3]}.{lang}.md"


def docs_files(site_dir: str) -> dict[str, bytes]:
    """Every file of the docs folder: the hand-written pages of ``site_dir`` with their placeholders filled
    in, its assets, the generated pages in both languages and the dataset files."""
    out: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(site_dir):
        dirs[:] = sorted(d for d in dirs if d not in ("overrides", "__pycache__"))
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel_path = os.path.relpath(path, site_dir).replace(os.sep, "/")
            if name.endswith(".py"):
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            if name.endswith(".md"):
                lang = next((x for x in LANGS[1:] if name.endswith(f".{x}.md")), LANGS[0])
                data = expand(data.decode("utf-8"), lang, source_name_of(rel_path)).encode("utf-8")
            out[rel_path] = data
    for lang in LANGS:
        for src_uri, md in pages(lang).items():
            out[source_name(src_uri, lang)] = md.encode("utf-8")
    for path, content in datasets().items():
        out[path] = content.encode("utf-8")
    return out


def vendored_files(vendor: str = VENDOR) -> dict[str, str]:
    """Pyodide and the kb wheel, fetched and checked by `make pyodide`, served from the site itself: their
    path in the site -> the file in ``vendor``. Not part of the docs folder: site/hooks.py links them into
    the output once per build, rather than MkDocs copying 14 MB for each language edition."""
    out = {}
    for sub in ("pyodide", "kb"):
        folder = os.path.join(vendor, sub)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            out[f"assets/{sub}/{name}"] = os.path.join(folder, name)
    return out


def source_name_of(rel_path: str) -> str:
    """The page a docs file is, whatever its language: ``guide/x.de.md`` -> ``guide/x.md``."""
    for lang in LANGS[1:]:
        if rel_path.endswith(f".{lang}.md"):
            return rel_path[: -len(f".{lang}.md")] + ".md"
    return rel_path


def write_docs(site_dir: str, dest: str) -> int:
    """Write the docs folder; files whose content is unchanged are left alone (so `mkdocs serve` does not
    see them change), files no longer generated are removed. Returns the number of files written."""
    files = docs_files(site_dir)
    written = 0
    for rel_path, data in files.items():
        path = os.path.join(dest, *rel_path.split("/"))
        try:
            with open(path, "rb") as fh:
                if fh.read() == data:
                    continue
        except OSError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        written += 1
    for folder, _, names in os.walk(dest):
        for name in names:
            rel_path = os.path.relpath(os.path.join(folder, name), dest).replace(os.sep, "/")
            if rel_path not in files:
                os.remove(os.path.join(folder, name))
    return written
