import shutil

import pytest
from helpers import CODES


@pytest.fixture
def tree(tmp_path):
    """A small valid codes/ tree (structure + 421 without cross-links) to break on purpose."""
    root = tmp_path / "codes"
    (root / "basic").mkdir(parents=True)
    shutil.copy(CODES / "structure.yaml", root / "structure.yaml")
    text = (CODES / "basic" / "421.yaml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith(("related:", "enhanced_codes:", "enhanced_codes_in_practice:"))]
    lines += ["related: []", "enhanced_codes: []"]
    (root / "basic" / "421.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def use_tree(monkeypatch):
    """Point kb at another codes/ tree for one test."""
    import kb

    def use(path):
        monkeypatch.setenv("SMTPKB_CODES", str(path))
        kb.reload()

    yield use
    monkeypatch.delenv("SMTPKB_CODES", raising=False)
    kb.reload()
