"""The core never imports a surface: `import kb` and `smtpkb explain` load neither the terminal browser nor
textual, rich, yaml or jsonschema (as harlequin's import-hygiene tests do, each in a fresh interpreter)."""

import json
import subprocess
import sys

import kb

SURFACES = ("tui", "textual", "rich", "jsonschema", "yaml", "duckdb", "dask", "distributed", "pandas", "pyarrow", "matplotlib")
# also kept out of a cold start because they cost time, not because they are surfaces
SLOW = ("dataclasses", "typing", "argparse")


def loaded_after(code: str) -> set:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def heavy(mods: set, names) -> list:
    return sorted(m for m in mods if m.split(".")[0] in names)


def test_import_kb_is_light():
    assert heavy(loaded_after("import kb"), SURFACES + SLOW) == []


def test_explain_on_compiled_index_is_light():
    kb.lookup("421")  # make sure the index is compiled (a first run validates, which needs jsonschema)
    mods = loaded_after("import kb; kb.explain('421 4.7.0 Service not available, closing transmission channel')")
    assert heavy(mods, SURFACES + ("dataclasses",)) == []


def test_smtpkb_explain_loads_no_surface():
    kb.lookup("421")
    for argv in (["explain", "550 5.1.1 User unknown"], ["explain", "--json", "550 5.1.1 User unknown"],
                 ["show", "421"], ["search", "greylisting"], ["export", "--format", "csv"]):
        mods = loaded_after(f"import io, contextlib\nfrom kb.cli import main\nwith contextlib.redirect_stdout(io.StringIO()): main({argv!r})")
        assert heavy(mods, SURFACES) == [], argv


def test_the_browser_is_found_through_its_entry_point():
    from importlib.metadata import entry_points

    (ep,) = entry_points(group="smtpkb.surfaces", name="browse")
    assert callable(ep.load())


def test_without_textual_smtpkb_says_how_to_install_the_browser():
    code = ("import sys\nsys.modules['textual'] = None\nfrom kb.cli import main\nrc = main([])\n"
            "print('rc', rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "rc 2" in out.stdout, out.stdout + out.stderr
    assert "smtp-kb[tui]" in out.stderr and "Traceback" not in out.stderr
