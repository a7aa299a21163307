"""The compiled index heals itself: a damaged, foreign or missing index is rebuilt, one process builds it,
and nothing is left behind. Each test works on a copy of the checkout's kb package and codes, so the
real build/kb-index.json is never touched."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPLY = "550 5.1.1 <a@example.com>: User unknown"


@pytest.fixture
def checkout(tmp_path):
    """A copy of kb/ and codes/ whose index lives in tmp_path/build/kb-index.json."""
    shutil.copytree(ROOT / "kb", tmp_path / "kb", ignore=shutil.ignore_patterns("__pycache__", "_index.json"))
    shutil.copytree(ROOT / "codes", tmp_path / "codes")
    return tmp_path


def run(checkout, *args, code="import kb; print(kb.explain({reply!r}).verdict.reason)"):
    env = {k: v for k, v in os.environ.items() if k not in ("SMTPKB_CODES", "PYTHONPATH")}
    env["PYTHONPATH"] = str(checkout)
    return subprocess.run([sys.executable, "-c", code.format(reply=REPLY), *args], capture_output=True, text=True,
                          cwd=checkout, env=env, timeout=300)


def index(checkout) -> Path:
    return checkout / "build" / "kb-index.json"


def built(checkout) -> bytes:
    first = run(checkout)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "user-unknown"
    return index(checkout).read_bytes()


def damage_cases(good: bytes):
    n = len(good)
    flipped = bytearray(good)
    for p in (n // 3, n // 2, n - 100):
        flipped[p] ^= 0x20
    return {
        "truncated to half": good[: n // 2],
        "garbage": b"garbage\n",
        "header []": b"[]\n",
        "header null": b"null\n",
        "header 1": b"1\n",
        "empty": b"",
        "three flipped bytes": bytes(flipped),
        "a flipped byte in the header": bytes([good[0]]) + good[1:10] + bytes([good[10] ^ 1]) + good[11:],
    }


def test_every_kind_of_damage_is_rebuilt_with_one_line_on_stderr(checkout):
    good = built(checkout)
    cases = damage_cases(good)
    # read every document, so damage anywhere in the file is met
    everything = ("import kb; [(r.summary.en, r.causes) for r in kb.records()]; kb.providers(); kb.search('mailbox full'); "
                  "kb.structure(); print(kb.explain({reply!r}).verdict.reason)")
    for name, bad in cases.items():
        index(checkout).write_bytes(bad)
        out = run(checkout, code=everything)
        assert out.returncode == 0, (name, out.stderr)
        assert out.stdout.strip() == "user-unknown", name
        said = [ln for ln in out.stderr.splitlines() if ln]
        assert len(said) == 1 and "rebuil" in said[0], (name, out.stderr)
        assert "Traceback" not in out.stderr
        after = run(checkout, code=everything)  # healed: the next run says nothing
        assert after.returncode == 0 and after.stderr == "", (name, after.stderr)


def test_an_index_of_another_version_is_rebuilt_without_a_word(checkout):
    """After an upgrade the index on disk is of another format, summed either way (format 12 changed how):
    rebuilt as after any change of the code, and not called damaged."""
    import binascii
    import json

    from kb.store import FORMAT, checksum

    good = built(checkout)
    nl = good.index(b"\n")
    header = json.loads(good[:nl].rpartition(b" ")[0])
    header["format"] = FORMAT - 1
    body = json.dumps(header, separators=(",", ":")).encode()
    for crc in (checksum(body), binascii.crc32(body)):  # the sum of this version, of the one before
        index(checkout).write_bytes(body + b" %08x" % crc + good[nl:])
        out = run(checkout)
        assert out.returncode == 0 and out.stdout.strip() == "user-unknown", out.stderr
        assert out.stderr == ""
        assert index(checkout).read_bytes() == good  # rebuilt


def test_damage_found_while_in_use_is_rebuilt_and_the_answer_is_right(checkout):
    import json

    good = built(checkout)
    # the header is intact, documents further on are not: found only when they are decoded. One byte is
    # flipped in each of a record's two documents (what an explanation reads, and the rest), one run reads each.
    nl = good.index(b"\n")
    entry = [int(n) for n in json.loads(good[:nl].rpartition(b" ")[0])["records"]["X.7.0"].split(",") if n.isdigit()]
    for start, length in ((entry[0], entry[1]), (entry[3], entry[4])):  # offset,length,checksum,status,offset,...
        body = bytearray(good)
        body[nl + 1 + start + length // 2] ^= 0x01
        index(checkout).write_bytes(bytes(body))
        out = run(checkout, code="import kb; print(len([(r.summary.en, r.causes) for r in kb.records()]) == len(kb.codes()))")
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "True"
        assert "rebuilt" in out.stderr
        assert index(checkout).read_bytes() == good  # healed on disk too


def test_an_index_path_that_is_a_directory_leaves_no_temporary_file(checkout):
    index(checkout).mkdir(parents=True)
    for _ in range(2):
        out = run(checkout)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "user-unknown"
    leftovers = [p.name for p in (checkout / "build").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_eight_processes_starting_at_once_compile_the_index_once(checkout):
    built(checkout)
    (checkout / "codes" / "basic" / "550.yaml").touch()  # a record the explanation reads changed: the index is stale
    code = ("import kb.compiler as s, kb\n"
            "real = s.compile_index\n"
            "def counted(*a, **k):\n"
            "    open('compiles.log', 'a').write('x')\n"
            "    return real(*a, **k)\n"
            "s.compile_index = counted\n"
            "print(kb.explain({reply!r}).verdict.reason)")
    env = {k: v for k, v in os.environ.items() if k not in ("SMTPKB_CODES", "PYTHONPATH")}
    env["PYTHONPATH"] = str(checkout)
    procs = [subprocess.Popen([sys.executable, "-c", code.format(reply=REPLY)], cwd=checkout, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert all(o.strip() == "user-unknown" for o, _ in outs)
    assert (checkout / "compiles.log").read_text() == "x"


def test_a_symlink_loop_under_codes_is_a_validation_problem_not_a_crash(checkout):
    loop = checkout / "codes" / "basic" / "loop.yaml"
    os.symlink(loop, loop)
    out = subprocess.run([sys.executable, "-m", "kb", "validate", str(checkout / "codes")], capture_output=True,
                         text=True, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)}, timeout=300)
    assert out.returncode == 1, out.stderr
    assert "loop.yaml" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    # every other command says the knowledge base is broken (exit 3), naming the file
    other = run(checkout, code="import sys; from kb.cli import main; sys.exit(main(['explain', '550 5.1.1 x']))")
    assert other.returncode == 3, other.stderr
    assert "loop.yaml" in other.stderr and "Traceback" not in other.stderr


def test_reloading_does_not_leak_file_descriptors():
    import gc

    import kb

    kb.lookup("421").summary  # noqa: B018  (opens the index)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(200):
        kb.reload()
        kb.lookup("421").summary  # noqa: B018
    gc.collect()  # an old database is closed when collected (a reader in another thread may still hold it)
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def test_an_index_of_the_wrong_shape_is_a_data_error_not_a_crash():
    import json

    import kb
    from kb.store import FORMAT, checksum

    for header in ({"format": FORMAT}, {"format": FORMAT, "body_length": 0, "records": [], "providers": {}}, [], "x"):
        head = json.dumps(header).encode()
        blob = head + b" " + f"{checksum(head):08x}".encode() + b"\n"
        with pytest.raises(kb.DataError):
            kb.use_index(blob)
    with pytest.raises(TypeError):
        kb.use_index("not bytes")
    kb.reload()


READS = "import kb; kb.lookup('421').summary; kb.explain({reply!r}); kb.table('retry'); print(kb.lookup('421').title.en)"


def test_the_index_is_rebuilt_after_every_kind_of_change(checkout):
    """A checkout's index is rebuilt when a record, provider, table or schema file or a kb module is edited in
    place (same size, new mtime), added or removed, as soon as a process reads what changed; unchanged files
    leave it as it is."""
    good = built(checkout)
    out = run(checkout, code=READS)
    assert out.returncode == 0 and index(checkout).read_bytes() == good, out.stderr
    seen = [good]

    def touch(path):
        return lambda: os.utime(path, ns=(0, path.stat().st_mtime_ns + 1))

    codes = checkout / "codes"
    kept = (codes / "basic" / "421.yaml").read_bytes()
    for change in (
        touch(codes / "basic" / "421.yaml"),  # edited in place, same size
        touch(codes / "providers" / "gmail.yaml"),
        touch(codes / "retry.yaml"),
        lambda: (codes / "structure.yaml").write_bytes((codes / "structure.yaml").read_bytes() + b"\n"),
        lambda: os.utime(checkout / "kb" / "schema" / "basic.schema.json", ns=(0, 1)),
        lambda: os.utime(checkout / "kb" / "render.py", ns=(0, 1)),
        (codes / "basic" / "421.yaml").unlink,  # removed: the index must not keep serving it
    ):
        change()
        out = run(checkout, code=READS)
        now = index(checkout).read_bytes()
        if not (codes / "basic" / "421.yaml").exists():  # others name 421 as related: compiling finds them
            assert "DataError" in out.stderr and "related code '421' has no record" in out.stderr, out.stderr
            continue
        assert out.returncode == 0 and out.stderr == "", out.stderr
        assert now not in seen
        seen.append(now)
    (codes / "basic" / "421.yaml").write_bytes(kept)
    (codes / "providers" / "zz-new.yaml").write_text("x")  # added: compiled, so found broken
    out = run(checkout, code=READS)
    assert "DataError" in out.stderr and "zz-new.yaml" in out.stderr, out.stderr


def test_the_whole_tree_fingerprint_sees_every_kind_of_change(checkout):
    """store.fingerprint (what the site's `mkdocs serve` reloads on) changes when a record, provider, table or
    schema file or a kb module is edited in place, added or removed; unchanged files give the same one."""
    code = "import kb.store as s; print(s.fingerprint(s.codes_dir()))"

    def fp() -> str:
        out = run(checkout, code=code)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    seen = [fp()]
    assert fp() == seen[0]
    codes = checkout / "codes"
    for change in (
        lambda: os.utime(codes / "basic" / "421.yaml", ns=(0, (codes / "basic" / "421.yaml").stat().st_mtime_ns + 1)),
        lambda: os.utime(codes / "providers" / "gmail.yaml", ns=(0, 1)),
        lambda: (codes / "providers" / "zz-new.yaml").write_text("x"),
        (codes / "providers" / "zz-new.yaml").unlink,
        lambda: os.utime(checkout / "kb" / "schema" / "basic.schema.json", ns=(0, 1)),
        lambda: os.utime(checkout / "kb" / "render.py", ns=(0, 1)),
        lambda: (codes / "structure.yaml").write_bytes((codes / "structure.yaml").read_bytes() + b"\n"),
    ):
        change()
        now = fp()
        assert now not in seen
        seen.append(now)


def test_a_process_checks_only_what_it_reads_and_sees_an_edit_there(checkout):
    """An edit to a record that a process does not read costs it no rebuild; reading that record does, and
    shows the edit."""
    good = built(checkout)
    record = checkout / "codes" / "basic" / "421.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("en: Service not available, closing connection",
                                   "en: Service not available, closing connectioN"), encoding="utf-8")
    out = run(checkout)  # explains a 550 5.1.1: reads 550 and X.1.1, not 421
    assert out.returncode == 0 and out.stdout.strip() == "user-unknown", out.stderr
    assert index(checkout).read_bytes() == good
    out = run(checkout, code="import kb; print(kb.lookup('421').title.en)")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert out.stdout.strip() == "Service not available, closing connectioN"
    assert index(checkout).read_bytes() != good


def test_a_record_decodes_the_rest_of_its_data_only_when_a_field_of_it_is_read():
    """What an explanation reads (title, summary, retry, remedies) comes from the record's core document;
    causes, examples and the rest are decoded on first use, and the joined record keeps its file's field
    order; a listing reads every title from one document."""
    import yaml

    import kb

    kb.reload()
    try:
        ex = kb.explain("421 4.7.0 Service not available, closing transmission channel")
        idx = kb.database().index
        assert ex.verdict.remedies and ex.verdict.schedule_minutes
        assert "X.7.0" in idx._cores and not idx._decoded
        assert idx._heads is None  # titles come from the records' core documents; the list's are not read
        assert [r.title.en for r in kb.records()][:1] == [kb.lookup(kb.codes()[0]).title.en] and idx._heads
        rec = kb.lookup("4.7.0")
        assert rec.causes and "X.7.0" in idx._decoded
        with open(ROOT / rec.source, encoding="utf-8") as fh:
            in_file = list(yaml.safe_load(fh))
        assert [k for k in kb.lookup("X.7.0").as_dict() if k != "kind"] == in_file
    finally:
        kb.reload()


def test_a_rebuild_that_is_stale_again_is_rebuilt_once_more(monkeypatch):
    """Database.read: the index another process rebuilt may be stale again by the time it is read (an editor
    saving twice); the store then compiles its own, which it does not check against the files again."""
    from kb import store

    class Fake:
        def close(self):
            pass

    first = Fake()
    rebuilt = []
    monkeypatch.setattr(store, "rebuild_index", lambda damaged: rebuilt.append(damaged) or Fake())
    db = store.Database(first)
    tries = []

    def fn(idx):
        tries.append(idx)
        if len(tries) < 3:
            raise store.IndexStale("changed")
        return "read"

    assert db.read(fn) == "read"
    assert len(rebuilt) == 2 and rebuilt[0] is first and tries[2] is db.index


def test_a_hidden_file_among_the_providers_costs_no_rebuild_after_the_first(checkout):
    """Emacs keeps a lock ``.#gmail.yaml`` (a dangling link) beside a file it edits; validation skips hidden
    files, so the index's stamp of the provider files must too, or every process compiles the index again."""
    built(checkout)
    os.symlink("user@host.1234:1733000000", checkout / "codes" / "providers" / ".#gmail.yaml")
    code = ("import kb.compiler as c, kb\n"
            "real = c.compile_index\n"
            "n = []\n"
            "c.compile_index = lambda *a, **k: n.append(1) or real(*a, **k)\n"
            "print(kb.explain('550 5.7.1 mx.google.com said: try again later').verdict.reason, len(n))")
    first = run(checkout, code=code)  # the folder changed: compiled once
    assert first.returncode == 0 and first.stdout.split()[1] == "1", first.stderr
    again = run(checkout, code=code)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[1] == "0"  # current: nothing compiled


def test_the_index_kb_scale_ships_to_workers_is_current(checkout):
    """kb.scale.classify ships the compiled index to the workers, which check nothing against the files: a
    record edited in place (same size) must be in what they are given."""
    built(checkout)
    exim = checkout / "codes" / "providers" / "exim.yaml"
    exim.write_text(exim.read_text(encoding="utf-8").replace("id: unrouteable-address", "id: unrouteable-addresz"),
                    encoding="utf-8")
    code = ("import dask.dataframe as dd, pandas as pd, kb.scale\n"
            "df = dd.from_pandas(pd.DataFrame({{'line': ['550 5.1.1 Unrouteable address']}}), npartitions=1)\n"
            "print(kb.scale.classify(df).compute()['signature'].iloc[0])")
    out = run(checkout, code=code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "unrouteable-addresz"


F3_CODE = """
import os, kb
kb.explain("550 5.1.1 x")  # the explainer's matchers come from this index; exim's provider file is not read
exim = "codes/providers/exim.yaml"
lines = open(exim, encoding="utf-8").read().split("\\n")
at = [i for i, ln in enumerate(lines) if ln.startswith("  - id: ")]
lines = lines[:at[0]] + lines[at[1]:at[2]] + lines[at[0]:at[1]] + lines[at[2]:]  # its first two signatures swapped
open(exim, "w", encoding="utf-8").write("\\n".join(lines))
os.utime("codes/basic/421.yaml", ns=(0, os.stat("codes/basic/421.yaml").st_mtime_ns + 1))
kb.lookup("421").title  # stale: rebuilt quietly, from the edited files
print(kb.explain("550 5.1.1 Unrouteable address").signature.id)
"""


def test_after_a_quiet_rebuild_nothing_derived_from_the_old_index_is_used(checkout):
    """A long-running process rebuilds its index when it reads a part that changed; the explainer's matchers,
    made from the old index, must not number another index's signatures (a marker signature's position)."""
    built(checkout)
    out = run(checkout, code=F3_CODE)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "unrouteable-address"
