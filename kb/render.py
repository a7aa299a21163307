"""Records and explanations as Markdown or plain text, in English or German.

One renderer for every surface: the CLI prints it, the terminal browser shows it as Markdown, the
site builds its pages from the same sections. ``link`` turns a code into a Markdown link target
(the site passes page URLs, the terminal browser ``code:NNN`` links it can follow).
"""

from __future__ import annotations

from .model import Record
from .texts import hours, text
from .texts import value as value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .explainer import Explanation

def label(key: str, lang: str = "en") -> str:
    """An entry of the catalogue (kb/texts.py) in ``lang``."""
    return text(key, lang)


def escape(s: str) -> str:
    """Protect text that is not Markdown (reply lines, provider texts) from being read as Markdown."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in s)


def _code_link(code: str, link: Callable[[str], str] | None) -> str:
    return f"[{code}]({link(code)})" if link else f"`{code}`"


def retry_lines(retry, lang: str) -> list[str]:
    out = [f"- **{label('decision', lang)}:** {value(retry.decision, lang)}"]
    if retry.schedule_minutes:
        mins = ", ".join(str(m) for m in retry.schedule_minutes)
        out.append(f"- **{label('schedule', lang)}:** {mins} min")
    if retry.max_attempts:
        out.append(f"- **{label('max_attempts', lang)}:** {retry.max_attempts}")
    if retry.give_up_after_hours:
        out.append(f"- **{label('give_up', lang)}:** {hours(retry.give_up_after_hours, lang)}")
    app = retry.application  # the other role's plan, from codes/retry.yaml
    if app is not None and app.schedule_minutes:
        tries = f", {app.min_attempts}–{app.max_attempts} {label('attempts', lang)}" if app.max_attempts else ""
        out.append(f"- **{label('application_plan', lang)}:** {', '.join(map(str, app.schedule_minutes))} min{tries}")
    if retry.slow_down:
        out.append(f"- **{label('slow_down', lang)}:** {value('slow-down', lang)}")
    out.append(f"- **{label('log_level', lang)}:** {value(retry.log_level, lang)}")
    out.append("")
    out.append(retry.note(lang))
    return out


def anatomy_lines(code: str, lang: str) -> list[str]:
    import kb

    return [f"- **{p.digits}** ({p.position(lang)}): {p.title(lang)}." + (f" {p.meaning(lang)}" if p.meaning else "")
            for p in kb.anatomy(code)]


def record_markdown(rec: Record, lang: str = "en", link: Callable[[str], str] | None = None, heading: bool = True) -> str:
    """The whole record as Markdown: meaning first, then anatomy, contexts, causes, remedies, retry, examples."""
    L = lambda k: label(k, lang)
    out: list[str] = []
    if heading:
        out += [f"# {rec.code} {rec.title(lang)}", ""]
    out += [f"**{rec.summary(lang)}**", ""]
    out += [f"*{L('status')}: {value(rec.status, lang)}* · *{L('category')}: {rec.category(lang)}*", ""]
    if rec.class_meaning is not None:
        out += [rec.class_meaning(lang), ""]
    out += [f"## {L('meaning')}", "", rec.meaning(lang).strip(), ""]
    if rec.replaced_by:
        out += [f"**{L('replaced_by')}:** {_code_link(rec.replaced_by, link)}", ""]
    out += [f"## {L('anatomy')}", ""] + anatomy_lines(rec.code, lang)
    if rec.anatomy:
        out += ["", rec.anatomy(lang)]
    out += [""]
    if rec.reply_text:
        out += [f"**{L('reply_text')}:** `{rec.reply_text}`", ""]
    if rec.registry:
        out += [f"**{L('registry')}:** {escape(rec.registry['title'])} · {L('associated_basic')}: "
                f"{escape(rec.registry['associated_basic_codes'])} · {escape(rec.registry['reference'])}", ""]
    if rec.classes:
        out += [f"## {L('by_class')}", ""]
        out += [f"- **{k}.{rec.key[2:]}**: {v(lang)}" for k, v in sorted(rec.classes.items())] + [""]
    out += [f"**{L('action')}:** {rec.action(lang)}", ""]
    out += [f"## {L('contexts')}", ""]
    for d in rec.definitions:
        where = f"[{d.citation}]({d.url})" if d.url else d.citation
        ctx = ", ".join(x for x in ([d.extension] if d.extension else []) + list(d.commands))
        bits = [where] + ([ctx] if ctx else []) + ([value("non-standard", lang)] if not d.standard else [])
        line = f"- **{' · '.join(bits)}**"
        if d.reply_text:
            line += f" `{d.reply_text}`"
        out.append(line + f": {d.meaning(lang)}")
        if d.note:
            out.append(f"  *{d.note(lang)}*")
    out.append("")
    if rec.enhanced_codes or rec.enhanced_codes_in_practice:
        codes = ", ".join(_code_link(c, link) for c in rec.enhanced_codes) or "—"
        line = f"**{L('travels_with')}:** {codes}"
        if rec.enhanced_codes_in_practice:
            line += f"; {L('in_practice')}: " + ", ".join(_code_link(c, link) for c in rec.enhanced_codes_in_practice)
        out += [line, ""]
    if rec.basic_codes:
        out += [f"**{L('associated_basic')}:** " + ", ".join(_code_link(c, link) for c in rec.basic_codes), ""]
    if rec.causes:
        out += [f"## {L('causes')}", ""]
        for c in rec.causes:
            out.append(f"- **{c.title(lang)}**: {c.detail(lang)}")
            if c.check:
                out.append(f"  *{L('check')}:* {c.check(lang)}")
        out.append("")
    for key, items in (("remedies", rec.remedies), ("best_practices", rec.best_practices)):
        if items:
            out += [f"## {L(key)}", ""]
            for r in items:
                who = ", ".join(value(a, lang) for a in r.actors)
                out.append(f"- **{r.title(lang)}** ({L('who')}: {who}): {r.detail(lang)}")
            out.append("")
    if rec.retry_by_class:
        out += [f"## {L('retry')}", ""]
        shown = {rec.klass: rec.retry} if rec.retry is not None else dict(rec.retry_by_class)
        for k, plan in shown.items():
            if len(shown) > 1:
                out += [f"**{k}.{rec.key[2:]}**", ""]
            out += retry_lines(plan, lang) + [""]
    if rec.scenarios:
        out += [f"## {L('scenarios')}", ""]
        out += [f"- **{s.title(lang)}**: {s.detail(lang)}" for s in rec.scenarios] + [""]
    if rec.examples:
        out += [f"## {L('examples')}", ""]
        for e in rec.examples:
            src = f"[{escape(e.source_text(lang))}]({e.url})" if e.url else escape(e.source_text(lang))
            tag = f" *({L('illustrative')})*" if e.illustrative else ""
            out += ["```text", e.reply, "```", f"{src}{tag}" + (f": {e.note(lang)}" if e.note else ""), ""]
    if rec.provider_notes:
        out += [f"## {L('provider_notes')}", ""]
        for n in rec.provider_notes:
            code = f" ({n.code})" if n.code else ""
            src = f" [{n.url}]({n.url})" if n.url else ""
            out.append(f"- **{escape(n.provider)}{code}**: {n.meaning(lang)}{src}")
        out.append("")
    if rec.related:
        out += [f"## {L('related')}", "", ", ".join(_code_link(c, link) for c in rec.related), ""]
    out += [f"## {L('references')}", ""]
    out += [f"- [{escape(r.title)}]({r.url})" for r in rec.references] + [""]
    return "\n".join(out)


def explanation_markdown(ex: Explanation, lang: str = "en", link: Callable[[str], str] | None = None) -> str:
    """The explanation as Markdown: codes, verdict, what to do, findings, why, then the records' gist."""
    L = lambda k: label(k, lang)
    v, r = ex.verdict, ex.reply
    codes = " ".join(_code_link(c, link) for c in (r.basic, r.enhanced) if c) or L("no_code")
    out = [f"# {codes}", ""]
    title = (ex.enhanced or ex.basic)
    if title is not None:
        out += [f"**{title.title(lang)}**: {title.summary(lang)}", ""]
    # what was read from the input comes first: the facts a reader checks the verdict against
    read = [(L("recipient"), r.recipient), (L("domain"), r.domain), (L("host"), r.host), (L("ip"), r.ip),
            (L("command"), r.command)]
    out += [f"## {L('parsed')}", "", f"- **{L('form')}:** {r.form}"] + [f"- **{k}:** {escape(x)}" for k, x in read if x] + [""]
    out += [f"## {L('verdict')}", "",
            f"- **{L('reason')}:** {v.reason_label(lang)} (`{v.reason}`)",
            f"- **{L('status')}:** {value(v.outcome, lang)} · {value(v.bounce, lang)}",
            f"- **{L('decision')}:** {value(v.retry, lang)}"]
    if v.schedule_minutes:
        out.append(f"- **{L('schedule')}:** {', '.join(map(str, v.schedule_minutes))} min"
                   + (f" · {L('give_up')}: {hours(v.give_up_after_hours, lang)}" if v.give_up_after_hours else ""))
    if v.actors:
        out.append(f"- **{L('actors')}:** {', '.join(value(a, lang) for a in v.actors)}")
    out.append(f"- **{L('log_level')}:** {value(v.log_level, lang)}")
    out.append(f"- **{L('address')}:** {_suppress(v.suppress, lang)}")
    if v.fix is not None:
        out.append(f"- **{L('fix')}:** {v.fix(lang)}")
    for plan in _plan_lines(v, lang):
        out.append(f"- {escape(plan)}")
    if ex.signature is not None:
        out += ["", f"**{L('provider')}: {escape(ex.provider.name if ex.provider else ex.signature.provider)}**: "
                f"{ex.signature.meaning(lang)}"]
    elif ex.provider is not None:
        out += ["", f"**{L('provider')}:** {escape(ex.provider.name)}"]
    if v.remedies:
        out += ["", f"## {L('remedy')}", ""] + [f"- {r(lang)}" for r in v.remedies]
    if v.facts:
        out += ["", f"## {L('facts')}", ""] + [f"- {escape(f(lang) or '')}" for f in v.facts]
    if ex.findings:
        out += ["", f"## {L('findings')}", ""] + [f"- {f.message(lang)}" for f in ex.findings]
    if r.text:
        shown = r.text if len(r.text) <= 500 else r.text[:500] + "…"
        out += ["", "```text", shown.replace("```", "'''"), "```"]
    out += ["", f"## {L('why')}", ""]
    out += [f"{i}. {s.detail(lang)}" + (f" — `{s.source}`" if s.source else "") for i, s in enumerate(ex.why, 1)]
    if ex.anatomy:
        out += ["", f"## {L('anatomy')}", ""]
        out += [f"- **{p.digits}** ({p.position(lang)}): {p.title(lang)}" for p in ex.anatomy]
    for rec in (ex.enhanced, ex.basic):  # the more specific code's causes first
        if rec is not None and rec.causes:
            out += ["", f"## {L('causes')}: {rec.code}", ""]
            out += [f"- **{c.title(lang)}**: {c.detail(lang)}" for c in rec.causes[:6]]
    return "\n".join(out) + "\n"


