"""The strict reader rejects what PyYAML would silently get wrong, with file:line:column."""

import pytest

from kb.yamlsource import MAX_BYTES, YamlProblem, load


def read(tmp_path, data: bytes):
    p = tmp_path / "r.yaml"
    p.write_bytes(data)
    return load(str(p))


@pytest.mark.parametrize("data, line, fragment", [
    (b"code: \"421\"\ntitle: a\ncode: \"450\"\n", 3, "duplicate key 'code' (first at line 1)"),
    (b"a:\n  b: no\n", 2, "read as a boolean"),
    (b"a: yes\n", 1, "read as a boolean"),
    (b"code: 5.7\n", 1, "quote it"),
    (b"x: 2024-12-06\n", 1, "read as a date"),
    (b"x: 0755\n", 1, "YAML 1.1 number"),
    (b"a: &anchor [1, 2]\nb: *anchor\n", 1, "aliases"),
    (b"a:\n  <<: {b: 1}\n", 2, "merge keys"),
    (b"a: ~\n", 1, "null"),
    (b"a: !!python/object:os.system x\n", 1, "not allowed"),
    (b"a: [1, 2\n", 2, "YAML syntax"),
    (b"a: [1, 2\nb: 3\n", 2, "while parsing a flow sequence, started at line 1, column 4"),
    (b"ok: 1\nbad: \xff\xfe\n", 2, "not UTF-8"),
    (b"a: b\x00c\n", 1, "NUL"),
    (b"", 1, "empty"),
])
def test_rejected_with_place(tmp_path, data, line, fragment):
    with pytest.raises(YamlProblem) as err:
        read(tmp_path, data)
    assert err.value.line == line, str(err.value)
    assert fragment in err.value.message
    assert str(err.value).startswith(f"{tmp_path / 'r.yaml'}:{line}:")


def test_billion_laughs_rejected_fast(tmp_path):
    doc = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\ne: [*d,*d]\n'
    with pytest.raises(YamlProblem, match="aliases"):
        read(tmp_path, doc)


def test_huge_file_rejected(tmp_path):
    with pytest.raises(YamlProblem, match="larger than"):
        read(tmp_path, b"a: " + b"x" * (MAX_BYTES + 10) + b"\n")


def test_values_and_marks(tmp_path):
    value, marks = read(tmp_path, b'code: "421"\nlist:\n  - a\n  - n: 3\nflag: true\n"5": x\n')
    assert value == {"code": "421", "list": ["a", {"n": 3}], "flag": True, "5": "x"}
    assert marks[("list", 1, "n")] == (4, 8)
    assert marks[("code",)] == (1, 7)
