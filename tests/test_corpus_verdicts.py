"""The hand-labelled verdict corpus (tests/corpus/verdicts.yaml): real lines, each with its source."""

from pathlib import Path

import pytest
import yaml

import kb

CASES = yaml.safe_load((Path(__file__).parent / "corpus" / "verdicts.yaml").read_text(encoding="utf-8"))


def _got(ex) -> dict:
    v, r = ex.verdict, ex.reply
    return {"basic": r.basic, "enhanced": r.enhanced, "command": r.command, "outcome": v.outcome, "reason": v.reason,
            "bounce": v.bounce, "suppress": v.suppress, "provider": ex.provider.id if ex.provider else None}


@pytest.mark.parametrize("case", CASES, ids=[c["input"][:40] for c in CASES])
def test_verdict(case):
    assert case["source"].strip()
    got = _got(kb.explain(case["input"]))
    wrong = {k: (got[k], want) for k, want in case["expect"].items() if got[k] != want}
    if case.get("known_miss"):
        assert wrong, f"now agrees: move it out of known_miss ({case['known_miss']})"
    else:
        assert not wrong, wrong


def test_hard_only_for_address_level_reasons():
    address_level = {r["id"] for r in kb.table("reasons")["reasons"] if r["address_level"]}
    for case in CASES:
        v = kb.explain(case["input"]).verdict
        if v.bounce == "hard":
            assert v.reason in address_level and v.suppress is True, case["input"]
        if v.suppress is None:
            assert v.bounce == "unknown" and any(f.kind == "unsure" for f in kb.explain(case["input"]).findings)
