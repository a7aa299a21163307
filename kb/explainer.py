"""The explainer: from a pasted reply, DSN or log line to a verdict, with the reasons why.

Every surface (CLI, terminal browser, site, library users) calls ``explain``; see kb/reasons.py for the
reason taxonomy and the order in which a reason is decided.
"""

import re
from functools import lru_cache

from . import reasons as _reasons
from . import syntax as _codes
from .model import Frozen, Record, Text, _set, assign
from .regex import LazyRegex
from .reply import Reply, nested, parse
from .texts import OUTCOME_OF_CLASS
from .texts import say as _say

# Most steps say the same few things ("read as a DSN group: 550, 5.1.1"): each text is built once. Bounded;
# typed, so that 1 and True stay apart. A Text is immutable, so one can be shared.
_said = lru_cache(maxsize=2048, typed=True)(_say)


def say(key: str, **values: object) -> Text:
    try:
        return _said(key, **values)
    except TypeError:  # a value that cannot be a key (none today): built each time
        return _say(key, **values)


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
    """What to do. ``outcome`` is about this message (transient: still queued, permanent: returned);
    ``bounce`` and ``suppress`` are about the address: ``hard`` / ``suppress=True`` only when the recipient
    address itself cannot receive mail (an address-level reason in codes/reasons.yaml, read from specific
    evidence); a permanent failure the sender or an operator must fix is ``soft`` with ``suppress=False``;
    ``bounce="unknown"`` with ``suppress=None`` says the input does not tell."""

    __slots__ = ("outcome", "permanent", "bounce", "suppress", "reason", "reason_label", "fix", "retry",
                 "schedule_minutes", "max_attempts", "give_up_after_hours", "plans", "slow_down", "actors",
                 "log_level", "remedy", "remedies", "facts", "crosswalk")
    _fields = ("outcome", "reason", "retry")
    outcome: str  # success | intermediate | transient | permanent | unknown
    permanent: bool | None
    bounce: str  # hard | soft | none | unknown
    suppress: bool | None  # remove the address from lists; None: the input does not tell
    reason: str
    reason_label: Text
    fix: Text | None  # who must fix what (codes/reasons.yaml)
    retry: str  # retry | retry-after-fix | do-not-retry | not-applicable
    schedule_minutes: tuple[int, ...]  # the mail server queue's plan (role mta-queue)
    max_attempts: int | None
    give_up_after_hours: int | None
    plans: tuple[dict, ...]  # retry plans by role: {role, title, schedule_minutes, ..., source}
    slow_down: bool  # a rate or reputation deferral: send less, do not retry faster
    actors: tuple[str, ...]
    log_level: str
    remedy: Text | None  # the first of ``remedies``
    remedies: tuple[Text, ...]  # the signature's, then the codes' records', then the reason's fix
    facts: tuple[Text, ...]  # read from the input: IP address, domain, which checks failed, inner reply
    crosswalk: dict  # the reason in other tools' vocabularies (codes/reasons.yaml)

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    def as_dict(self) -> dict:
        out = {f: getattr(self, f) for f in self.__slots__}
        out["reason_label"] = self.reason_label.as_dict()
        out["fix"] = self.fix.as_dict() if self.fix else None
        out["remedy"] = self.remedy.as_dict() if self.remedy else None
        out["remedies"] = [r.as_dict() for r in self.remedies]
        out["facts"] = [f.as_dict() for f in self.facts]
        out["plans"] = [dict(p) for p in self.plans]
        out["crosswalk"] = {k: dict(v) for k, v in self.crosswalk.items()}
        out["schedule_minutes"], out["actors"] = list(self.schedule_minutes), list(self.actors)
        return out


class Explanation(Frozen):
    __slots__ = ("input", "reply", "basic", "enhanced", "provider", "signature", "findings", "verdict", "why")
    _fields = ("reply", "verdict")
    input: str
    reply: Reply
    basic: Record | None
    enhanced: Record | None
    provider: "Provider | None"
    signature: "Signature | None"
    findings: tuple[Finding, ...]
    verdict: Verdict
    why: tuple[Step, ...]

    def __init__(self, **kw: object) -> None:
        assign(self, kw)

    @property
    def anatomy(self) -> "tuple[Part, ...]":
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


