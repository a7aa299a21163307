"""The explainer: from a pasted reply, DSN or log line to a verdict, with the reasons why.

Every surface (CLI, terminal browser, site, library users) calls ``explain``; see kb/reasons.py for the
reason taxonomy and the order in which a reason is decided.
"""

from __future__ import annotations

import re

from . import reasons as _reasons
from . import syntax as _codes
from .model import Frozen, Record, Text, _set, assign
from .reply import Reply, parse
from .syntax import LazyRegex
from .texts import OUTCOME_OF_CLASS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .digits import Part
    from .signatures import Provider, Signature


class Finding(Frozen):
    """Something worth knowing about the input: ``kind`` is a stable id, ``message`` the text."""

    __slots__ = ("kind", "message")
    _fields = __slots__
    kind: str  # class-mismatch | unregistered | non-standard | deprecated | provider-deviation | guessed | no-code
    message: Text

    def __init__(self, kind: str, message: Text) -> None:
        _set(self, "kind", kind)
        _set(self, "message", message)


class Step(Frozen):
    """One rule that fired, in order: what it is, what it concluded, and the file it comes from."""

    __slots__ = ("rule", "detail", "source")
    _fields = __slots__
    rule: str  # parse | record | provider | signature | text-rule | enhanced-code | basic-code | class | status
    detail: Text
    source: str | None

    def __init__(self, rule: str, detail: Text, source: str | None = None) -> None:
        _set(self, "rule", rule)
        _set(self, "detail", detail)
        _set(self, "source", source)


class Verdict(Frozen):
    __slots__ = ("outcome", "permanent", "bounce", "reason", "reason_label", "retry", "schedule_minutes",
                 "max_attempts", "give_up_after_hours", "actors", "log_level", "remedy")
    _fields = ("outcome", "reason", "retry")
    outcome: str  # success | intermediate | transient | permanent | unknown
    permanent: bool | None
    bounce: str  # hard | soft | none | unknown
    reason: str
    reason_label: Text
    retry: str  # retry | retry-after-fix | do-not-retry | not-applicable
    schedule_minutes: tuple[int, ...]
    max_attempts: int | None
    give_up_after_hours: int | None
    actors: tuple[str, ...]
    log_level: str
    remedy: Text | None

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    def as_dict(self) -> dict:
        out = {f: getattr(self, f) for f in self.__slots__}
        out["reason_label"] = self.reason_label.as_dict()
        out["remedy"] = self.remedy.as_dict() if self.remedy else None
        out["schedule_minutes"], out["actors"] = list(self.schedule_minutes), list(self.actors)
        return out


class Explanation(Frozen):
    __slots__ = ("input", "reply", "basic", "enhanced", "provider", "signature", "findings", "verdict", "why")
    _fields = ("reply", "verdict")
    input: str
    reply: Reply
    basic: Record | None
    enhanced: Record | None
    provider: Provider | None
    signature: Signature | None
    findings: tuple[Finding, ...]
    verdict: Verdict
    why: tuple[Step, ...]

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    @property
    def anatomy(self) -> tuple[Part, ...]:
        """What each part of the codes says (basic code first); built on first use, from codes/structure.yaml."""
        import kb

        return tuple(p for code in (self.reply.basic, self.reply.enhanced) if code for p in kb.anatomy(code))

    @property
    def code(self) -> str | None:
        """The most specific code read: the enhanced one if present, else the basic one."""
        return self.reply.enhanced or self.reply.basic

    def as_dict(self) -> dict:
        rec = lambda r: None if r is None else {"code": r.code, "key": r.key, "status": r.status, "title": r.title.as_dict()}
        return {
            "input": self.input,
            "reply": self.reply.as_dict(),
            "basic": rec(self.basic),
            "enhanced": rec(self.enhanced),
            "provider": None if self.provider is None else {"id": self.provider.id, "name": self.provider.name},
            "signature": None if self.signature is None else self.signature.id,
            "findings": [{"kind": f.kind, "message": f.message.as_dict()} for f in self.findings],
            "verdict": self.verdict.as_dict(),
            "why": [{"rule": s.rule, "detail": s.detail.as_dict(), "source": s.source} for s in self.why],
        }