def explanation_text(ex: Explanation, lang: str = "en") -> str:
    """A compact plain-text explanation for terminals and logs."""
    L = lambda k: label(k, lang)
    v, r = ex.verdict, ex.reply
    codes = " ".join(c for c in (r.basic, r.enhanced) if c) or L("no_code")
    rec = ex.enhanced or ex.basic
    lines = [f"{codes}  {rec.title(lang) if rec else ''}".rstrip()]
    if rec is not None:
        lines.append(f"  {rec.summary(lang)}")
    lines.append(f"  {L('verdict')}: {value(v.outcome, lang)}, {value(v.bounce, lang)}; {L('reason')}: {v.reason_label(lang)} [{v.reason}]")
    retry = value(v.retry, lang)
    if v.schedule_minutes:
        retry += f" ({', '.join(map(str, v.schedule_minutes))} min)"
    lines.append(f"  {L('decision')}: {retry}; {L('actors')}: {', '.join(value(a, lang) for a in v.actors) or '-'}; {L('log_level')}: {value(v.log_level, lang)}")
    if ex.provider is not None:
        lines.append(f"  {L('provider')}: {ex.provider.name}")
    lines.append(f"  {L('address')}: {_suppress(v.suppress, lang)}")
    if v.fix is not None:
        lines.append(f"  {L('fix')}: {v.fix(lang)}")
    lines += [f"  {plan}" for plan in _plan_lines(v, lang)]
    if v.remedy is not None:
        lines.append(f"  {L('remedy')}: {v.remedy(lang)}")
    lines += [f"  · {f(lang)}" for f in v.facts]
    for f in ex.findings:
        lines.append(f"  ! {f.message(lang)}")
    lines.append(f"  {L('why')}:")
    lines += [f"    {i}. {s.detail(lang)}" for i, s in enumerate(ex.why, 1)]
    return "\n".join(lines)


