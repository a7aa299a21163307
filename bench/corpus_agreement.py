"""How often the explainer agrees with the hand-labelled corpus (tests/corpus/*.yaml).

Run: .venv/bin/python bench/corpus_agreement.py
Each case's ``expect`` was written by reading the line, not by running smtpkb. Reported: reason agreement,
address-level bounce (hard/soft/unknown) agreement and suppress agreement, each over the cases that label
it, and every disagreement with its source, so a regression is visible line by line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import kb

CORPORA = ("replies.yaml", "verdicts.yaml")


def measured(ex) -> dict:
    v = ex.verdict
    return {"reason": v.reason, "bounce": v.bounce, "suppress": v.suppress}


def main() -> int:
    base = Path(__file__).resolve().parent.parent / "tests" / "corpus"
    totals = {k: [0, 0] for k in ("reason", "bounce", "suppress")}
    misses = []
    for name in CORPORA:
        for case in yaml.safe_load((base / name).read_text(encoding="utf-8")):
            got = measured(kb.explain(case["input"]))
            for key, (agree, seen) in list(totals.items()):
                if key in case["expect"]:
                    ok = got[key] == case["expect"][key]
                    totals[key] = [agree + ok, seen + 1]
                    if not ok:
                        misses.append(f"  {name}: {key} {got[key]!r} != {case['expect'][key]!r}: {case['input'][:70]!r} ({case['source']})")
    for key, (agree, seen) in totals.items():
        print(f"{key:9} agreement: {agree}/{seen} = {100 * agree / seen:.1f}%" if seen else f"{key}: no cases")
    if misses:
        print("disagreements:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
