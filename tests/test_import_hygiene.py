"""`import kb` stays light: no textual, rich, jsonschema (nor yaml) at import or on a warm explain."""

import json
import subprocess
import sys

import kb

HEAVY = ("textual", "rich", "jsonschema", "yaml", "dataclasses", "typing", "argparse")


def loaded_after(code: str) -> set:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_kb_is_light():
    mods = loaded_after("import kb")
    assert not [m for m in HEAVY if m in mods]


def test_explain_on_compiled_index_is_light():
    kb.lookup("421")  # make sure the index is compiled (a first run validates, which needs jsonschema)
    mods = loaded_after("import kb; kb.explain('421 4.7.0 Service not available, closing transmission channel')")
    assert not [m for m in ("textual", "rich", "jsonschema", "yaml", "dataclasses") if m in mods]
