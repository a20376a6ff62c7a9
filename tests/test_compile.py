"""The compile stage: merged profiles onto NautilusTrader's own config classes.

Expected configs are written by hand with NautilusTrader's classes, so a
compiler that drifts from what the shipped profiles say fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import msgspec
import pytest
from conftest import TARGETS
from nautilus_trader.adapters.binance.common.enums import BinanceAccountType, BinanceEnvironment
from nautilus_trader.adapters.binance.config import (
    BinanceDataClientConfig,
    BinanceExecClientConfig,
    BinanceInstrumentProviderConfig,
)
from nautilus_trader.adapters.binance.futures.enums import BinanceFuturesMarginType
from nautilus_trader.adapters.bybit.config import BybitDataClientConfig, BybitExecClientConfig
from nautilus_trader.adapters.sandbox.config import SandboxExecutionClientConfig
from nautilus_trader.common import Environment
from nautilus_trader.config import (
    CacheConfig,
    DatabaseConfig,
    ImportableStrategyConfig,
    InstrumentProviderConfig,
    LiveDataEngineConfig,
    LiveExecEngineConfig,
    LiveRiskEngineConfig,
    LoggingConfig,
    TradingNodeConfig,
)
from nautilus_trader.core.nautilus_pyo3 import BybitEnvironment, BybitPositionMode, BybitProductType
from nautilus_trader.model.identifiers import TraderId, Venue
from ntprofile.compile import compile_merged
from ntprofile.language.placeholders import Placeholder, parse, substitute
from ntprofile.layers import Workspace

VARS = {
    "BINANCE_API_KEY": "bn-live-key",
    "BINANCE_API_SECRET": "bn-live-secret-value",
    "BYBIT_API_KEY": "by-live-key",
    "BYBIT_API_SECRET": "by-live-secret-value",
    "BINANCE_TESTNET_API_KEY": "bn-test-key",
    "BINANCE_TESTNET_API_SECRET": "bn-test-secret-value",
    "BYBIT_TESTNET_API_KEY": "by-test-key",
    "BYBIT_TESTNET_API_SECRET": "by-test-secret-value",
    "REDIS_PORT": "6380",
    "REDIS_PASSWORD": "redis-pw-value",
}

# ------------------------------------------------------------- hand-written


def _node(trader_id: str, production: bool, **clients) -> TradingNodeConfig:
    if production:
        cache = CacheConfig(
            database=DatabaseConfig(type="redis", host="127.0.0.1", port=6380, password="redis-pw-value"),
            encoding="msgpack",
            flush_on_start=False,
            buffer_interval_ms=100,
            persist_account_events=True,
            use_instance_id=False,
        )
        exec_engine = LiveExecEngineConfig(
            reconciliation=True,
            reconciliation_lookback_mins=1440,
            inflight_check_interval_ms=2000,
            inflight_check_threshold_ms=5000,
            graceful_shutdown_on_exception=True,
            open_check_interval_secs=10.0,
            position_check_interval_secs=60.0,
        )
        risk_engine = LiveRiskEngineConfig(
            bypass=False, max_order_submit_rate="50/00:00:01", max_order_modify_rate="50/00:00:01"
        )
        logging = LoggingConfig(
            log_level="INFO",
            log_level_file="DEBUG",
            log_directory="logs",
            log_file_format="json",
            log_file_max_size=104857600,
            log_file_max_backup_count=10,
            log_colors=False,
        )
    else:
        cache = CacheConfig(database=None, encoding="msgpack", flush_on_start=False)
        exec_engine = LiveExecEngineConfig(
            reconciliation=True,
            reconciliation_lookback_mins=60,
            inflight_check_interval_ms=2000,
            inflight_check_threshold_ms=5000,
            graceful_shutdown_on_exception=True,
        )
        risk_engine = LiveRiskEngineConfig(
            bypass=False, max_order_submit_rate="100/00:00:01", max_order_modify_rate="100/00:00:01"
        )
        logging = LoggingConfig(log_level="DEBUG", log_colors=False)
    return TradingNodeConfig(
        environment=Environment.LIVE,
        trader_id=TraderId(trader_id),
        load_state=production,
        save_state=production,
        timeout_connection=30.0,
        timeout_reconciliation=10.0,
        timeout_portfolio=10.0,
        timeout_disconnection=10.0,
        timeout_post_stop=5.0,
        cache=cache,
        data_engine=LiveDataEngineConfig(graceful_shutdown_on_exception=True),
        exec_engine=exec_engine,
        risk_engine=risk_engine,
        logging=logging,
        data_clients={k: v[0] for k, v in clients.items()},
        exec_clients={k: v[1] for k, v in clients.items()},
    )


def _binance(key: str | None, secret: str | None, env: BinanceEnvironment) -> tuple:
    common = dict(
        api_key=key,
        api_secret=secret,
        account_type=BinanceAccountType.USDT_FUTURES,
        environment=env,
        instrument_provider=InstrumentProviderConfig(load_all=True),
    )
    return (
        BinanceDataClientConfig(**common),
        BinanceExecClientConfig(
            **common, use_reduce_only=True, use_position_ids=True, recv_window_ms=5000, max_retries=3
        ),
    )


def _bybit(key: str | None, secret: str | None, env: BybitEnvironment) -> tuple:
    common = dict(
        api_key=key,
        api_secret=secret,
        product_types=(BybitProductType.LINEAR,),
        environment=env,
        instrument_provider=InstrumentProviderConfig(load_all=True),
    )
    modes = {"ETHUSDT-LINEAR": BybitPositionMode.MERGED_SINGLE, "BTCUSDT-LINEAR": BybitPositionMode.MERGED_SINGLE}
    return BybitDataClientConfig(**common), BybitExecClientConfig(**common, position_mode=modes, max_retries=3)


EXPECTED = {
    "testnet-binance": lambda: _node(
        "TESTNET-BINANCE-001",
        False,
        BINANCE=_binance("bn-test-key", "bn-test-secret-value", BinanceEnvironment.TESTNET),
    ),
    "testnet-bybit": lambda: _node(
        "TESTNET-BYBIT-001",
        False,
        BYBIT=_bybit("by-test-key", "by-test-secret-value", BybitEnvironment.TESTNET),
    ),
    "prod-binance": lambda: _node(
        "PROD-BINANCE-001",
        True,
        BINANCE=_binance("bn-live-key", "bn-live-secret-value", BinanceEnvironment.LIVE),
    ),
    "prod-bybit": lambda: _node(
        "PROD-BYBIT-001",
        True,
        BYBIT=_bybit("by-live-key", "by-live-secret-value", BybitEnvironment.MAINNET),
    ),
    "prod-multi": lambda: _node(
        "PROD-MULTI-001",
        True,
        BINANCE=_binance("bn-live-key", "bn-live-secret-value", BinanceEnvironment.LIVE),
        BYBIT=_bybit("by-live-key", "by-live-secret-value", BybitEnvironment.MAINNET),
    ),
}


def _paper(trader_id: str, client_id: str, data: object) -> TradingNodeConfig:
    """A paper node: mainnet market data from ``client_id``, the sandbox filling orders on its venue."""
    sandbox = SandboxExecutionClientConfig(
        venue=client_id, starting_balances=["10000 USDT"], oms_type="NETTING", account_type="MARGIN"
    )
    node = _node(trader_id, False)
    return msgspec.structs.replace(
        node,
        environment=Environment.SANDBOX,
        logging=LoggingConfig(log_level="INFO", log_colors=False),
        data_clients={client_id: data},
        exec_clients={"PAPER": sandbox},
    )


# a paper node's market data holds no key (P108): public data, never a key that trades
EXPECTED["paper-binance"] = lambda: _paper(
    "PAPER-BINANCE-001", "BINANCE", _binance(None, None, BinanceEnvironment.LIVE)[0]
)
EXPECTED["paper-bybit"] = lambda: _paper("PAPER-BYBIT-001", "BYBIT", _bybit(None, None, BybitEnvironment.MAINNET)[0])


def assert_same_config(actual: TradingNodeConfig, expected: TradingNodeConfig) -> None:
    """Field by field, clients too, so a failure names the field."""
    for name in expected.__struct_fields__:
        if name in ("data_clients", "exec_clients"):
            got, want = getattr(actual, name), getattr(expected, name)
            assert list(got) == list(want), name
            for client_id in want:
                for field in want[client_id].__struct_fields__:
                    assert getattr(got[client_id], field) == getattr(want[client_id], field), (
                        f"{name}.{client_id}.{field}"
                    )
                assert type(got[client_id]) is type(want[client_id])
        else:
            assert getattr(actual, name) == getattr(expected, name), name
    assert actual == expected


# ------------------------------------------------------------------ helpers


def merged_of(root: Path, name: str):
    merged, diags = Workspace(root).merge(name)
    assert merged is not None, diags
    return merged


def write_target(project: Path, name: str, body: str) -> Path:
    path = project / "profiles" / f"{name}.yaml"
    path.write_text(textwrap.dedent(body))
    return path


def substituted(node_json: dict, env: dict[str, str]) -> dict:
    """node.json with placeholders filled as a deployment would (whole ones typed)."""

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and "$" in value:
            text = substitute(value, lambda p: env.get(p.name, p.default))
            if [type(p) for p in parse(value)] == [Placeholder]:  # the whole value is one placeholder
                if text == "":
                    return None
                try:
                    return json.loads(text)
                except ValueError:
                    return text
            return text
        return value

    return fill(node_json)


def from_node_json(node_json: dict, env: dict[str, str]) -> TradingNodeConfig:
    parsed = TradingNodeConfig.parse(json.dumps(substituted(node_json, env)))
    return msgspec.structs.replace(
        parsed,
        data_clients={k: v.create() for k, v in parsed.data_clients.items()},
        exec_clients={k: v.create() for k, v in parsed.exec_clients.items()},
    )


# -------------------------------------------------------------------- tests


@pytest.mark.parametrize("target", TARGETS)
def test_shipped_target_compiles_to_hand_written_config(target: str) -> None:
    merged = merged_of(None, target)
    compiled = compile_merged(merged, VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert [d for d in compiled.diagnostics] == []
    assert_same_config(compiled.config, EXPECTED[target]())
    # node.json after substitution, each client created, equals it too
    assert_same_config(from_node_json(compiled.node_json, VARS), EXPECTED[target]())


@pytest.mark.parametrize("target", TARGETS)
def test_compile_without_lookup_keeps_placeholders_verbatim(target: str) -> None:
    compiled = compile_merged(merged_of(None, target))
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    text = json.dumps(compiled.node_json)
    assert "bn-" not in text and "placeholder" not in text
    for kind in ("data", "exec"):
        for client_id, client in compiled.node_json[f"{kind}_clients"].items():
            secret = client["config"].get("api_secret")  # the sandbox has no credentials, paper data none (P108)
            if secret is not None:
                assert secret.startswith("${") and secret.endswith("}")
            else:
                assert "api_secret" not in client["config"] or target.startswith("paper"), client_id
            assert client["factory"]["path"].endswith(f"Live{kind.capitalize()}ClientFactory")
            assert client["path"].endswith(("ClientConfig", "ExecutionClientConfig"))
    if target.startswith("prod"):
        db = compiled.node_json["cache"]["database"]
        assert (db["host"], db["port"], db["password"]) == (
            "${REDIS_HOST:-127.0.0.1}",
            "${REDIS_PORT:-6379}",
            "${REDIS_PASSWORD}",
        )
    ids = list(dict.fromkeys([*compiled.node_json["data_clients"], *compiled.node_json["exec_clients"]]))
    assert [(c.client_id, c.has_data, c.has_exec) for c in compiled.clients] == [
        (cid, cid in compiled.node_json["data_clients"], cid in compiled.node_json["exec_clients"]) for cid in ids
    ]


def test_several_clients_of_one_adapter_with_their_venues(project: Path) -> None:
    write_target(
        project,
        "spot-futures",
        """\
        extends: [env/testnet]
        node: {trader_id: TESTNET-SPOTFUT-001}
        exchanges:
          BINANCE_SPOT:
            adapter: binance
            environment: testnet
            venue: BINANCE_SPOT
            account_type: spot
            api_key: ${BINANCE_TESTNET_API_KEY}
            api_secret: ${BINANCE_TESTNET_API_SECRET}
          BINANCE_FUTURES:
            adapter: binance
            environment: testnet
            venue: BINANCE_FUTURES
            account_type: USDT_FUTURES
            api_key: ${BINANCE_TESTNET_API_KEY}
            api_secret: ${BINANCE_TESTNET_API_SECRET}
    """,
    )
    compiled = compile_merged(merged_of(project / "profiles", "spot-futures"), VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    data = compiled.config.data_clients
    assert list(data) == ["BINANCE_SPOT", "BINANCE_FUTURES"]
    assert data["BINANCE_SPOT"].venue == Venue("BINANCE_SPOT")
    assert data["BINANCE_SPOT"].account_type == BinanceAccountType.SPOT  # lower case normalised
    assert compiled.config.exec_clients["BINANCE_FUTURES"].venue == Venue("BINANCE_FUTURES")
    assert compiled.config.exec_clients["BINANCE_FUTURES"].account_type == BinanceAccountType.USDT_FUTURES
    assert from_node_json(compiled.node_json, VARS) == compiled.config


def test_data_false_and_exec_false_omit_that_client(project: Path) -> None:
    write_target(
        project,
        "mixed",
        """\
        extends: [env/testnet, exchanges/binance, exchanges/bybit]
        node: {trader_id: TESTNET-MIXED-001}
        exchanges:
          BINANCE: {data: false}
          BYBIT: {exec: false}
    """,
    )
    compiled = compile_merged(merged_of(project / "profiles", "mixed"), VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert list(compiled.config.data_clients) == ["BYBIT"]
    assert list(compiled.config.exec_clients) == ["BINANCE"]
    assert [(c.client_id, c.has_data, c.has_exec) for c in compiled.clients] == [
        ("BINANCE", False, True),
        ("BYBIT", True, False),
    ]


def test_shared_option_goes_to_each_config_that_has_it(project: Path) -> None:
    write_target(
        project,
        "shared",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-SHARED-001}
        exchanges:
          BINANCE:
            us: true                              # both configs
            use_gtd: false                        # exec only
            update_instruments_interval_mins: 15  # data only
            data: {use_agg_trade_ticks: true}
    """,
    )
    config = compile_merged(merged_of(project / "profiles", "shared"), VARS.get).config
    data, exec_ = config.data_clients["BINANCE"], config.exec_clients["BINANCE"]
    assert data.us is True and exec_.us is True
    assert exec_.use_gtd is False
    assert data.update_instruments_interval_mins == 15
    assert data.use_agg_trade_ticks is True


