"""The real app in a real terminal: tmux runs ``python -m tui``, we type a code and read the screen."""

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True, timeout=30).stdout


def wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_typing_a_code_in_a_real_terminal_shows_its_record():
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required under CI=true")
        pytest.skip("tmux is not installed")
    import kb

    title = kb.lookup("421").title.en
    session = f"smtpkb-{uuid.uuid4().hex[:8]}"
    # tmux starts commands with its server's environment: pass on the settings that choose the data.
    settings = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ("SMTPKB_CODES",) if k in os.environ)
    command = f"cd {shlex.quote(str(ROOT))} && env LANG=C.UTF-8 SMTPKB_LANG=en {settings} {shlex.quote(sys.executable)} -m tui"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "32", command)
    try:
        # Without an attached client some tmux versions keep their default size: insist on 100x32.
        subprocess.run(["tmux", "resize-window", "-t", session, "-x", "100", "-y", "32"], capture_output=True)
        wait_for(session, "codes")  # the list is filled
        tmux("send-keys", "-t", session, "421")
        screen = wait_for(session, f"421 {' '.join(title.split()[:3])}")  # the record's heading
        assert "matches for “421”" in screen
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(1.0)  # a lone ESC is only an escape key once no sequence follows it
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if session not in subprocess.run(["tmux", "list-sessions"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("q did not quit the app")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
