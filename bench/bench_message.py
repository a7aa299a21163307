"""Whole bounce messages: kb.explain_message over an mbox, against parsing the same mbox alone.

Generates an mbox of bounces of mixed formats (the constructed corpus in tests/messages/constructed/,
each copy with its own recipients, ids and dates), then in separate processes, side by side:
  - baseline: mailbox.mbox + email.message_from_bytes for every mail;
  - explain: mailbox.mbox + kb.explain_message for every mail (every recipient explained).
Real bounces return the original message (Postfix up to bounce_size_limit, 50,000 bytes by default; Exim
up to bounce_return_size_limit, 100K; qmail all of it), so the judged mix gives each returned copy a body of
2-20 KB; the mix with headers-only copies is printed too. Prints mails per second and their ratio (target:
at least 0.5), and peak memory at N and 4N mails: what
explain_message holds beyond the baseline must stay flat. BENCH_MESSAGE_N sets N (default 10,000).
"""

import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

N = int(os.environ.get("BENCH_MESSAGE_N", "10000"))
ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "tests" / "messages" / "constructed").glob("*.eml"))
_ADDR = re.compile(rb"\b([a-z]{3,8})@(example\.(?:net|com)|slow\.example|greylist\.example)")


_WORDS = (b"quarterly figures meeting agenda newsletter offer please find attached invoice update team "
          b"report summary customer order shipping account details thanks regards schedule").split()
_COPY_MARKERS = (b"Below this line is a copy", b"This is a copy of the message", b"Original message follows",
                 b"Below is a copy of the original message")


def _body(rnd: random.Random) -> bytes:
    lines, size = [], rnd.randrange(2000, 20000)
    while size > 0:
        line = b" ".join(rnd.choice(_WORDS) for _ in range(10)) + b"\n"
        lines.append(line)
        size -= len(line)
    return b"".join(lines)


def _with_body(blob: bytes, body: bytes) -> bytes:
    """The template with the returned message's body, where its format returns the message."""
    closing = blob.rstrip().rsplit(b"\n", 1)[-1]
    if closing.startswith(b"--") and closing.endswith(b"--") and blob.lower().rfind(b"content-type: message/rfc822") > 0:
        at = blob.rstrip().rfind(closing)
        return blob[:at] + body + b"\n" + blob[at:]
    if any(m in blob for m in _COPY_MARKERS):
        return blob.rstrip(b"\n") + b"\n" + body
    return blob


def make_mbox(path: Path, n: int, bodies: bool = False) -> None:
    rnd = random.Random(13)
    blobs = [t.read_bytes() for t in TEMPLATES]
    pool = [_body(rnd) for _ in range(64)] if bodies else []  # drawn from a pool: generating each costs seconds
    with open(path, "wb") as fh:
        for i in range(n):
            blob = blobs[rnd.randrange(len(blobs))]
            if bodies:
                blob = _with_body(blob, pool[rnd.randrange(len(pool))])
            # each mail its own recipients (spread over 2,000 domains) and ids
            blob = _ADDR.sub(lambda m, i=i: b"%s%d@d%d.%s" % (m.group(1), i, rnd.randrange(2000), m.group(2)), blob)
            blob = blob.replace(b"2026", b"%d" % (2000 + i % 27))
            blob = re.sub(rb"(?m)^From ", b">From ", blob)  # mboxo quoting, as mailbox.mbox writes it
            fh.write(b"From MAILER-DAEMON Mon Nov  2 10:15:09 2026\n" + blob.rstrip(b"\n") + b"\n\n")


CHILD = r"""
import json, mailbox, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
if mode == "explain":
    sys.path.insert(0, sys.argv[3])
    import kb
    kb.explain("550 5.1.1 warm-up")
    run = kb.explain_message
else:
    import email
    run = email.message_from_bytes
t = time.perf_counter()
box = mailbox.mbox(path, create=False)
n = recipients = 0
for key in box.iterkeys():
    result = run(box.get_bytes(key))
    n += 1
    recipients += len(result) if mode == "explain" else 0
seconds = time.perf_counter() - t
print(json.dumps({"mails": n, "recipients": recipients, "seconds": seconds,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def child(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, str(ROOT)], capture_output=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        headers_only, small, large = Path(tmp) / "h.mbox", Path(tmp) / "n.mbox", Path(tmp) / "4n.mbox"
        make_mbox(headers_only, N)
        make_mbox(small, N, bodies=True)
        make_mbox(large, 4 * N, bodies=True)
        print(f"{N:,} mails from {len(TEMPLATES)} templates (tests/messages/constructed)")
        ratio = 0.0
        for label, path in (("returned copies headers only", headers_only),
                            ("returned copies with 2-20 KB bodies (judged)", small)):
            ratios = []
            for _ in range(3):  # paired runs; the median ratio is judged (the machine is shared)
                base, mine = child(path, "baseline"), child(path, "explain")
                ratios.append((base["seconds"] / base["mails"]) / (mine["seconds"] / mine["mails"]))
            ratio = sorted(ratios)[1]
            print(f"{label}: baseline (mailbox + email.message_from_bytes) {base['mails'] / base['seconds']:,.0f} mails/s, "
                  f"explain_message {mine['mails'] / mine['seconds']:,.0f} mails/s "
                  f"({mine['recipients'] / mine['seconds']:,.0f} recipients/s); ratio {ratio:.2f} (median of 3)")
        print(f"ratio: {ratio:.2f}  (target >= 0.5)")
        big, big_base = child(large, "explain"), child(large, "baseline")
        # mailbox.mbox keeps a table of every mail's offsets, so the baseline grows too: what explain_message
        # itself holds is the difference, which must not grow with the number of mails
        extra_n = (mine["maxrss_kb"] - base["maxrss_kb"]) / 1024
        extra_4n = (big["maxrss_kb"] - big_base["maxrss_kb"]) / 1024
        print(f"peak memory: {mine['maxrss_kb'] / 1024:.1f} MB at {N:,} and {big['maxrss_kb'] / 1024:.1f} MB at {4 * N:,} "
              f"mails (baseline {base['maxrss_kb'] / 1024:.1f} / {big_base['maxrss_kb'] / 1024:.1f} MB)")
        print(f"held by explain_message beyond the baseline: {extra_n:.1f} MB at {N:,}, {extra_4n:.1f} MB at {4 * N:,} "
              f"(target: flat, at most 1.25x + 1 MB)")
        flat = extra_4n <= 1.25 * extra_n + 1
        return 0 if ratio >= 0.5 and flat else 1


if __name__ == "__main__":
    sys.exit(main())
