"""The explainer on a corpus of real reply and log lines, each with its source and expected verdict."""

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb import reasons
from kb.explainer import explain
from kb.reply import nested, parse

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "replies.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CORPUS, ids=[c["input"][:40] for c in CORPUS])
def test_corpus(case):
    ex = kb.explain(case["input"])
    want = case["expect"]
    got = {
        "basic": ex.reply.basic, "enhanced": ex.reply.enhanced, "form": ex.reply.form, "command": ex.reply.command,
        "provider": ex.provider.id if ex.provider else None, "reason": ex.verdict.reason, "outcome": ex.verdict.outcome,
        "bounce": ex.verdict.bounce, "suppress": ex.verdict.suppress, "retry": ex.verdict.retry, "log_level": ex.verdict.log_level,
    }
    for key, value in want.items():
        if key == "finding":
            assert value in [f.kind for f in ex.findings], [f.kind for f in ex.findings]
        elif key == "why_contains":
            assert any(value in s.detail.en for s in ex.why), [s.detail.en for s in ex.why]
        else:
            assert got[key] == value, (key, got, [s.detail.en for s in ex.why])
    assert ex.why and ex.why[0].rule == "parse"
    assert ex.verdict.reason_label.de


def test_why_names_sources_in_order():
    ex = kb.explain("550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in local recipient table")
    rules = [s.rule for s in ex.why]
    assert rules[0] == "parse" and "record" in rules
    assert any(s.source and s.source.endswith(".yaml") for s in ex.why)


def test_records_seen_through_actual_class():
    ex = kb.explain("450 4.7.1 Client host rejected: try again later")
    assert ex.enhanced.code == "4.7.1" and ex.enhanced.key == "X.7.1" and ex.enhanced.klass == "4"
    assert ex.enhanced.retry is ex.enhanced.retry_by_class.get("4")


def test_provider_deviation_is_reported():
    hits = [kb.explain(sig.example) for p in kb.providers() for sig in p.signatures if sig.deviation]
    assert hits, "provider files record at least one deviation (Gmail X.7.27/29/30, Microsoft 5.1.10)"
    assert any(any(f.kind == "provider-deviation" for f in ex.findings) for ex in hits)


def test_every_provider_example_matches_its_own_signature():
    """Where the provider is known (the caller names it), each example meets its own provider's signature."""
    for p in kb.providers():
        for sig in p.signatures:
            ex = explain(sig.example, provider=p.id)
            assert ex.signature is not None and ex.signature.provider == p.id, (p.id, sig.id)
            assert ex.verdict.reason == ex.signature.reason
            assert ex.verdict.remedy == ex.signature.remedy


def _anonymised(example: str, p) -> str:
    """The example with the provider's host markers and domains replaced by other providers' and neutral ones."""
    out = example
    for rx in p.host_patterns:
        out = rx.rx.sub("mx.example-firma.de", out)
    for d in p.domains:
        out = re.sub(re.escape(d), "example-firma.de", out, flags=re.I)
    return out


def test_provider_knowledge_only_where_the_provider_is():
    """Every signature's example, with its provider's hosts and domains swapped for others: a provider's
    signature (and its provider-specific remedy) appears only when it carries an unmistakable marker."""
    provider_remedies = {sig.remedy: p.id for p in kb.providers() for sig in p.signatures}
    checked = 0
    for p in kb.providers():
        for sig in p.signatures:
            for domain in ("example-firma.de", "gmail.com", "yahoo.com"):
                line = _anonymised(sig.example, p).replace("example-firma.de", domain)
                ex = kb.explain(line)
                shown = ex.provider.id if ex.provider else None
                if ex.signature is not None:  # the recognised provider's, or one whose pattern names its provider
                    assert ex.signature.marker or shown == ex.signature.provider, (p.id, sig.id, line)
                    if shown != ex.signature.provider:  # an MTA's wording behind a recognised mailbox provider
                        assert kb.provider(ex.signature.provider).kind == "mta", (p.id, sig.id, line)
                for remedy in ex.verdict.remedies:  # no other provider's advice
                    owner = provider_remedies.get(remedy)
                    assert owner is None or (ex.signature is not None and remedy == ex.signature.remedy), (p.id, sig.id, line)
                checked += 1
    assert checked > 100


