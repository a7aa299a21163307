"""Linear time on hostile lines: for each input form, explain a 64 KB line built to make a backtracking
parser work, and the same shape at 6.4 KB, side by side in one run. Linear means about 10x; quadratic
would be about 100x. Target: every form under 25x (the short line's time is a few milliseconds, so noise
and the fixed per-call cost keep real ratios below 10).
"""

import statistics
import sys
import time

import kb

TARGET = 25.0


def forms(n: int) -> dict[str, str]:
    return {
        "code": "550 5.1.1 " + "a" * n,
        "reply (address-like run)": "550 5.1.1 " + "a." * (n // 2),
        "reply (@ run)": "550 5.1.1 " + "a@" * (n // 2),
        "multiline": "550-5.1.1 a\n" * (n // 12) + "550 5.1.1 end",
        "flattened": "550-5.1.1 a " + " " * n + " 550 5.1.1 b",
        "dsn": "Status: 5.1.1\nDiagnostic-Code: smtp; 550 " + "\n ".join(["a"] * (n // 3)),
        "postfix": "status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 " + " (in reply to" * (n // 14) + " x",
        "exim": "** " + "a@" * (n // 2) + "a< SMTP error from remote mail server after RCPT TO: 550 5.1.1 x",
        "sendmail": "to=<u@example.com>, " + "relay=" * (n // 6) + ", dsn=5.1.1, stat=User unknown",
        "exchange ##": "##" + "#550 " * (n // 5),
        "exchange returned": "Remote Server at x (" * (n // 20) + "returned",
        "free text": "x " * (n // 2) + "5.1.1",
        "dotted digits": "5.1.1." * (n // 6),
    }


def timed(line: str) -> float:
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        kb.explain(line)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> int:
    kb.explain("550 5.1.1 warm-up")
    small, big = forms(6_400), forms(64_000)
    worst = 0.0
    print(f"{'form':<26} {'6.4 KB':>9} {'64 KB':>9} {'ratio':>6}   (linear ~10x, quadratic ~100x)")
    for name in small:
        a, b = timed(small[name]), timed(big[name])
        ratio = b / max(a, 1e-6)
        worst = max(worst, ratio)
        print(f"{name:<26} {a * 1000:7.2f}ms {b * 1000:7.2f}ms {ratio:5.1f}x")
    print(f"worst ratio {worst:.1f}x (target < {TARGET:.0f}x)")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
