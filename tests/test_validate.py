"""Every rule of `smtpkb validate`, each proven by a broken fixture it rejects."""

import re

import pytest
from helpers import CODES, run_cli

from kb.checks import validate

PLACE = re.compile(r"^(?P<path>\S+\.yaml):(?P<line>\d+):(?P<col>\d+): (?P<where>\$\S*): (?P<msg>.+)$")


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def messages(root):
    return [str(p) for p in validate(str(root))]


def test_real_knowledge_base_is_clean():
    problems = validate(str(CODES))
    assert problems == [], "\n".join(map(str, problems[:30]))


def test_fixture_is_clean(tree):
    assert messages(tree) == []


def test_schema_error_reported_as_file_line_path(tree):
    f = tree / "basic" / "421.yaml"
    edit(f, "      de: Während einer Wartung\n", "      dee: Während einer Wartung\n")
    out = messages(tree)
    assert out, "a missing German title must be reported"
    hits = [m for m in out if "$.scenarios[0].title" in m]
    assert hits, out
    m = PLACE.match(hits[0])
    assert m and m["path"].endswith("basic/421.yaml")
    line = int(m["line"])
    assert "During maintenance" in f.read_text(encoding="utf-8").splitlines()[line - 1] or line > 300


def test_every_problem_is_reported_not_just_the_first(tree):
    f = tree / "basic" / "421.yaml"
    edit(f, "status: standard", "status: folklore")
    edit(f, "  log_level: warning", "  log_level: loud")
    edit(f, 'code: "421"', 'code: "421"\ncolour: blue')
    out = messages(tree)
    assert any("$.status" in m and "folklore" in m for m in out), out
    assert any("$.retry.log_level" in m for m in out), out
    assert any("colour" in m for m in out), out


def test_whitespace_only_text_rejected(tree):
    edit(tree / "basic" / "421.yaml", "  en: Service not available, closing connection", '  en: "   "')
    assert any("$.title.en" in m for m in messages(tree))


def test_file_name_must_match_code(tree):
    (tree / "basic" / "421.yaml").rename(tree / "basic" / "422.yaml")
    assert any("does not match the file name '422'" in m for m in messages(tree))


def test_duplicate_code_rejected(tree):
    src = tree / "basic" / "421.yaml"
    (tree / "basic" / "421b.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    out = messages(tree)
    assert any("is also defined in" in m for m in out), out


def test_related_code_must_exist(tree):
    edit(tree / "basic" / "421.yaml", "related: []", 'related: ["450"]')
    assert any("related code '450' has no record" in m for m in messages(tree))


def test_example_must_parse_back_to_its_code(tree):
    edit(tree / "basic" / "421.yaml", '  - reply: "421 mx.example.com Service not available, closing transmission channel"',
         '  - reply: "450 mx.example.com Service not available, closing transmission channel"')
    assert any("does not start with its record's code 421" in m for m in messages(tree))


def test_example_class_mismatch_rejected(tree):
    edit(tree / "basic" / "421.yaml", '"421 4.7.0 Service not available', '"421 5.7.0 Service not available')
    assert any("enhanced class 5 disagrees with basic class 4" in m for m in messages(tree))


def test_german_copy_of_english_rejected(tree):
    f = tree / "basic" / "421.yaml"
    edit(f, "      de: Der Server schickt offenen Sitzungen eine 421, bevor er für die Wartung heruntergefahren wird.",
         "      de: The server sends 421 to open sessions before it is shut down for maintenance.")
    assert any("German text is identical to the English" in m for m in messages(tree))


def test_paragraph_pasted_across_records_rejected(tree):
    src = (tree / "basic" / "421.yaml").read_text(encoding="utf-8")
    other = src.replace('code: "421"', 'code: "450"').replace('"421 ', '"450 ').replace("- reply: \"421", "- reply: \"450")
    (tree / "basic" / "450.yaml").write_text(other, encoding="utf-8")
    assert any("same text as" in m for m in messages(tree))


def test_stray_file_and_broken_yaml_reported_not_dropped(tree):
    (tree / "basic" / "notes.txt").write_text("x", encoding="utf-8")
    (tree / "basic" / "450.yaml").write_bytes(b"code: \"450\"\ncode: \"451\"\n")
    out = messages(tree)
    assert any("notes.txt" in m and "not a record file" in m for m in out)
    assert any("450.yaml:2:1" in m and "duplicate key" in m for m in out)


def test_association_both_ways(tree):
    edit(tree / "basic" / "421.yaml", "enhanced_codes: []", 'enhanced_codes: ["X.4.2"]')
    enh = tree / "enhanced"
    enh.mkdir()
    x = (CODES / "enhanced" / "X.4.2.yaml").read_text(encoding="utf-8")
    x = re.sub(r"(?m)^related:.*$", "related: []", x)
    x = re.sub(r"(?m)^basic_codes:.*$", "basic_codes: []", x)
    (enh / "X.4.2.yaml").write_text(x, encoding="utf-8")
    out = messages(tree)
    assert any("X.4.2 is listed here, but" in m and "does not list 421" in m for m in out), out


def test_cli_validate_exit_codes(tree):
    ok = run_cli("validate", str(tree))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    edit(tree / "basic" / "421.yaml", "status: standard", "status: folklore")
    bad = run_cli("validate", str(tree))
    assert bad.returncode == 1
    line = bad.stdout.decode().splitlines()[0]
    assert PLACE.match(line), line
    js = run_cli("validate", str(tree), "--json")
    assert b'"where": "$.status"' in js.stdout


def test_broken_tree_gives_data_error_not_traceback(tree, use_tree):
    import kb

    edit(tree / "basic" / "421.yaml", "status: standard", "status: folklore")
    use_tree(tree)
    with pytest.raises(kb.DataError) as err:
        kb.lookup("421")
    assert "421.yaml" in str(err.value) and "$.status" in str(err.value)
    r = run_cli("show", "421", env={"SMTPKB_CODES": str(tree)})
    assert r.returncode == 3
    assert b"Traceback" not in r.stderr and b"$.status" in r.stderr
