"""Shared fixtures of the site tests: one strict build of the real site per test session."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Build:
    out: Path
    log: str
    returncode: int


def build_site(out: Path, env: dict | None = None) -> Build:
    """`mkdocs build --strict` of the checkout's site into ``out``, as `make` would run it."""
    # Material's end-of-life banner is not a build problem; SITE_URL as a deployment would set it
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    return Build(out, proc.stdout + proc.stderr, proc.returncode)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocs_static_i18n")
    build = build_site(tmp_path_factory.mktemp("site") / "out")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def generate():
    """site/generate.py, loaded the way site/hooks.py loads it (by path, no .pyc in docs_dir)."""
    return types.SimpleNamespace(**runpy.run_path(str(ROOT / "site" / "generate.py"), run_name="_smtpkb_site_generate"))


@pytest.fixture(scope="session")
def builder():
    """build_site itself, for tests that build a site of their own (another codes/, another base path)."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocs_static_i18n")
    return build_site
