"""Values that used to pass silently and mean something else: each is now an error, or reported apart."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from ntprofile.compile import compile_merged
from ntprofile.layers import Workspace

HEAD = """\
extends: [env/testnet, exchanges/binance]
node:
  trader_id: TESTNET-ODD-001
"""


def _target(project: Path, name: str, body: str) -> None:
    (project / "profiles" / name).write_text(textwrap.dedent(body))


# ------------------------------------------------------------ numbers NautilusTrader cannot take


def test_non_finite_and_64_bit_numbers_fail_validate(project: Path, cli) -> None:
    _target(project, "env/inf.yaml", "node:\n  timeout_connection: .inf\n  timeout_reconciliation: .nan\n")
    _target(project, "env/big.toml", "[node]\ntimeout_portfolio = 1e400\ntimeout_disconnection = nan\n")
    _target(project, "env/int.yaml", "cache:\n  buffer_interval_ms: 18446744073709551616\n")
    result = cli("validate", "env/inf", "env/big", "env/int", cwd=project)  # what the pre-commit hook runs
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "profiles/env/big.toml:2:1: error[V003] node.timeout_portfolio: inf is not a finite number "
        "(JSON, and so node.json, has no infinity or NaN)",
        "profiles/env/big.toml:3:1: error[V003] node.timeout_disconnection: nan is not a finite number "
        "(JSON, and so node.json, has no infinity or NaN)",
        "profiles/env/inf.yaml:2:3: error[V003] node.timeout_connection: inf is not a finite number "
        "(JSON, and so node.json, has no infinity or NaN)",
        "profiles/env/inf.yaml:3:3: error[V003] node.timeout_reconciliation: nan is not a finite number "
        "(JSON, and so node.json, has no infinity or NaN)",
        "profiles/env/int.yaml:2:3: error[V003] cache.buffer_interval_ms: 18446744073709551616 does not fit in "
        "64 bits (NautilusTrader's largest integer is 9223372036854775807)",
    ]


def _compile(project: Path, body: str, env: dict[str, str]):
    (project / "profiles" / "odd.yaml").write_text(HEAD + body)
    merged, diags = Workspace(project / "profiles").merge("odd")
    assert merged is not None, diags
    base = {"BINANCE_TESTNET_API_KEY": "k" * 16, "BINANCE_TESTNET_API_SECRET": "s" * 16}
    return compile_merged(merged, {**base, **env}.get)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "not a finite number"),
        ("nan", "not a finite number"),
        ("-inf", "not a finite number"),
        ("-1", "a negative number; the field takes a number > 0"),
        ("ten", "not a valid float"),
    ],
)
def test_resolved_numbers_are_held_to_the_same_rule(project: Path, value: str, reason: str) -> None:
    compiled = _compile(project, "  timeout_disconnection: ${T:-10.0}\n", {"T": value})
    assert compiled.config is None
    [diag] = compiled.diagnostics
    assert (diag.code, diag.key) == ("S006", "node.timeout_disconnection")
    assert diag.message == f"value '{value}' of T does not convert to the field's type: {reason}"


def test_a_resolved_integer_beyond_64_bits_is_refused(project: Path) -> None:
    compiled = _compile(project, "cache:\n  buffer_interval_ms: ${MS}\n", {"MS": str(2**64)})
    assert compiled.config is None
    [diag] = compiled.diagnostics
    assert (diag.code, diag.key) == ("S006", "cache.buffer_interval_ms")
    assert diag.message == (
        f"value '{2**64}' of MS is not allowed here: {2**64} does not fit in 64 bits "
        "(NautilusTrader's largest integer is 9223372036854775807)"
    )


# ------------------------------------------------------------ key paths


def test_a_dotted_key_and_a_nested_one_are_different_in_diff_explain_and_json(project: Path, cli) -> None:
    strategy = "nautilus_trader.examples.strategies.ema_cross"
    for name, config in (("dotted", '{"a.b": 1}'), ("nested", "{a: {b: 1}}")):
        _target(
            project,
            f"{name}.yaml",
            f"""\
            extends: [testnet-binance]
            strategies:
              s:
                strategy_path: {strategy}:EMACross
                config_path: {strategy}:EMACrossConfig
                config: {config}
            """,
        )
    result = cli("diff", "dotted", "nested", cwd=project)
    assert result.returncode == 1, result.output
    rows = [line.split("  ")[0] for line in result.stdout.splitlines()[2:-1]]
    assert rows == ["+ strategies.s.config.a.b = 1", '- strategies.s.config."a.b" = 1']
    assert result.stdout.splitlines()[-1] == "1 added, 1 removed, 0 changed"
    as_json = json.loads(cli("diff", "dotted", "nested", "--format", "json", cwd=project).stdout)
    assert [(c["kind"], c["key"]) for c in as_json["changes"]] == [
        ("added", "strategies.s.config.a.b"),
        ("removed", 'strategies.s.config."a.b"'),
    ]
    explained = cli("explain", "dotted", "strategies.s.config", cwd=project)
    assert explained.stdout.splitlines()[1].startswith('strategies.s.config."a.b" = 1  profiles/dotted.yaml:6')


# ------------------------------------------------------------ env.example


def test_a_line_break_in_a_default_never_reaches_env_example(project: Path, cli) -> None:
    _target(project, "inject.yaml", HEAD + 'cache:\n  buffer_interval_ms: "${MS:-100\\nREDIS_HOST=evil.example}"\n')
    result = cli("validate", "inject", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "profiles/inject.yaml:5:24: error[S002] cache.buffer_interval_ms: malformed placeholder: the default of "
        "${MS} holds a line break or control character (it would be written into env.example as a line of its own)"
    )
    compiled = cli("compile", "inject", cwd=project)
    assert compiled.returncode == 1 and not (project / "build" / "inject").exists()
    dotenv = cli("env", "inject", "--format", "dotenv", cwd=project)
    assert not any(line.startswith("REDIS_HOST") for line in dotenv.stdout.splitlines()), dotenv.stdout


# ------------------------------------------------------------ messages


def test_a_wrong_type_shows_the_value_but_never_a_secret(project: Path, cli) -> None:
    _target(project, "env/typed.yaml", "cache:\n  database:\n    port: six\n    password: 98127364501\n")
    result = cli("validate", "env/typed", "--format", "json", cwd=project)
    by_key = {d["key"]: d["message"] for d in json.loads(result.stdout) if d["code"] == "V002"}
    assert by_key["cache.database.port"].endswith("got string 'six'")
    assert by_key["cache.database.password"].endswith("got integer ***")
    assert "98127364501" not in result.output and "98127364501" not in cli("validate", "env/typed", cwd=project).output


def test_an_unquoted_off_log_level_hints_at_quoting(project: Path, cli) -> None:
    _target(project, "env/quiet.yaml", "logging:\n  log_level: OFF\n")
    result = cli("validate", "env/quiet", cwd=project)
    assert result.stdout.strip() == (
        "profiles/env/quiet.yaml:2:3: error[V002] logging.log_level: expected string or a ${VAR} placeholder, "
        "got boolean false (YAML reads unquoted OFF, NO and FALSE as false; quote the value: 'OFF')"
    )
