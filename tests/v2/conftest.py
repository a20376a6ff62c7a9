"""Fixtures of the NautilusTrader 2.0 tests: they run under ``.venv-2`` (Python 3.13, nautilus_trader 2.0.0rc7).

Under the 1.x environment this directory is not collected. Helpers shared by
the tests (profiles, a restartable redis-server, the node driver) are in
``v2_support``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    import nautilus_trader

    IS_V2 = nautilus_trader.__version__.startswith("2.")
except ImportError:  # pragma: no cover - the core-only environment
    IS_V2 = False

if not IS_V2:  # pragma: no cover - the 1.x environment
    collect_ignore_glob = ["*.py"]
else:
    from v2_support import PRODUCTION, Redis


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A profiles root holding ``prod.yaml`` (``v2_support.PRODUCTION``); tests add their own files."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "prod.yaml").write_text(PRODUCTION, encoding="utf-8")
    return tmp_path / "profiles"


@pytest.fixture
def redis_server(tmp_path: Path):
    """A redis-server of the test's own (free port, own directory, append-only file)."""
    server = Redis(tmp_path / "redis-data")
    server.directory.mkdir()
    server.start()
    yield server
    server.stop()
