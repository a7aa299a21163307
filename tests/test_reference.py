"""The knowledge base against the registry and RFC reference files (tests/reference/, copied from shared/)."""

import csv
import re
from pathlib import Path

import pytest
from helpers import REFERENCE

import kb

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"


def rows(name):
    with open(REFERENCE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


REGISTRY = [r for r in rows("iana-enhanced-status-codes.tsv") if re.fullmatch(r"X\.\d+\.\d+", r["code"])]
BASIC = rows("basic-reply-codes.tsv")


@pytest.mark.skipif(not SHARED.exists(), reason="shared/reference is not beside this checkout")
@pytest.mark.parametrize("name", ["iana-enhanced-status-codes.tsv", "basic-reply-codes.tsv"])
def test_reference_copy_is_current(name):
    assert (REFERENCE / name).read_bytes() == (SHARED / name).read_bytes()


def test_every_registry_code_has_a_record_with_registry_facts():
    assert len(REGISTRY) == 81
    for row in REGISTRY:
        rec = kb.lookup(row["code"])
        assert rec.registry["title"] == row["title"], row["code"]
        assert rec.registry["associated_basic_codes"] == row["associated_basic_codes"], row["code"]
        assert rec.registry["reference"] == row["reference"], row["code"]
        assert list(rec.basic_codes) == re.findall(r"\b\d{3}\b", row["associated_basic_codes"]), row["code"]


def test_no_enhanced_record_outside_the_registry():
    registered = {r["code"] for r in REGISTRY}
    assert {r.key for r in kb.records("enhanced")} == registered


def test_every_basic_code_in_the_reference_has_a_record():
    for row in BASIC:
        rec = kb.lookup(row["code"])
        if row["standard"] == "yes":
            assert any(d.standard for d in rec.definitions), row["code"]


def test_non_standard_codes_are_labelled():
    standard = {r["code"] for r in BASIC if r["standard"] == "yes"}
    for code in {r["code"] for r in BASIC} - standard:
        rec = kb.lookup(code)
        assert rec.status == "non-standard" or any(not d.standard for d in rec.definitions), code
        if rec.status != "non-standard":
            continue
        assert not any(d.standard for d in rec.definitions), code


def test_association_agrees_both_ways_and_with_registry():
    expected = {}
    for row in REGISTRY:
        for b in re.findall(r"\b\d{3}\b", row["associated_basic_codes"]):
            expected.setdefault(b, set()).add(row["code"])
    for rec in kb.records("basic"):
        assert set(rec.enhanced_codes) == expected.get(rec.key, set()), rec.key


def test_x_6_10_is_deprecated_and_points_to_x_6_8():
    rec = kb.lookup("X.6.10")
    assert rec.status == "deprecated" and rec.replaced_by == "X.6.8"


def test_structure_titles_match_registry():
    s = kb.structure()
    for row in rows("iana-enhanced-status-codes.tsv"):
        m = re.fullmatch(r"(\d)\.XXX\.YYY", row["code"])
        if m:
            assert s.registry_titles[("class", m.group(1))] == row["title"]
        m = re.fullmatch(r"X\.(\d)\.YYY", row["code"])
        if m:
            assert s.registry_titles[("subject", m.group(1))] == row["title"]


def test_every_record_cites_a_definition_and_reference():
    for rec in kb.records():
        assert rec.definitions and rec.references, rec.key
        assert all(r.url.startswith("https://") for r in rec.references)


def test_every_example_parses_back_through_the_explainer():
    for rec in kb.records():
        for ex in rec.examples:
            e = kb.explain(ex.reply)
            if rec.kind == "basic":
                assert e.reply.basic == rec.key, (rec.key, ex.reply)
            else:
                assert e.reply.enhanced and "X" + e.reply.enhanced[1:] == rec.key, (rec.key, ex.reply)


def test_provider_deviations_state_the_registry_correctly():
    """A deviation on a registered code must not call it unregistered, and the other way round."""
    registered = {r["code"] for r in REGISTRY}
    for p in kb.providers():
        for sig in p.signatures:
            d = sig.deviation
            if d is None:
                continue
            generic = "X" + d.code[1:] if "." in d.code else d.code
            says_unregistered = "not registered" in d.registry_meaning.en.lower()
            assert says_unregistered == (generic not in registered and "." in d.code), (p.id, sig.id, d.code)
