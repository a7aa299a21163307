"""The real app in a real terminal: tmux runs ``python -m tui``; we paste with a real bracketed paste,
type with real pauses between keys, and read the screen."""

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


def status_line(session: str) -> str:
    return next(line for line in tmux("capture-pane", "-p", "-t", session).splitlines() if "“" in line)


def test_paste_and_typing_in_a_real_terminal(pinned_kb):
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required under CI=true")
        pytest.skip("tmux is not installed")
    import kb

    title = kb.lookup("421").title.en
    session = f"smtpkb-{uuid.uuid4().hex[:8]}"
    # tmux starts commands with its server's environment: pass on the setting that chooses the data.
    command = (f"cd {shlex.quote(str(ROOT))} && env LANG=C.UTF-8 SMTPKB_LANG=en "
               f"SMTPKB_CODES={shlex.quote(str(pinned_kb))} {shlex.quote(sys.executable)} -m tui")
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "32", command)
    try:
        # Without an attached client some tmux versions keep their default size: insist on 100x32.
        subprocess.run(["tmux", "resize-window", "-t", session, "-x", "100", "-y", "32"], capture_output=True)
        wait_for(session, "codes")  # the list is filled
        tmux("set-buffer", "-b", session, "421")
        tmux("paste-buffer", "-p", "-d", "-b", session, "-t", session)  # -p: as a bracketed paste
        screen = wait_for(session, f"421 {' '.join(title.split()[:3])}")  # the record's heading
        assert "1 match for “421”" in screen  # pasted once, not 421421
        tmux("send-keys", "-t", session, "C-u")  # empty the field
        wait_for(session, "codes")
        for key in ["s", "p", "f", "BSpace", "BSpace", "BSpace", "m", "x"]:  # one key per 100 ms
            tmux("send-keys", "-t", session, key)
            time.sleep(0.1)
        wait_for(session, "“mx”")
        assert "“mx”" in status_line(session)
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