def test_reason_enum_is_the_data():
    """The provider schema's reason list is codes/reasons.yaml's, and every reason has both languages."""
    schema = json.loads((Path(kb.__file__).parent / "schema" / "provider.schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]["reason"]["enum"]) == set(reasons.reason_ids())
    for rid in reasons.reason_ids():
        assert reasons.label(rid).en and reasons.label(rid).de
    table = kb.table("reasons")
    for rule in table["text_rules"]:
        assert rule["reason"] in reasons.reason_ids(), rule
        # matched against lower-cased text: an upper-case phrase could never fire
        assert all(p == p.lower() for p in (*rule["phrases"], *rule.get("words", ()))), rule
    vocab = set(table["vocabularies"])
    for r in table["reasons"]:
        assert set(r["crosswalk"]) == vocab, r["id"]


@pytest.mark.parametrize(("line", "reason", "bounce", "suppress"), [
    ("552 5.2.2 <bob@example-firma.de>: user is over quota", "mailbox-full", "soft", False),
    ("550 5.1.1 Requested action not taken: mailbox unavailable", "user-unknown", "hard", True),
    ("550 Requested action not taken: mailbox unavailable", "user-unknown", "unknown", None),
    ("571 No PTR Record found. Reverse DNS required", "no-reverse-dns", "soft", False),
    ("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "blocked", "soft", False),
    ("550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy",
     "sender-authentication", "soft", False),
    ("550 5.0.0 Error", "unknown", "unknown", None),
    ("Host unknown", "domain-unknown", "hard", True),
    ("No such domain", "domain-unknown", "hard", True),
    ("The recipient name is not recognized", "user-unknown", "hard", True),
    ("retry timeout exceeded", "expired", "soft", False),
    ("Could not deliver for the last 432000 seconds. Giving up.", "expired", "soft", False),
    ("message expired", "expired", "soft", False),
    ("Unroutable sender address", "policy", "soft", False),
    ("554 5.4.6 Routing loop detected", "network", "soft", False),
    ("lost connection with mx.example.com[192.0.2.1] while performing the HELO handshake", "network", "soft", False),
    ("551 5.1.6 User has moved; please try <new@example.org>", "mailbox-moved", "hard", True),
    ("550 5.1.10 Recipient address has null MX", "domain-unknown", "hard", True),
    ("550 user does not exist here (#5.1.1 - chkusr)", "user-unknown", "hard", True),
])
def test_reason_and_address_verdict(line, reason, bounce, suppress):
    v = kb.explain(line).verdict
    assert (v.reason, v.bounce, v.suppress) == (reason, bounce, suppress), [s.detail.en for s in kb.explain(line).why]


def test_no_code_lines_get_a_class():
    assert kb.explain("Could not deliver for the last 432000 seconds. Giving up.").verdict.outcome == "permanent"
    assert kb.explain("message expired").verdict.outcome == "permanent"
    assert kb.explain("lost connection with mx.example.com[192.0.2.1] while performing the HELO handshake").verdict.outcome == "transient"


def test_nested_replies_are_read():
    ex = kb.explain("554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>")
    assert ex.verdict.reason == "expired"
    assert any(s.rule == "inner-reply" and "network" in s.detail.en for s in ex.why)
    ses = kb.explain("5.1.0 - Unknown address error 550-'5.2.2 <bob@example.com>... Mailbox Full'")
    assert ses.verdict.reason == "mailbox-full" and ses.verdict.suppress is False
    pf = kb.explain("Dec  4 10:00:00 mx postfix/smtp[1]: ABC: to=<bob@example.com>, relay=none, delay=1, dsn=5.7.1, "
                    "status=bounced (host mx.example.com[192.0.2.1] refused to talk to me: 554 5.7.1 Client host "
                    "[192.0.2.9] blocked using zen.spamhaus.org)")
    assert (pf.reply.basic, pf.reply.enhanced, pf.verdict.reason) == ("554", "5.7.1", "blocked")
    assert pf.reply.command == "CONNECT"


def test_stage_changes_a_general_refusal():
    rcpt = kb.explain("** bob@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 Message rejected")
    data = kb.explain("** bob@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after end of data: 550 Message rejected")
    assert rcpt.reply.command == "RCPT TO" and data.reply.command == "DATA"
    assert rcpt.verdict.reason == "policy" and data.verdict.reason == "content"


def test_remedies_facts_and_plans():
    ex = kb.explain("550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 DKIM did not pass, "
                    "SPF did not pass for example.com. 550 5.7.26 - gsmtp")
    facts = [f.en for f in ex.verdict.facts]
    assert any("DKIM did not pass, SPF did not pass for example.com" in f for f in facts), facts
    assert ex.verdict.remedy == ex.signature.remedy and len(ex.verdict.remedies) > 1
    deferral = kb.explain("421 4.7.28 Gmail has detected an unusual rate of email originating from your IP address 192.0.2.1. - gsmtp")
    roles = [p["role"] for p in deferral.verdict.plans]
    assert roles[:2] == ["mta-queue", "application"] and "slow-down" in roles and deferral.verdict.slow_down
    queue = deferral.verdict.plans[0]
    assert queue["schedule_minutes"] == list(deferral.verdict.schedule_minutes) and min(queue["schedule_minutes"]) >= 30
    assert all(p["source"] for p in deferral.verdict.plans)
    assert any("192.0.2.1" in f for f in (x.en for x in deferral.verdict.facts))


def test_crosswalk_is_carried():
    d = kb.explain("550 5.1.1 user unknown").as_dict()["verdict"]
    assert d["crosswalk"]["ses"]["value"] == "Permanent/NoEmail" and d["crosswalk"]["sisimai"]["value"] == "userunknown"
    assert d["suppress"] is True and d["bounce"] == "hard"


def test_cli_as_vocabulary():
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from helpers import run_cli

    r = run_cli("explain", "--as", "sparkpost", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org")
    assert r.returncode == 0 and "sparkpost: 51 Spam Block (coarser than ours)" in r.stdout.decode()
    j = json.loads(run_cli("explain", "--json", "--as", "ses", "550 5.1.1 user unknown").stdout)
    assert j["as"] == {"vocabulary": "ses", "value": "Permanent/NoEmail"}
    bad = run_cli("explain", "--as", "mailgun", "550 5.1.1 user unknown")
    assert bad.returncode != 0 and b"Traceback" not in bad.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 .-<>'\"#()abcXYZ", max_size=300))
def test_nested_never_breaks_and_reads_only_what_is_there(text):
    reply = parse(text)
    found = nested(reply)
    if found is not None:
        basic, enhanced, inner = found
        assert basic is None or basic in reply.text
        assert enhanced is None or enhanced in reply.text
        assert inner in reply.text or inner == reply.text


def test_nested_reads_a_bounded_inner_reply():
    """Many codes in one line: the first inner one is taken, and its text is bounded (500 characters)."""
    found = nested(parse("550 5.1.1 x " + "421 4.4.2 timed out " * 5000))
    assert found is not None and found[:2] == ("421", "4.4.2") and 0 < len(found[2]) <= 500


@pytest.mark.parametrize(("line", "reason"), [
    ("554 5.7.1 Your message was blocked because it contains a virus", "content"),
    ("550 5.1.1 User bob@example.com not listed in Domino Directory", "user-unknown"),
    ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "relaying-denied"),
    ("550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.4]", "no-reverse-dns"),
    ("421 4.7.0 Try again later, closing connection.", "policy"),
])
def test_rule_order_on_shared_words(line, reason):
    assert kb.explain(line).verdict.reason == reason


@pytest.mark.parametrize(("line", "reason"), [
    ("550 5.1.1 Benutzer unbekannt", "user-unknown"),
    ("550 Die Domain existiert nicht", "domain-unknown"),  # the domain phrase before the address one
    ("550 Le destinataire n'existe pas", "user-unknown"),
    ("550 Le domaine n'existe pas", "domain-unknown"),
    ("550 usuario desconocido", "user-unknown"),
    ("550 Il dominio non esiste", "domain-unknown"),
    ("550 O usuário não existe", "user-unknown"),
    ("host mx.example.de[192.0.2.7]: connection to mail exchanger failed", "network"),
])
def test_bounce_texts_in_the_languages_european_providers_answer_in(line, reason):
    assert kb.explain(line).verdict.reason == reason


def test_the_lead_remedy_fits_the_reason_the_text_decided():
    ex = kb.explain("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.")
    assert ex.verdict.reason == "blocked" and ex.verdict.suppress is False
    assert ex.verdict.remedy == ex.verdict.fix  # not the 550 record's "correct the address"
    assert kb.explain("550 5.1.1 user unknown").verdict.remedy != ex.verdict.remedy


def test_text_rules_are_kept_per_strength_and_there_are_two():
    tax = reasons.taxonomy()
    assert tax.from_text("552 5.2.2 mailbox full") == ("mailbox-full", "mailbox full")
    with pytest.raises(ValueError, match="strong"):
        tax.from_text("mailbox full", "Strong")
    assert set(tax._text_tables) <= {"strong", "weak"}
