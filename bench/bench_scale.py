"""Classifying logs at scale, each figure against a baseline run side by side on the same generated log.

- DuckDB (``smtp_explain(line)`` over ``read_csv``) against ``smtpkb explain --file`` on the same lines;
- Dask on two local workers against one (scaling), and its rows per second against the same Dask job
  running a bare Python function that only extracts the codes with a regex (target: at least 0.25);
- ``smtpkb report --html`` on the log: time against ``smtpkb explain --file``, and the page's size.
BENCH_SCALE_LINES sets the number of lines (default 1,000,000).
"""

import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_batch import CODES, make_log  # the same mixed log as the batch benchmark

N = int(os.environ.get("BENCH_SCALE_LINES", "1000000"))
SMTPKB = os.path.join(os.path.dirname(sys.executable), "smtpkb")
_CODES = re.compile(CODES)


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def codes_only(df):
    """The baseline: a bare Python function per partition that only extracts the codes."""
    import pandas as pd

    found = [(_CODES.search(x) or None) for x in df["line"].tolist()]
    return pd.DataFrame({"basic": [m.group(1) if m else None for m in found],
                         "enhanced": [m.group(2) if m else None for m in found]}, index=df.index)


def dask_run(path, workers, fn):
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    import kb.scale

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        frame = dd.read_csv(path, names=["line"], sep="\x01", quoting=3, dtype=str, blocksize="16MB",
                            keep_default_na=False, na_filter=False)
        frame = frame.persist()  # reading the file is not what is measured
        client.wait_for_workers(workers)
        if fn == "explain":
            job = kb.scale.classify(frame, client=client)
        else:
            import pandas as pd

            job = frame.map_partitions(codes_only, meta=pd.DataFrame({"basic": pd.Series(dtype=object),
                                                                      "enhanced": pd.Series(dtype=object)}))
        return timed(lambda: len(job.persist()))


def main():
    import duckdb

    import kb.scale

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mail.log")
        make_log(path, N)
        cli = timed(lambda: subprocess.run([SMTPKB, "explain", "--file", path], stdout=subprocess.DEVNULL, check=True))
        con = duckdb.connect()
        kb.scale.register_duckdb(con)
        sql = (f"SELECT e.reason, count(*) FROM (SELECT smtp_explain(line) AS e FROM read_csv('{path}', "
               "columns={'line': 'VARCHAR'}, delim='\\x01', quote='', escape='', header=false, auto_detect=false)) GROUP BY ALL")
        duck = timed(lambda: con.sql(sql).fetchall())
        print(f"DuckDB smtp_explain over {N:,} lines  {duck:6.1f} s vs smtpkb explain --file {cli:6.1f} s "
              f"= {cli / duck:.2f}x the CLI's throughput")

        one = dask_run(path, 1, "explain")
        two = dask_run(path, 2, "explain")
        bare = dask_run(path, 2, "codes")
        print(f"Dask, 1 worker {one:6.1f} s, 2 workers {two:6.1f} s = {one / two:.2f}x scaling on {os.cpu_count()} cores")
        ratio = bare / two
        print(f"Dask rows/s: explain {N / two:,.0f} vs a bare code regex {N / bare:,.0f} = {ratio:.2f} (target >= 0.25)")
        ok = ok and ratio >= 0.25

        html = os.path.join(tmp, "report.html")
        rep = timed(lambda: subprocess.run([SMTPKB, "report", path, "--html", html], stdout=subprocess.DEVNULL, check=True))
        print(f"smtpkb report --html over {N:,} lines  {rep:6.1f} s = {rep / cli:.2f}x smtpkb explain --file; "
              f"page {os.path.getsize(html) / 1024:.0f} KiB")
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
