"""Provider and gateway files: recognition by recipient domain, and each signature found for its own provider.

Several providers share wording (United Internet's GMX, WEB.DE and IONOS say "Rate limit reached"), so a reply
must be read as the provider it came from once that provider is recognised."""

from pathlib import Path

import pytest
import yaml

import kb
from kb.store import codes_dir

PROVIDERS = [p for p in kb.providers() if p.kind == "mailbox-provider"]


@pytest.mark.parametrize("provider", [p for p in PROVIDERS if p.domains], ids=lambda p: p.id)
def test_recipient_domain_names_the_provider(provider):
    sig = provider.signatures[0]
    ex = kb.explain(f"<someone@{provider.domains[0]}>: {sig.example}")
    assert ex.provider is not None and ex.provider.id == provider.id, [s.detail.en for s in ex.why]


@pytest.mark.parametrize("provider", [p for p in PROVIDERS if p.domains], ids=lambda p: p.id)
def test_signatures_are_read_as_the_recognised_providers_own(provider):
    for sig in provider.signatures:
        ex = kb.explain(f"<someone@{provider.domains[0]}>: {sig.example}")
        assert ex.signature is not None, (provider.id, sig.id, [s.detail.en for s in ex.why])
        assert (ex.signature.provider, ex.signature.id) == (provider.id, sig.id), [s.detail.en for s in ex.why]


def test_gateways_are_recognised_by_their_host_names():
    cases = {
        "mimecast": "host eu-smtp-inbound-1.mimecast.com[192.0.2.1] said: 451 Internal resource is temporarily unavailable",
        "proofpoint": "host mx0a-00123401.pphosted.com[192.0.2.2] said: 554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.9",
        "barracuda": "host d123456a.ess.barracudanetworks.com[192.0.2.3] said: 550 permanent failure for one or more recipients (a@example.com:blocked)",
        "cisco": "host mx1.hc1234-56.iphmx.com[192.0.2.4] said: 554 Your access to this mail system has been rejected due to the sending MTA's poor reputation.",
    }
    for pid, line in cases.items():
        ex = kb.explain(line)
        assert ex.provider is not None and ex.provider.id == pid, (pid, [s.detail.en for s in ex.why])
        assert ex.signature is not None and ex.signature.provider == pid, (pid, [s.detail.en for s in ex.why])


def test_illustrative_examples_say_what_was_written():
    """A signature marked illustrative says in example_source which part was written for illustration."""
    marked = 0
    for path in sorted(Path(codes_dir(), "providers").glob("*.yaml")):
        for sig in yaml.safe_load(path.read_text(encoding="utf-8"))["signatures"]:
            if sig.get("illustrative"):
                marked += 1
                src = sig["example_source"].lower()
                assert "illustrat" in src or "written to show the shape" in src, (path.name, sig["id"])
    assert marked, "the gateway and provider files mark their constructed examples"