def test_unknown_adapter_option_is_v001_with_hint(project: Path) -> None:
    path = write_target(
        project,
        "typo",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-TYPO-001}
        exchanges:
          BINANCE:
            acount_type: SPOT
            exec: {use_reduce_onl: true}
    """,
    )
    compiled = compile_merged(merged_of(project / "profiles", "typo"))
    assert compiled.config is None and compiled.node_json is None
    found = {(d.code, d.key, d.pos.line, d.hint) for d in compiled.diagnostics}
    assert ("V001", "exchanges.BINANCE.acount_type", 5, "did you mean 'account_type'?") in found
    assert ("V001", "exchanges.BINANCE.exec.use_reduce_onl", 6, "did you mean 'use_reduce_only'?") in found
    assert all(d.pos.file == str(path) for d in compiled.diagnostics)


def test_unknown_field_and_bad_value_in_a_section(project: Path) -> None:
    write_target(
        project,
        "bad-cache",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-BADCACHE-001}
        cache:
          flush_on_strat: false
        exec_engine:
          inflight_check_interval_ms: soon
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "bad-cache")).diagnostics
    by_code = {d.code: d for d in diags}
    assert by_code["V001"].key == "cache.flush_on_strat" and by_code["V001"].pos.line == 4
    assert by_code["V001"].hint == "did you mean 'flush_on_start'?"
    assert by_code["V101"].key == "exec_engine.inflight_check_interval_ms" and by_code["V101"].pos.line == 6


def test_unknown_adapter_and_environment(project: Path) -> None:
    write_target(
        project,
        "bad-adapter",
        """\
        extends: [env/testnet]
        node: {trader_id: TESTNET-BADAD-001}
        exchanges:
          FTX: {environment: testnet}
          BYBIT: {environment: mainet}
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "bad-adapter")).diagnostics
    found = {(d.code, d.key, d.hint) for d in diags}
    assert ("V003", "exchanges.FTX", None) in found
    assert ("V003", "exchanges.BYBIT.environment", "did you mean 'mainnet'?") in found


