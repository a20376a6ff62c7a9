"""``ntprofile run``: a real node in a subprocess, stopped by SIGTERM, exits 0 after a clean stop.

The profile's Binance URLs point at a closed local port, so the running node
never reaches an exchange: it tries, fails to connect, keeps running, and must
still stop cleanly on SIGTERM.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_redis import factories

from conftest import clean_env

run_redis = factories.redis_proc(port=None)

pytestmark = pytest.mark.slow

CANARY_KEY = "CANARY-run-key-8d1c"
CANARY_SECRET = "CANARY-run-secret-3f7e"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def test_run_stops_cleanly_on_sigterm(project: Path, run_redis):
    port = closed_port()
    target = project / "profiles" / "prod-binance.yaml"
    text = target.read_text().replace(
        "  trader_id: PROD-BINANCE-001\n", "  trader_id: PROD-BINANCE-001\n  timeout_connection: 1.0\n"
    )
    assert "timeout_connection" in text
    target.write_text(
        text
        + f"    base_url_http: http://127.0.0.1:{port}\n"
        + f"    base_url_ws: ws://127.0.0.1:{port}\n"
        + f"    base_url_ws_stream: ws://127.0.0.1:{port}\n"
    )
    env = clean_env(
        BINANCE_API_KEY=CANARY_KEY,
        BINANCE_API_SECRET=CANARY_SECRET,
        REDIS_HOST=run_redis.host,
        REDIS_PORT=str(run_redis.port),
    )
    output = project / "run.out"
    with output.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ntprofile", "run", "prod-binance"],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        wait_for(output, "TradingNode: RUNNING", proc, bound=60)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("run did not stop within 60 s of SIGTERM:\n" + output.read_text(errors="replace"))
    text = output.read_text(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text
    assert "prod-binance: starting (stop with SIGINT or SIGTERM)" in text
    assert "Received SIGTERM, shutting down" in text
    assert "prod-binance: stopped cleanly" in text
    logs = "".join(p.read_text(errors="replace") for p in (project / "logs").glob("*.json*"))
    for marker in (
        "Received SIGTERM",
        "TradingNode: STOPPED",
        "Closed cache database adapter",
        "TradingNode: DISPOSED",
    ):
        assert marker.split(": ")[-1] in logs, marker
    for value in (CANARY_KEY, CANARY_SECRET):
        assert value not in text and value not in logs
