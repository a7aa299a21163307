"""Fixtures for the terminal browser's tests: a settled app, and a pinned knowledge base for snapshots."""

import asyncio
import inspect
import shutil

import pytest
from tui_testing import PINNED_CODES, REAL_CODES


@pytest.fixture
def pinned_kb(monkeypatch, tmp_path):
    """Point kb at a tree of the synthetic records in tests/tui/fixture_codes and the real tables
    (structure, reasons, retry profiles, glossary): the records on screen do not move with the data."""
    import kb

    tree = tmp_path / "codes"
    shutil.copytree(PINNED_CODES, tree)
    for table in REAL_CODES.glob("*.yaml"):
        shutil.copy(table, tree / table.name)
    monkeypatch.setenv("SMTPKB_CODES", str(tree))
    kb.reload()
    yield tree
    monkeypatch.undo()
    kb.reload()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is among the dev dependencies)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
