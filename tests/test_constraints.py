"""Every value constraint reaches both sides: the schema (a literal value) and resolved values (``${VAR}``).

``language.constraints.FIELD_CONSTRAINTS`` is the one table; this test breaks
each entry once written literally (``validate`` must refuse it) and once through
a placeholder (``compile`` with the variable set must refuse it, naming the
variable). A new entry without an example here fails the first test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ntprofile.language.constraints import FIELD_CONSTRAINTS
from ntprofile.layers import Workspace
from ntprofile.validate import validate_target

BREAKING: dict[tuple[str, str], tuple[tuple[str, ...], object]] = {
    ("TradingNodeConfig", "trader_id"): (("node", "trader_id"), "NOHYPHEN"),
    ("TradingNodeConfig", "instance_id"): (("node", "instance_id"), "not-a-uuid"),
    ("TradingNodeConfig", "environment"): (("node", "environment"), "backtest"),
    ("DatabaseConfig", "type"): (("cache", "database", "type"), "postgres"),
    ("DatabaseConfig", "port"): (("cache", "database", "port"), 70000),
    ("DatabaseConfig", "number_of_retries"): (("cache", "database", "number_of_retries"), -1),
    ("DatabaseConfig", "exponent_base"): (("cache", "database", "exponent_base"), 0),
    ("DatabaseConfig", "max_delay"): (("cache", "database", "max_delay"), -1),
    ("DatabaseConfig", "factor"): (("cache", "database", "factor"), -1),
    ("CacheConfig", "encoding"): (("cache", "encoding"), "pickle"),
    ("MessageBusConfig", "encoding"): (("message_bus", "encoding"), "pickle"),
    ("LiveRiskEngineConfig", "max_order_submit_rate"): (("risk_engine", "max_order_submit_rate"), "100 per second"),
    ("LiveRiskEngineConfig", "max_order_modify_rate"): (("risk_engine", "max_order_modify_rate"), "0/00:00:01"),
    ("LoggingConfig", "log_level"): (("logging", "log_level"), "LOUD"),
    ("LoggingConfig", "log_level_file"): (("logging", "log_level_file"), "chatty"),
    ("LoggingConfig", "log_file_format"): (("logging", "log_file_format"), "xml"),
    ("LoggingConfig", "log_component_levels"): (("logging", "log_component_levels", "Portfolio"), "LOUD"),
    ("LiveDataEngineConfig", "time_bars_interval_type"): (("data_engine", "time_bars_interval_type"), "closed"),
}

VARS = {"BYBIT_API_KEY": "k-0001", "BYBIT_API_SECRET": "s-0001"}


RELEASE_2_CLASSES = {"LiveNodeConfig", "RedisCacheConfig", "LoggerConfig", "FileWriterConfig"}
"""NautilusTrader 2.0's classes: their entries are broken by tests/v2/test_schema_v2.py."""


def test_every_constraint_has_a_breaking_example() -> None:
    assert set(BREAKING) == {key for key in FIELD_CONSTRAINTS if key[0] not in RELEASE_2_CLASSES}


def _target(project: Path, path: tuple[str, ...], value: object) -> Workspace:
    """``bad``: prod-bybit with ``path`` set to ``value`` (YAML flow of nested mappings)."""
    body: object = value
    for key in reversed(path):
        body = {key: body}
    import json

    tree = {"extends": ["prod-bybit"], "node": {"trader_id": "PROD-CONSTRAINT-001"}}
    for key, sub in body.items():  # type: ignore[union-attr]
        tree[key] = {**tree.get(key, {}), **sub} if isinstance(sub, dict) else sub
    (project / "profiles" / "bad.yaml").write_text(json.dumps(tree))  # JSON is YAML
    return Workspace(project / "profiles")


@pytest.mark.parametrize("entry", sorted(BREAKING), ids=lambda e: ".".join(e))
def test_a_literal_breaking_value_fails_validate(project: Path, entry: tuple[str, str]) -> None:
    path, value = BREAKING[entry]
    diags = validate_target(_target(project, path, value), "bad")
    found = [d for d in diags if d.key == ".".join(path) and d.is_error]
    assert [d.code for d in found] in (["V003"], ["V002"]), [d.render() for d in diags]


@pytest.mark.parametrize("entry", sorted(BREAKING), ids=lambda e: ".".join(e))
def test_a_resolved_breaking_value_fails_compile_naming_the_variable(project: Path, entry: tuple[str, str]) -> None:
    from ntprofile.compile import compile_merged

    path, value = BREAKING[entry]
    workspace = _target(project, path, "${BREAK}")
    merged, _ = workspace.merge("bad")
    assert merged is not None
    result = compile_merged(merged, {**VARS, "BREAK": str(value)}.get)
    found = [d for d in result.diagnostics if d.key == ".".join(path) and d.is_error]
    assert result.config is None
    assert [d.code for d in found] == ["S006"], [d.render() for d in result.diagnostics]
    assert f"value '{value}' of BREAK is not allowed here" in found[0].message