def _t(en: str, de: str) -> Text:
    return Text(en, de)


def _quote(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"




class _Matchers:
    """Recognising a provider and picking a signature needs only patterns and codes. The index header
    carries exactly that (store._matcher), so a cold explain decodes no provider file except the one
    that matches."""

    def __init__(self, table: list) -> None:
        self.providers = []  # (id, kind, domains, host patterns)
        self.signatures: dict[str, list] = {}  # id -> [(index, codes, enhanced, pattern)]
        for pid, kind, domains, hosts, sigs in table:
            self.providers.append((pid, kind, tuple(domains), tuple(LazyRegex(p, re.I, a) for p, a in hosts)))
            self.signatures[pid] = [(i, tuple(c), tuple(e), LazyRegex(p, re.I, a)) for i, (c, e, p, a) in enumerate(sigs)]
        self.candidates: dict[tuple, tuple] = {}

    def candidates_for(self, provider_id: str | None, basic: str | None, enhanced: str | None) -> tuple:
        """(provider id, index, pattern) of every signature whose codes fit, the recognised provider's
        first; memoised, since logs repeat the same codes."""
        key = (provider_id, basic, enhanced)
        hit = self.candidates.get(key)
        if hit is None:
            coded = bool(basic or enhanced)
            order = [p[0] for p in self.providers if p[0] == provider_id] + [p[0] for p in self.providers if p[0] != provider_id]
            hit = tuple((pid, i, rx) for pid in order for i, codes, enh, rx in self.signatures[pid]
                        if not (basic and codes and basic not in codes)
                        and not (enhanced and enh and enhanced not in enh)
                        # text without a code matches only signatures that name no code (MTA log phrasings)
                        and (coded or not (codes or enh)))
            if len(self.candidates) > 4096:
                self.candidates.clear()
            self.candidates[key] = hit
        return hit


def _matchers() -> _Matchers:
    import kb

    return kb.database().memo("explainer.matchers", lambda db: _Matchers(db.index.matchers()))


def _find_provider(reply: Reply, m: _Matchers) -> tuple[str | None, str | None]:
    """(provider id, how it was recognised: "marker:<text>" / "domain" / "format")."""
    texts = tuple((t, t.lower()) for t in (reply.host, reply.text) if t)
    domain = reply.domain
    for pid, kind, domains, hosts in m.providers:
        if kind != "mailbox-provider":
            continue
        for rx in hosts:  # LazyRegex: most texts are ruled out by a substring check
            for t, folded in texts:
                found = rx.search(t, folded)
                if found:
                    return pid, "marker:" + found.group(0)
        if domain and any(domain == d or domain.endswith("." + d) for d in domains):
            return pid, "domain"
    if reply.mta:
        for pid, kind, _, _ in m.providers:
            if pid == reply.mta or (kind == "mta" and pid.startswith(reply.mta)):
                return pid, "format"
    return None, None


def _find_signature(reply: Reply, provider_id: str | None, m: _Matchers) -> tuple[Signature | None, str | None]:
    if not reply.text:
        return None, None
    import kb

    folded = reply.text.lower()
    for pid, i, rx in m.candidates_for(provider_id, reply.basic, reply.enhanced):
        found = rx.search(reply.text, folded)
        if found:
            return kb.provider(pid).signatures[i], found.group(0)
    return None, None


def explain(text: str | bytes) -> Explanation:
    import kb

    raw = text.decode("utf-8", "replace") if isinstance(text, (bytes, bytearray)) else str(text)
    reply = parse(raw)
    why: list[Step] = []
    findings: list[Finding] = []
    codes_read = ", ".join(c for c in (reply.basic, reply.enhanced) if c) or "no code"
    why.append(Step("parse", _t(f"read as {reply.form}: {codes_read}", f"gelesen als {reply.form}: {codes_read}")))
    if reply.guessed:
        findings.append(Finding("guessed", _t(
            "The code was picked out of free text; check that it is the server's reply code.",
            "Der Code wurde aus freiem Text herausgelesen; prüfen Sie, ob es der Antwortcode des Servers ist.")))

    basic = kb.get(reply.basic) if reply.basic else None
    enhanced = kb.get(reply.enhanced) if reply.enhanced else None
    for code, rec in ((reply.basic, basic), (reply.enhanced, enhanced)):
        if not code:
            continue
        if rec is None:
            findings.append(Finding("unregistered", _t(
                f"{code} has no record and is not registered; it is explained by its structure only.",
                f"{code} hat keinen Eintrag und ist nicht registriert; erklärt wird nur sein Aufbau.")))
            continue
        why.append(Step("record", _t(f"{code}: {rec.title.en}", f"{code}: {rec.title.de}"), rec.source))
        if rec.status == "non-standard":
            findings.append(Finding("non-standard", _t(
                f"{code} is not defined by any RFC; its meaning varies between servers.",
                f"{code} ist in keinem RFC definiert; die Bedeutung schwankt je nach Server.")))
        elif rec.status == "deprecated":
            repl = f" (use {rec.replaced_by})" if rec.replaced_by else ""
            repl_de = f" (stattdessen {rec.replaced_by})" if rec.replaced_by else ""
            findings.append(Finding("deprecated", _t(f"{code} is deprecated{repl}.", f"{code} ist veraltet{repl_de}.")))
    if reply.basic and reply.enhanced and reply.basic[0] != reply.enhanced[0]:
        findings.append(Finding("class-mismatch", _t(
            f"The enhanced class {reply.enhanced[0]} disagrees with the basic class {reply.basic[0]}; "
            f"the basic code decides what the client does.",
            f"Die erweiterte Klasse {reply.enhanced[0]} widerspricht der Basisklasse {reply.basic[0]}; "
            f"was der Client tut, entscheidet der Basiscode.")))
    if not reply.basic and not reply.enhanced:
        findings.append(Finding("no-code", _t(
            "No SMTP reply code was found in the input.", "In der Eingabe wurde kein SMTP-Antwortcode gefunden.")))

    matchers = _matchers()
    provider_id, how = _find_provider(reply, matchers)
    provider = kb.provider(provider_id) if provider_id else None
    if provider is not None:
        name = provider.name
        if how.startswith("marker:"):
            marker = how[len("marker:"):]
            detail = _t(f"{name}: “{marker}” in the reply or host name", f"{name}: „{marker}“ in Antwort oder Hostname")
        elif how == "domain":
            detail = _t(f"{name}: recipient domain {reply.domain}", f"{name}: Empfängerdomain {reply.domain}")
        else:
            detail = _t(f"{name}: the input is in its log or report format",
                        f"{name}: Die Eingabe hat sein Log- bzw. Berichtsformat")
        why.append(Step("provider", detail, provider.source))
    signature, matched = _find_signature(reply, provider_id, matchers)

    # The reason: signature, then text, then enhanced code, then basic code, then class.
    reason = None
    if signature:
        reason = signature.reason
        why.append(Step("signature", _t(
            f"{signature.provider}/{signature.id} matched “{_quote(matched)}” → {reason}",
            f"{signature.provider}/{signature.id} passt auf „{_quote(matched)}“ → {reason}"), kb.provider(signature.provider).source))
        d = signature.deviation
        if d is not None and d.code in (reply.basic, reply.enhanced):  # only when the reply carries that code
            name = kb.provider(signature.provider).name
            findings.append(Finding("provider-deviation", _t(
                f"{name} uses {d.code} for: {d.provider_meaning.en} Registry meaning: {d.registry_meaning.en}",
                f"{name} verwendet {d.code} für: {d.provider_meaning.de} Bedeutung laut Register: {d.registry_meaning.de}")))
    code_reason = None
    if reply.enhanced:
        code_reason = _reasons.from_enhanced(_codes.generic(reply.enhanced))
    # an "other or undefined" enhanced code (x.y.0) says less than a specific basic code: 421 4.7.0
    if reply.basic and (code_reason is None or reply.enhanced.endswith(".0")):
        code_reason = _reasons.BASIC_REASON.get(reply.basic) or code_reason
    if reason is None and reply.text:
        hit = _reasons.from_text(reply.text)
        if hit:
            reason = hit[0]
            more = ""
            if code_reason and code_reason != reason:
                more = f"; the text is more specific than the code ({code_reason}), so the text wins"
            why.append(Step("text-rule", _t(
                f"the text says “{_quote(hit[1])}” → {reason}{more}",
                f"der Text sagt „{_quote(hit[1])}“ → {reason}" + ("; der Text ist genauer als der Code "
                                                                      f"({code_reason}) und gewinnt" if more else "")),
                "kb/reasons.py"))
    if reason is None and code_reason:
        reason = code_reason
        by_basic = bool(reply.basic) and _reasons.BASIC_REASON.get(reply.basic) == code_reason
        rule, which = ("basic-code", reply.basic) if by_basic else ("enhanced-code", reply.enhanced)
        why.append(Step(rule, _t(f"{which} → {reason}", f"{which} → {reason}"), "kb/reasons.py"))

    klass = (reply.basic or reply.enhanced or " ")[0]
    outcome = OUTCOME_OF_CLASS.get(klass, "unknown")
    status_said = reply.dsn_action or reply.delivery_status
    if status_said in ("failed", "bounced", "expired", "undeliverable") and outcome != "permanent":
        outcome = "permanent"
        why.append(Step("status", _t(f"the report says {status_said}: the message was returned",
                                      f"der Bericht sagt {status_said}: die Nachricht ging zurück")))
    elif status_said in ("delayed", "deferred") and outcome != "transient":
        outcome = "transient"
        why.append(Step("status", _t(f"the report says {status_said}: the message is still queued",
                                      f"der Bericht sagt {status_said}: die Nachricht liegt noch in der Queue")))
    if signature and signature.permanent is not None and outcome in ("transient", "permanent"):
        forced = "permanent" if signature.permanent else "transient"
        if forced != outcome:
            why.append(Step("signature", _t(f"{signature.provider} treats this as {forced}",
                                             f"{signature.provider} behandelt das als {forced}")))
            outcome = forced
    if reason is None:
        reason = "success" if outcome == "success" else "unknown"
        why.append(Step("class", _t(f"class {klass.strip() or '?'} → {reason}", f"Klasse {klass.strip() or '?'} → {reason}")))

    record = enhanced if enhanced is not None and enhanced.retry is not None else basic
    retry = record.retry if record is not None else None
    if outcome in ("success", "intermediate"):
        decision, schedule, attempts, give_up, level = "not-applicable", (), None, None, "info"
    elif outcome == "transient":
        decision = "retry"
        schedule = retry.schedule_minutes if retry and retry.schedule_minutes else (1, 2, 4, 8, 16)
        attempts = retry.max_attempts if retry else None
        give_up = (retry.give_up_after_hours if retry else None) or 120
        level = "warning"
    elif outcome == "permanent":
        decision = retry.decision if retry and retry.decision in ("do-not-retry", "retry-after-fix") else "do-not-retry"
        schedule, attempts, give_up, level = (), None, None, "error"
    else:
        decision, schedule, attempts, give_up, level = "retry-after-fix", (), None, None, "warning"
    bounce = {"permanent": "hard", "transient": "soft", "success": "none", "intermediate": "none"}.get(outcome, "unknown")
    actors = signature.actors if signature else _reasons.actors(reason)
    remedy = signature.remedy if signature else None
    if remedy is None and record is not None and record.remedies:
        remedy = record.remedies[0].title
    verdict = Verdict(outcome=outcome, permanent={"permanent": True, "transient": False}.get(outcome), bounce=bounce,
                      reason=reason, reason_label=_reasons.label(reason), retry=decision, schedule_minutes=tuple(schedule),
                      max_attempts=attempts, give_up_after_hours=give_up, actors=tuple(actors), log_level=level, remedy=remedy)
    return Explanation(input=raw[:2000], reply=reply, basic=basic, enhanced=enhanced, provider=provider,
                       signature=signature, findings=tuple(findings), verdict=verdict, why=tuple(why))
