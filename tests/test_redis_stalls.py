"""A Redis that stalls never keeps check or run waiting beyond their documented bounds.

Real local servers (``fake_redis.StallingRedis``) and the real CLI: a server
that answers one byte a second (the preflight's whole exchange is bounded, not
each read), and one that answers the preflight and then goes silent, so that
NautilusTrader's own connect, which holds the GIL, would retry for hours.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import clean_env
from fake_redis import StallingRedis
from ntprofile.node.preflight import ping_redis
from ntprofile.node.runtime import STALL_MARGIN_SECS

pytestmark = pytest.mark.slow

CONNECT_SECS = 1
"""The profile's ``connection_timeout`` and ``response_timeout``: the stall bound is this plus the margin."""
STALL_BOUND = CONNECT_SECS + STALL_MARGIN_SECS
STARTUP = 20.0
"""Seconds allowed for importing NautilusTrader and the preflight on a loaded machine."""


def test_a_dripping_server_does_not_stretch_the_preflight() -> None:
    with StallingRedis(drip_secs=0.5) as server:
        started = time.monotonic()
        problem = ping_redis(server.host, server.port, None, None, False, timeout=1.0)
        elapsed = time.monotonic() - started
    assert problem == (
        "R001",
        f"Redis at 127.0.0.1:{server.port} did not answer within 1 s (wrong host or port, or a firewall?)",
    )
    assert elapsed < 2.0


def test_a_server_that_is_not_redis_is_a_finding() -> None:
    with StallingRedis(reply=lambda args: b"+PONG\r\n") as server:  # a reply to HELLO that is no map
        code, message = ping_redis(server.host, server.port, None, None, False, timeout=1.0)
    assert code == "R001" and message.startswith(f"Redis at 127.0.0.1:{server.port} did not answer as a Redis server")


def _stalling_project(project: Path, port: int) -> dict[str, str]:
    layer = project / "profiles" / "env" / "production.yaml"
    text = layer.read_text()
    bounded = f"    connection_timeout: {CONNECT_SECS}\n    response_timeout: {CONNECT_SECS}\n"
    layer.write_text(
        text.replace("    password: ${REDIS_PASSWORD}\n", "    password: ${REDIS_PASSWORD}\n" + bounded)
    )
    return clean_env(
        REDIS_PORT=str(port),
        REDIS_PASSWORD="stall-pw-0003",
        BYBIT_API_KEY="stall-key-0001",
        BYBIT_API_SECRET="stall-secret-0002",
    )


def _stall_message(port: int) -> str:
    return (
        f"ntprofile: NautilusTrader did not return within {STALL_BOUND:g} s while building the node "
        f"(Redis at 127.0.0.1:{port} answered the preflight, then stopped answering?); "
        "exiting with status 1, nothing started"
    )


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_redis_that_goes_silent_after_the_preflight_ends_within_the_bound(project: Path, command: str) -> None:
    with StallingRedis(answer_connections=1) as server:
        env = _stalling_project(project, server.port)
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ntprofile", command, "prod-bybit"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while server.connections < 2:  # NautilusTrader has begun to connect: the stall is under way
            assert proc.poll() is None and time.monotonic() - started < STARTUP, proc.communicate()
            time.sleep(0.05)
        stalled = time.monotonic()
        if command == "run":
            proc.send_signal(signal.SIGTERM)  # looked ignored: no Python thread runs while NautilusTrader waits
        try:
            out, err = proc.communicate(timeout=STALL_BOUND + 10)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"{command} still running {STALL_BOUND + 10:g} s into the stall: {proc.communicate()}")
        ended = time.monotonic() - stalled
    assert proc.returncode in (1, 128 + signal.SIGTERM), out + err
    assert ended < STALL_BOUND + 5, ended
    if proc.returncode == 1:
        assert _stall_message(server.port) in err, out + err
    assert "Traceback" not in out + err and "RUNNING" not in out
