"""The explainer where the data already is: DuckDB on one machine, Dask across a fleet.

Both produce the flat rows of ``kb.rows`` (``ROW_SCHEMA``), so their counts agree with
``smtpkb explain --summary`` and ``smtpkb report``. One difference: an engine hands over lines in chunks
(DuckDB) or partitions (Dask), so there ``line`` is the position within that chunk, not in the file. Neither engine is imported by ``import kb``; install
``smtp-kb[scale]``.

DuckDB::

    import duckdb, kb.scale
    con = duckdb.connect()
    kb.scale.register_duckdb(con)          # smtp_explain(line VARCHAR) -> STRUCT(...)
    con.sql("SELECT e.reason, count(*) FROM (SELECT smtp_explain(line) AS e FROM read_csv('mail.log',"
            " columns={'line': 'VARCHAR'}, delim='\\x01', quote='', header=false)) GROUP BY ALL")

Dask::

    from dask.distributed import Client
    import dask.dataframe as dd, kb.scale
    client = Client()                       # or the fleet's scheduler
    lines = dd.read_csv("logs/*.log", names=["line"], sep="\\x01", quoting=3, dtype=str, blocksize="64MB",
                        keep_default_na=False, na_filter=False)  # a line reading "NA" stays text
    rows = kb.scale.classify(lines, client=client)   # the compiled index goes to each worker once
    rows.groupby("reason").size().compute()
"""

from __future__ import annotations

from .rows import ROW_FIELDS, ROW_SCHEMA, explain_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_DUCK_TYPES = {"int": "INTEGER", "bool|null": "BOOLEAN"}


def duckdb_struct() -> str:
    """The DuckDB type of one row: STRUCT(line INTEGER, time VARCHAR, ...)."""
    return "STRUCT(" + ", ".join(f'"{k}" {_DUCK_TYPES.get(t, "VARCHAR")}' for k, (t, _) in ROW_SCHEMA.items()) + ")"


def arrow_schema():
    import pyarrow as pa

    kinds = {"int": pa.int64(), "bool|null": pa.bool_()}
    return pa.struct([(k, kinds.get(t, pa.string())) for k, (t, _) in ROW_SCHEMA.items()])


def register_duckdb(con: Any, name: str = "smtp_explain") -> None:
    """Register ``name(line VARCHAR) -> STRUCT`` on a DuckDB connection. It is a vectorised (Arrow) function:
    DuckDB hands it a chunk of lines at a time, and repeated lines within a chunk are explained once."""
    import pyarrow as pa

    struct = arrow_schema()
    cache: dict = {}  # shared by the chunks of one query, bounded as in kb.rows

    names = list(ROW_FIELDS)

    def explain_chunk(lines):
        rows = list(explain_rows(lines.to_pylist(), keep_empty=True, cache=cache))
        columns = [pa.array([r[k] for r in rows], type=struct.field(k).type) for k in names]
        return pa.StructArray.from_arrays(columns, fields=list(struct))

    con.create_function(name, explain_chunk, ["VARCHAR"], duckdb_struct(), type="arrow", side_effects=False)


# ----- Dask -----
_SHIPPED: dict[str, str] = {}  # on a worker: the fingerprint of the index it was given
_CACHE: dict = {}  # on a worker: explanations reused across its partitions (bounded as in kb.rows)


def _use_shipped(blob: bytes) -> None:
    """On a worker: serve from the shipped index, once per worker process, not once per partition."""
    import json

    import kb

    fingerprint = json.loads(blob[: blob.index(b"\n")].rpartition(b" ")[0])["fingerprint"]
    if _SHIPPED.get("fingerprint") != fingerprint:
        kb.use_index(blob)
        _CACHE.clear()
        _SHIPPED["fingerprint"] = fingerprint


def classify_partition(df: Any, column: str = "line", index: bytes | None = None) -> Any:
    """One pandas partition of log lines -> one partition of rows (``ROW_FIELDS``), line for line."""
    import pandas as pd

    if index is not None:
        _use_shipped(index)
    lines = df[column].tolist()
    rows = list(explain_rows(lines, keep_empty=True, cache=_CACHE))
    out = pd.DataFrame.from_records(rows, columns=list(ROW_FIELDS), index=df.index)
    return out.astype(_dtypes())  # the same types in every partition, whatever pandas would infer


def _dtypes() -> dict:
    import pandas as pd

    kinds = {"int": "int64", "bool|null": "boolean"}  # nullable: suppress may be unknown
    return {k: kinds.get(t, pd.StringDtype()) for k, (t, _) in ROW_SCHEMA.items()}


def meta() -> Any:
    """An empty frame with the rows' columns and types (what Dask calls ``meta``)."""
    import pandas as pd

    return pd.DataFrame({k: pd.Series(dtype=t) for k, t in _dtypes().items()})


def classify(lines: Any, column: str = "line", client: Any = None) -> Any:
    """Rows for a Dask DataFrame of log lines. With a ``client``, the compiled index is scattered to every
    worker once (workers then need only the kb package, not the YAML records or PyYAML)."""
    import kb

    blob = kb.database().read(lambda idx: idx.raw())  # current: rebuilt first if a file changed
    index: Any = client.scatter(blob, broadcast=True) if client is not None else blob
    return lines.map_partitions(classify_partition, column, index, meta=meta())
