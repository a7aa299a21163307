"""kb.explain_message on the corpus in tests/messages/ (sources and licences in expectations.yaml).

The constructed messages are checked field by field. The flufl.bounce messages (real bounces of many
MTAs, 2000-2020) are measured as a whole: recipient found, class and reason agreement; the floors
below are the figures measured when this reader was written, so a change that loses ground fails.
Run ``python tests/test_message_corpus.py`` to print the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kb

HERE = Path(__file__).parent / "messages"
CORPUS = yaml.safe_load((HERE / "expectations.yaml").read_text(encoding="utf-8"))
CONSTRUCTED = [c for c in CORPUS if c["file"].startswith("constructed/")]

# measured on the flufl.bounce messages (see measure()); floors, not targets (98.5%, 100%, 90.2% measured)
FLOOR = {"recipient_found": 0.98, "class_agrees": 0.99, "reason_agrees": 0.90}


def _find(report, address: str):
    low = address.lower()
    for r in report:
        if (r.recipient or "").lower() == low or (r.original_recipient or "").lower() == low:
            return r
    return None


def measure(entries=CORPUS) -> dict:
    found = total = klass = reason = reasoned = 0
    misses = []
    for case in entries:
        report = kb.explain_message((HERE / case["file"]).read_bytes())
        for want in case["recipients"]:
            total += 1
            got = _find(report, want["address"])
            if got is None:
                misses.append((case["file"], want["address"], "not found"))
                continue
            found += 1
            klass += got.explanation.verdict.outcome == want["class"]
            if want.get("reason"):
                reasoned += 1
                if got.explanation.verdict.reason == want["reason"]:
                    reason += 1
                else:
                    misses.append((case["file"], want["address"], f"{got.explanation.verdict.reason} != {want['reason']}"))
    return {"recipients": total, "recipient_found": found / total, "class_agrees": klass / found,
            "with_reason": reasoned, "reason_agrees": reason / reasoned, "misses": misses}


@pytest.mark.parametrize("case", CONSTRUCTED, ids=[c["file"] for c in CONSTRUCTED])
def test_constructed(case):
    report = kb.explain_message((HERE / case["file"]).read_bytes())
    assert report.kind == case["kind"], [s.detail.en for s in report.why]
    assert len(report) == len(case["recipients"]), [r.recipient for r in report]
    for want in case["recipients"]:
        got = _find(report, want["address"])
        assert got is not None, [r.recipient for r in report]
        v = got.explanation.verdict
        assert (v.outcome, v.reason) == (want["class"], want["reason"]), [s.detail.en for s in got.explanation.why]
        for key in ("status", "stage", "remote_mta"):
            if key in want:
                assert getattr(got, key) == want[key], (key, got.as_dict())
        if want.get("will_retry_until"):
            assert got.will_retry_until and got.will_retry_until[:4].isdigit()
        if "original_sender" in case:
            assert got.original_sender == case["original_sender"]
        if "message_id" in case:
            assert got.message_id == case["message_id"]
        if "finding" in case:
            assert case["finding"] in [f.kind for f in got.findings]
        # every fact names where it came from
        assert got.why and all(s.detail.en and s.detail.de for s in got.why)


def test_flufl_corpus_measured():
    flufl = [c for c in CORPUS if c["file"].startswith("flufl/")]
    m = measure(flufl)
    for key, floor in FLOOR.items():
        assert m[key] >= floor, (key, m[key], m["misses"])


if __name__ == "__main__":
    for name, part in (("flufl.bounce messages", [c for c in CORPUS if c["file"].startswith("flufl/")]),
                       ("constructed messages", CONSTRUCTED), ("all", CORPUS)):
        m = measure(part)
        print(f"{name}: {m['recipients']} recipients; found {m['recipient_found']:.1%}, class agrees "
              f"{m['class_agrees']:.1%}, reason agrees {m['reason_agrees']:.1%} (of {m['with_reason']} with a reason)")
    for miss in measure()["misses"]:
        print("  miss:", *miss)