def test_bad_rate_limit_is_reported_before_construction(project: Path) -> None:
    write_target(
        project,
        "bad-rate",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-RATE-001}
        risk_engine:
          max_order_submit_rate: 100 per second
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "bad-rate")).diagnostics
    assert [(d.code, d.key, d.pos.line) for d in diags] == [("V003", "risk_engine.max_order_submit_rate", 4)]
    assert "<count>/<HH:MM:SS>" in diags[0].message


def test_fields_without_json_form_work_in_memory_and_warn(project: Path) -> None:
    write_target(
        project,
        "leverage",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-LEV-001}
        exchanges:
          BINANCE:
            instrument_provider: {load_all: true, query_commission_rates: true}
            exec:
              futures_leverages: {BTCUSDT-PERP: 5}
              futures_margin_types: {ETHUSDT: cross}
    """,
    )
    compiled = compile_merged(merged_of(project / "profiles", "leverage"), VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    exec_ = compiled.config.exec_clients["BINANCE"]
    assert exec_.futures_leverages == {"BTCUSDT": 5}  # BinanceSymbol formatting applied
    assert type(next(iter(exec_.futures_leverages))).__name__ == "BinanceSymbol"
    assert exec_.futures_margin_types == {"ETHUSDT": BinanceFuturesMarginType.CROSS}
    assert isinstance(exec_.instrument_provider, BinanceInstrumentProviderConfig)
    assert exec_.instrument_provider.query_commission_rates is True
    warnings = [d for d in compiled.diagnostics if d.code == "V102"]
    assert {d.severity for d in warnings} == {"warning"}
    # one warning per profile key, at the line that set it, naming the clients it concerns
    assert [(d.key, d.pos.line) for d in warnings] == [
        ("exchanges.BINANCE.instrument_provider.query_commission_rates", 5),
        ("exchanges.BINANCE.exec.futures_leverages", 7),
        ("exchanges.BINANCE.exec.futures_margin_types", 8),
    ]
    assert "data and exec clients" in warnings[0].message and "exec client" in warnings[1].message
    assert compiled.unportable == [
        "data_clients.BINANCE.instrument_provider.query_commission_rates",
        "exec_clients.BINANCE.instrument_provider.query_commission_rates",
        "exec_clients.BINANCE.futures_leverages",
        "exec_clients.BINANCE.futures_margin_types",
    ]
    config = compiled.node_json["exec_clients"]["BINANCE"]["config"]
    assert "futures_leverages" not in config and "query_commission_rates" not in config["instrument_provider"]
    from_node_json(compiled.node_json, VARS)  # what node.json does carry still loads


def test_strategies_in_definition_order_without_disabled(project: Path) -> None:
    write_target(
        project,
        "strats",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-STRAT-001}
        strategies:
          ema:
            strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
            config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
            config: {instrument_id: ETHUSDT-PERP.BINANCE, bar_type: ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01', fast_ema_period: 10}
          paused:
            enabled: false
            strategy_path: x:Y
            config_path: x:YConfig
            config: {}
          grid:
            strategy_path: a.b:Grid
            config_path: a.b:GridConfig
            config: {levels: 3}
    """,
    )
    compiled = compile_merged(merged_of(project / "profiles", "strats"), VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert compiled.config.strategies == [
        ImportableStrategyConfig(
            strategy_path="nautilus_trader.examples.strategies.ema_cross:EMACross",
            config_path="nautilus_trader.examples.strategies.ema_cross:EMACrossConfig",
            config={
                "instrument_id": "ETHUSDT-PERP.BINANCE",
                "bar_type": "ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL",
                "trade_size": "0.01",
                "fast_ema_period": 10,
            },
        ),
        ImportableStrategyConfig(strategy_path="a.b:Grid", config_path="a.b:GridConfig", config={"levels": 3}),
    ]


def test_lookup_reports_every_missing_variable_at_once() -> None:
    merged = merged_of(None, "prod-multi")
    compiled = compile_merged(merged, {"BINANCE_API_KEY": "bn-live-key", "REDIS_PASSWORD": "pw"}.get)
    assert compiled.config is None
    missing = sorted((d.message.split()[2], d.pos.line) for d in compiled.diagnostics if d.code == "S004")
    assert missing == [("BINANCE_API_SECRET", 15), ("BYBIT_API_KEY", 19), ("BYBIT_API_SECRET", 20)]
    assert all(d.pos.file.endswith("prod-multi.toml") for d in compiled.diagnostics)


def test_empty_secret_and_bad_value_never_echo_a_secret() -> None:
    canaries = {"BYBIT_API_KEY": "by-canary-key-7731", "REDIS_PASSWORD": "pw-canary-7731"}
    env = dict(VARS, **canaries, BYBIT_API_SECRET="", REDIS_PORT="sixty")
    compiled = compile_merged(merged_of(None, "prod-bybit"), env.get)
    codes = {d.code: d for d in compiled.diagnostics}
    assert codes["S005"].key == "exchanges.BYBIT.api_secret"
    assert "BYBIT_API_SECRET" in codes["S005"].message
    assert codes["S006"].key == "cache.database.port" and "REDIS_PORT" in codes["S006"].message
    text = "\n".join(d.render() for d in compiled.diagnostics)
    for value in canaries.values():  # set, resolved and in the failing config: never in a message
        assert value not in text


def test_optional_empty_placeholder_is_none_and_set_password_is_used(project: Path) -> None:
    optional = "extends: [testnet-bybit]\ncache:\n  database: {password: '${REDIS_PASSWORD:-}'}\n"
    write_target(project, "dev-redis", optional)
    dev = merged_of(project / "profiles", "dev-redis")
    assert compile_merged(dev, dict(VARS, REDIS_PASSWORD="").get).config.cache.database.password is None
    merged = merged_of(None, "prod-bybit")  # production requires it (P103): set but empty is S005
    refused = compile_merged(merged, dict(VARS, REDIS_PASSWORD="").get)
    assert [(d.code, d.key) for d in refused.diagnostics] == [("S005", "cache.database.password")]
    config = compile_merged(merged, dict(VARS, REDIS_PASSWORD="s3cret-redis").get).config
    assert config.cache.database.password == "s3cret-redis"
    assert config.cache.database.port == 6380
    # ':-' as in the shell: an empty variable takes the default, like an unset one
    assert compile_merged(merged, dict(VARS, REDIS_PORT="").get).config.cache.database.port == 6379


def test_double_dollar_is_a_literal_dollar_once_resolved(project: Path) -> None:
    write_target(
        project,
        "dollars",
        """\
        extends: [env/testnet, exchanges/bybit]
        node: {trader_id: TESTNET-DOLLARS-001}
        logging: {log_file_name: "node-$$HOME-${SUFFIX:-a}"}
    """,
    )
    merged = merged_of(project / "profiles", "dollars")
    compiled = compile_merged(merged, dict(VARS).get)
    assert compiled.config.logging.log_file_name == "node-$HOME-a"
    assert compile_merged(merged).node_json["logging"]["log_file_name"] == "node-$$HOME-${SUFFIX:-a}"


def test_bad_default_at_compile_is_reported(project: Path) -> None:
    write_target(
        project,
        "bad-default",
        """\
        extends: [env/production, exchanges/binance]
        node: {trader_id: PROD-DEFAULT-001}
        cache:
          database: {port: "${REDIS_PORT:-sixty}"}
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "bad-default")).diagnostics
    [s006] = [d for d in diags if d.code == "S006"]
    assert s006.key == "cache.database.port" and "REDIS_PORT" in s006.message and s006.pos.line == 4


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that pass ``None`` as the root read the shipped profiles of the repository."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


def test_resolved_identifier_is_checked_before_construction(project: Path) -> None:
    write_target(
        project,
        "id-vars",
        """\
        extends: [env/testnet, exchanges/binance]
        node:
          trader_id: ${TRADER_ID}
        exchanges:
          BINANCE:
            venue: ${VENUE}
    """,
    )
    merged = merged_of(project / "profiles", "id-vars")
    compiled = compile_merged(merged)  # a placeholder without default gets a valid stand-in at compile
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert compiled.node_json["trader_id"] == "${TRADER_ID}"
    assert compiled.node_json["data_clients"]["BINANCE"]["config"]["venue"] == "${VENUE}"
    good = compile_merged(merged, dict(VARS, TRADER_ID="TESTNET-VARS-001", VENUE="BINANCE").get)
    assert good.ok and good.config.trader_id == TraderId("TESTNET-VARS-001")
    # resolved values that would abort the process inside Rust: in a child process, so a regression
    # fails this test instead of killing the test run
    code = (
        "import os; from ntprofile.layers import Workspace; from ntprofile.compile import compile_merged\n"
        "m, _ = Workspace('profiles').merge('id-vars')\n"
        "env = {'TRADER_ID': 'NOHYPHEN', 'VENUE': 'BİNANCE', 'BINANCE_TESTNET_API_KEY': 'k',"
        " 'BINANCE_TESTNET_API_SECRET': 's'}\n"
        "for d in compile_merged(m, env.get).diagnostics: print(d.code, d.key)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == ["S006 node.trader_id", "S006 exchanges.BINANCE.venue"]


def test_integers_beyond_64_bits_are_refused(project: Path) -> None:
    write_target(
        project,
        "huge",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-HUGE-001}
        cache:
          tick_capacity: 99999999999999999999999999999999
        exchanges:
          BINANCE:
            exec: {max_retries: 340282366920938463463374607431768211456}
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "huge"), VARS.get).diagnostics
    assert [(d.code, d.key, d.pos.line) for d in diags] == [
        ("V003", "cache.tick_capacity", 4),
        ("V003", "exchanges.BINANCE.exec.max_retries", 7),
    ]
    assert "64 bits" in diags[0].message


def test_component_config_placeholders_take_the_config_class_types(project: Path) -> None:
    write_target(
        project,
        "strat-vars",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-SVARS-001}
        strategies:
          ema:
            strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
            config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
            config:
              instrument_id: ETHUSDT-PERP.BINANCE
              bar_type: ${BAR_TYPE}
              trade_size: ${TRADE_SIZE:-0.01}
              fast_ema_period: ${FAST:-10}
          custom:
            strategy_path: not_installed.mod:Grid
            config_path: not_installed.mod:GridConfig
            config: {levels: "${LEVELS:-3}"}
    """,
    )
    merged = merged_of(project / "profiles", "strat-vars")
    unresolved = compile_merged(merged)  # stand-ins of the class's types, placeholders kept verbatim
    assert [(d.code, d.key) for d in unresolved.diagnostics] == [
        ("V103", "strategies.custom.strategy_path"),  # compile refuses a class that does not import here
        ("V103", "strategies.custom.config_path"),
    ]
    env = dict(VARS, BAR_TYPE="ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL")
    compiled = compile_merged(merged, env.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    ema, custom = compiled.config.strategies
    assert ema.config["fast_ema_period"] == 10  # an int, as EMACrossConfig needs
    assert ema.config["trade_size"] == "0.01"  # a Decimal's text form
    from nautilus_trader.common.config import resolve_config_path

    resolve_config_path(ema.config_path).parse(json.dumps(ema.config))  # NautilusTrader accepts it
    assert custom.config == {"levels": "3"}  # a class that does not import leaves values untyped
    bad = compile_merged(merged, dict(env, FAST="ten").get)
    [s006] = bad.diagnostics
    assert (s006.code, s006.key) == ("S006", "strategies.ema.config.fast_ema_period")


def test_a_value_that_does_not_convert_is_reported_once(project: Path) -> None:
    write_target(
        project,
        "notional",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-NOTIONAL-001}
        risk_engine:
          max_notional_per_order: ${NOTIONAL}
    """,
    )
    diags = compile_merged(merged_of(project / "profiles", "notional"), dict(VARS, NOTIONAL="lots").get).diagnostics
    assert [(d.code, d.key) for d in diags] == [("S006", "risk_engine.max_notional_per_order")]
