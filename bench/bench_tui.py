"""Benchmark of the terminal browser against minimal Textual apps measured side by side in the same run.

    .venv/bin/python bench/bench_tui.py [--runs N] [--keys N] [--order-runs N]

(a) Our app and a minimal Textual app (one Static) each start N times in fresh subprocesses, side by
    side and interleaved, headless at 100x32; the time is from process start to the first screen
    (for ours: the list filled and the welcome page shown; for both: the frame composed). Medians, and
    the median ratio of paired runs.
(b) Queries are typed character by character into the running app's search field; each keystroke is
    timed from the character entering the field until the list shows the new results (the search
    worker has run kb.search and the list is redrawn). The record preview renders after the keys pause.
(c) Echo: a key is posted to the app as the terminal driver posts it, while a long record is being laid
    out (ours) or nothing is (a minimal app with one Input); timed until the compositor draws the field
    holding the character (its render_line is called). Median and p95 of each, interleaved.
    Target: ours p95 <= 1.5x the minimal app's p95.
(d) Typed order: "spf", three backspaces, "mx", 50 ms apart, while a long record is laid out: the field
    must read "mx" in every run (ours and the minimal app's Input, same timing).
(e) List arrow to record: down in the list until the next code's record is on screen (ours), against a
    minimal app whose OptionList shows the highlighted option's text in a Static.
(f) First ctrl+p: from the key to the command palette listing its commands, in a fresh app after its first
    screen (ours, with its own provider and commands), against the minimal app with one Input (Textual's
    own palette). Medians over fresh apps, interleaved.
The machine's load average is printed with the figures: on a shared machine the ratios move with it.
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
ECHO_ROUNDS = 8  # fresh apps per side, alternating
PALETTE_RUNS = 5
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
        # every pending message handled and the frame composed; not pause(), which also waits for the
        # whole process to go idle (counting a background thread's work after the screen is up)
        await pilot.pause(0)
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
            await _settled(app, pilot)  # the first screen, and its warm-up (the search index) done
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


MINIMAL_INPUT = r"""
from textual.app import App
from textual.widgets import Input, OptionList, Static


class MinimalInput(App):
    def compose(self):
        yield Input(id="search")


class MinimalList(App):
    def compose(self):
        yield OptionList(*[f"code {i}" for i in range(200)], id="codes")
        yield Static("", id="shown")

    def on_option_list_option_highlighted(self, event):
        self.query_one("#shown", Static).update(str(event.option.prompt))
