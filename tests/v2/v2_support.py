"""Helpers and fixtures of the NautilusTrader 2.0 backend's tests: 2.0 profiles, canaries, a restartable
redis-server, the node driver.

The fixtures are imported by the test modules that use them: a ``tests/v2/conftest.py``
would shadow ``tests/conftest.py`` for the modules here that import helpers from it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

CANARIES = {
    "BYBIT_API_KEY": "CANARY-v2-bybit-key-5d1e",
    "BYBIT_API_SECRET": "CANARY-v2-bybit-secret-a93c",
    "BINANCE_API_KEY": "CANARY-v2-binance-key-07bb",
    "BINANCE_API_SECRET": "CANARY-v2-binance-secret-c4f0",
    "REDIS_PASSWORD": "CANARY-v2-redis-password-8e21",
}
"""Credentials no output, message or artifact may ever show."""

PRODUCTION = """\
profile:
  stage: production
  description: Bybit and Binance on NautilusTrader 2.0
node:
  trader_id: PROD-V2-001
  timeout_connection_secs: 5
  timeout_disconnection_secs: 2
  delay_post_stop_secs: 0
cache:
  database:
    host: ${REDIS_HOST:-127.0.0.1}
    port: ${REDIS_PORT:-6379}
    password: ${REDIS_PASSWORD}
  buffer_interval_ms: 100
  persist_account_events: true
risk_engine:
  max_order_submit_rate: "50/00:00:01"
exec_engine:
  reconciliation: true
  reconciliation_lookback_mins: 1440
logging:
  stdout_level: WARNING
  fileout_level: DEBUG
  file_config:
    directory: logs
    file_format: json
    file_rotate: [104857600, 10]
exchanges:
  BYBIT:
    adapter: bybit
    environment: mainnet
    api_key: ${BYBIT_API_KEY}
    api_secret: ${BYBIT_API_SECRET}
  BINANCE:
    adapter: binance
    environment: testnet
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
    product_type: usd_m
    exec:
      account_id: BINANCE-001
strategies:
  demo:
    strategy_path: v2_components:Demo
    config_path: v2_components:DemoConfig
    config:
      instrument_id: BTCUSDT-PERP.BYBIT
      trade_size: 2
"""
"""A production target in 2.0's names: Redis cache, JSON log files, two venues, one strategy."""


def merged(root: Path, name: str):
    """The merged target ``name`` of ``root`` (2.0 activated, as a 2.0 repository's workspace does)."""
    from ntprofile.layers import Workspace
    from ntprofile.releases import V2, activate

    activate(V2)
    result, diags = Workspace(root).merge(name)
    assert result is not None, [d.render() for d in diags]
    return result


def write(root: Path, name: str, text: str) -> None:
    (root / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def lookup(**extra: str):
    values = {**CANARIES, **extra}
    return values.get


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """A redis-server of the test's own: free port, own directory, append-only file; restartable."""

    def __init__(self, directory: Path, password: str | None = None):
        self.directory = directory
        self.port = free_port()
        self.password = password
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--dir", str(self.directory), "--appendonly", "yes", "--save", "", "--loglevel", "warning"]
        args += ["--requirepass", self.password] if self.password else []
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port, password=self.password, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def keys(self, pattern: str = "*") -> list[str]:
        import redis

        client = redis.Redis(port=self.port, password=self.password, decode_responses=True)
        try:
            return sorted(client.keys(pattern))
        finally:
            client.close()


DRIVER = HERE / "v2_driver.py"


def drive(root: Path, name: str, *args: str, env: dict[str, str] | None = None, timeout: float = 60, offline=False):
    """Run ``v2_driver.py`` (compile, preflight, build, run as ``ntprofile run`` does) in a subprocess.

    Returns the process and its JSON report (last stdout line). ``offline``: inside ``unshare -rn``,
    a network namespace with no interface but loopback.
    """
    command = [sys.executable, str(DRIVER), str(root), name, *args]
    if offline:
        command = ["unshare", "-rn", *command]
    environment = {**os.environ, "PYTHONPATH": str(HERE), **CANARIES, **(env or {})}
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment, cwd=root.parent)
    lines = proc.stdout.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
    return proc, report


def run_then_stop(root: Path, name: str, health: Path, *, until: Path | None = None, timeout: float = 30):
    """Run target ``name`` through ``v2_driver.py --run``; SIGTERM it once its health file says ``running``
    (and the file ``until`` exists). Returns the process's exit status, its JSON report, its stderr and the
    health file's state seen before the signal."""
    import signal

    command = [sys.executable, str(DRIVER), str(root), name, "--run", "--health", str(health)]
    environment = {**os.environ, "PYTHONPATH": str(HERE), **CANARIES}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, cwd=root.parent
    )
    seen = None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                seen = json.loads(health.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                seen = None
            if seen and seen["state"] == "running" and (until is None or until.exists()):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = out.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
    return proc.returncode, report, err, seen


def has_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A profiles root holding ``prod.yaml`` (``PRODUCTION``); tests add their own files."""
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
