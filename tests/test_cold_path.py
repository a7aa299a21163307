"""What a cold explain must not do, checked in a fresh process (no timing: bench/bench_core.py measures):
compile a regular expression (each compile costs a cold start about 0.1-0.4 ms)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COUNT_COMPILES = """
import re, sys
import kb

kb.database().index  # built already by the run before: what every later start finds
rebuilt = "kb.checks" in sys.modules  # a rebuild validates, and so compiles every pattern beforehand
compiled = []
real = re._compile
def counted(pattern, flags):
    compiled.append(pattern if isinstance(pattern, str) else pattern.pattern)
    return real(pattern, flags)
re._compile = counted
for reply in {replies!r}:
    kb.explain(reply)
print(rebuilt, compiled)
"""


def test_a_cold_explain_of_a_plain_reply_compiles_no_pattern():
    # no address and no provider signature in these (those run their patterns, as they must)
    replies = ["421 4.7.0 Service not available, closing transmission channel", "452 4.2.2 Mailbox full",
               "550 5.1.1 Recipient address rejected: User unknown", "250 2.0.0 OK"]
    env = {k: v for k, v in os.environ.items() if k != "SMTPKB_CODES"}
    for _ in range(3):  # another process may have changed codes/ in between: then measure again
        subprocess.run([sys.executable, "-c", "import kb; kb.database().index"], cwd=ROOT, env=env, timeout=300,
                       capture_output=True, check=True)
        out = subprocess.run([sys.executable, "-c", COUNT_COMPILES.format(replies=replies)], capture_output=True,
                             text=True, cwd=ROOT, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        if not out.stdout.startswith("True"):
            break
    assert out.stdout.strip() == "False []"


COUNT_IMPORTS = """
import re, json, sys
before = set(sys.modules)
import kb
kb.explain("421 4.7.0 Service not available, closing transmission channel")
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_a_cold_explain_imports_nothing_beyond_re_json_and_its_own_modules():
    """Every module costs a cold start its loading: __future__ (0.13 ms, hence no ``from __future__ import
    annotations`` in these modules), binascii (0.3 ms, hence store.checksum), typing (3 ms), dataclasses."""
    env = {k: v for k, v in os.environ.items() if k != "SMTPKB_CODES"}
    subprocess.run([sys.executable, "-c", "import kb; kb.database().index"], cwd=ROOT, env=env, timeout=300,
                   capture_output=True, check=True)
    out = subprocess.run([sys.executable, "-c", COUNT_IMPORTS], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    extra = [m for m in out.stdout.split() if m != "kb" and not m.startswith("kb.")]
    assert extra == [], extra
    assert set(out.stdout.split()) == {"kb", "kb.explainer", "kb.model", "kb.reasons", "kb.regex", "kb.reply",
                                       "kb.store", "kb.syntax", "kb.texts"}
