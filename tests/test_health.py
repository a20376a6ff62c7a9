"""A node that reports its health: ``run`` exits 5 when its clients do not connect, and ``ntprofile health``.

The run is real: a subprocess against a real Redis (pytest-redis) and
Binance URLs on a closed local port, so the clients never connect; it must
exit with ``Exit.START_FAILED`` within ``timeout_connection`` plus a few
seconds, leave a health file that says why, log the target, revision and
config digest, and show no canary credential, though they come from files.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import clean_env, run_cli
from ntprofile.exits import Exit
from ntprofile.node.health import HealthFile, read_health
from pytest_redis import factories
from test_run import REDIS_PASSWORD, CANARY_KEY, CANARY_SECRET, node_log, unreachable_binance, wait_exit

health_redis = factories.redis_proc(port=None, password=REDIS_PASSWORD)

TIMEOUT_CONNECTION = 1.0
START_FAILURE_BOUND = 20.0
"""Seconds from ``starting`` to the exit: timeout_connection, the stop (post-stop 5 s) and dispose, on a busy machine."""


@pytest.mark.parametrize(
    ("changes", "ready", "alive"),
    [
        ({"state": "running", "connected": True, "reconciled": True}, True, True),
        ({"state": "running", "connected": True, "reconciled": None}, True, True),  # reconciliation off
        ({"state": "running", "connected": False, "reconciled": True}, False, True),
        ({"state": "starting"}, False, True),
        ({"state": "failed", "detail": "not connected"}, False, False),
        ({"state": "stopped"}, False, False),
    ],
)
def test_the_health_file_says_ready_and_alive(tmp_path, changes, ready, alive):
    health = HealthFile(tmp_path / "h" / "health.json", "prod-bybit")
    health.write(**changes)
    got_ready, got_alive, text = read_health(health.path)
    assert (got_ready, got_alive) == (ready, alive), text
    assert text.startswith(f"prod-bybit: {'ready' if ready else 'not ready'} ({changes['state']}")


def test_a_stale_or_missing_file_is_neither_ready_nor_alive(tmp_path):
    health = HealthFile(tmp_path / "health.json", "prod-bybit")
    health.write(state="running", connected=True, reconciled=True)
    data = json.loads(health.path.read_text())
    data["updated"] = time.time() - 120
    health.path.write_text(json.dumps(data))
    ready, alive, text = read_health(health.path, max_age=30)
    assert not ready and not alive and "older than 30 s" in text
    assert read_health(tmp_path / "none.json")[:2] == (False, False)
    (tmp_path / "bad.json").write_text("{")
    text = read_health(tmp_path / "bad.json")[2]
    assert text.startswith(f"not healthy: health file {tmp_path / 'bad.json'}: not JSON")


def test_the_health_command_exit_codes(tmp_path):
    path = tmp_path / "health.json"
    HealthFile(path, "prod-bybit").write(state="starting")
    assert run_cli("health", str(path), cwd=tmp_path).returncode == Exit.INVALID
    alive = run_cli("health", "--alive", str(path), cwd=tmp_path)
    assert alive.returncode == Exit.OK, alive.output
    HealthFile(path, "prod-bybit").write(state="running", connected=True, reconciled=True)
    ready = run_cli("health", cwd=tmp_path, env=clean_env(NTPROFILE_HEALTH_PATH=str(path)))
    assert ready.returncode == Exit.OK and ready.stdout.startswith("prod-bybit: ready (running, connected, reconciled")
    assert run_cli("health", cwd=tmp_path).returncode == Exit.USAGE


def test_health_never_imports_nautilus_trader(tmp_path):
    code = (
        "import sys; from ntprofile.cli import main; main(['health', '--alive', sys.argv[1]]);"
        " assert not [m for m in sys.modules if m.startswith('nautilus_trader')]"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.json")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_run_exits_5_when_the_clients_do_not_connect(project: Path, health_redis, tmp_path: Path, cli):
    env = unreachable_binance(project, health_redis)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    for name, value in (("BINANCE_API_KEY", CANARY_KEY), ("BINANCE_API_SECRET", CANARY_SECRET)):
        (secrets / name).write_text(value + "\n")
        del env[name]
        env[f"{name}_FILE"] = str(secrets / name)
    health = tmp_path / "health" / "node.json"
    output = project / "run.out"
    with output.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ntprofile", "run", "prod-binance", "--health-file", str(health)],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while "starting (stop with SIGINT or SIGTERM)" not in output.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline, output.read_text(errors="replace")
            time.sleep(0.05)
        started = time.monotonic()
        code = wait_exit(proc, output, TIMEOUT_CONNECTION + START_FAILURE_BOUND)
        took = time.monotonic() - started
    text = output.read_text(errors="replace")
    assert code == Exit.START_FAILED, text
    assert took < TIMEOUT_CONNECTION + START_FAILURE_BOUND
    assert "Traceback" not in text
    failure = "the node did not start: not connected within timeout_connection (1 s): data clients BINANCE; exec clients BINANCE"
    assert f"ntprofile run prod-binance: {failure}; stopped and disposed" in text
    said = node_log(project)
    assert ("TradingNode", "DISPOSED") in said
    assert any(message == f"{failure}; shutting down" for _, message in said), sorted(said)
    state = json.loads(health.read_text())
    assert (state["state"], state["ready"], state["detail"]) == ("failed", False, failure)
    # the start is traceable: the target, its revision and the digest of what compile writes
    compiled = cli("compile", "prod-binance", cwd=project, env=clean_env())
    assert compiled.returncode == 0, compiled.output
    digest = "sha256:" + hashlib.sha256((project / "build/prod-binance/node.json").read_bytes()).hexdigest()
    assert f"  config       {digest} (node.json)" in text
    assert "  revision     unknown" in text  # no git here, no NTPROFILE_REVISION
    banner = f"ntprofile run prod-binance: revision unknown, config {digest} (node.json)"
    assert any(message == banner for _, message in said)
    logs = "".join(p.read_text(errors="replace") for p in (project / "logs").glob("*.json*"))
    for value in (CANARY_KEY, CANARY_SECRET):
        assert value not in text and value not in logs and value not in health.read_text()


def test_run_without_the_profiles_mount_is_a_clear_usage_error(tmp_path: Path, cli):
    result = cli("run", "prod-bybit", cwd=tmp_path, env=clean_env(NTPROFILE_PROFILES=str(tmp_path / "app/profiles")))
    assert result.returncode == Exit.USAGE
    assert f"no profiles root at {tmp_path / 'app/profiles'}" in result.stderr
