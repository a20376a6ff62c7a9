"""Shared fixtures: a private copy of the shipped profiles and the real CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _installed_line() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("nautilus_trader").split(".", 1)[0]
    except metadata.PackageNotFoundError:
        return None


collect_ignore = [] if _installed_line() == "2" else ["v2"]
"""tests/v2 are the NautilusTrader 2.0 backend's tests: ``make test`` runs them in .venv-2."""
PROFILES = REPO / "profiles"
TARGETS = [
    "testnet-binance",
    "testnet-bybit",
    "prod-binance",
    "prod-bybit",
    "prod-multi",
    "paper-binance",
    "paper-bybit",
]

EXCHANGE_CANARIES = {
    "BINANCE_API_KEY": "CANARY-binance-key-7f3a",
    "BINANCE_API_SECRET": "CANARY-binance-secret-9c2d",
    "BYBIT_API_KEY": "CANARY-bybit-key-41e8",
    "BYBIT_API_SECRET": "CANARY-bybit-secret-d07b",
    "BINANCE_TESTNET_API_KEY": "CANARY-binance-tn-key-66aa",
    "BINANCE_TESTNET_API_SECRET": "CANARY-binance-tn-secret-13fe",
    "BYBIT_TESTNET_API_KEY": "CANARY-bybit-tn-key-2c9d",
    "BYBIT_TESTNET_API_SECRET": "CANARY-bybit-tn-secret-e581",
}
"""Canary credentials of every shipped exchange variable: none may ever show in any output."""


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temp project directory holding a copy of the shipped profiles and schemas."""
    shutil.copytree(PROFILES, tmp_path / "profiles")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    return tmp_path


def closed_port() -> int:
    """A local port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_profile(project: Path, rel: str, text: str) -> Path:
    """Write ``text`` as ``profiles/REL`` of ``project`` (folders made as needed)."""
    path = project / "profiles" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def clean_env(**extra: str) -> dict[str, str]:
    """The process environment without ntprofile's and the shipped profiles' variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NTPROFILE_", "BINANCE_", "BYBIT_", "REDIS_"))}
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
    """Run ``python -m ntprofile ARGS`` as a user would; never shows a traceback for bad input."""
    proc = subprocess.run(
        [sys.executable, "-m", "ntprofile", *args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def cli():
    return run_cli


HOSTILE_KINDS = ("fifo", "directory", "socket", "dev-zero", "dev-null", "huge-sparse", "symlink-to-fifo")
"""What an operator's environment can put where a small regular file is expected."""


def hostile_file(directory: Path, kind: str, name: str = "hostile") -> Path:
    """A path in ``directory`` (or a device) that is not a small regular file: one of ``HOSTILE_KINDS``.

    A FIFO nobody writes blocks a plain ``open``; ``/dev/zero`` never ends; a
    sparse file of 4 GiB costs no disk but would cost the memory to read.
    """
    path = directory / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
        (path / "inside").write_text("x")
    elif kind == "socket":
        here = os.getcwd()
        os.chdir(directory)  # a socket's path is limited to ~100 bytes: bind the short relative name
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(name)
        finally:
            os.chdir(here)
    elif kind == "dev-zero":
        return Path("/dev/zero")
    elif kind == "dev-null":
        return Path("/dev/null")
    elif kind == "huge-sparse":
        with open(path, "wb") as handle:
            handle.truncate(4 << 30)
    elif kind == "symlink-to-fifo":
        os.mkfifo(directory / f"{name}.fifo")
        path.symlink_to(directory / f"{name}.fifo")
    else:
        raise ValueError(kind)
    return path
