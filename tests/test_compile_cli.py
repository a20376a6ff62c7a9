"""``ntprofile compile`` end to end: the real CLI in a subprocess, real files, one real node build."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import clean_env
from ntprofile.compile import output


def _target(project: Path, name: str, body: str) -> None:
    (project / "profiles" / f"{name}.yaml").write_text(textwrap.dedent(body))


def test_compile_writes_node_json_and_env_example(project: Path, cli) -> None:
    result = cli("compile", "prod-bybit", cwd=project)
    assert result.returncode == 0, result.output
    node = json.loads((project / "build/prod-bybit/node.json").read_text())
    assert node["trader_id"] == "PROD-BYBIT-001"
    assert node["exec_clients"]["BYBIT"]["config"]["api_secret"] == "${BYBIT_API_SECRET}"
    env_example = (project / "build/prod-bybit/env.example").read_text()
    assert "BYBIT_API_SECRET=" in env_example
    assert "profiles/prod-bybit.yaml:15" in env_example
    assert "REDIS_PORT=6379" in env_example
    assert "BYBIT_API_SECRET" in result.stdout and "build/prod-bybit/node.json" in result.stdout
    assert sorted(p.name for p in (project / "build").iterdir()) == ["prod-bybit"]  # no temp dirs left


def test_compile_json_format(project: Path, cli) -> None:
    result = cli("compile", "testnet-binance", "--format", "json", "--build-dir", "out", cwd=project)
    assert result.returncode == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["files"] == [
        "out/testnet-binance/node.json",
        "out/testnet-binance/env.example",
    ]
    assert [v["name"] for v in report["variables"]] == ["BINANCE_TESTNET_API_KEY", "BINANCE_TESTNET_API_SECRET"]


def test_unknown_profile_is_usage_error(project: Path, cli) -> None:
    result = cli("compile", "prod-bybt", cwd=project)
    assert result.returncode == 2
    assert "did you mean 'prod-bybit'?" in result.stderr
    assert not (project / "build").exists()


def test_bad_trader_id_is_a_diagnostic_not_a_rust_panic(project: Path, cli) -> None:
    _target(
        project,
        "bad-id",
        """\
        extends: [env/testnet, exchanges/binance]
        node:
          trader_id: NOHYPHEN
    """,
    )
    result = cli("compile", "bad-id", cwd=project)
    assert result.returncode == 1, result.output  # 134 would be the Rust panic
    assert "profiles/bad-id.yaml:3:3" in result.stdout and "trader_id" in result.stdout
    # the compile stage alone (no validate in front of it) also refuses before constructing anything
    code = (
        "import sys; from ntprofile.layers import Workspace; from ntprofile.compile import compile_merged\n"
        "m, _ = Workspace('profiles').merge('bad-id'); c = compile_merged(m)\n"
        "print('\\n'.join(d.render() for d in c.diagnostics)); sys.exit(0 if c.config is None else 5)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=clean_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error[V003] node.trader_id" in proc.stdout


def test_non_ascii_identifiers_are_diagnostics_not_a_rust_panic(project: Path, cli) -> None:
    # Venue('BINANCÉ') or ClientId('BINANCÉ') aborts the process inside Rust (exit 134)
    _target(
        project,
        "accents",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-ACCENTS-001}
        data_engine:
          external_clients: [BINANCÉ]
        exchanges:
          BINANCE:
            venue: BINANCÉ
        strategies:
          ema:
            strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
            config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
            config: {instrument_id: ÉTHUSDT-PERP.BINANCE}
    """,
    )
    result = cli("compile", "accents", cwd=project)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "profiles/accents.yaml:4:22: error[V003] data_engine.external_clients[0]: 'BINANCÉ' has a non-ASCII "
        "character; a NautilusTrader ClientId takes ASCII only",
        "profiles/accents.yaml:7:5: error[V003] exchanges.BINANCE.venue: 'BINANCÉ' has a non-ASCII character; "
        "a NautilusTrader Venue takes ASCII only",
        "profiles/accents.yaml:12:14: error[V003] strategies.ema.config.instrument_id: 'ÉTHUSDT-PERP.BINANCE' has "
        "a non-ASCII character; a NautilusTrader InstrumentId takes ASCII only",
    ]
    assert not (project / "build").exists()


def test_failed_compile_leaves_previous_output_untouched(project: Path, cli) -> None:
    assert cli("compile", "testnet-binance", cwd=project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "build/testnet-binance").iterdir()}
    layer = project / "profiles/exchanges/binance.yaml"
    layer.write_text(layer.read_text().replace("account_type: USDT_FUTURES", "acount_type: USDT_FUTURES"))
    result = cli("compile", "testnet-binance", cwd=project)
    assert result.returncode == 1
    assert "acount_type" in result.stdout and "nothing written" in result.stdout
    after = {p.name: p.read_bytes() for p in (project / "build/testnet-binance").iterdir()}
    assert after == before
    assert sorted(p.name for p in (project / "build").iterdir()) == ["testnet-binance"]


def test_write_build_replaces_whole_directory(tmp_path: Path) -> None:
    output.write_build(tmp_path, "p", {"node.json": "1", "stale.txt": "x"})
    target = output.write_build(tmp_path, "p", {"node.json": "2"})
    assert sorted(p.name for p in target.iterdir()) == [output.MARKER, "node.json"]
    assert (target / "node.json").read_text() == "2"
    assert [p.name for p in tmp_path.iterdir()] == ["p"]


def test_write_build_failure_keeps_old_output(tmp_path: Path) -> None:
    output.write_build(tmp_path, "p", {"node.json": "old"})
    with pytest.raises(OSError):
        output.write_build(tmp_path, "p", {"node.json": "new", "sub/missing-dir.txt": "x"})
    assert (tmp_path / "p/node.json").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["p"]


