"""Paths and a CLI runner shared by the top-level tests (a module name of its own: tests/site and
tests/tui have conftest.py files too, and `from conftest import` would pick whichever came first)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODES = ROOT / "codes"
REFERENCE = Path(__file__).resolve().parent / "reference"


def run_cli(*args, input=None, env=None, timeout=120):
    """Run the real smtpkb entry point in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "kb", *args], input=input, capture_output=True, cwd=ROOT,
                          env=full_env, timeout=timeout)
