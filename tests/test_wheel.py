"""A wheel built with `python -m build`, installed into a fresh venv outside the checkout, answers lookups."""

import subprocess
import sys
import zipfile

from helpers import ROOT


def test_wheel_installs_and_answers(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True,
                   capture_output=True, timeout=600)
    wheel = next(dist.glob("smtp_kb-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "kb/_index.json" in names and "kb/codes/basic/421.yaml" in names and "kb/py.typed" in names
    assert "kb/schema/basic.schema.json" in names
    # the layout fixes the import names kb and tui; nothing else lands in site-packages (no build hook either)
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"kb", "tui"}, top
    assert not [n for n in names if "build_hook" in n or "hatch_build" in n]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600)
    out = subprocess.run([str(py), "-c", "import kb, sys; r = kb.lookup('421'); print(r.title.en);"
                          "print('yaml' in sys.modules, 'jsonschema' in sys.modules); print(kb.explain('550 5.1.1 x').verdict.reason)"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    title, heavy, reason = out.stdout.splitlines()
    assert title.startswith("Service not available") and heavy == "False False" and reason == "user-unknown"
    cli = subprocess.run([str(venv / "bin" / "smtpkb"), "validate"], cwd=tmp_path, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    version = subprocess.run([str(venv / "bin" / "smtpkb"), "--version"], cwd=tmp_path, capture_output=True, text=True)
    expected = next(ln.split('"')[1] for ln in (ROOT / "pyproject.toml").read_text().splitlines() if ln.startswith("version ="))
    assert version.stdout.strip() == f"smtp-kb {expected}"
    # without the [tui] extra the browser says how to get it instead of failing
    browse = subprocess.run([str(venv / "bin" / "smtpkb")], cwd=tmp_path, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert browse.returncode == 2 and "smtp-kb[tui]" in browse.stderr, browse.stderr
