"""The Python API and the ``TradingNodeConfigFactory`` facade give what the shipped targets compile to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ntprofile
import pytest
from ntprofile import TradingNodeConfigFactory
from ntprofile.compile import compile_merged
from ntprofile.diagnostics import ProfileError
from ntprofile.layers import Workspace

VARS = {
    "BINANCE_API_KEY": "binance-key-0001",
    "BINANCE_API_SECRET": "binance-secret-0001",
    "BYBIT_API_KEY": "bybit-key-0001",
    "BYBIT_API_SECRET": "bybit-secret-0001",
    "BINANCE_TESTNET_API_KEY": "binance-tn-key-0001",
    "BINANCE_TESTNET_API_SECRET": "binance-tn-secret-0001",
    "BYBIT_TESTNET_API_KEY": "bybit-tn-key-0001",
    "BYBIT_TESTNET_API_SECRET": "bybit-tn-secret-0001",
    "REDIS_HOST": "10.1.2.3",
    "REDIS_PORT": "6390",
    "REDIS_PASSWORD": "redis-pw-0001",
}

EMA = {
    "strategy_path": "nautilus_trader.examples.strategies.ema_cross:EMACross",
    "config_path": "nautilus_trader.examples.strategies.ema_cross:EMACrossConfig",
    "config": {
        "instrument_id": "ETHUSDT-LINEAR.BYBIT",
        "bar_type": "ETHUSDT-LINEAR.BYBIT-1-MINUTE-LAST-EXTERNAL",
        "trade_size": "0.01",
    },
}


@pytest.fixture
def env(project: Path, monkeypatch) -> Path:
    monkeypatch.chdir(project)
    for name in ("NTPROFILE_PROFILES", "NTPROFILE_STAGE", "NTPROFILE_EXCHANGES", "REDIS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in VARS.items():
        monkeypatch.setenv(name, value)
    return project


def compiled(project: Path, target: str):
    """What the compiler makes of the shipped target with the same variables."""
    merged, _ = Workspace(project / "profiles").merge(target)
    result = compile_merged(merged, VARS.get)
    assert result.config is not None, result.diagnostics
    return result.config


def test_import_ntprofile_stays_light():
    code = "import sys, ntprofile; assert callable(ntprofile.load); print('nautilus_trader' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_load_returns_the_merged_profile(env):
    merged = ntprofile.load("prod-bybit")
    assert merged.stage == "production"
    assert merged.get(("node", "trader_id")) == "PROD-BYBIT-001"
    assert merged.layer_names == ["base", "env/production", "exchanges/bybit", "prod-bybit"]


def test_warnings_reach_the_caller_as_profile_warnings(env):
    """A warning (P106: hedge mode outside production) is not an error, but it is not lost either."""
    from ntprofile.diagnostics import ProfileWarning

    (env / "profiles/testnet-hedge.yaml").write_text(
        "extends: [testnet-bybit]\nnode: {trader_id: TESTNET-HEDGE-001}\n"
        "exchanges:\n  BYBIT:\n    exec:\n      position_mode: {ETHUSDT-LINEAR: BOTH_SIDES}\n"
    )
    for call in (ntprofile.load, ntprofile.compile_profile):
        with pytest.warns(ProfileWarning, match=r"warning\[P106\]"):
            call("testnet-hedge")


def test_load_raises_with_every_finding(env):
    path = env / "profiles" / "prod-bybit.yaml"
    path.write_text(path.read_text().replace("api_secret: ${BYBIT_API_SECRET}", "api_secret: literal-secret"))
    with pytest.raises(ProfileError) as info:
        ntprofile.load("prod-bybit")
    assert any(d.code == "S001" for d in info.value.diagnostics)
    assert "literal-secret" not in str(info.value)
    with pytest.raises(LookupError, match="did you mean 'prod-bybit'"):
        ntprofile.load("prod-bybt")


@pytest.mark.parametrize("target", ["prod-bybit", "prod-multi", "testnet-binance"])
def test_compile_profile_equals_the_compiled_target(env, target):
    config = ntprofile.compile_profile(target)
    assert config == compiled(env, target)
    assert config.cache.database is None or config.cache.database.port == 6390


def test_compile_profile_reports_all_missing_variables(env, monkeypatch):
    monkeypatch.delenv("BYBIT_API_KEY")
    monkeypatch.delenv("BINANCE_API_SECRET")
    with pytest.raises(ProfileError) as info:
        ntprofile.compile_profile("prod-multi")
    missing = sorted(d.message.split()[2] for d in info.value.diagnostics if d.code == "S004")
    assert missing == ["BINANCE_API_SECRET", "BYBIT_API_KEY"]


def test_compile_profile_reads_an_env_file(env, monkeypatch):
    monkeypatch.delenv("BYBIT_API_KEY")
    (env / "other.env").write_text("BYBIT_API_KEY=from-the-file-01\nREDIS_PORT=1\n")
    config = ntprofile.compile_profile("prod-bybit", env_file=env / "other.env")
    assert config.data_clients["BYBIT"].api_key == "from-the-file-01"
    assert config.cache.database.port == 6390  # the environment wins over the file
    with pytest.raises(FileNotFoundError):
        ntprofile.compile_profile("prod-bybit", env_file=env / "missing.env")


def test_facade_equals_the_shipped_targets(env):
    assert TradingNodeConfigFactory.create_production(exchanges=["BYBIT"]) == compiled(env, "prod-bybit")
    assert TradingNodeConfigFactory.create_production(exchanges=["BINANCE"]) == compiled(env, "prod-binance")
    assert TradingNodeConfigFactory.create_production() == compiled(env, "prod-multi")
    assert TradingNodeConfigFactory.create_testnet(exchanges=["BYBIT"]) == compiled(env, "testnet-bybit")
    assert TradingNodeConfigFactory.create_testnet() == compiled(env, "testnet-binance")
    assert TradingNodeConfigFactory.create_production(exchanges=["BYBIT"]) != compiled(env, "prod-multi")


def test_facade_strategies_equal_a_profile_with_them(env):
    from nautilus_trader.config import ImportableStrategyConfig

    path = env / "profiles" / "prod-bybit.yaml"
    expected_facade = TradingNodeConfigFactory.create_production(
        strategies=[ImportableStrategyConfig(**EMA)], exchanges=["BYBIT"]
    )
    from_dict = TradingNodeConfigFactory.create_production(strategies=[dict(EMA, name="ema")], exchanges=["BYBIT"])
    config = EMA["config"]
    path.write_text(
        path.read_text()
        + "\nstrategies:\n  ema:\n"
        + f"    strategy_path: {EMA['strategy_path']}\n    config_path: {EMA['config_path']}\n"
        + f"    config: {{instrument_id: {config['instrument_id']}, bar_type: {config['bar_type']}, trade_size: '0.01'}}\n"
    )
    assert expected_facade == compiled(env, "prod-bybit")
    assert from_dict == expected_facade
    assert expected_facade.strategies[0].strategy_path == EMA["strategy_path"]


def test_facade_from_env(env, monkeypatch):
    monkeypatch.setenv("NTPROFILE_STAGE", "production")
    monkeypatch.setenv("NTPROFILE_EXCHANGES", "bybit")
    assert TradingNodeConfigFactory.from_env() == compiled(env, "prod-bybit")
    monkeypatch.delenv("NTPROFILE_STAGE")
    monkeypatch.delenv("NTPROFILE_EXCHANGES")
    assert TradingNodeConfigFactory.from_env() == compiled(env, "testnet-binance")


def test_facade_composes_layers_for_a_combination_without_a_target(env):
    config = TradingNodeConfigFactory.create_testnet(exchanges=["BINANCE", "BYBIT"])
    assert str(config.trader_id) == "TESTNET-BINANCE-BYBIT-001"
    assert sorted(config.data_clients) == ["BINANCE", "BYBIT"]
    assert config.data_clients["BYBIT"].api_key == VARS["BYBIT_TESTNET_API_KEY"]
    assert config.cache.database is None  # the testnet stage layer, not production's Redis
    # the trader_id keys the node's Redis state: it must not depend on the order the exchanges are given
    assert TradingNodeConfigFactory.create_testnet(exchanges=["bybit", "BINANCE"]) == config
    with pytest.raises(ValueError, match="unknown stage 'staging'"):
        TradingNodeConfigFactory.create("staging", ["BINANCE"])
    with pytest.raises(ValueError, match="no exchange layer for 'OKX'"):
        TradingNodeConfigFactory.create_testnet(exchanges=["OKX"])


def test_prepared_repr_shows_no_resolved_secret(env):
    from ntprofile.layers import Workspace
    from ntprofile.pipeline import prepare
    from ntprofile.resolve import environment_lookup

    prepared = prepare(Workspace(), "prod-bybit", lookup=environment_lookup())
    assert prepared.ok
    assert VARS["BYBIT_API_SECRET"] in repr(prepared.config)  # NautilusTrader's own repr: never print it
    assert VARS["BYBIT_API_SECRET"] not in repr(prepared) and VARS["BYBIT_API_KEY"] not in repr(prepared)


@pytest.mark.parametrize("layer", ["env/production", "exchanges/bybit", "base"])
def test_a_layer_is_not_a_target(env, layer):
    from ntprofile.layers import UnknownProfileError, Workspace

    targets = "paper-binance, paper-bybit, prod-binance, prod-bybit, prod-multi, testnet-binance, testnet-bybit"
    message = (
        f"'{layer}' is a layer, not a target: only a file directly in profiles with a "
        f"profile.stage is deployable (targets: {targets})"
    )
    with pytest.raises(UnknownProfileError) as info:  # one error for this mistake, CLI and API alike
        Workspace().select(layer)
    assert str(info.value) == message
    for call in (ntprofile.load, ntprofile.compile_profile, ntprofile.build_node):
        with pytest.raises(LookupError, match="is a layer, not a target"):
            call(layer)


def test_no_profiles_root_is_said_so(env, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".git").mkdir()  # a repository of its own: the root above it is not searched
    monkeypatch.chdir(elsewhere)
    with pytest.raises(LookupError, match=r"no profiles root at profiles\b"):
        TradingNodeConfigFactory.create_production(exchanges=["BYBIT"])
    with pytest.raises(LookupError, match="no profiles root at"):
        TradingNodeConfigFactory.from_env()
    with pytest.raises(LookupError, match="no profiles root at") as raised:
        ntprofile.compile_profile("prod-bybit")
    assert "profiles=DIR" in str(raised.value) and "--profiles" not in str(raised.value)
