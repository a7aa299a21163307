"""The dataset for other languages and tools: JSON (with its schemas), JSON Lines, CSV.

The CLI (`smtpkb export`) and the site's dataset page both call ``write``, so they publish the same data.
"""

from __future__ import annotations

import json

from .store import schemas

__all__ = ["CSV_COLUMNS", "csv_row", "schemas", "write"]

CSV_COLUMNS = ("code", "kind", "status", "title_en", "title_de", "summary_en", "summary_de", "retry_decision",
               "log_level", "enhanced_codes", "basic_codes", "related", "defined_in", "source")


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
