"""Preflight findings, each located and bounded, against real redis-server processes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from conftest import closed_port
from ntprofile.layers import Workspace
from ntprofile.node.preflight import check_components, check_directories, ping_redis, preflight, writable_directory
from pytest_redis import factories

PASSWORD = "preflight-pw-4242"
open_redis = factories.redis_proc(port=None)
auth_redis = factories.redis_proc(port=None, password=PASSWORD)

pytestmark = pytest.mark.slow


def test_redis_answering_ping(open_redis, auth_redis):
    assert ping_redis(open_redis.host, open_redis.port, None, None, False) is None
    assert ping_redis(auth_redis.host, auth_redis.port, None, PASSWORD, False) is None


def test_redis_refusing():
    port = closed_port()
    code, message = ping_redis("127.0.0.1", port, None, None, False, timeout=2)
    assert code == "R001"
    assert (
        message
        == f"Redis at 127.0.0.1:{port} is unreachable: connection refused (is redis-server running on that port?)"
    )


def test_redis_authentication(auth_redis):
    code, message = ping_redis(auth_redis.host, auth_redis.port, None, "wrong-pw-9999", False)
    assert code == "R002" and "rejected the credentials" in message
    assert "wrong-pw-9999" not in message
    code, message = ping_redis(auth_redis.host, auth_redis.port, None, None, False)
    assert code == "R002" and "requires a password and none is configured" in message


def test_not_a_redis_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        # accepts the connection but never answers: bounded by the timeout
        code, message = ping_redis("127.0.0.1", port, None, None, False, timeout=0.5)
    assert code == "R001"
    assert "did not answer within 0.5 s" in message


def test_writable_directory(tmp_path: Path):
    assert writable_directory(tmp_path / "new" / "logs") is None
    assert (tmp_path / "new" / "logs").is_dir()
    (tmp_path / "file").write_text("x")
    assert writable_directory(tmp_path / "file") == "a file of that name is in the way"
    assert writable_directory(tmp_path / "file" / "logs") == "a part of the path is a file, not a directory"


def _compiled(project: Path, target: str, extra: str = "", **values: str):
    from ntprofile.compile import compile_merged

    if extra:
        path = project / "profiles" / f"{target}.yaml"
        path.write_text(path.read_text() + extra)
    merged, _ = Workspace(project / "profiles").merge(target)
    variables = {
        "BYBIT_TESTNET_API_KEY": "k-0001",
        "BYBIT_TESTNET_API_SECRET": "s-0001",
        "BYBIT_API_KEY": "k-0002",
        "BYBIT_API_SECRET": "s-0002",
        "REDIS_PASSWORD": "pw-0003",
        **values,
    }
    result = compile_merged(merged, variables.get)
    assert result.config is not None, result.diagnostics
    return result.config, merged


def test_preflight_locates_the_redis_finding(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    port = closed_port()
    config, merged = _compiled(project, "prod-bybit", REDIS_PORT=str(port))
    diags = preflight(config, merged, timeout=2)
    assert [d.code for d in diags] == ["R001"]
    assert str(diags[0].pos).endswith("profiles/env/production.yaml:16:5")
    assert diags[0].key == "cache.database"


def test_testnet_without_redis_needs_no_server(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    config, merged = _compiled(project, "testnet-bybit")
    assert preflight(config, merged) == []


def test_components(project: Path):
    extra = (
        "\nstrategies:\n"
        "  good:\n"
        "    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross\n"
        "    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig\n"
        "    config: {instrument_id: ETHUSDT-LINEAR.BYBIT, bar_type: ETHUSDT-LINEAR.BYBIT-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01'}\n"
        "  missing_class:\n"
        "    strategy_path: nautilus_trader.examples.strategies.ema_cross:NoSuchStrategy\n"
        "    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig\n"
        "    config: {instrument_id: ETHUSDT-LINEAR.BYBIT, bar_type: ETHUSDT-LINEAR.BYBIT-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01'}\n"
    )
    config, merged = _compiled(project, "testnet-bybit", extra)
    from ntprofile.node.preflight import _Locator, _parse_config

    diags = check_components(config, _Locator(merged))
    assert [(d.code, d.key) for d in diags] == [
        ("R004", "strategies.missing_class.strategy_path"),
    ]
    # a config its class rejects fails compile already (V004); R005 stays for a class that differs at run time
    assert "missing required field `bar_type`" in _parse_config(
        "nautilus_trader.examples.strategies.ema_cross:EMACrossConfig", {"instrument_id": "ETHUSDT-LINEAR.BYBIT"}
    )
    assert "has no 'NoSuchStrategy'" in diags[0].message
    assert diags[0].pos.line == 17
    assert check_directories(config, _Locator(merged)) == []


@pytest.mark.parametrize("port", [0, -1, 70000])
def test_a_port_out_of_range_is_refused_never_replaced_by_the_default(project: Path, monkeypatch, port):
    # built by hand: compile refuses such a port already (S006); the API's preflight(config) must too
    import msgspec

    monkeypatch.chdir(project)
    config, merged = _compiled(project, "prod-bybit", REDIS_HOST="127.0.0.2")  # nothing listens there
    database = msgspec.structs.replace(config.cache.database, port=port)
    config = msgspec.structs.replace(config, cache=msgspec.structs.replace(config.cache, database=database))
    diags = preflight(config, merged, timeout=2)
    assert [(d.code, d.key) for d in diags] == [("R001", "cache.database.port")]
    assert diags[0].message.startswith(f"Redis at 127.0.0.2:{port}: {port} is not a port (1-65535)")
    assert str(diags[0].pos).endswith("profiles/env/production.yaml:17:5")


def test_an_unset_port_is_the_default():
    from nautilus_trader.config import DatabaseConfig
    from ntprofile.node.preflight import redis_address

    assert redis_address(DatabaseConfig(host="10.0.0.1")) == ("10.0.0.1", 6379)
    assert redis_address(DatabaseConfig(host="10.0.0.1", port=0)) == ("10.0.0.1", 0)