def _same(s: str) -> Text:
    """A step that reads the same in both languages (codes, reasons and arrows only)."""
    return Text(s, s)


def _quote(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"




class _Prefilter:
    """Which of many case-insensitive LazyRegex patterns can match a text, decided with one pass over
    their literals. A LazyRegex answers None unless one of its literals occurs in the folded text (its
    literal alternatives, or the substrings every match contains: kb/literals.py), so a pattern none
    of whose literals occurs is not tried: the answers are those of trying each pattern in turn."""

    __slots__ = ("always", "keys")

    def __init__(self, always: list[int], keys: list) -> None:
        """``always``: the patterns tried whatever the text; ``keys``: [literal, [patterns]] (see ``table``)."""
        self.always = frozenset(always)
        self.keys = keys

    @staticmethod
    def table(literals: list) -> tuple[list[int], list]:
        """(always, keys) for patterns whose literals are ``literals[i]``, lower-case (empty or None: none)."""
        by_literal: dict[str, list[int]] = {}
        for i, lits in enumerate(literals):
            for lit in lits or ():
                by_literal.setdefault(lit, []).append(i)
        return [i for i, lits in enumerate(literals) if not lits], [[lit, ids] for lit, ids in by_literal.items()]

    def possible(self, folded: str) -> set[int]:
        out = set(self.always)
        for lit, ids in self.keys:
            if lit in folded:
                out.update(ids)
        return out


def _literals(pattern: str, analysis: list | tuple | None) -> tuple[str, ...] | None:
    """The literals LazyRegex(pattern, re.I, analysis) checks before it runs the engine (None: none)."""
    if analysis is None:
        from .literals import analyse

        analysis = analyse(pattern, re.I)
    lits, req = analysis
    return tuple(lits) if lits else tuple(req) if req else None


def prepare_matchers(table: list) -> tuple[dict, list]:
    """What ``_Matchers`` reads, worked out when the index is compiled from compiler._matcher's rows: the
    providers' kinds, the domains of mailbox providers, the marker signatures and the host patterns'
    prefilter; and apart, the host patterns in the order they are tried (mailbox providers first: they say
    more than the MTA software), decoded only when a literal of one occurs in a text."""
    hosts = [[pid, p, a] for kinds in (("mailbox-provider",), ("mta",))
             for pid, kind, _, patterns, _ in table if kind in kinds for p, a in patterns]
    return {"kinds": {pid: kind for pid, kind, _, _, _ in table},
            "domains": {d: pid for pid, kind, domains, _, _ in table if kind == "mailbox-provider" for d in domains},
            "markers": {pid: markers for pid, _, _, _, markers in table if markers},  # [[index, codes, enhanced, pattern, shortcuts]]
            "host_filter": _Prefilter.table([_literals(p, a) for _, p, a in hosts])}, hosts


class _Matchers:
    """Recognising a provider and picking a signature needs only patterns and codes. The index carries
    exactly that (prepare_matchers), and each provider's signatures in a document read once that provider is
    recognised. A pattern becomes a LazyRegex only when its literals occur in a text: most are never tried."""

    def __init__(self, prepared: dict, hosts_of, signatures_of) -> None:
        """``hosts_of()``: the host patterns; ``signatures_of(provider id)``: that provider's signatures
        (compiler._signatures)."""
        self.kinds: dict[str, str] = prepared["kinds"]  # provider id -> kind, in the order of their ids
        self.domain_owner: dict[str, str] = prepared["domains"]
        self.markers: dict[str, list] = prepared["markers"]
        self.host_filter = _Prefilter(*prepared["host_filter"])
        self._hosts_of, self._hosts = hosts_of, None
        self._signatures_of = signatures_of
        self._signatures: dict[str, list] = {}  # provider id -> its signatures, read when it is recognised
        self._regexes: dict[tuple, LazyRegex] = {}  # ("host", i) or (provider id, i) -> its LazyRegex
        self.candidates: dict[tuple, tuple] = {}

    def regex(self, key: tuple, pattern: str, analysis: list | None) -> LazyRegex:
        rx = self._regexes.get(key)
        if rx is None:
            rx = self._regexes[key] = LazyRegex(pattern, re.I, analysis)
        return rx

    def host_regex(self, i: int) -> tuple[str, LazyRegex]:
        """(provider id, LazyRegex) of host pattern ``i`` (in the order of prepare_matchers)."""
        hosts = self._hosts
        if hosts is None:
            hosts = self._hosts = self._hosts_of()
        pid, pattern, analysis = hosts[i]
        return pid, self.regex(("host", i), pattern, analysis)

    def candidates_for(self, provider_id: str | None, basic: str | None, enhanced: str | None) -> tuple:
        """((provider id, index, pattern, shortcuts) of every signature that may apply: the recognised
        provider's, then the marker signatures of the others (their pattern names the provider); only those
        whose codes fit; and the prefilter over their literals). Memoised, bounded: logs repeat the same codes."""
        key = (provider_id, basic, enhanced)
        hit = self.candidates.get(key)
        if hit is None:
            coded = bool(basic or enhanced)
            own: list = []
            if provider_id is not None and provider_id in self.kinds:
                sigs = self._signatures.get(provider_id)
                if sigs is None:
                    sigs = self._signatures[provider_id] = self._signatures_of(provider_id)
                own = [(provider_id, i, *sig) for i, sig in enumerate(sigs)]
            others = [(pid, *marker) for pid, markers in self.markers.items() if pid != provider_id for marker in markers]
            fit = tuple((pid, i, pattern, analysis) for pid, i, codes, enh, pattern, analysis in own + others
                        if not (basic and codes and basic not in codes)
                        and not (enhanced and enh and enhanced not in enh)
                        # text without a code matches only signatures that name no code (MTA log phrasings)
                        and (coded or not (codes or enh)))
            hit = (fit, _Prefilter(*_Prefilter.table([_literals(pattern, analysis) for _, _, pattern, analysis in fit])))
            if len(self.candidates) > 4096:
                self.candidates.clear()
            self.candidates[key] = hit
        return hit


def _matchers() -> _Matchers:
    import kb

    def build(db) -> _Matchers:
        return _Matchers(db.read(lambda idx: idx.matchers()), lambda: db.read(lambda idx: idx.hosts()),
                         lambda pid: db.read(lambda idx: idx.provider_signatures(pid)))

    return kb.database().memo("explainer.matchers", build)


def _find_provider(reply: Reply, m: _Matchers, hint: str | None = None) -> tuple[str | None, str | None]:
    """(provider id, how it was recognised: "marker:<text>" / "domain" / "format" / "given")."""
    if hint is not None and hint in m.kinds:
        return hint, "given"
    texts = tuple((t, t.lower()) for t in (reply.host, reply.text) if t)
    if texts:
        # in the order of the host patterns (prepare_matchers), each on the host, then on the text; only the
        # patterns whose literals occur in one of them can match (a NUL, in no literal, keeps the texts apart)
        possible = m.host_filter.possible("\0".join(folded for _, folded in texts))
        for i in sorted(possible):
            pid, rx = m.host_regex(i)
            for t, folded in texts:
                found = rx.search(t, folded)
                if found:
                    return pid, "marker:" + found.group(0)
    domain = reply.domain
    while domain:  # the domain or a parent of it (mail.example.co.uk -> example.co.uk -> co.uk)
        owner = m.domain_owner.get(domain)
        if owner is not None:
            return owner, "domain"
        domain = domain.partition(".")[2]
    if reply.mta:
        for pid, kind in m.kinds.items():
            if pid == reply.mta or (kind == "mta" and pid.startswith(reply.mta)):
                return pid, "format"
    return None, None


def _find_signature(text: str, basic: str | None, enhanced: str | None, provider_id: str | None,
                    m: _Matchers) -> "tuple[Signature | None, str | None]":
    if not text:
        return None, None
    import kb

    folded = text.lower()
    sigs, prefilter = m.candidates_for(provider_id, basic, enhanced)
    for n in sorted(prefilter.possible(folded)):  # in their order; the others cannot match
        pid, i, pattern, analysis = sigs[n]
        found = m.regex((pid, i), pattern, analysis).search(text, folded)
        if found:
            return kb.provider(pid).signatures[i], found.group(0)
    return None, None


# Facts worth quoting back: the sending IP a receiver names, and which authentication check failed.
# Bounded pieces only, so each search is linear in the text.
_IPV4 = LazyRegex(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")
_CHECK = LazyRegex(r"\b(SPF|DKIM|DMARC|ARC)\b[^.;\n]{0,40}?\b(did ?n[o']t pass|not pass|fail(?:ed|s|ure)?|hard ?fail|softfail|"
                   r"permerror|temperror|none)\b", re.I)
_CHECK_DOMAIN = LazyRegex(r"\b(?:for|from|of) ([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})\b")


def _facts(reply: Reply, inner: tuple | None, low: str) -> list[Text]:
    facts: list[Text] = []
    ip = reply.ip
    if not ip and reply.text and reply.text.count(".") >= 3:  # no compile for a text that cannot hold one
        found = _IPV4.search(reply.text)
        ip = found.group(1) if found else None
    if ip:
        facts.append(say("seen.ip", ip=ip))
    if reply.domain:
        facts.append(say("seen.domain", domain=reply.domain))
    if reply.command:
        facts.append(say("seen.command", command=reply.command))
    text = reply.text or ""
    failed: list[str] = []
    checks = ("spf" in low or "dkim" in low or "dmarc" in low or "arc" in low) and _CHECK.rx.finditer(text[:4000])
    for m in checks or ():
        name = m.group(1).upper()
        if name not in failed:
            failed.append(name)
    if failed:
        where = _CHECK_DOMAIN.search(text[:4000])
        each = [say("seen.check_failed", check=n) for n in failed]
        did_not_pass = Text(", ".join(t.en for t in each), ", ".join(t.de for t in each))
        facts.append(say("seen.checks_for", checks=did_not_pass, domain=where.group(1)) if where else did_not_pass)
    if inner is not None:
        codes = " ".join(c for c in inner[:2] if c)
        facts.append(say("seen.inner_reply", reply=f"{codes} {_quote(inner[2])}".rstrip()))
    return facts


def _plans(record: Record | None, slow_down: bool) -> tuple[list[dict], tuple, int | None, int | None]:
    """Retry plans by role for a transient failure: the mail server queue (the record's schedule, else
    the profile's) and an application submitting through a relay (codes/retry.yaml)."""
    import kb

    def read(db) -> dict:  # the decoded table, not kb.table's read-only deep copy: only read here, and copied out
        return db.read(lambda idx: idx.table("retry")) if "retry" in db.index.table_names() else {}

    profiles = kb.database().memo("explainer.retry", read)
    queue = profiles.get("profiles", {}).get("mta-queue") if profiles else None
    app = profiles.get("profiles", {}).get("application") if profiles else None
    retry = record.retry if record is not None else None
    schedule = tuple(retry.schedule_minutes) if retry and retry.schedule_minutes else tuple(queue["schedule_minutes"]) if queue else ()
    give_up = (retry.give_up_after_hours if retry else None) or (queue.get("give_up_after_hours") if queue else None)
    attempts = retry.max_attempts if retry else None
    plans: list[dict] = []

    def src(profile) -> str:
        return "; ".join(x["title"] for x in profile.get("sources", ()))

    plans.append({"role": "mta-queue", "schedule_minutes": list(schedule), "give_up_after_hours": give_up,
                  "source": (record.source if retry and retry.schedule_minutes and record is not None else None)
                  or (src(queue) if queue else "RFC 5321 §4.5.4.1")})
    if app:
        plans.append({"role": "application", "schedule_minutes": list(app["schedule_minutes"]),
                      "attempts": dict(app["attempts"]) if "attempts" in app else None, "source": src(app)})
    if slow_down:
        plans.append({"role": "slow-down", "source": src(profiles["slow_down"]) if profiles and "slow_down" in profiles
                      else "codes/reasons.yaml"})
    return plans, schedule, attempts, give_up


def explain(text: str | bytes, provider: str | None = None) -> Explanation:
    """Explain ``text``. ``provider`` (an id such as ``"gmail"`` or ``"postfix"``) says where the input
    comes from when the caller knows it; otherwise it is recognised from hosts, domains and markers."""
    import kb

    raw = text.decode("utf-8", "replace") if isinstance(text, (bytes, bytearray)) else str(text)
    reply = parse(raw)
    tax = _reasons.taxonomy()
    why: list[Step] = []
    findings: list[Finding] = []
    codes_read = ", ".join(c for c in (reply.basic, reply.enhanced) if c) or say("why.no_code")
    why.append(Step("parse", say("why.parse_stage", form=reply.form, codes=codes_read, command=reply.command) if reply.command
                    else say("why.parse", form=reply.form, codes=codes_read)))
    if reply.guessed:
        findings.append(Finding("guessed", say("finding.guessed")))

    basic = kb.get(reply.basic) if reply.basic else None
    enhanced = kb.get(reply.enhanced) if reply.enhanced else None
    record_steps = kb.database().memo("explainer.record_steps", lambda db: {})  # code -> its step, shared
    for code, rec in ((reply.basic, basic), (reply.enhanced, enhanced)):
        if not code:
            continue
        if rec is None:
            findings.append(Finding("unregistered", say("finding.unregistered", code=code)))
            continue
        step = record_steps.get(code)
        if step is None:
            if len(record_steps) >= 4096:  # only codes with a record get here (3 spellings each): never, in fact
                record_steps.clear()
            step = record_steps[code] = Step("record", Text(f"{code}: {rec.title.en}", f"{code}: {rec.title.de}"),
                                             rec.source)
        why.append(step)
        if rec.status == "non-standard":
            findings.append(Finding("non-standard", say("finding.non_standard", code=code)))
        elif rec.status == "deprecated":
            findings.append(Finding("deprecated", say("finding.deprecated_use", code=code, replacement=rec.replaced_by)
                                    if rec.replaced_by else say("finding.deprecated", code=code)))
    if reply.basic and reply.enhanced and reply.basic[0] != reply.enhanced[0]:
        findings.append(Finding("class-mismatch", say("finding.class_mismatch", enhanced=reply.enhanced[0],
                                                      basic=reply.basic[0])))
    if not reply.basic and not reply.enhanced:
        findings.append(Finding("no-code", say("finding.no_code")))

    matchers = _matchers()
    provider_id, how = _find_provider(reply, matchers, provider)
    signature, matched = _find_signature(reply.text, reply.basic, reply.enhanced, provider_id, matchers)
    if signature is not None and signature.provider != provider_id:
        # a marker signature: its own pattern names the provider (an MTA's wording behind a recognised
        # mailbox provider leaves that provider in place)
        kinds = matchers.kinds
        if provider_id is None or kinds.get(provider_id) == "mta" or kinds.get(signature.provider) != "mta":
            provider_id, how = signature.provider, "marker:" + (matched or "")
    provider_rec = kb.provider(provider_id) if provider_id else None
    if provider_rec is not None:
        name, how = provider_rec.name, how or ""
        if how.startswith("marker:"):
            marker = _quote(how[len("marker:"):])
            detail = say("why.provider_marker", name=name, marker=marker)
        elif how == "domain":
            detail = say("why.provider_domain", name=name, domain=reply.domain)
        elif how == "given":
            detail = say("why.provider_given", name=name)
        else:
            detail = say("why.provider_format", name=name)
        why.append(Step("provider", detail, provider_rec.source))

    inner = nested(reply)
    low = reply.text.lower() if reply.text else ""

    # The reason and how strong its evidence is (codes/reasons.yaml says the order).
    reason, evidence = None, None
    if signature:
        reason, evidence = signature.reason, "signature"
        why.append(Step("signature", say("why.signature", signature=f"{signature.provider}/{signature.id}",
                                         quote=_quote(matched or ''), reason=reason), kb.provider(signature.provider).source))
        d = signature.deviation
        if d is not None and d.code in (reply.basic, reply.enhanced):  # only when the reply carries that code
            name = kb.provider(signature.provider).name
            findings.append(Finding("provider-deviation", say("finding.provider_deviation", name=name, code=d.code,
                                                              provider_meaning=d.provider_meaning,
                                                              registry_meaning=d.registry_meaning)))
    enh_reason = tax.from_enhanced(_codes.generic(reply.enhanced)) if reply.enhanced else None
    specific_code = bool(reply.enhanced and not reply.enhanced.endswith(".0")) and enh_reason is not None
    basic_reason = tax.basic.get(reply.basic) if reply.basic else None
    if basic_reason == "system" and enh_reason not in (None, "unknown", "system"):
        basic_reason = None  # 421/451 say only "not now"; even an x.y.0 subject (4.7.0: policy) says more
    if reason is None and low:
        hit = tax.from_text(low)
        if hit:
            reason, evidence = hit[0], "text"
            code_reason = enh_reason if specific_code else (basic_reason or enh_reason)
            wins = code_reason and code_reason != reason
            why.append(Step("text-rule", say("why.text_wins" if wins else "why.text_rule", quote=_quote(hit[1]),
                                             reason=reason, code_reason=code_reason), _reasons.SOURCE))
    if reason is None and specific_code:
        reason, evidence = enh_reason, "code"
        why.append(Step("enhanced-code", _same(f"{reply.enhanced} → {reason}"), _reasons.SOURCE))
    if reason is None and inner is not None:
        in_enh = tax.from_enhanced(_codes.generic(inner[1])) if inner[1] else None
        in_hit = tax.from_text(inner[2].lower()) if inner[2] else None
        in_reason = (in_hit[0] if in_hit else None) or (in_enh if inner[1] and not inner[1].endswith(".0") else None)
        if in_reason:
            reason, evidence = in_reason, "code"
            codes = " ".join(c for c in inner[:2] if c)
            why.append(Step("inner-reply", say("why.inner_reply", codes=codes, reason=reason),
                            _reasons.SOURCE))
    if reason is None and (basic_reason or enh_reason):
        reason, evidence = basic_reason or enh_reason, "weak"
        which = reply.basic if basic_reason else reply.enhanced
        why.append(Step("basic-code" if basic_reason else "enhanced-code", _same(f"{which} → {reason}"),
                        _reasons.SOURCE))
    if reason is None and low:
        hit = tax.from_text(low, "weak")
        if hit:
            reason, evidence = hit[0], "weak"
            why.append(Step("text-rule", say("why.stock_wording", quote=_quote(hit[1]), reason=reason), _reasons.SOURCE))
    if reply.command and evidence in ("weak", None):
        staged = tax.stage_rules.get((reply.command, reason or "unknown"))
        if staged:
            why.append(Step("stage", say("why.stage", command=reply.command, reason=reason or say("why.general_refusal"),
                                         staged=staged), _reasons.SOURCE))
            reason = staged
    if reason == "expired" and inner is not None:
        cause = tax.from_text(inner[2].lower()) if inner[2] else None
        cause_reason = cause[0] if cause else (tax.from_enhanced(_codes.generic(inner[1])) if inner[1] else None)
        if cause_reason and cause_reason != "expired":
            why.append(Step("inner-reply", say("why.last_error", codes=" ".join(c for c in inner[:2] if c),
                                               reason=cause_reason), _reasons.SOURCE))

    klass = (reply.basic or reply.enhanced or " ")[0]
    outcome = OUTCOME_OF_CLASS.get(klass, "unknown")
    status_said = reply.dsn_action or reply.delivery_status
    if status_said in ("failed", "bounced", "expired", "undeliverable") and outcome != "permanent":
        outcome = "permanent"
        why.append(Step("status", say("why.returned", said=status_said)))
    elif status_said in ("delayed", "deferred") and outcome != "transient":
        outcome = "transient"
        why.append(Step("status", say("why.queued", said=status_said)))
    if outcome == "unknown" and low:
        hint = tax.outcome_hint(low)
        if hint:
            outcome = hint[0]
            why.append(Step("class", say("why.outcome_hint", quote=hint[1], outcome=outcome), _reasons.SOURCE))
    if signature and signature.permanent is not None and outcome in ("transient", "permanent"):
        forced = "permanent" if signature.permanent else "transient"
        if forced != outcome:
            why.append(Step("signature", say("why.provider_treats", provider=signature.provider, outcome=forced)))
            outcome = forced
    if reason is None:
        reason = "success" if outcome == "success" else "unknown"
        why.append(Step("class", say("why.class", klass=klass.strip() or "?", reason=reason)))

    # The address: hard only for an address-level reason read from specific evidence.
    if reason in tax.not_a_bounce or outcome in ("success", "intermediate"):
        bounce, suppress = "none", reason == "feedback-report"  # a complaint: stop mailing the person
    elif outcome == "transient":
        bounce, suppress = "soft", False
    elif outcome == "permanent" and reason in tax.address_level and evidence != "weak":
        bounce, suppress = "hard", True
    elif outcome in ("permanent", "unknown") and reason not in tax.address_level and reason != "unknown":
        bounce, suppress = "soft", False  # whatever became of this message, the address is not the problem
    else:
        bounce, suppress = "unknown", None
        findings.append(Finding("unsure", say("finding.unsure")))
    said = say({True: "yes", False: "no"}.get(suppress, "unsure"))  # type: ignore[arg-type]
    why.append(Step("address", say("why.address_level" if reason in tax.address_level else "why.not_address_level",
                                   reason=reason, bounce=bounce, said=said), _reasons.SOURCE))

    record = enhanced if enhanced is not None and enhanced.retry is not None else basic
    retry = record.retry if record is not None else None
    slow_down = reason in tax.slow_down
    plans: list[dict] = []
    schedule: tuple = ()
    attempts = give_up = None
    if outcome in ("success", "intermediate"):
        decision, level = "not-applicable", "info"
    elif outcome == "transient":
        decision, level = "retry", "warning"
        plans, schedule, attempts, give_up = _plans(record, slow_down)
    elif outcome == "permanent":
        decision = retry.decision if retry and retry.decision in ("do-not-retry", "retry-after-fix") else "do-not-retry"
        if bounce == "soft" and decision == "do-not-retry":
            decision = "retry-after-fix"  # the address is fine: send again once the cause is fixed
        level = "error"
    else:
        decision, level = "retry-after-fix", "warning"
    actors = signature.actors if signature else tax.actors(reason)
    remedies: list[Text] = [signature.remedy] if signature else []
    specific = enhanced if enhanced is not None and enhanced.remedies else basic  # the most specific code's
    if specific is not None:
        remedies += [r.title for r in specific.remedies]
    fix = tax.fix(reason if suppress is not None else "unknown")  # unsure: do not advise removing it
    # when the text decided a reason the code alone does not imply ("550 ... traffic not accepted from this
    # IP" is blocked, not the 550 record's unknown mailbox), the reason's fix leads, not the code's remedies
    code_reason = None if specific is None else (
        tax.from_enhanced(specific.key) if specific is enhanced else tax.basic.get(specific.key))
    leads = suppress is None or (signature is None and code_reason != reason)
    if fix is not None and fix not in remedies:
        remedies.insert(0 if leads else len(remedies), fix)
    elif fix is not None and leads:
        remedies.remove(fix)
        remedies.insert(0, fix)
    verdict = Verdict(outcome=outcome, permanent={"permanent": True, "transient": False}.get(outcome), bounce=bounce,
                      suppress=suppress, reason=reason, reason_label=tax.labels[reason], fix=fix, retry=decision,
                      schedule_minutes=tuple(schedule), max_attempts=attempts, give_up_after_hours=give_up,
                      plans=tuple(plans), slow_down=slow_down and outcome == "transient", actors=tuple(actors),
                      log_level=level, remedy=remedies[0] if remedies else None, remedies=tuple(remedies),
                      facts=tuple(_facts(reply, inner, low)), crosswalk=tax.crosswalk(reason))
    return Explanation(input=raw[:2000], reply=reply, basic=basic, enhanced=enhanced, provider=provider_rec,
                       signature=signature, findings=tuple(findings), verdict=verdict, why=tuple(why))

