"""The index compiler: validates everything under codes/ and serialises it into the compiled index that
kb/store.py reads. Only a checkout whose files changed, the wheel's build hook and ``SMTPKB_CODES`` compile;
a start that finds its index current never imports this (nor validation, YAML or jsonschema)."""

import json
import os
import re

from . import syntax as _codes
from .literals import analyse
from .store import FORMAT, RECORD_CORE, DataError, checksum, stamp, stamps_at_open

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def compile_index(root: str, fp: str = "") -> bytes:
    """Validate everything under ``root`` and serialise it; raises DataError on any problem. ``fp`` names the
    index (the wheel's is "wheel"); a checkout's is named by the stamps of the files it is compiled from."""
    from .checks import read_sources, validate
    from .explainer import prepare_matchers
    from .model import Record
    from .reasons import prepare
    from .searchtext import search_row

    # stamped before anything is read: a file edited while this runs is found changed next time
    top_files = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n)))
    code, folders = stamps_at_open(root)
    stamps = {"code": code, "folders": folders, "top_files": top_files,
              "tables": stamp(root, top_files)}
    try:
        # the files validation reads (kb/checks.py discover skips hidden ones, such as an editor's lock
        # ".#gmail.yaml"): what Index.current stamps again, by the providers' ids
        providers_ = sorted(n for n in os.listdir(os.path.join(root, "providers"))
                            if n.endswith(".yaml") and not n.startswith("."))
    except OSError:
        providers_ = []
    stamps["providers"] = stamp(os.path.join(root, "providers"), providers_)
    record_stamps: dict[str, str] = {}  # code -> the stamp of its file
    for folder in (os.path.join(root, "basic"), os.path.join(root, "enhanced")):
        try:
            listed = os.listdir(folder)
        except OSError:
            listed = []
        record_stamps.update((n[: -len(".yaml")], stamp(folder, [n])) for n in listed if n.endswith(".yaml"))
    problems = validate(root)
    if problems:
        raise DataError(problems)
    sources, _ = read_sources(root)
    base = os.path.dirname(os.path.abspath(root))
    docs: list[tuple[str, str, Any]] = []
    matchers: list[list] = []
    signatures: dict[str, list] = {}
    for s in sources:
        value: dict = dict(s.value)  # validated above: a mapping
        value["_source"] = os.path.relpath(s.path, base)
        if s.kind == "structure":
            docs.append(("structure", "structure", value))
        elif s.kind == "tables":  # codes/<name>.yaml with a schema of its own (reasons, crosswalks, ...)
            docs.append(("tables", os.path.basename(s.path)[: -len(".yaml")], value))
        elif s.kind == "providers":
            docs.append(("providers", value["id"], value))
            matchers.append(_matcher(value))
            signatures[value["id"]] = _signatures(value)
        else:
            docs.append(("records", value["code"], value))
    docs.sort(key=lambda d: (d[0], _codes.sort_key(d[1]) if d[0] == "records" else d[1]))
    body = bytearray()
    matchers.sort(key=lambda m: m[0])
    header: dict = {"format": FORMAT, "stamps": stamps,
                    # names this index (kb.scale ships it to workers once): changes with any file it comes from
                    "fingerprint": fp or f"{checksum(json.dumps([stamps, record_stamps], sort_keys=True).encode()):x}",
                    "records": {}, "providers": {}, "tables": {}, "reasons": {},
                    "structure": None, "matchers": None, "hosts": None, "search": None, "heads": None, "taxonomy": None}
    # the ranking's folded texts, worked out once here: the first search then reads one document
    # instead of decoding every record
    docs.append(("search", "search", [search_row(Record(v)) for section, _, v in docs if section == "records"]))
    # what a list of codes shows (title, source), in a document of its own: an explanation does not read it
    prepared, hosts = prepare_matchers(matchers)
    docs += [("matchers", "matchers", prepared), ("hosts", "hosts", hosts)]
    # the explainer's reason tables, without the descriptions it does not read; each reason's details apart
    for section, key, v in list(docs):
        if section == "tables" and key == "reasons":
            tables, details = prepare(v)
            docs.append(("taxonomy", "taxonomy", tables))
            docs += [("reasons", reason, d) for reason, d in details.items()]
    docs.append(("heads", "heads", {v["code"]: [v["title"], v["_source"]] for section, _, v in docs if section == "records"}))
    def put(value: "Any") -> str:
        blob = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        body.extend(blob + b"\n")
        return f"{len(body) - len(blob) - 1},{len(blob)},{checksum(blob)}"

    for section, key, value in docs:
        if section == "records":  # "core document,status,the rest,stamp of its file"
            core = {k: v for k, v in value.items() if k in RECORD_CORE}
            rest = {k: v for k, v in value.items() if k not in RECORD_CORE}
            rest["_keys"] = list(value)  # the record's own field order, restored when the two are joined
            entry = f"{put(core)},{value.get('status') or ''},{put(rest)},{record_stamps.get(key, 'missing')}"
        elif section == "providers":  # "provider document,its signatures' matchers"
            entry = f"{put(value)},{put(signatures[key])}"
        else:
            entry = put(value)
        if section in ("structure", "search", "heads", "matchers", "hosts", "taxonomy"):
            header[section] = entry
        else:
            header[section][key] = entry
    header["body_length"] = len(body)
    head = json.dumps(header, separators=(",", ":")).encode()
    # the header line ends with its own checksum, so a torn or edited header is caught before it is trusted
    return head + b" " + f"{checksum(head):08x}".encode() + b"\n" + bytes(body)


def _matcher(provider: dict) -> list:
    """What the explainer needs to recognise a provider (explainer.prepare_matchers), without the texts:
    [id, kind, domains, [[host pattern, shortcuts]], [[index, codes, enhanced, pattern, shortcuts]] of the
    marker signatures (those apply without their provider recognised)]. A provider's other signatures
    are a document of their own (``_signatures``), decoded once that provider is recognised.
    The shortcuts (see kb/literals.py analyse) are worked out here once instead of at every start."""
    ic = re.IGNORECASE
    return [provider["id"], provider["kind"], provider.get("domains", []),
            [[p, analyse(p, ic)] for p in provider.get("host_patterns", ())],
            [[i] + sig for i, sig in enumerate(_signatures(provider)) if provider["signatures"][i].get("marker")]]


def _signatures(provider: dict) -> list:
    """[[codes, enhanced, pattern, shortcuts]] of each of the provider's signatures, in order."""
    return [[sig.get("codes", []), sig.get("enhanced", []), sig["pattern"], analyse(sig["pattern"], re.IGNORECASE)]
            for sig in provider["signatures"]]
