"""Real 2.0 ``LiveNode``s built and run through the backend: offline builds, the preflight, the connection
timeout that makes ``run`` exit 5, and a clean stop on SIGTERM.

Nodes are built in subprocesses (``v2_support.drive``): NautilusTrader sets up
its logging once per process and allows one ``LiveNode`` per thread, and the
signal handling of ``run`` needs the main thread.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from v2_support import CANARIES, Redis, drive, free_port, has_unshare, lookup, merged, run_then_stop, write
from v2_support import root, redis_server  # noqa: F401 - fixtures

from ntprofile.releases import V2, backend

nodes = backend(V2)
offline = pytest.mark.skipif(not has_unshare(), reason="needs unshare -rn (a network namespace without network)")

NO_REDIS = "extends: [prod]\ncache:\n  database: null\n"


def preflight(root: Path, name: str, **env: str) -> list[str]:
    target = merged(root, name)
    compiled = nodes.compile_merged(target, lookup(**env))
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    return [d.render() for d in nodes.preflight(compiled.config, target, timeout=1.0)]


@offline
def test_node_builds_without_any_network(root: Path):
    write(root, "offline", NO_REDIS)
    proc, report = drive(root, "offline", offline=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["stage"] == "built"
    assert report["seconds"] < 2.0  # two venues' clients and a strategy: measured ~0.1 s
    assert not any(secret in proc.stdout + proc.stderr for secret in CANARIES.values())


@offline
def test_node_with_redis_builds_offline_too(root: Path):
    """2.0 opens the cache database when the node runs, not when it is built: the preflight proves Redis."""
    write(root, "redis-down", "extends: [prod]\n")
    env = {"REDIS_PORT": str(free_port())}
    proc, report = drive(root, "redis-down", "--no-preflight", env=env, offline=True)
    assert proc.returncode == 0 and report["stage"] == "built", proc.stdout + proc.stderr
    proc, report = drive(root, "redis-down", env=env, offline=True)
    assert proc.returncode == 1 and report["stage"] == "preflight"
    assert "prod.yaml:11:5: error[R001] cache.database: Redis at 127.0.0.1:" in report["findings"][0]


def test_preflight_redis_unreachable_and_credentials(root: Path, tmp_path: Path):
    found = preflight(root, "prod", REDIS_PORT=str(free_port()))
    assert len(found) == 1 and "[R001] cache.database" in found[0] and "unreachable" in found[0]
    server = Redis(tmp_path / "auth-redis", password=CANARIES["REDIS_PASSWORD"])
    server.directory.mkdir()
    server.start()
    try:
        assert preflight(root, "prod", REDIS_PORT=str(server.port)) == []
        wrong = preflight(root, "prod", REDIS_PORT=str(server.port), REDIS_PASSWORD="CANARY-v2-wrong-password")
        assert len(wrong) == 1 and "[R002] cache.database" in wrong[0] and "rejected the credentials" in wrong[0]
        assert not any(secret in "\n".join(wrong) for secret in CANARIES.values())
    finally:
        server.stop()


def test_preflight_directories_and_components(root: Path, redis_server: Redis, monkeypatch):
    (root.parent / "blocked").write_text("a file where the log directory should be")
    write(
        root,
        "broken",
        """\
        extends: [prod]
        logging:
          file_config:
            directory: blocked
        streaming:
          writer_path: blocked/stream
        strategies:
          demo:
            strategy_path: v2_components:NotAComponent
          missing:
            strategy_path: v2_missing_module:Strategy
            config_path: v2_components:DemoConfig
        """,
    )
    monkeypatch.chdir(root.parent)  # the log directory is relative
    found = "\n".join(preflight(root, "broken", REDIS_PORT=str(redis_server.port)))
    assert "broken.yaml:4:" in found and "[R003] logging.file_config.directory: log directory 'blocked'" in found
    assert "broken.yaml:6:" in found and "[R003] streaming.writer_path: streaming writer path 'blocked/stream'" in found
    assert "[R004] strategies.demo.strategy_path: strategy 'v2_components:NotAComponent' is not a" in found
    assert "[R004] strategies.missing.strategy_path" in found and "no module named 'v2_missing_module'" in found


@offline
def test_clients_not_connected_within_the_timeout_exit_5(root: Path):
    write(
        root,
        "unreachable",
        NO_REDIS + "node:\n  timeout_connection_secs: 1\nexchanges:\n  BYBIT:\n    enabled: false\n",
    )
    proc, report = drive(root, "unreachable", "--run", offline=True)
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert report == {
        "stage": "failed",
        "failure": "the node did not start: not connected within timeout_connection_secs (1 s): clients BINANCE",
    }
    assert not any(secret in proc.stdout + proc.stderr for secret in CANARIES.values())


def test_running_node_stops_cleanly_on_sigterm(root: Path, tmp_path: Path):
    write(
        root,
        "paper",
        """\
        profile:
          stage: paper
        node:
          trader_id: PAPER-V2-001
          delay_post_stop_secs: 0
          timeout_disconnection_secs: 1
        logging:
          stdout_level: WARNING
        exchanges:
          PAPER:
            adapter: sandbox
            venue: SIM
            starting_balances: ["10000 USDT"]
            account_type: margin
            fee_model:
              MakerTakerFeeModel: {maker_rate: "0", taker_rate: "0"}
        """,
    )
    health = tmp_path / "health.json"
    code, report, stderr, seen = run_then_stop(root, "paper", health)
    assert seen is not None and seen["state"] == "running" and seen["connected"] is True, stderr
    assert code == 0, stderr
    assert report == {"stage": "stopped", "received": ["SIGTERM"], "started": True}
    assert "Received SIGTERM, shutting down" in stderr
    assert json.loads(health.read_text())["state"] == "stopped"


# ------------------------------------------------------------------ the real command line on a 2.0 repository

PAPER_CLI = """\
profile:
  stage: paper
  waivers:
    P115: the venue SIM has no data client here; the node only has to run and stop