def test_secrets_are_not_printed(project: Path, cli) -> None:
    _target(
        project,
        "leak",
        """\
        extends: [env/testnet, exchanges/binance]
        node: {trader_id: TESTNET-LEAK-001}
        exchanges:
          BINANCE:
            api_secret: hunter2-literal-secret
    """,
    )
    result = cli("compile", "leak", "--format", "json", cwd=project)
    assert result.returncode == 1
    assert "hunter2-literal-secret" not in result.output
    assert not (project / "build/leak").exists()


BUILD_NODE = """
import json, sys
import msgspec
from nautilus_trader.common.config import resolve_path
from nautilus_trader.config import TradingNodeConfig
from nautilus_trader.live.node import TradingNode
from ntprofile.language.placeholders import substitute
env = {"BINANCE_TESTNET_API_KEY": "test-key", "BINANCE_TESTNET_API_SECRET": "test-secret"}
text = open("build/testnet-binance/node.json").read()
raw = json.loads(text)
def fill(v):
    if isinstance(v, dict): return {k: fill(x) for k, x in v.items()}
    if isinstance(v, list): return [fill(x) for x in v]
    if isinstance(v, str) and "$" in v: return substitute(v, lambda p: env.get(p.name, p.default))
    return v
config = TradingNodeConfig.parse(json.dumps(fill(raw)))
config = msgspec.structs.replace(config, logging=None)
node = TradingNode(config=config)
for cid, c in config.data_clients.items():
    node.add_data_client_factory(cid, resolve_path(c.factory.path))
for cid, c in config.exec_clients.items():
    node.add_exec_client_factory(cid, resolve_path(c.factory.path))
node.build()
print("built", sorted(str(c) for c in node.kernel.data_engine.registered_clients), node.is_built(), file=sys.stderr, flush=True)
node.dispose()
"""


@pytest.mark.slow
def test_node_json_builds_a_trading_node_with_factories_registered(project: Path, cli) -> None:
    assert cli("compile", "testnet-binance", cwd=project).returncode == 0
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_NODE], cwd=project, env=clean_env(), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "built ['BINANCE'] True" in proc.stderr, proc.stderr[-2000:]


STRATEGY = """\
    strategies:
      ema:
        strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
"""


def test_missing_config_path_is_reported_once(project: Path, cli) -> None:
    _target(project, "no-config-path", "extends: [testnet-binance]\n" + textwrap.dedent(STRATEGY) + "    config: {}\n")
    result = cli("compile", "no-config-path", cwd=project)
    assert result.returncode == 1, result.output
    lines = [line for line in result.stdout.splitlines() if "error[" in line]
    assert lines == [
        "profiles/no-config-path.yaml:3:3: error[V004] strategies.ema.config_path: missing required key 'config_path'"
    ]


def test_strategy_config_typo_fails_compile_at_its_line(project: Path, cli) -> None:
    body = (
        STRATEGY
        + """\
        config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
        config:
          instrument_id: ETHUSDT-PERP.BINANCE
          bar_type: ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL
          trade_size: "0.01"
          fast_ema_perod: 5
"""
    )
    _target(project, "typo", "extends: [testnet-binance]\n" + textwrap.dedent(body))
    result = cli("compile", "typo", cwd=project)
    assert result.returncode == 1, result.output
    assert (
        "profiles/typo.yaml:10:7: error[V001] strategies.ema.config.fast_ema_perod: "
        "'fast_ema_perod' is not a field of EMACrossConfig (did you mean 'fast_ema_period'?)"
    ) in result.stdout
    assert not (project / "build" / "typo").exists()


def test_unimportable_component_class_is_refused(project: Path, cli) -> None:
    body = """\
    strategies:
      grid:
        strategy_path: not_installed.mod:Grid
        config_path: not_installed.mod:GridConfig
        config: {levels: 3}
"""
    _target(project, "grid", "extends: [testnet-binance]\n" + textwrap.dedent(body))
    result = cli("compile", "grid", cwd=project)
    assert result.returncode == 1, result.output
    assert (
        "profiles/grid.yaml:4:5: error[V103] strategies.grid.strategy_path: strategy 'not_installed.mod:Grid' "
        "cannot be used: no module named 'not_installed'"
    ) in result.stdout
    assert not (project / "build/grid").exists()


def test_a_strategy_class_typo_is_refused_at_its_line_with_a_did_you_mean(project: Path, cli) -> None:
    body = """\
    strategies:
      ema:
        strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACros
        config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
        config: {instrument_id: BTCUSDT-PERP.BINANCE, bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01'}
"""
    _target(project, "ema", "extends: [testnet-binance]\n" + textwrap.dedent(body))
    result = cli("compile", "ema", cwd=project)
    assert result.returncode == 1, result.output
    assert result.stdout.splitlines()[:1] == [
        "profiles/ema.yaml:4:5: error[V103] strategies.ema.strategy_path: strategy "
        "'nautilus_trader.examples.strategies.ema_cross:EMACros' cannot be used: module "
        "'nautilus_trader.examples.strategies.ema_cross' has no 'EMACros' "
        "(did you mean 'nautilus_trader.examples.strategies.ema_cross:EMACross'?)"
    ]
    assert not (project / "build/ema").exists()


def test_compiling_a_layer_never_crashes(project: Path, cli) -> None:
    result = cli("compile", "env/production", cwd=project)
    assert result.returncode in (1, 2), result.output
    assert "internal error" not in result.output
    assert not list(project.glob("build/**/*.tmp"))
