"""Provider signatures flagged `marker: true`: their text alone names the provider (a provider URL, host or
code such as NetEase's DT:SPM, Comcast's BL000000, QQ's help links), so they apply, and recognise the
provider, without the recipient's domain. Unflagged ones apply only where the provider is recognised."""

import re
from pathlib import Path

import pytest
import yaml

import kb
from kb.store import codes_dir

PROVIDERS = list(kb.providers())
MAILBOX_MARKERS = [(p, s) for p in PROVIDERS if p.kind == "mailbox-provider" for s in p.signatures if s.marker]


def _without_own_domain(line: str, provider) -> str:
    """The line addressed to a domain the provider does not own (its host markers stay)."""
    for domain in provider.domains:
        line = re.sub("@" + re.escape(domain) + r"\b", "@example-firma.de", line, flags=re.I)
    return line


@pytest.mark.parametrize(("provider", "sig"), MAILBOX_MARKERS, ids=[f"{p.id}/{s.id}" for p, s in MAILBOX_MARKERS])
def test_a_marker_signature_recognises_its_provider_without_the_domain(provider, sig):
    ex = kb.explain(_without_own_domain(sig.example, provider))
    assert ex.provider is not None and ex.provider.id == provider.id, [s.detail.en for s in ex.why]
    # by id, not identity: other tests reload the knowledge base, which makes new Signature objects
    assert ex.signature is not None and (ex.signature.provider, ex.signature.id) == (provider.id, sig.id)
    assert ex.verdict.remedy == sig.remedy


def test_a_mailbox_providers_marker_never_fires_on_another_providers_reply():
    """A marker claims the text is the provider's alone: no other mailbox provider's example matches it."""
    others = [(q, t) for q in PROVIDERS if q.kind == "mailbox-provider" for t in q.signatures]
    for p, s in MAILBOX_MARKERS:
        for q, t in others:
            if q.id != p.id:
                assert not s.pattern.search(t.example), (p.id, s.id, q.id, t.id)


@pytest.mark.parametrize(("line", "provider", "reason"), [
    # Tencent Exmail hosts custom domains: the help link, not the domain, says it is QQ's server
    ("<info@example-firma.de>: host mx1.example-firma.de[192.0.2.8] said: 550 Mailbox not found. "
     "http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728 (in reply to RCPT TO command)",
     "qq", "user-unknown"),
    ("<bob@example-firma.de>: 554 DT:SPM 163 smtp3,DcCowAA-kX1vz2xmP2cDAA--.1S2 1718357871, "
     "please see http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.183", "netease", "content"),
    ("550 BL000010 Email from your mail server is blocked, <bob@example-firma.de>", "comcast", "blocked"),
])
def test_marker_cases_without_the_providers_domain(line, provider, reason):
    ex = kb.explain(line)
    assert ex.provider is not None and ex.provider.id == provider, [s.detail.en for s in ex.why]
    assert ex.signature is not None and ex.signature.provider == provider and ex.verdict.reason == reason
    assert any(s.rule == "provider" and "in the reply or host name" in s.detail.en for s in ex.why)


@pytest.mark.parametrize("line", [
    "421 Too many sessions opened",                 # Comcast's wording, but any server may say it
    "550 spam detected",                            # Free's reply, shared by many filters
    "550 5.7.1 Reject due to policy violations",    # IONOS
    "421 Rate limit reached. Please try again later",  # GMX and IONOS alike
    "550 Mail content denied",                      # QQ's text without its help link
])
def test_shared_wording_gives_no_provider_advice(line):
    ex = kb.explain(f"<bob@example-firma.de>: {line}")
    assert ex.provider is None and ex.signature is None, [s.detail.en for s in ex.why]
    provider_remedies = {sig.remedy for p in PROVIDERS for sig in p.signatures}
    assert not provider_remedies & set(ex.verdict.remedies)


def test_written_examples_are_labelled_illustrative():
    """An example whose source says it was written (not quoted) carries the illustrative flag, so the
    pages label it; every example names where it comes from."""
    checked = 0
    for path in sorted(Path(codes_dir(), "providers").glob("*.yaml")):
        for sig in yaml.safe_load(path.read_text(encoding="utf-8"))["signatures"]:
            src = sig["example_source"].lower()
            if src.startswith(("illustrative", "written to show")):
                assert sig.get("illustrative") is True, (path.name, sig["id"])
                checked += 1
            assert len(src) > 20, (path.name, sig["id"])
    assert checked >= 30



def test_exchange_onlines_internal_host_names_recognise_microsoft():
    ex = kb.explain("550 5.7.1 Service unavailable, Client host [192.0.2.7] blocked using Spamhaus "
                    "[AM0PR01MB1234.eurprd01.prod.exchangelabs.com]")
    assert ex.provider is not None and ex.provider.id == "microsoft", [s.detail.en for s in ex.why]
