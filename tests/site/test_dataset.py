"""The published dataset passes the schemas published beside it (what a consumer of the site would check)."""

from __future__ import annotations

import json

import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")


def _registry(files):
    schemas = {name: json.loads(text) for name, text in files.items() if name.startswith("schema/")}
    resources = [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values() if "$id" in s]
    return schemas, referencing.Registry().with_resources(resources)


def test_every_exported_record_passes_its_published_schema(generate):
    files = generate.datasets()
    schemas, registry = _registry(files)
    doc = json.loads(files["codes.json"])
    problems = []
    checked = 0
    for line in files["codes.jsonl"].splitlines():
        rec = json.loads(line)
        kind = rec.get("kind") or ("enhanced" if "." in rec["code"] else "basic")
        validator = jsonschema.Draft202012Validator(schemas[f"schema/{kind}.schema.json"], registry=registry)
        problems += [f"{rec['code']}: {e.message}" for e in validator.iter_errors(rec)][:3]
        checked += 1
    for prov in doc.get("providers", []):
        validator = jsonschema.Draft202012Validator(schemas["schema/provider.schema.json"], registry=registry)
        problems += [f"provider {prov.get('id')}: {e.message}" for e in validator.iter_errors(prov)][:3]
    assert checked == len(doc["records"]) > 100
    assert not problems, "\n".join(problems[:20])
