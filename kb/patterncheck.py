"""Is a provider pattern safe to run on any reply? Shapes that backtrack, and a timing on hostile input.

Python's regex engine backtracks: ``(a+)+ gcdp`` takes seconds on forty a's, and ``\\w+@`` reads a long word
once per start. ``shape_problems`` finds such shapes in the pattern tree (kb/_reparse.py); ``timing_problems``
then runs every pattern on strings built from its own pieces, in a child process with a deadline, so that
even a shape the rules miss cannot hang validation. Both serve ``smtpkb validate`` only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

from ._reparse import SAMPLE, parse

LONG = 60  # a repeat with more room than this counts as unbounded
TIMING_SIZES = (2_000, 16_000)  # the second is 8 times the first: linear time grows about 8 times
TIMING_LIMIT = 0.05  # seconds for the longer string; below this no pattern is blamed
GROWTH_LIMIT = 30  # quadratic grows 64 times


def _unbounded(node) -> bool:
    return node[0] == "repeat" and node[3] != "possessive" and (node[2] is None or node[2] - node[1] > LONG)


def _variable(node) -> bool:
    return node[0] == "repeat" and node[3] != "possessive" and node[2] != node[1]


def _can_be_empty(nodes: list) -> bool:
    for n in nodes:
        kind = n[0]
        if kind == "set":
            return False
        if kind == "repeat" and n[1] > 0 and not _can_be_empty(n[4]):
            return False
        if kind in ("group", "atomic") and not _can_be_empty(n[1]):
            return False
        if kind == "branch" and not any(_can_be_empty(b) for b in n[1]):
            return False
    return True


def _first(nodes: list) -> frozenset:
    """The characters a match of ``nodes`` can start with."""
    out: set = set()
    for n in nodes:
        kind = n[0]
        if kind == "set":
            return frozenset(out | n[1])
        if kind == "repeat":
            out |= _first(n[4])
            if n[1] > 0 and not _can_be_empty(n[4]):
                return frozenset(out)
        elif kind in ("group", "atomic"):
            out |= _first(n[1])
            if not _can_be_empty(n[1]):
                return frozenset(out)
        elif kind == "branch":
            out |= set().union(*(_first(b) for b in n[1]))
            if not any(_can_be_empty(b) for b in n[1]):
                return frozenset(out)
        elif kind == "backref":
            return frozenset(out | SAMPLE)
    return frozenset(out)


def _run_set(node) -> frozenset:
    """The characters a repeat's run can consist of."""
    return frozenset(set().union(*(_first([n]) | _inner_sets(n) for n in node[4])) if node[4] else ())


def _inner_sets(node) -> frozenset:
    if node[0] == "set":
        return node[1]
    if node[0] == "repeat":
        return _run_set(node)
    if node[0] in ("group", "atomic"):
        return frozenset(set().union(*(_inner_sets(n) for n in node[1]))) if node[1] else frozenset()
    if node[0] == "branch":
        return frozenset(set().union(*(_inner_sets(n) for b in node[1] for n in b)))
    return frozenset()


def _tail_runs(nodes: list) -> list:
    """The variable repeats a match of ``nodes`` can end in (walking back over what may be empty)."""
    out = []
    for n in reversed(nodes):
        if n[0] == "repeat":
            if _variable(n):
                out.append(n)
            out.extend(_tail_runs(n[4]))
            if n[1] > 0 and not _can_be_empty(n[4]):
                return out
        elif n[0] == "group":
            out.extend(_tail_runs(n[1]))
            if not _can_be_empty(n[1]):
                return out
        elif n[0] == "branch":
            for b in n[1]:
                out.extend(_tail_runs(b))
            if not any(_can_be_empty(b) for b in n[1]):
                return out
        elif n[0] in ("set", "atomic", "backref"):
            return out
    return out


def _walk(nodes: list, found: list, top: bool) -> None:
    # adjacent runs that can take the same characters: every split between them is tried
    previous: list = []  # variable repeats the text so far can end in
    started = False
    for n in nodes:
        kind = n[0]
        if kind == "repeat":
            if _unbounded(n):
                for p in previous:
                    if (_unbounded(p) or _unbounded(n)) and _run_set(p) & _run_set(n):
                        found.append("two runs side by side can take the same characters (every split is tried)")
                        break
                if top and not started:
                    found.append("starts with an unbounded run: each start inside a long run reads it again "
                                 "(begin with a literal, \\b or a lookbehind)")
                body = n[4]
                if _can_be_empty(body):
                    found.append("a repeated part can match nothing")
                elif any(_run_set(t) & _first(body) for t in _tail_runs(body)):
                    found.append("nested unbounded quantifiers: a run inside a repetition can take the next "
                                 "repetition's start (catastrophic backtracking)")
                for b in body:
                    if b[0] == "branch" or (b[0] == "group" and any(x[0] == "branch" for x in b[1])):
                        branches = b[1] if b[0] == "branch" else next(x for x in b[1] if x[0] == "branch")[1]
                        firsts = [_first(br) for br in branches]
                        if any(firsts[i] & firsts[j] for i in range(len(firsts)) for j in range(i + 1, len(firsts))):
                            found.append("alternatives inside a repetition can start alike (each way is tried)")
            _walk(n[4], found, False)
            previous = ([n] if _variable(n) else []) + (previous if _can_be_empty(n[4]) or n[1] == 0 else [])
        elif kind in ("group", "atomic", "look"):
            _walk(n[1], found, top and not started and kind == "group")
            if kind == "group":
                tails = _tail_runs(n[1])
                previous = tails + (previous if _can_be_empty(n[1]) else [])
            elif kind == "atomic":
                previous = []
        elif kind == "branch":
            for b in n[1]:
                _walk(b, found, top and not started)
            previous = [t for b in n[1] for t in _tail_runs(b)]
        elif kind == "set":
            previous = []
        if kind in ("set", "branch", "backref") or (kind == "empty") or (kind == "repeat" and n[1] > 0):
            started = True
        if kind == "look":
            started = True  # a lookbehind or lookahead first pins where a match may start


