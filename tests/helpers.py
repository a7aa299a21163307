"""Paths, a CLI runner and a memory probe shared by the top-level tests (a module name of its own: tests/site and
tests/tui have conftest.py files too, and `from conftest import` would pick whichever came first)."""

import gc
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODES = ROOT / "codes"
REFERENCE = Path(__file__).resolve().parent / "reference"


def run_cli(*args, input=None, env=None, timeout=120):
    """Run the real smtpkb entry point in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "kb", *args], input=input, capture_output=True, cwd=ROOT,
                          env=full_env, timeout=timeout)


def retained_after(fn, n: int) -> int:
    """Bytes still allocated after ``fn(i)`` for i in range(n), with the cost of one warm call taken out."""
    fn(-1)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(n):
        fn(i)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before
