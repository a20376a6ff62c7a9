"""The 2.0 backend's compile and artifact, against the installed NautilusTrader 2.0.0rc7's real config classes.

A 2.0 profile becomes LiveNodeConfig, RedisCacheConfig, client and importable
configs with every value of its parameter's type; whatever NautilusTrader
refuses is a finding at the profile line; placeholders stay verbatim in
node.json, which load_artifact turns back into the same objects.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from v2_support import CANARIES, lookup, merged, write
from v2_support import root  # noqa: F401 - fixtures

from ntprofile.releases import V2, backend

nodes = backend(V2)


def codes(compiled) -> list[tuple[str, str | None]]:
    return [(d.code, d.key) for d in compiled.diagnostics]


def errors(root: Path, name: str, with_lookup: bool = True, **env: str) -> list[str]:
    compiled = nodes.compile_merged(merged(root, name), lookup(**env) if with_lookup else None)
    assert compiled.config is None
    return [d.render() for d in compiled.diagnostics if d.is_error]


def values(obj: Any) -> Any:
    """A comparable picture of a 2.0 config object: its readable fields, recursively (PyO3 reprs say little)."""
    from nautilus_trader.live.config import config_values

    if isinstance(obj, dict):
        return {str(k): values(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [values(v) for v in obj]
    if type(obj).__module__.startswith("nautilus_trader") and type(obj).__name__.endswith(("Config", "Model")):
        return {type(obj).__name__: values(config_values(obj))}
    return repr(obj)


def picture(config) -> dict[str, Any]:
    """Everything a NodeConfig builds a node from, secrets included as given (the test masks them)."""
    return {
        "live": repr(config.live),
        "node": values(config.node),
        "logging": values(config.logging),
        "redis": values(config.redis_args),
        "clients": {
            kind: {cid: [values(client), factory] for cid, (client, factory) in getattr(config, kind).items()}
            for kind in ("data", "exec", "simulated")
        },
        "components": [[section, values(c.config), c.config_path] for section, c in config.components],
    }


def masked(text: str) -> str:
    for secret in CANARIES.values():
        text = text.replace(secret, "***")
    return text


def test_profile_compiles_onto_nautilus_trader_2_objects(root: Path):
    from nautilus_trader.adapters.binance import BinanceEnvironment, BinanceExecutionClientConfig, BinanceProductType
    from nautilus_trader.adapters.bybit import BybitDataClientConfig, BybitEnvironment
    from nautilus_trader.common import Environment, LogLevel
    from nautilus_trader.infrastructure import RedisCacheConfig
    from nautilus_trader.live import LiveNodeConfig
    from nautilus_trader.live.config import config_values
    from nautilus_trader.model import AccountId, TraderId
    from nautilus_trader.trading import ImportableStrategyConfig

    compiled = nodes.compile_merged(merged(root, "prod"), lookup(REDIS_PORT="6390"))
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    config = compiled.config
    live = config.live
    assert isinstance(live, LiveNodeConfig)
    assert live.trader_id == TraderId("PROD-V2-001")
    assert live.environment == Environment.LIVE
    assert live.timeout_connection_secs == 5.0
    assert live.cache.buffer_interval_ms == 100 and live.cache.persist_account_events is True
    assert live.exec_engine.reconciliation_lookback_mins == 1440
    assert live.risk_engine.max_order_submit_rate == "50/00:00:01"
    assert live.logging.fileout_level == LogLevel.DEBUG
    file_config = config_values(live.logging.file_config)
    assert file_config["directory"] == "logs" and file_config["file_format"] == "json"
    assert file_config["file_rotate"] == (104857600, 10)  # tuple[int, int]: a list of two in the profile
    assert isinstance(config.redis, RedisCacheConfig)
    assert (config.redis.host, config.redis.port) == ("127.0.0.1", 6390)  # ${REDIS_PORT} converted to int
    assert config.redis.password == CANARIES["REDIS_PASSWORD"]
    bybit_data, factory = config.data["BYBIT"]
    assert isinstance(bybit_data, BybitDataClientConfig) and factory.endswith(":BybitDataClientFactory")
    assert bybit_data.environment == BybitEnvironment.MAINNET  # environment: mainnet -> the adapter's member
    binance_exec, _ = config.exec["BINANCE"]
    assert isinstance(binance_exec, BinanceExecutionClientConfig)
    assert binance_exec.environment == BinanceEnvironment.TESTNET
    assert binance_exec.product_type == BinanceProductType.USD_M  # shared option, any case
    assert binance_exec.account_id == AccountId("BINANCE-001")  # the exec client's own option
    assert config.data["BINANCE"][0].product_type == BinanceProductType.USD_M
    [(section, strategy)] = config.components
    assert section == "strategies" and isinstance(strategy, ImportableStrategyConfig)
    assert strategy.config == {"instrument_id": "BTCUSDT-PERP.BYBIT", "trade_size": 2}
    assert [(c.client_id, c.has_data, c.has_exec) for c in compiled.clients] == [
        ("BYBIT", True, True),
        ("BINANCE", True, True),
    ]


def test_node_json_keeps_placeholders_and_says_format_and_release(root: Path):
    compiled = nodes.compile_merged(merged(root, "prod"))  # no lookup: ntprofile compile
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    document = compiled.node_json
    assert document["format"] == "ntprofile-node/1"
    assert document["nautilus_trader"] == "2.0.0rc7"
    assert document["target"] == "prod"
    assert document["profile"]["cache"]["database"]["port"] == "${REDIS_PORT:-6379}"
    assert document["profile"]["exchanges"]["BYBIT"]["api_secret"] == "${BYBIT_API_SECRET}"
    text = json.dumps(document)
    assert not any(secret in text for secret in CANARIES.values())


def test_round_trip_through_node_json_builds_the_same_config(root: Path):
    env = lookup(REDIS_PORT="6391")
    compiled = nodes.compile_merged(merged(root, "prod"), env)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    document = json.loads(json.dumps(compiled.node_json))  # as written to and read from build/prod/node.json
    loaded = nodes.load_artifact(document, env)
    before, after = picture(compiled.config), picture(loaded)
    assert masked(json.dumps(after, sort_keys=True)) == masked(json.dumps(before, sort_keys=True))
    assert before["redis"] == after["redis"]  # the password too, compared as given
    assert "6391" in before["redis"]["port"]
    changed = nodes.load_artifact(document, lookup(REDIS_PORT="6392"))  # can fail: another environment differs
    assert picture(changed)["redis"] != before["redis"]


def test_load_artifact_refuses_another_format_or_release(root: Path):
    from ntprofile.diagnostics import ProfileError

    document = nodes.compile_merged(merged(root, "prod")).node_json
    with pytest.raises(ProfileError, match="2.0.0rc6"):
        nodes.load_artifact({**document, "nautilus_trader": "2.0.0rc6"}, lookup())
    with pytest.raises(ProfileError, match="format"):
        nodes.load_artifact({**document, "format": "nautilus_trader"}, lookup())
    with pytest.raises(ProfileError) as missing:
        nodes.load_artifact(document, {}.get)  # this environment lacks the credentials
    assert {d.code for d in missing.value.diagnostics} == {"S004"}


def test_refusals_are_findings_at_the_profile_line(root: Path):
    write(
        root,
        "bad",
        """\
        extends: [prod]
        node:
          trader_id: NOHYPHEN
          bogus: 1
        cache:
          database:
            port: 99999
        logging:
          fileout_level: LOUD
        exchanges:
          BYBIT:
            environment: moon
          BINANCE:
            product_type: USDT_FUTURES
            exec:
              account_id: nohyphen
        risk_engine:
          max_order_submit_rate: "100 per second"
        """,
    )
    found = errors(root, "bad")
    expected = [
        ("bad.yaml:3:", "V003", "node.trader_id", "NAME-TAG"),
        ("bad.yaml:4:", "V001", "node.bogus", "not a LiveNodeConfig field"),
        ("bad.yaml:7:", "V003", "cache.database.port", "99999 is not a port (1-65535)"),
        ("bad.yaml:9:", "V101", "logging.fileout_level", "'LOUD' is not a LogLevel"),
        ("bad.yaml:12:", "V003", "exchanges.BYBIT.environment", "mainnet, testnet, demo"),
        ("bad.yaml:14:", "V101", "exchanges.BINANCE.product_type", "USD_M"),
        ("bad.yaml:16:", "V101", "exchanges.BINANCE.exec.account_id", "did not contain '-'"),
        ("bad.yaml:18:", "V003", "risk_engine.max_order_submit_rate", "rate limit"),
    ]
    assert len(found) == len(expected), "\n".join(found)
    for line, (where, code, key, text) in zip(found, expected):
        assert where in line and f"[{code}] {key}:" in line and text in line, line


def test_required_fields_unknown_keys_and_missing_variables(root: Path):
    write(
        root,
        "gaps",
        """\
        extends: [prod]
        exchanges:
          BINANCE:
            exec:
              account_id: null
            recv_window: 5000
          KRAKEN:
            adapter: krakken
        """,
    )
    found = "\n".join(errors(root, "gaps", BYBIT_API_SECRET=None))  # type: ignore[arg-type]
    assert "[V001] exchanges.BINANCE.recv_window: 'recv_window' is not a field of" in found
    assert "did you mean 'recv_window_ms'" in found
    assert "[V003] exchanges.KRAKEN.adapter: unknown adapter 'krakken'" in found
    assert "gaps.yaml:5:7: error[V004] exchanges.BINANCE.exec.account_id: missing required key 'account_id'" in found
    assert "[S004] exchanges.BYBIT.api_secret: environment variable BYBIT_API_SECRET is not set" in found


def test_bad_variable_values_never_show_a_secret(root: Path):
    write(
        root,
        "leak",
        """\
        extends: [prod]
        node:
          timeout_connection_secs: ${BYBIT_API_SECRET}
          instance_id: ${BYBIT_API_KEY}
        cache:
          database:
            port: ${REDIS_PORT}
        """,
    )
    compiled = nodes.compile_merged(merged(root, "leak"), lookup(REDIS_PORT="not-a-port"))
    text = "\n".join(d.render() for d in compiled.diagnostics)
    assert compiled.config is None
    assert "[S006] node.timeout_connection_secs" in text and "[S006] cache.database.port" in text
    assert "[S006] node.instance_id: value of BYBIT_API_KEY is not allowed here" in text
    assert "'not-a-port'" in text  # not a secret: shown
    assert not any(secret in text for secret in CANARIES.values()), text


def test_literal_secret_is_masked_and_refused(root: Path):
    write(root, "literal", "extends: [prod]\nexchanges:\n  BYBIT:\n    api_secret: plain-text-secret-4417\n")
    compiled = nodes.compile_merged(merged(root, "literal"))
    assert ("S001", "exchanges.BYBIT.api_secret") in codes(compiled)
    assert compiled.node_json is None and compiled.config is None
    assert "plain-text-secret-4417" not in "\n".join(d.render() for d in compiled.diagnostics)


def test_component_config_placeholders_take_the_config_class_types(root: Path):
    write(root, "sized", "extends: [prod]\nstrategies:\n  demo:\n    config:\n      trade_size: ${TRADE_SIZE}\n")
    compiled = nodes.compile_merged(merged(root, "sized"), lookup(TRADE_SIZE="7"))
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert compiled.config.components[0][1].config["trade_size"] == 7  # DemoConfig: trade_size: int
    refused = nodes.compile_merged(merged(root, "sized"), lookup(TRADE_SIZE="seven"))
    assert [(d.code, d.key) for d in refused.diagnostics if d.is_error] == [("S006", "strategies.demo.config.trade_size")]
    assert nodes.compile_merged(merged(root, "sized")).ok  # compile: a stand-in of its type


def test_component_config_is_applied_as_nautilus_trader_2_does(root: Path):
    write(
        root,
        "components",
        """\
        extends: [prod]
        strategies:
          demo:
            config:
              trade_sise: 3
              order_id_tag: "001"
          other:
            strategy_path: v2_components.Demo
            config_path: v2_components:DemoConfig
        """,
    )
    found = "\n".join(errors(root, "components"))
    assert "[V001] strategies.demo.config.trade_sise: 'trade_sise' is not a field of DemoConfig" in found
    assert "did you mean 'trade_size'" in found
    assert "[V101] strategies.demo.config.order_id_tag" in found  # 2.0 cannot set StrategyConfig's own fields
    assert "[V003] strategies.other.strategy_path: 'v2_components.Demo' is not a class path" in found


def test_paper_trading_through_the_sandbox(root: Path):
    from nautilus_trader.adapters.sandbox import SandboxExecutionClientConfig
    from nautilus_trader.common import Environment
    from nautilus_trader.execution import MakerTakerFeeModel
    from nautilus_trader.model import AccountType, Money

    write(
        root,
        "paper",
        """\
        profile:
          stage: paper
        node:
          trader_id: PAPER-V2-001
        exchanges:
          BINANCE:
            adapter: binance
            environment: mainnet
            exec: false
          PAPER:
            adapter: sandbox
            venue: BINANCE
            starting_balances: ["10000 USDT"]
            account_type: margin
            default_leverage: 1
            fee_model:
              MakerTakerFeeModel: {maker_rate: "0.0002", taker_rate: "0.0005"}
        """,
    )
    compiled = nodes.compile_merged(merged(root, "paper"), lookup())
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    config = compiled.config
    assert config.live.environment == Environment.SANDBOX  # stage paper
    assert list(config.data) == ["BINANCE"] and not config.exec
    sandbox, factory = config.simulated["PAPER"]
    assert isinstance(sandbox, SandboxExecutionClientConfig) and factory.endswith(":SandboxExecutionClientFactory")
    assert sandbox.starting_balances == [Money.from_str("10000 USDT")]
    assert sandbox.account_type == AccountType.MARGIN and sandbox.default_leverage == Decimal(1)
    assert isinstance(sandbox.fee_model, MakerTakerFeeModel)


def test_quiet_lowers_the_console_level_only(root: Path):
    from nautilus_trader.common import LogLevel

    write(root, "loud", "extends: [prod]\nlogging:\n  stdout_level: DEBUG\n")
    config = nodes.compile_merged(merged(root, "loud"), lookup()).config
    quiet = nodes.quiet(config)
    assert quiet.live.logging.stdout_level == LogLevel.WARNING
    assert quiet.live.logging.fileout_level == config.live.logging.fileout_level == LogLevel.DEBUG
    assert config.live.logging.stdout_level == LogLevel.DEBUG
    assert nodes.stop_bound(config) == 0 + 2 * 2 + 30.0  # delay_post_stop_secs + 2 x timeout_disconnection_secs


def test_summary_facts_and_plain_values(root: Path):
    from nautilus_trader.model import InstrumentId, OrderSide

    config = nodes.compile_merged(merged(root, "prod"), lookup(REDIS_PORT="6393")).config
    facts = nodes.facts(config)
    assert facts.trader_id == "PROD-V2-001"
    [database] = facts.databases
    assert (database.label, database.kind, database.host, database.port, database.password) == (
        "cache",
        "redis",
        "127.0.0.1",
        6393,
        True,
    )
    assert facts.components == {"strategies": ["v2_components:Demo"]}
    assert facts.log_files == ("logs", "json", "DEBUG")
    assert CANARIES["REDIS_PASSWORD"] not in repr(facts) + repr(config)
    given = {"instrument_id": InstrumentId.from_str("ETHUSDT-PERP.BINANCE"), "size": Decimal("0.5"), "side": OrderSide.BUY}
    assert nodes.plain(given) == {"instrument_id": "ETHUSDT-PERP.BINANCE", "size": "0.5", "side": "BUY"}
