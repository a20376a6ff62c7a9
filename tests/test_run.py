"""``ntprofile run``: a real node in a subprocess, stopped by SIGTERM, exits 0 after a clean stop.

The profile's Binance URLs point at a closed local port, so the running node
never reaches an exchange: it tries, fails to connect, keeps running, and must
still stop cleanly on SIGTERM.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import clean_env, closed_port
from pytest_redis import factories

REDIS_PASSWORD = "CANARY-run-redis-pw-4d2a"
run_redis = factories.redis_proc(port=None, password=REDIS_PASSWORD)  # production requires one (P103)

pytestmark = pytest.mark.slow

CANARY_KEY = "CANARY-run-key-8d1c"
CANARY_SECRET = "CANARY-run-secret-3f7e"

CONNECTING = 90.0
"""timeout_connection of a node that is signalled while it waits for its (never connecting) clients: a stop
must not wait for it (NautilusTrader's start waits for the whole timeout, told to stop or not)."""


def wait_for(path: Path, text: str, proc: subprocess.Popen, bound: float) -> str:
    """The output file's content once it contains ``text`` (fails after ``bound`` seconds or if the process ends)."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        content = path.read_text(errors="replace")
        if text in content:
            return content
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    pytest.fail(f"{text!r} never appeared:\n{path.read_text(errors='replace')}")


SLOW_STRATEGY = """
import os, time
from nautilus_trader.config import StrategyConfig
from nautilus_trader.trading.strategy import Strategy

class SlowConfig(StrategyConfig, frozen=True):
    delay: float = 3.0

class Slow(Strategy):
    def __init__(self, config):
        super().__init__(config)
        open("constructing", "w").close()  # NautilusTrader is building the node now
        time.sleep(config.delay)
"""


def unreachable_binance(project: Path, run_redis, extra: str = "", timeout_connection: float = 1.0) -> dict[str, str]:
    """prod-binance pointed at a closed local port (``extra`` appended); the environment to run it with.

    Its clients never connect: ``run`` exits 5 once ``timeout_connection`` has passed, so a test
    that signals a running node does it while the node waits for its connections.
    """
    port = closed_port()
    target = project / "profiles" / "prod-binance.yaml"
    text = target.read_text()
    if "timeout_connection" not in text:
        text = text.replace(
            "  trader_id: PROD-BINANCE-001\n",
            f"  trader_id: PROD-BINANCE-001\n  timeout_connection: {timeout_connection}\n",
        )
    assert "timeout_connection" in text
    target.write_text(
        text
        + f"    base_url_http: http://127.0.0.1:{port}\n"
        + f"    base_url_ws: ws://127.0.0.1:{port}\n"
        + f"    base_url_ws_stream: ws://127.0.0.1:{port}\n"
        + extra
    )
    return clean_env(
        BINANCE_API_KEY=CANARY_KEY,
        BINANCE_API_SECRET=CANARY_SECRET,
        REDIS_HOST=run_redis.host,
        REDIS_PORT=str(run_redis.port),
        REDIS_PASSWORD=REDIS_PASSWORD,
        PYTHONPATH=str(project),
    )


def start_run(project: Path, env: dict[str, str], sink) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ntprofile", "run", "prod-binance"],
        cwd=project,
        env=env,
        stdout=sink,
        stderr=subprocess.STDOUT,
    )


def node_log(project: Path) -> set[tuple[str, str]]:
    """``(component, message)`` of every record of the node's JSON log files."""
    said = set()
    for path in (project / "logs").glob("*.json*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.strip():
                record = json.loads(line)
                said.add((record.get("component", ""), record.get("message", "")))
    return said


def wait_exit(proc: subprocess.Popen, output: Path, bound: float) -> int:
    try:
        return proc.wait(timeout=bound)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"run did not exit within {bound} s of the signal:\n" + output.read_text(errors="replace"))


def test_run_stops_cleanly_on_sigterm(project: Path, run_redis):
    env = unreachable_binance(project, run_redis, timeout_connection=CONNECTING)
    output = project / "run.out"
    with output.open("w") as sink:
        proc = start_run(project, env, sink)
        wait_for(output, "Awaiting engine connections", proc, bound=60)
        proc.send_signal(signal.SIGTERM)
        code = wait_exit(proc, output, CONNECTING / 3)  # the stop does not wait for timeout_connection
    text = output.read_text(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text
    assert "prod-binance: starting (stop with SIGINT or SIGTERM)" in text
    assert "Received SIGTERM, shutting down" in text
    assert "prod-binance: stopped cleanly after SIGTERM" in text
    logs = "".join(p.read_text(errors="replace") for p in (project / "logs").glob("*.json*"))
    said = node_log(project)
    assert ("TradingNode", "STOPPED") in said and ("TradingNode", "DISPOSED") in said, sorted(said)
    assert any(message.startswith("Closed cache database adapter") for _, message in said)
    assert any("Received SIGTERM" in message for _, message in said)
    for value in (CANARY_KEY, CANARY_SECRET):
        assert value not in text and value not in logs


def test_a_repeated_signal_does_not_cut_the_stop_short(project: Path, run_redis):
    # NautilusTrader restores SIGTERM's default action after the first: a second one killed the stop
    env = unreachable_binance(project, run_redis, timeout_connection=CONNECTING)
    output = project / "run.out"
    with output.open("w") as sink:
        proc = start_run(project, env, sink)
        wait_for(output, "Awaiting engine connections", proc, bound=60)
        for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGINT, signal.SIGTERM):
            proc.send_signal(sig)
            time.sleep(0.01)
        code = wait_exit(proc, output, 60)
    text = output.read_text(errors="replace")
    assert code == 0, text
    assert "prod-binance: stopped cleanly after SIGTERM" in text
    said = node_log(project)
    assert ("TradingNode", "DISPOSED") in said and any(m.startswith("Closed cache database adapter") for _, m in said)


def test_sigterm_during_the_build_is_not_lost(project: Path, run_redis):
    # uvloop drops a signal that arrives before the loop runs: the node used to run on regardless
    (project / "slow_strategy.py").write_text(SLOW_STRATEGY)
    env = unreachable_binance(
        project,
        run_redis,
        "\nstrategies:\n  slow:\n    strategy_path: slow_strategy:Slow\n"
        "    config_path: slow_strategy:SlowConfig\n    config: {delay: 3.0}\n",
    )
    output = project / "run.out"
    with output.open("w") as sink:
        proc = start_run(project, env, sink)
        deadline = time.monotonic() + 60
        while not (project / "constructing").exists():
            assert proc.poll() is None and time.monotonic() < deadline, output.read_text(errors="replace")
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        code = wait_exit(proc, output, 20)
    text = output.read_text(errors="replace")
    assert code == 128 + signal.SIGTERM, text
    assert "ntprofile run: interrupted by SIGTERM before the node started; nothing was run" in text
    assert "TradingNode: RUNNING" not in text and "Traceback" not in text
