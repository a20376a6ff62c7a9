"""make bench: its check figure runs only against a Redis the bench itself started."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import run as bench  # noqa: E402


def test_a_profile_with_its_own_redis_address_is_not_benchmarked(project: Path, monkeypatch):
    monkeypatch.setattr(bench, "PROFILE", "prod-bybit")
    assert bench.foreign_redis(project) == []
    layer = project / "profiles/env/production.yaml"
    layer.write_text(layer.read_text().replace("${REDIS_PORT:-6379}", "6379"))
    assert bench.foreign_redis(project) == ["cache.database.port = 6379"]
    monkeypatch.setattr(bench, "PROFILE", "testnet-bybit")  # in-memory cache: no Redis at all
    assert bench.foreign_redis(project) == []


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_port_taken_by_another_process_is_never_used(tmp_path: Path, monkeypatch):
    with socket.socket() as other:  # something else listens where the bench's server wanted to
        other.bind(("127.0.0.1", 0))
        other.listen()
        monkeypatch.setattr(bench, "free_port", lambda: other.getsockname()[1])
        assert bench.start_redis(shutil.which("redis-server"), tmp_path, "bench-password") is None


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_the_bench_redis_answers_as_itself_and_stops(tmp_path: Path):
    import redis

    proc, port = bench.start_redis(shutil.which("redis-server"), tmp_path, "bench-password")
    try:
        assert proc.poll() is None and port > 0
        assert redis.Redis(port=port, password="bench-password").ping()
        with pytest.raises(redis.AuthenticationError):  # the production profiles' Redis requires a password
            redis.Redis(port=port).ping()
    finally:
        bench.stop(proc)
    assert proc.returncode is not None