node:
  trader_id: PAPER-V2-001
  timeout_disconnection_secs: 1
  delay_post_stop_secs: 0
cache:
  database:
    port: ${REDIS_PORT}
risk_engine:
  max_order_submit_rate: "50/00:00:01"
  max_order_modify_rate: "50/00:00:01"
exchanges:
  PAPER:
    adapter: sandbox
    venue: SIM
    starting_balances: ["10000 USDT"]
    account_type: MARGIN
    fee_model:
      MakerTakerFeeModel: {maker_rate: "0", taker_rate: "0"}
"""

TESTNET_CLI = """\
profile:
  stage: testnet
node:
  trader_id: TESTNET-V2-001
  timeout_connection_secs: 1
  timeout_disconnection_secs: 1
  delay_post_stop_secs: 0
risk_engine:
  max_order_submit_rate: "50/00:00:01"
  max_order_modify_rate: "50/00:00:01"
exchanges:
  BYBIT:
    adapter: bybit
    environment: testnet
    api_key: ${BYBIT_TESTNET_API_KEY}
    api_secret: ${BYBIT_TESTNET_API_SECRET}
"""


def repository(tmp_path: Path) -> Path:
    """A 2.0 profiles repository: its schema states 2.0.0rc7, so every command reads it as 2.0."""
    from ntprofile.releases import V2

    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "profile.schema.json").write_bytes(V2.schema_path().read_bytes())
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "paper.yaml").write_text(PAPER_CLI, encoding="utf-8")
    (tmp_path / "profiles" / "testnet.yaml").write_text(TESTNET_CLI, encoding="utf-8")
    return tmp_path


def cli(*args: str, cwd: Path, env: dict[str, str], offline: bool = False, timeout: float = 60):
    command = [sys.executable, "-m", "ntprofile", *args]
    command = ["unshare", "-rn", *command] if offline else command
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BYBIT_", "BINANCE_", "REDIS_"))}
    return subprocess.run(command, cwd=cwd, env={**environment, **env}, capture_output=True, text=True, timeout=timeout)


def test_cli_check_and_run_a_paper_node_on_2_0(tmp_path: Path, redis_server: Redis):
    repo = repository(tmp_path)
    env = {"REDIS_PORT": str(redis_server.port)}
    checked = cli("check", "paper", cwd=repo, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "paper: ok (LiveNode built in " in checked.stdout
    assert f"cache        redis 127.0.0.1:{redis_server.port}" in checked.stdout
    health = tmp_path / "health.json"
    command = [sys.executable, "-m", "ntprofile", "run", "paper", "--health-file", str(health)]
    proc = subprocess.Popen(
        command, cwd=repo, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (health.exists() and '"running"' in health.read_text()):
            time.sleep(0.05)
        assert json.loads(health.read_text())["ready"] is True
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, (out + err).decode()
    assert b"paper: stopped cleanly after SIGTERM" in out
    assert json.loads(health.read_text())["state"] == "stopped"
    assert "trader-PAPER-V2-001:accounts:SIM-SANDBOX-001" in redis_server.keys()


@offline
def test_cli_run_exits_5_when_clients_do_not_connect(tmp_path: Path):
    repo = repository(tmp_path)
    env = {"BYBIT_TESTNET_API_KEY": CANARIES["BYBIT_API_KEY"], "BYBIT_TESTNET_API_SECRET": CANARIES["BYBIT_API_SECRET"]}
    result = cli("run", "testnet", cwd=repo, env=env, offline=True)
    assert result.returncode == 5, result.stdout + result.stderr
    assert (
        "ntprofile run testnet: the node did not start: not connected within timeout_connection_secs (1 s): "
        "clients BYBIT; stopped and disposed" in result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert not any(secret in result.stdout + result.stderr for secret in CANARIES.values())


def test_a_start_stuck_on_a_silent_redis_ends_within_its_bound(root: Path, tmp_path: Path):
    """2.0 connects Redis when the node starts; a Redis gone silent after the preflight must not hold it for hours."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []

    def accept() -> None:  # accepts and never answers
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    stalled = f"""\
        extends: [paper]
        node:
          timeout_connection_secs: 1
          timeout_reconciliation_secs: 1
          timeout_portfolio_secs: 1
        cache:
          database:
            port: {server.getsockname()[1]}
            connection_timeout: 1
            response_timeout: 1
        """
    write(root, "paper", PAPER_CLI)
    write(root, "stalled", stalled)  # start bound: 1 + 1 (Redis) + 1 + 1 + 1 (node) + 5 = 10 s
    started = time.monotonic()
    try:
        proc, report = drive(root, "stalled", "--run", "--no-preflight", timeout=60)
    finally:
        server.close()
        for connection in accepted:
            connection.close()
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert report is None  # the process ended itself: no report
    assert "the node did not start within 10 s (Redis at 127.0.0.1:" in proc.stderr
    assert "answered the preflight, then stopped answering?); exiting with status 5, nothing started" in proc.stderr
    assert time.monotonic() - started < 30
