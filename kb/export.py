"""The dataset for other languages and tools: JSON (with its schemas), JSON Lines, CSV, Parquet.

The CLI (`smtpkb export`) and the site's dataset page both call ``write``, so they publish the same data.
"""

from __future__ import annotations

import json

from .store import schemas

__all__ = ["CSV_COLUMNS", "FLAT_SCHEMA", "csv_row", "schemas", "write", "write_parquet"]

# The flat schema of the CSV and Parquet exports: one row per record, every column a string.
FLAT_SCHEMA: dict[str, str] = {
    "code": "the record's code: 421, or X.7.26 for an enhanced code (class-independent)",
    "kind": "basic or enhanced",
    "status": "standard, extension, provider-specific, draft, deprecated or non-standard",
    "title_en": "title, English", "title_de": "title, German",
    "summary_en": "what the code means, English", "summary_de": "what the code means, German",
    "retry_decision": "retry, retry-after-fix or do-not-retry (for enhanced codes: of its first class)",
    "log_level": "suggested log level",
    "enhanced_codes": "enhanced codes that travel with a basic code, space-separated",
    "basic_codes": "basic codes an enhanced code is registered with, space-separated",
    "related": "related codes, space-separated",
    "defined_in": "where the code is defined (RFC and section), semicolon-separated",
    "source": "the YAML file of the record",
}
CSV_COLUMNS = tuple(FLAT_SCHEMA)


def _public(value):
    """The data as written in codes/, without the index's own bookkeeping keys (``_source``)."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def _rows():
    import kb

    for rec in kb.records():
        yield rec


def csv_row(rec) -> dict:
    retry = rec.retry or next(iter(rec.retry_by_class.values()))
    return {
        "code": rec.code, "kind": rec.kind, "status": rec.status, "title_en": rec.title.en, "title_de": rec.title.de,
        "summary_en": rec.summary.en, "summary_de": rec.summary.de, "retry_decision": retry.decision,
        "log_level": retry.log_level, "enhanced_codes": " ".join(rec.enhanced_codes), "basic_codes": " ".join(rec.basic_codes),
        "related": " ".join(rec.related), "defined_in": "; ".join(d.citation for d in rec.definitions), "source": rec.source,
    }


def write(fh, fmt: str) -> None:
    import kb

    if fmt == "json":
        doc = {
            "dataset": "smtp-kb", "version": kb.__version__,
            "records": [r.as_dict() for r in _rows()],
            "providers": [_public(kb.database().read(lambda idx, p=p: idx.provider_data(p.id))) for p in kb.providers()],
            "structure": {k: v for k, v in kb.database().read(lambda idx: idx.structure()).items() if not k.startswith("_")},
            "tables": {name: _public(kb.database().read(lambda idx, n=name: idx.table(n))) for name in kb.database().index.table_names()},
            "schemas": schemas(),
        }
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    elif fmt == "jsonl":
        for r in _rows():
            fh.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in _rows():
            w.writerow(csv_row(r))
    else:
        raise ValueError(f"unknown format {fmt!r}")


def write_parquet(path: str) -> None:
    """The flat export as Parquet (columns and order of ``FLAT_SCHEMA``); needs pyarrow (smtp-kb[parquet])."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [csv_row(r) for r in _rows()]
    table = pa.table({k: pa.array([row[k] for row in rows], type=pa.string()) for k in FLAT_SCHEMA},
                     metadata={"dataset": "smtp-kb", "schema": json.dumps(FLAT_SCHEMA)})
    pq.write_table(table, path)