def _suppress(suppress: bool | None, lang: str) -> str:
    return value({True: "suppress-true", False: "suppress-false"}.get(suppress, "suppress-null"), lang)  # type: ignore[arg-type]


def _plan_lines(v, lang: str) -> list[str]:
    """One line per retry plan: whose plan it is, the waits, and where the plan comes from."""
    out = []
    for p in v.plans:
        role = p["role"]
        if role == "slow-down":
            out.append(f"{label('retry_plans', lang)}: {value('slow-down', lang)} ({p['source']})")
            continue
        mins = ", ".join(map(str, p.get("schedule_minutes") or ())) or "-"
        extra = ""
        if p.get("give_up_after_hours"):
            extra = f" · {label('give_up', lang)}: {hours(p['give_up_after_hours'], lang)}"
        if p.get("attempts"):
            extra += f" · {label('max_attempts', lang)}: {p['attempts']['min']}-{p['attempts']['max']}"
        out.append(f"{label('retry_plans', lang)}: {value(role, lang)}: {mins} min{extra} ({p['source']})")
    return out


def crosswalk_line(vocabulary: str, mapped, lang: str = "en") -> str:
    """The verdict in another tool's vocabulary, saying when that vocabulary is coarser than ours."""
    if not mapped:
        return f"{label('crosswalk', lang)} {vocabulary}: -"
    bits = [str(mapped["value"])]
    if mapped.get("loses_detail"):
        bits.append(f"({label('loses_detail', lang)})")
    if mapped.get("note"):
        bits.append(f"— {mapped['note']}")
    return f"{label('crosswalk', lang)} {vocabulary}: " + " ".join(bits)
