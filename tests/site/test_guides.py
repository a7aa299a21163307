"""The guides say what the knowledge base says: the address-level reasons listed are exactly the data's."""

import re
from pathlib import Path

import kb

SITE = Path(__file__).resolve().parents[2] / "site" / "guide"


def test_the_hard_bounce_guide_lists_exactly_the_address_level_reasons():
    expected = {r["id"] for r in kb.table("reasons")["reasons"] if r["address_level"]}
    for name in ("hard-and-soft-bounces.md", "hard-and-soft-bounces.de.md"):
        text = (SITE / name).read_text(encoding="utf-8")
        section = text.split("\n## ")[1]  # the reasons section
        listed = set(re.findall(r"^- `([a-z-]+)`", section, re.M))
        assert listed == expected, name