"""
LONG_RECORDS = ("550", "421", "X.7.26", "554")


def _minimal_apps():
    namespace: dict = {}
    exec(MINIMAL_INPUT, namespace)
    return namespace["MinimalInput"], namespace["MinimalList"]


async def _settled(app, pilot) -> None:
    # ours: the first screen is up, its warm-up done, nothing searching or painting
    while not getattr(app, "ready", True) or not getattr(app, "warm", True) or getattr(app, "busy", False):
        await pilot.pause(0.01)
    await pilot.pause()


async def _echo_times(app, keys: int, paint: bool) -> list[float]:
    import asyncio
    import random

    from textual import events
    from textual.widgets import Input

    rng = random.Random(7)
    times: list[float] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await _settled(app, pilot)
        field = app.query_one("#search", Input)
        field.focus()
        painted: list[float] = []
        draw = field.render_line

        def render_line(y: int):  # the compositor draws the field: the new text goes to the terminal now
            painted.append(time.perf_counter())
            return draw(y)

        field.render_line = render_line  # type: ignore[method-assign]
        for i in range(keys):
            if len(field.value) > 30:
                field.value = ""
                await _settled(app, pilot)
            if paint:
                app.open_code(LONG_RECORDS[i % len(LONG_RECORDS)])  # a record is being laid out...
            await asyncio.sleep(rng.uniform(0, 0.03))  # ...and the key arrives somewhere in it
            before = field.value
            t0 = time.perf_counter()
            app.post_message(events.Key("a", "a"))
            while field.value == before:
                await asyncio.sleep(0)
            painted.clear()
            while not painted:
                await asyncio.sleep(0)
            times.append((painted[0] - t0) * 1000)
            await _settled(app, pilot)
    return times


async def _typed_in_order(app, paint: bool) -> bool:
    import asyncio

    from textual import events
    from textual.widgets import Input

    async with app.run_test(size=(100, 32)) as pilot:
        await _settled(app, pilot)
        field = app.query_one("#search", Input)
        field.focus()
        if paint:
            app.open_code("550")
        for name in ["s", "p", "f", "backspace", "backspace", "backspace", "m", "x"]:
            app.post_message(events.Key(name, name if len(name) == 1 else None))
            await asyncio.sleep(0.05)
        await _settled(app, pilot)
        return field.value == "mx"


async def _arrow_times(app, moves: int, ours: bool) -> list[float]:
    import asyncio

    from textual import events
    from textual.widgets import OptionList, Static

    times = []
    async with app.run_test(size=(100, 32)) as pilot:
        await _settled(app, pilot)
        codes = app.query_one("#codes", OptionList)
        codes.focus()
        await pilot.pause()
        for _ in range(moves):
            t0 = time.perf_counter()
            app.post_message(events.Key("down", None))
            await asyncio.sleep(0)
            while codes.highlighted_option is None:
                await asyncio.sleep(0)
            wanted = codes.highlighted_option
            if ours:
                while codes.highlighted_option is wanted and not app.query_one("#doc").source.startswith(
                        f"# {wanted.id} "):
                    await asyncio.sleep(0.001)
            else:
                shown = app.query_one("#shown", Static)
                while str(shown.visual) != str(wanted.prompt):
                    await asyncio.sleep(0)
            await pilot.pause(0)
            times.append((time.perf_counter() - t0) * 1000)
            await _settled(app, pilot)
    return times


async def _first_palette(app) -> float:
    import asyncio

    from textual import events
    from textual.command import CommandList, CommandPalette

    async with app.run_test(size=(100, 32)) as pilot:
        await _settled(app, pilot)
        t0 = time.perf_counter()
        app.post_message(events.Key("ctrl+p", None))
        while not CommandPalette.is_open(app):
            await asyncio.sleep(0)
        palette = app.screen
        while not palette.query(CommandList) or palette.query_one(CommandList).option_count == 0:
            await asyncio.sleep(0.001)
        await pilot.pause(0)  # ...and drawn
        return (time.perf_counter() - t0) * 1000


def interaction_figures(keys: int, order_runs: int) -> dict:
    import asyncio

    sys.path.insert(0, str(ROOT))
    from tui.app import SmtpKbApp

    minimal_input, minimal_list = _minimal_apps()
    ours_echo, minimal_echo = [], []
    for _ in range(ECHO_ROUNDS):  # interleaved rounds: both see the same machine
        ours_echo += asyncio.run(_echo_times(SmtpKbApp(lang="en"), keys // ECHO_ROUNDS, paint=True))
        minimal_echo += asyncio.run(_echo_times(minimal_input(), keys // ECHO_ROUNDS, paint=False))
    ours_order = minimal_order = 0
    for _ in range(order_runs):
        ours_order += asyncio.run(_typed_in_order(SmtpKbApp(lang="en"), paint=True))
        minimal_order += asyncio.run(_typed_in_order(minimal_input(), paint=False))
    ours_arrow = asyncio.run(_arrow_times(SmtpKbApp(lang="en"), 20, ours=True))
    minimal_arrow = asyncio.run(_arrow_times(minimal_list(), 20, ours=False))
    ours_palette, minimal_palette = [], []
    for _ in range(PALETTE_RUNS):
        ours_palette.append(asyncio.run(_first_palette(SmtpKbApp(lang="en"))))
        minimal_palette.append(asyncio.run(_first_palette(minimal_input())))
    return {"echo_median_ms": statistics.median(ours_echo), "echo_p95_ms": p95(ours_echo),
            "minimal_echo_median_ms": statistics.median(minimal_echo), "minimal_echo_p95_ms": p95(minimal_echo),
            "echo_p95_ratio": p95(ours_echo) / p95(minimal_echo),
            "typed_in_order": ours_order, "minimal_typed_in_order": minimal_order, "order_runs": order_runs,
            "arrow_median_ms": statistics.median(ours_arrow), "arrow_p95_ms": p95(ours_arrow),
            "minimal_arrow_median_ms": statistics.median(minimal_arrow), "minimal_arrow_p95_ms": p95(minimal_arrow),
            "palette_median_ms": statistics.median(ours_palette),
            "minimal_palette_median_ms": statistics.median(minimal_palette)}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--keys", type=int, default=240, help="keystrokes timed for echo, per app")
    parser.add_argument("--order-runs", type=int, default=30)
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
    inter = interaction_figures(args.keys, args.order_runs)
    result = {**inter, "load_average": os.getloadavg(), "first_screen_ms": ours_ms, "minimal_textual_ms": minimal_ms, "ratio": ratio,
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
        echo_ok = "ok" if inter["echo_p95_ratio"] <= TARGET_RATIO else "OVER TARGET"
        print(f"echo while a record is laid out: median {inter['echo_median_ms']:.1f} ms, p95 {inter['echo_p95_ms']:.1f} ms;"
              f" minimal Input app: median {inter['minimal_echo_median_ms']:.1f} ms, p95 "
              f"{inter['minimal_echo_p95_ms']:.1f} ms; p95 ratio {inter['echo_p95_ratio']:.2f}x "
              f"(target <= {TARGET_RATIO}x) {echo_ok}")
        print(f"edits in typed order: {inter['typed_in_order']} of {inter['order_runs']} runs "
              f"(minimal Input app: {inter['minimal_typed_in_order']} of {inter['order_runs']})")
        print(f"list arrow to record: median {inter['arrow_median_ms']:.1f} ms, p95 {inter['arrow_p95_ms']:.1f} ms; "
              f"minimal OptionList+Static: median {inter['minimal_arrow_median_ms']:.1f} ms, "
              f"p95 {inter['minimal_arrow_p95_ms']:.1f} ms")
        print(f"first ctrl+p to the palette's list: median {inter['palette_median_ms']:.0f} ms; minimal Input app "
              f"(Textual's own palette): {inter['minimal_palette_median_ms']:.0f} ms ({PALETTE_RUNS} fresh apps each)")
        print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in result["load_average"]))
    held = (ratio <= TARGET_RATIO and inter["echo_p95_ratio"] <= TARGET_RATIO
            and inter["typed_in_order"] == inter["order_runs"])
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
