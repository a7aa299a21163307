"""Batch explain throughput and memory, against a bare regex that only extracts the codes.

Generates a log of mixed lines (Postfix, Exim, Sendmail, DSN fields, plain replies, noise), then runs
`smtpkb explain --file LOG` and a bare extractor over the same file, side by side, and compares peak
memory at N and 4N lines. BENCH_BATCH_LINES sets N (default 1,000,000).
"""

import os
import random
import resource
import subprocess
import sys
import tempfile
import time

N = int(os.environ.get("BENCH_BATCH_LINES", "1000000"))
SMTPKB = os.path.join(os.path.dirname(sys.executable), "smtpkb")
TEMPLATES = [
    "Nov 27 10:00:{s:02d} mail postfix/smtp[{p}]: {q}: to=<{lp}@{dom}.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.3, "
    "dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <{lp}@{dom}.com>: Recipient address rejected: "
    "User unknown in local recipient table (in reply to RCPT TO command))",
    "Nov 27 10:00:{s:02d} mail postfix/smtp[{p}]: {q}: to=<{lp}@{dom}.org>, relay=none, delay=30, dsn=4.4.1, status=deferred "
    "(connect to mx.example.org[192.0.2.7]:25: Connection timed out)",
    "** {lp}@{dom}.net R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<{lp}@{dom}.net>: "
    "550 5.7.1 Relaying denied",
    "sm-mta[{p}]: {q}: to=<{lp}@{dom}.com>, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.example.com. [192.0.2.1], dsn=4.2.2, stat=Deferred: 452 4.2.2 Mailbox full",
    "421 4.7.0 Try again later, closing connection. {q} - gsmtp",
    "550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550 5.7.26 {q} - gsmtp",
    "Status: 5.1.1",
    "Nov 27 10:00:{s:02d} mail postfix/smtpd[{p}]: connect from unknown[192.0.2.{s}]",
]
CODES = r"(?<![\d.])([1-5]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})?"


NAMES = ["anna", "ben.meier", "c.schulz", "info", "j_doe", "kontakt", "m.mueller+news", "postmaster", "sales-de", "x9"]


def make_log(path, n):
    # recipients spread over 2,000 domains and many local parts: a reused result must be earned by
    # masking, not by a log that repeats itself verbatim
    rnd = random.Random(7)
    with open(path, "w") as fh:
        for i in range(n):
            t = TEMPLATES[rnd.randrange(len(TEMPLATES))]
            fh.write(t.format(s=i % 60, p=1000 + i % 5000, q=f"{i:010X}", lp=f"{rnd.choice(NAMES)}{i % 997}",
                              dom=f"mail{rnd.randrange(2000)}.example") + "\n")


def run(cmd):
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss or before


def bare(path):
    code = (f"import re\nrx = re.compile({CODES!r})\nn = 0\n"
            f"for line in open({path!r}, 'rb'):\n    m = rx.search(line.decode('utf-8', 'replace'))\n    n += m is not None\n")
    return [sys.executable, "-c", code]


def peak_rss_kb(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1]) if out.returncode == 0 else None


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        make_log(log, N)
        subprocess.run([SMTPKB, "show", "421"], stdout=subprocess.DEVNULL, check=True)  # index compiled before timing
        t_bare, _ = run(bare(log))
        t_kb, _ = run([SMTPKB, "explain", "--file", log, "--json"])
        print(f"batch explain {N:,} lines: {N / t_kb:,.0f} lines/s vs bare code regex {N / t_bare:,.0f} lines/s "
              f"= {t_bare / t_kb:.2f} of its rate (target >= 0.25)")
        met = t_bare / t_kb >= 0.25
        if os.path.exists("/usr/bin/time"):
            big = os.path.join(tmp, "mail4.log")
            make_log(big, 4 * N)
            m1 = peak_rss_kb([SMTPKB, "explain", "--file", log])
            m4 = peak_rss_kb([SMTPKB, "explain", "--file", big])
            print(f"peak memory: {m1 / 1024:.1f} MiB at {N:,} lines, {m4 / 1024:.1f} MiB at {4 * N:,} lines = {m4 / m1:.2f}x (target: flat, ~1.0x)")
            met = met and m4 / m1 <= 1.1
        else:
            print("peak memory: /usr/bin/time not installed (apt-get install time) - skipped")
        sys.exit(0 if met else 1)
