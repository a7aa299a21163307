"""The explainer on a corpus of real reply and log lines, each with its source and expected verdict."""

from pathlib import Path

import pytest
import yaml

import kb

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "replies.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CORPUS, ids=[c["input"][:40] for c in CORPUS])
def test_corpus(case):
    ex = kb.explain(case["input"])
    want = case["expect"]
    got = {
        "basic": ex.reply.basic, "enhanced": ex.reply.enhanced, "form": ex.reply.form, "command": ex.reply.command,
        "provider": ex.provider.id if ex.provider else None, "reason": ex.verdict.reason, "outcome": ex.verdict.outcome,
        "bounce": ex.verdict.bounce, "retry": ex.verdict.retry, "log_level": ex.verdict.log_level,
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
    for p in kb.providers():
        for sig in p.signatures:
            ex = kb.explain(sig.example)
            assert ex.signature is not None, (p.id, sig.id)
            assert ex.verdict.reason == ex.signature.reason
