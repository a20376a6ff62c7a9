"""State written by a production node survives a Redis restart and is loaded by the next node.

A real redis-server (pytest-redis's executor) runs with ``--appendonly yes`` on its
own data directory; it is stopped and started again on that directory with the
RDB snapshot removed, so only the append-only file can bring the state back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import ntprofile
import port_for
import pytest
import redis
from ntprofile.node import dispose_node
from pytest_redis.executor import RedisExecutor

pytestmark = pytest.mark.slow

TRADER = "PROD-BYBIT-001"
REDIS_PASSWORD = "persist-redis-pw-7c3e"
"""Production requires a Redis password (P103)."""


@pytest.fixture
def aof_redis(tmp_path: Path):
    datadir = tmp_path / "redis-data"
    datadir.mkdir()
    executor = RedisExecutor(
        executable=shutil.which("redis-server") or "redis-server",
        databases=2,
        redis_timeout=30,
        loglevel="warning",
        host="127.0.0.1",
        port=port_for.get_port(None),
        password=REDIS_PASSWORD,
        appendonly="yes",
        datadir=datadir,
    )
    executor.start()
    yield executor, datadir
    executor.stop()


def keys(executor: RedisExecutor, pattern: str) -> list[str]:
    client = redis.Redis(host=executor.host, port=executor.port, password=REDIS_PASSWORD, decode_responses=True)
    try:
        return sorted(client.keys(pattern))
    finally:
        client.close()


def test_account_survives_a_redis_restart(project: Path, aof_redis: tuple[RedisExecutor, Path], monkeypatch):
    server, datadir = aof_redis
    from nautilus_trader.model.identifiers import AccountId
    from nautilus_trader.test_kit.stubs.execution import TestExecStubs

    monkeypatch.chdir(project)  # production logs go to ./logs
    monkeypatch.setenv("REDIS_HOST", server.host)
    monkeypatch.setenv("REDIS_PORT", str(server.port))
    monkeypatch.setenv("REDIS_PASSWORD", REDIS_PASSWORD)
    monkeypatch.setenv("BYBIT_API_KEY", "CANARY-persist-key")
    monkeypatch.setenv("BYBIT_API_SECRET", "CANARY-persist-secret")
    account_id = AccountId("BYBIT-UNIFIED")

    node = ntprofile.build_node("prod-bybit")
    try:
        assert node.kernel.cache.account(account_id) is None
        account = TestExecStubs.margin_account(account_id)
        node.kernel.cache.add_account(account)
    finally:
        dispose_node(node)  # closing the cache database writes its buffer

    written = keys(server, f"trader-{TRADER}:accounts:*")
    assert written == [f"trader-{TRADER}:accounts:{account_id}"]

    server.stop()
    for snapshot in datadir.glob("*.rdb"):
        snapshot.unlink()  # only the append-only file may bring the state back
    assert any(datadir.rglob("*.aof")), "redis wrote no append-only file"
    server.start()
    assert keys(server, f"trader-{TRADER}:accounts:*") == written

    node = ntprofile.build_node("prod-bybit")
    try:
        loaded = node.kernel.cache.account(account_id)
        assert loaded is not None, "the new node did not load the account from Redis"
        assert loaded.id == account_id
        assert loaded.balances_total() == account.balances_total()
    finally:
        dispose_node(node)
