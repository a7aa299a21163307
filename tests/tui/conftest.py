"""Fixtures for the terminal browser's tests: a settled app, and a pinned knowledge base for snapshots."""

import asyncio
import inspect

import pytest
from tui_testing import PINNED_CODES


@pytest.fixture
def pinned_kb(monkeypatch):
    """Point kb at the small pinned tree in tests/tui/fixture_codes (snapshots must not move with the data)."""
    import kb

    monkeypatch.setenv("SMTPKB_CODES", str(PINNED_CODES))
    kb.reload()
    yield PINNED_CODES
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