def shape_problems(pattern: str, flags: int = re.IGNORECASE) -> list[str]:
    """Why ``pattern`` may take more than linear time, one message per kind of shape; [] if none is found."""
    try:
        nodes = parse(pattern, flags)
    except re.error as exc:
        return [f"not a valid regular expression: {exc}"]
    found: list[str] = []
    _walk(nodes, found, True)
    return list(dict.fromkeys(found))


def hostile_strings(pattern: str, size: int, flags: int = re.IGNORECASE) -> list[str]:
    """Strings that make a backtracking pattern work hard: each run's characters pumped, after the part of
    the pattern that leads to it, and followed by a character that fails the rest."""
    try:
        nodes = parse(pattern, flags)
    except re.error:
        return []
    out: dict[str, None] = {}

    def sample(chars: frozenset) -> str:
        for c in "a0 .-_@x":
            if c in chars:
                return c
        return min(chars) if chars else ""

    def visit(items: list, prefix: str) -> str:
        for n in items:
            kind = n[0]
            if kind == "set":
                prefix += sample(n[1])
            elif kind == "repeat":
                run = _run_set(n)
                if n[2] is None or n[2] > LONG:
                    for c in {sample(run), sample(_first(n[4]))} - {""}:
                        out[(prefix + c * size)[:size] + "\x00"] = None
                        out[(prefix + c * (size // 2) + "\x00") * 2] = None
                    body = visit(n[4], "")
                    if body:
                        out[(prefix + body * (size // max(1, len(body))))[:size] + "\x00"] = None
                prefix = visit(n[4], prefix) if n[1] else prefix
            elif kind in ("group", "atomic"):
                prefix = visit(n[1], prefix)
            elif kind == "branch":
                for b in n[1][1:]:
                    visit(b, prefix)
                prefix = visit(n[1][0], prefix)
        return prefix

    visit(nodes, "")
    for c in sorted(set().union(*(_inner_sets(n) for n in nodes)) if nodes else ()):
        if c in "a0 .@-":
            out[c * size] = None
    return list(out)


def _time_all(patterns: list[str], report, sizes: tuple[int, int] = TIMING_SIZES) -> None:
    """Child process: time each pattern; print one JSON line per pattern as soon as it is done."""
    for i, p in enumerate(patterns):
        rx = re.compile(p, re.IGNORECASE)
        worst = (0.0, 0.0)
        small_set, big_set = (hostile_strings(p, n) for n in sizes)
        for small, big in zip(small_set, big_set):
            short = []
            for _ in range(3):  # the best of three: a pause of the machine must not make a ratio look linear
                t0 = time.perf_counter()
                rx.search(small)
                short.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            rx.search(big)
            t2 = time.perf_counter()
            if t2 - t1 > worst[1]:
                worst = (min(short), t2 - t1)
        report(json.dumps([i, worst[0], worst[1]]))


def timing_problems(patterns: list[str], deadline: float = 60.0, sizes: tuple[int, int] = TIMING_SIZES) -> dict[int, str]:
    """{index: message} for patterns that ran too long or grew faster than linear on hostile strings of
    ``sizes`` characters (the second 8 times the first). The patterns run in a child process, so a hang
    costs ``deadline`` seconds and names the pattern."""
    if not patterns:
        return {}
    code = ("import json,sys; from kb.patterncheck import _time_all; "
            f"_time_all(json.load(sys.stdin), lambda s: print(s, flush=True), {tuple(sizes)!r})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=_package_parent())
    try:
        out, _ = proc.communicate(json.dumps(patterns), timeout=deadline)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    done: dict[int, str] = {}
    for line in out.splitlines():
        i, small, big = json.loads(line)
        if big > TIMING_LIMIT and (big > 1.0 or big > GROWTH_LIMIT * max(small, 1e-6)):
            done[i] = f"took {big * 1000:.0f} ms on a hostile string of {sizes[1]} characters " \
                      f"({big / max(small, 1e-6):.0f} times the time of one 8 times shorter): not linear"
        else:
            done[i] = ""
    for i in range(len(patterns)):
        if i not in done:
            done[i] = f"did not finish on hostile strings within {deadline:.0f} s for all patterns: catastrophic backtracking"
            break  # the patterns after it were never timed
    return {i: m for i, m in done.items() if m}


def _package_parent() -> str:
    import os

    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
