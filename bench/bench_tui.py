"""Benchmark of the terminal browser: time to first screen, and search latency per keystroke.

    .venv/bin/python bench/bench_tui.py [--runs N]

(a) Our app and a minimal Textual app (one Static) each start N times in fresh subprocesses, side by
    side and interleaved, headless at 100x32; the time is from process start to the first screen
    (for ours: the list filled and the first record rendered). Medians, and their ratio.
(b) Queries are typed character by character into the running app's search field; each keystroke is
    timed from the character entering the field until the list shows the new results (the search
    worker has run kb.search and the list is redrawn). The record preview renders after the keys pause.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An installed app has its bytecode compiled, as Textual's own modules here do; this workplace sets
# PYTHONDONTWRITEBYTECODE, which would make every run compile tui/ and kb/ from source.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
TARGET_RATIO = 1.5
QUERIES = ("421", "5.7.26", "mailbox full", "authentication", "greylisting", "Postfach voll")

CHILD = r"""
import asyncio, sys, time
started = float(sys.argv[2])
which = sys.argv[1]
if which == "minimal":
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("hello")

    app = Minimal()
    ready = lambda: True
else:
    from tui.app import SmtpKbApp

    app = SmtpKbApp(lang="en")
    # the list is filled and the top of the first record is on screen (the rest follows a frame later)
    ready = lambda: app.ready and not app.busy

async def main():
    async with app.run_test(size=(100, 32)) as pilot:
        while not ready():
            await pilot.pause(0.005)
        await pilot.pause()
        print(time.time() - started)

asyncio.run(main())
"""


def first_screen(which: str) -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, which, repr(started)], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=dict(ENV, PYTHONPATH=str(ROOT)))
    return float(out.stdout.strip().splitlines()[-1]) * 1000


def keystroke_latencies() -> list[float]:
    import asyncio

    sys.path.insert(0, str(ROOT))
    from textual.widgets import Input

    from tui.app import SmtpKbApp

    app = SmtpKbApp(lang="en")
    times: list[float] = []

    async def main() -> None:
        async with app.run_test(size=(100, 32)) as pilot:
            while not app.ready or app.busy:
                await pilot.pause(0.01)
            search = app.query_one("#search", Input)
            for query in QUERIES:
                search.value = ""
                await app.workers.wait_for_complete()
                while app.busy:
                    await pilot.pause(0.01)
                search.focus()
                typed = ""
                for ch in query:
                    typed += ch
                    t0 = time.perf_counter()
                    search.insert_text_at_cursor(ch)  # what a key press does, without Pilot's own pauses
                    while app._query != typed:  # the search worker has filled the list
                        await asyncio.sleep(0)
                    await pilot.pause(0)  # ...and it is redrawn
                    times.append((time.perf_counter() - t0) * 1000)
                while app.busy:  # let the debounced record render finish outside the timing
                    await pilot.pause(0.01)

    asyncio.run(main())
    return times


def search_only_latencies() -> list[float]:
    """kb.search plus building the list rows, without the UI: the part the worker thread does."""
    from tui.app import code_row
    from tui.logic import search_codes

    times = []
    for query in QUERIES:
        for i in range(1, len(query) + 1):
            t0 = time.perf_counter()
            [code_row(hit.record, "en") for hit in search_codes(query[:i])]
            times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    first_screen("tui"), first_screen("minimal")  # warm the OS file cache and kb's compiled index
    ours, minimal = [], []
    for _ in range(args.runs):
        ours.append(first_screen("tui"))
        minimal.append(first_screen("minimal"))
    ours_ms, minimal_ms = statistics.median(ours), statistics.median(minimal)
    # Each run of ours is paired with the minimal app's run right after it: a pair sees the same
    # machine, so the median of the pairs' ratios is steadier than the ratio of the two medians on a
    # shared machine whose speed drifts during the benchmark.
    ratio = statistics.median(o / m for o, m in zip(ours, minimal))
    keys = keystroke_latencies()
    pure = search_only_latencies()
    result = {"first_screen_ms": ours_ms, "minimal_textual_ms": minimal_ms, "ratio": ratio,
              "keystroke_median_ms": statistics.median(keys), "keystroke_p95_ms": p95(keys), "keystrokes": len(keys),
              "search_median_ms": statistics.median(pure), "search_p95_ms": p95(pure)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(f"tui first screen: {ours_ms:.0f} ms vs minimal textual {minimal_ms:.0f} ms (medians of {args.runs} "
              f"runs each); median ratio of paired runs {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
        print(f"search per keystroke (typed to list redrawn): median {result['keystroke_median_ms']:.1f} ms, "
              f"p95 {result['keystroke_p95_ms']:.1f} ms over {len(keys)} keystrokes of {len(QUERIES)} queries")
        print(f"  of which kb.search + list rows: median {result['search_median_ms']:.2f} ms, "
              f"p95 {result['search_p95_ms']:.2f} ms")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
