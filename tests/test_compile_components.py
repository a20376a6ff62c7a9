"""Strategies, actors and exec algorithms at compile: their ``config`` against their config class.

The config class is imported at compile (when it imports here) and decodes the
``config`` exactly as NautilusTrader will when the trader starts, so a typo is
a finding at its own line, not a component that never gets created.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from ntprofile.compile import compile_merged, output
from ntprofile.layers import Workspace

EMA = "nautilus_trader.examples.strategies.ema_cross"
HEAD = """\
extends: [env/testnet, exchanges/binance]
node: {trader_id: TESTNET-COMP-001}
"""


def _compile(project: Path, body: str, lookup=None):
    (project / "profiles" / "comp.yaml").write_text(HEAD + textwrap.dedent(body))
    merged, diags = Workspace(project / "profiles").merge("comp")
    assert merged is not None, diags
    return compile_merged(merged, lookup)


def _found(compiled) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.key, d.pos.line, d.pos.col) for d in compiled.diagnostics]


def test_strategy_config_typo_is_v001_at_its_own_line_with_a_hint(project: Path) -> None:
    compiled = _compile(
        project,
        f"""\
        strategies:
          ema:
            strategy_path: {EMA}:EMACross
            config_path: {EMA}:EMACrossConfig
            config:
              instrument_id: ETHUSDT-PERP.BINANCE
              bar_type: ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL
              trade_size: "0.01"
              fast_ema_perod: 5
              slow_ema_period: twenty
        """,
    )
    assert not compiled.ok and compiled.node_json is None
    assert _found(compiled) == [  # both at once, each at its key
        ("V001", "strategies.ema.config.fast_ema_perod", 11, 7),
        ("V101", "strategies.ema.config.slow_ema_period", 12, 7),
    ]
    typo, wrong = compiled.diagnostics
    assert typo.hint == "did you mean 'fast_ema_period'?"
    assert "EMACrossConfig" in typo.message
    assert "Expected `int`, got `str`" in wrong.message


def test_missing_required_config_key_is_v004(project: Path) -> None:
    compiled = _compile(
        project,
        f"""\
        strategies:
          ema:
            strategy_path: {EMA}:EMACross
            config_path: {EMA}:EMACrossConfig
            config: {{instrument_id: ETHUSDT-PERP.BINANCE, trade_size: "0.01"}}
        """,
    )
    [diag] = compiled.diagnostics
    assert (diag.code, diag.key, diag.pos.line) == ("V004", "strategies.ema.config.bar_type", 7)


def test_valid_strategy_config_compiles_with_placeholders(project: Path) -> None:
    compiled = _compile(
        project,
        f"""\
        strategies:
          ema:
            strategy_path: {EMA}:EMACross
            config_path: {EMA}:EMACrossConfig
            config:
              instrument_id: ETHUSDT-PERP.BINANCE
              bar_type: ${{BAR_TYPE}}
              trade_size: ${{TRADE_SIZE:-0.01}}
              fast_ema_period: ${{FAST:-10}}
        """,
    )
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    assert compiled.diagnostics == []
    assert compiled.node_json["strategies"][0]["config"]["fast_ema_period"] == "${FAST:-10}"


def test_actor_and_exec_algorithm_configs_are_checked_too(project: Path) -> None:
    compiled = _compile(
        project,
        """\
        actors:
          watcher:
            actor_path: nautilus_trader.common.actor:Actor
            config_path: nautilus_trader.common.config:ActorConfig
            config: {log_event: false}
        exec_algorithms:
          twap:
            exec_algorithm_path: nautilus_trader.examples.algorithms.twap:TWAPExecAlgorithm
            config_path: nautilus_trader.examples.algorithms.twap:TWAPExecAlgorithmConfig
            config: {log_commands: maybe}
        """,
    )
    assert [(d.code, d.key, d.pos.line, d.hint) for d in compiled.diagnostics] == [
        ("V001", "actors.watcher.config.log_event", 7, "did you mean 'log_events'?"),
        ("V101", "exec_algorithms.twap.config.log_commands", 12, None),
    ]


@pytest.mark.parametrize("field", ["strategy_path", "config_path"])
def test_class_path_without_colon_is_v003_with_the_module_class_hint(project: Path, field: str) -> None:
    paths = {"strategy_path": f"{EMA}:EMACross", "config_path": f"{EMA}:EMACrossConfig"}
    paths[field] = paths[field].replace(":", ".")
    compiled = _compile(
        project,
        f"""\
        strategies:
          ema:
            strategy_path: {paths["strategy_path"]}
            config_path: {paths["config_path"]}
            config: {{instrument_id: ETHUSDT-PERP.BINANCE, bar_type: ETHUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL, trade_size: "1"}}
        """,
    )
    [diag] = compiled.diagnostics
    assert (diag.code, diag.key) == ("V003", f"strategies.ema.{field}")
    assert diag.pos.line == (5 if field == "strategy_path" else 6)
    assert "module:Class" in diag.message and "module:Class" in diag.hint
    assert paths[field].rpartition(".")[0] + ":" in diag.hint  # the corrected spelling


def test_missing_config_path_is_reported_once(project: Path) -> None:
    compiled = _compile(
        project,
        f"""\
        strategies:
          ema:
            strategy_path: {EMA}:EMACross
            config: {{}}
        """,
    )
    [diag] = compiled.diagnostics
    assert (diag.code, diag.key, diag.pos.line) == ("V004", "strategies.ema.config_path", 4)


def test_a_class_that_does_not_import_is_refused_at_compile_and_left_to_preflight_with_variables(project: Path) -> None:
    body = """\
        strategies:
          grid:
            strategy_path: not_installed.mod:Grid
            config_path: not_installed.mod:GridConfig
            config: {levels: 3}
        """
    compiled = _compile(project, body)
    assert not compiled.ok and compiled.node_json is None
    assert [(d.code, d.severity, d.key, d.pos.line) for d in compiled.diagnostics] == [
        ("V103", "error", "strategies.grid.strategy_path", 5),
        ("V103", "error", "strategies.grid.config_path", 6),
    ]
    assert "no module named 'not_installed'" in compiled.diagnostics[0].message
    env = {"BINANCE_TESTNET_API_KEY": "k", "BINANCE_TESTNET_API_SECRET": "s"}
    resolved = _compile(project, body, env.get)  # check/run: preflight reports it where the node runs (R004)
    assert resolved.ok and resolved.diagnostics == []


ARGS = (
    "config: {instrument_id: BTCUSDT-PERP.BINANCE, bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL, "
    "trade_size: '0.01'}"
)


@pytest.mark.parametrize(
    ("strategy", "config", "key", "problem", "hint"),
    [
        ("EMACros", "EMACrossConfig", "strategy_path", "has no 'EMACros'", "EMACross"),
        ("EMACross", "EMACrosConfig", "config_path", "has no 'EMACrosConfig'", "EMACrossConfig"),
        ("EMACrossConfig", "EMACrossConfig", "strategy_path", "'EMACrossConfig' is not a Strategy subclass",
         "EMACross"),
        ("EMACross", "EMACross", "config_path", "'EMACross' is not a StrategyConfig subclass", "EMACrossConfig"),
    ],
)
def test_a_component_class_typo_is_refused_with_the_nearest_class(project, strategy, config, key, problem, hint):
    body = f"""\
        strategies:
          ema:
            strategy_path: {EMA}:{strategy}
            config_path: {EMA}:{config}
            {ARGS}
        """
    [diag] = _compile(project, body).diagnostics
    assert (diag.code, diag.key, diag.pos.line) == ("V103", f"strategies.ema.{key}", 5 if key == "strategy_path" else 6)
    assert problem in diag.message
    assert diag.hint == f"did you mean '{EMA}:{hint}'?"


def test_a_module_typo_hints_at_the_packages_nearest_module(project: Path) -> None:
    body = f"""\
        strategies:
          ema:
            strategy_path: {EMA.replace("ema_cross", "ema_cros")}:EMACross
            config_path: {EMA}:EMACrossConfig
            {ARGS}
        """
    [diag] = _compile(project, body).diagnostics
    assert (diag.code, diag.key) == ("V103", "strategies.ema.strategy_path")
    assert "no module named" in diag.message and diag.hint == f"did you mean '{EMA}:EMACross'?"


def test_write_build_creates_parents_for_a_name_with_a_slash(tmp_path: Path) -> None:
    target = output.write_build(tmp_path / "build", "env/production", {"node.json": "{}\n"})
    assert target == tmp_path / "build" / "env" / "production"
    assert (target / "node.json").read_text() == "{}\n"
    output.write_build(tmp_path / "build", "env/production", {"env.example": "\n"})  # replaced, not merged
    assert sorted(p.name for p in target.iterdir()) == [output.MARKER, "env.example"]
    assert sorted(p.name for p in (tmp_path / "build" / "env").iterdir()) == ["production"]  # no temp dirs left


@pytest.mark.parametrize("name", ["../escape", "/abs", "a//b", ".", "a/..", "a\\b", ""])
def test_write_build_refuses_a_name_that_leaves_the_build_dir(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        output.write_build(tmp_path / "build", name, {"node.json": "{}\n"})
    assert not (tmp_path / "escape").exists() and not list(tmp_path.glob("build/**/node.json"))
