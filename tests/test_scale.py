"""DuckDB and Dask classify logs with the same rows as the CLI: their counts equal `smtpkb explain --summary`."""

import io
import json

import dask.dataframe as dd
import duckdb  # smtp-kb[scale], part of the dev extra that make test installs
import pytest

import kb
from kb.batch import run as batch_run
from kb.rows import ROW_FIELDS

TEMPLATES = (
    "Nov 27 10:00:{s:02d} mail postfix/smtp[{pid}]: {qid}: to=<u{i}@d{d}.example>, relay=mx.d{d}.example[192.0.2.{d}]:25, "
    "delay=0.35, delays=0.1/0/0.1/0.1, dsn=5.1.1, status=bounced (host mx.d{d}.example[192.0.2.{d}] said: 550 5.1.1 "
    "<u{i}@d{d}.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))",
    "Nov 27 10:01:{s:02d} mail postfix/smtp[{pid}]: {qid}: to=<v{i}@slow{d}.example>, relay=none, delay=300, "
    "delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to mx.slow{d}.example[192.0.2.7]:25: Connection timed out)",
    "2026-11-27 10:02:{s:02d} 1t{qid}-000 ** w{i}@gmail.com R=dnslookup T=remote_smtp: SMTP error from remote mail server "
    "after end of data: 550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550 5.7.26 gsmtp",
    "421 4.7.0 [TSS04] Messages from 192.0.2.{d} temporarily deferred due to unexpected volume or user complaints",
    "",
    "random words that are no reply at all {i}",
)


def generated(n: int) -> list[str]:
    return [TEMPLATES[i % len(TEMPLATES)].format(i=i, d=i % 7, s=i % 60, pid=1000 + i, qid=f"{i:08X}") for i in range(n)]


def summary_counts(lines: list[str]) -> dict:
    out = io.StringIO()
    batch_run(io.BytesIO(("\n".join(lines) + "\n").encode()), out, as_json=True, summary=True)
    return json.loads(out.getvalue().splitlines()[-1])["summary"]["reasons"]


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    lines = generated(3000)
    path = tmp_path_factory.mktemp("logs") / "mail.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


def test_duckdb_sql_counts_equal_the_cli_summary(log):
    import kb.scale

    path, lines = log
    con = duckdb.connect()
    kb.scale.register_duckdb(con)
    got = con.sql(f"""
        SELECT e.reason, count(*) AS n
        FROM (SELECT smtp_explain(line) AS e
              FROM read_csv('{path}', columns={{'line': 'VARCHAR'}}, delim='\\x01', quote='', escape='',
                            header=false, auto_detect=false))
        WHERE e.form <> 'empty'
        GROUP BY ALL""").fetchall()
    assert dict(got) == summary_counts(lines)
    one = con.sql("SELECT smtp_explain('550 5.1.1 <a@example.com>: User unknown') AS e").fetchall()[0][0]
    assert list(one) == list(ROW_FIELDS) and one["reason"] == "user-unknown" and one["recipient"] == "a@example.com"


def test_dask_local_cluster_counts_equal_the_cli_summary_and_the_index_ships_once(log):
    from dask.distributed import Client, LocalCluster

    import kb.scale

    path, lines = log
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        frame = dd.read_csv(str(path), names=["line"], sep="\x01", quoting=3, dtype=str, blocksize="64KB",
                            keep_default_na=False, na_filter=False, skip_blank_lines=False)
        assert frame.npartitions > 2
        rows = kb.scale.classify(frame, client=client)
        counts = rows[rows["form"] != "empty"].groupby("reason").size().compute().to_dict()
        # every worker answered from the index it was sent (held in memory), set up once per worker
        shipped = client.run(lambda: (kb.scale._SHIPPED.get("fingerprint"), kb.database().index.blob is not None))
    assert counts == summary_counts(lines)
    assert len(shipped) == 2 and all(fp and in_memory for fp, in_memory in shipped.values())


def test_a_damaged_shipped_index_is_refused():
    blob = bytearray(kb.database().index.raw())
    blob[len(blob) // 2] ^= 1
    with pytest.raises(kb.DataError):
        kb.use_index(bytes(blob))
    kb.reload()
    assert kb.explain("550 5.1.1 x").verdict.reason == "user-unknown"


def test_parquet_export_has_the_csv_columns_and_rows(tmp_path, capsys):
    import csv

    import pyarrow.parquet as pq

    from kb.cli import main
    from kb.export import FLAT_SCHEMA

    out = tmp_path / "codes.parquet"
    assert main(["export", "--format", "parquet", "--output", str(out)]) == 0
    table = pq.read_table(out)
    assert table.column_names == list(FLAT_SCHEMA)
    capsys.readouterr()
    assert main(["export", "--format", "csv"]) == 0
    from_csv = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table.to_pylist() == from_csv
    assert main(["export", "--format", "parquet"]) == 2  # binary: only into a file


def test_partitions_have_the_types_meta_promises_and_na_words_stay_text():
    import pandas as pd

    import kb.scale

    frame = pd.DataFrame({"line": ["NA", "550 5.1.1 <a@example.com>: User unknown", None, "nan", "421 4.7.0 later"]})
    out = kb.scale.classify_partition(frame)
    assert dict(out.dtypes) == dict(kb.scale.meta().dtypes)
    assert list(out["form"]) == ["text", "reply", "empty", "text", "reply"]
    assert out["reason"][1] == "user-unknown"
