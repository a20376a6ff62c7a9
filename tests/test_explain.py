"""explain: every value with the line that set it and what it overrode, in YAML and TOML chains."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import write_profile
from ntprofile.layers import Workspace
from ntprofile.tools import explain

BASE = """\
profile:
  description: shared
exec_engine:
  reconciliation: true
  reconciliation_lookback_mins: 60
strategies:
  ema:
    strategy_path: my_strategies.ema:EMACross
    config_path: my_strategies.ema:EMACrossConfig
    config:
      instrument_id: ETHUSDT-LINEAR.BYBIT
      trade_size: "0.01"
"""

STAGE_YAML = """\
extends: [base]
profile:
  stage: production
exec_engine:
  reconciliation_lookback_mins: 720
strategies:
  ema:
    config:
      trade_size: "0.02"
"""

STAGE_TOML = """\
extends = ["base"]

[profile]
stage = "production"

[exec_engine]
reconciliation_lookback_mins = 720

[strategies.ema.config]
trade_size = "0.02"
"""

OVERLAY = """\
exchanges:
  BYBIT:
    environment: mainnet
    api_key: ${BYBIT_API_KEY}
    api_secret: ${BYBIT_API_SECRET}
exec_engine:
  reconciliation_lookback_mins: 1440
strategies:
  ema:
    config:
      trade_size: "0.05"
"""

TARGET = """\
extends: [env/production, exchanges/bybit]
profile:
  waivers:
    P107: "logs are shipped by the container runtime"
node:
  trader_id: DEMO-001
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        write_profile(root, rel, textwrap.dedent(text))
    return root / "profiles"


@pytest.fixture(params=["yaml", "toml"])
def chain(request, tmp_path: Path) -> Path:
    """A base -> stage -> overlay -> target chain; the stage layer in YAML or TOML."""
    stage = {"yaml": ("env/production.yaml", STAGE_YAML), "toml": ("env/production.toml", STAGE_TOML)}[request.param]
    write(
        tmp_path,
        {"base.yaml": BASE, stage[0]: stage[1], "exchanges/bybit.yaml": OVERLAY, "demo.yaml": TARGET},
    )
    return tmp_path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def stage_file(root: Path) -> Path:
    return next((root / "profiles" / "env").glob("production.*"))


def test_value_overridden_twice_names_every_layer(chain: Path):
    merged, diags = Workspace(chain / "profiles").merge("demo")
    assert not diags
    entry = next(e for e in explain.entries(merged) if e.key == "exec_engine.reconciliation_lookback_mins")
    assert entry.value == 1440
    assert entry.layer == "exchanges/bybit"
    assert entry.pos.line == line_of(chain / "profiles/exchanges/bybit.yaml", "lookback_mins: 1440")
    assert [(o.value, o.layer) for o in entry.overridden] == [(60, "base"), (720, "env/production")]
    assert entry.overridden[0].pos.line == line_of(chain / "profiles/base.yaml", "lookback_mins: 60")
    assert entry.overridden[1].pos.line == line_of(stage_file(chain), "lookback_mins")


def test_cli_prints_provenance_of_a_strategy_parameter(chain: Path, cli):
    result = cli("explain", "demo", "strategies.ema.config.trade_size", cwd=chain)
    assert result.returncode == 0, result.output
    stage = stage_file(chain)
    base_line = line_of(chain / "profiles/base.yaml", '"0.01"')
    stage_line = line_of(stage, '"0.02"')
    overlay_line = line_of(chain / "profiles/exchanges/bybit.yaml", '"0.05"')
    body = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert len(body) == 1, result.stdout
    assert body[0].startswith('strategies.ema.config.trade_size = "0.05"  ')
    assert body[0].endswith(
        f"profiles/exchanges/bybit.yaml:{overlay_line} "
        f'(was "0.01" from profiles/base.yaml:{base_line}; '
        f'was "0.02" from profiles/env/{stage.name}:{stage_line})'
    )


def test_key_narrows_to_a_subtree_and_json_carries_provenance(chain: Path, cli):
    result = cli("explain", "demo", "strategies.ema", "--format", "json", cwd=chain)
    assert result.returncode == 0, result.output
    data = json.loads(result.stdout)
    keys = [e["key"] for e in data["entries"]]
    assert keys == [
        "strategies.ema.strategy_path",
        "strategies.ema.config_path",
        "strategies.ema.config.instrument_id",
        "strategies.ema.config.trade_size",
    ]
    size = data["entries"][-1]
    assert size["file"] == "profiles/exchanges/bybit.yaml" and size["layer"] == "exchanges/bybit"
    assert [o["layer"] for o in size["overridden"]] == ["base", "env/production"]
    assert data["layers"] == ["base", "env/production", "exchanges/bybit", "demo"]


def test_waivers_listed_with_reason(chain: Path, cli):
    result = cli("explain", "demo", cwd=chain)
    assert result.returncode == 0, result.output
    assert (
        "# waived P107 (JSON file logs): logs are shipped by the container runtime  profiles/demo.yaml:4"
        in result.stdout
    )


def test_secret_placeholders_print_masked_with_their_variable(chain: Path, cli):
    result = cli("explain", "demo", "exchanges.BYBIT", cwd=chain)
    assert "exchanges.BYBIT.api_key = *** (${BYBIT_API_KEY})" in result.stdout
    assert "exchanges.BYBIT.api_secret = *** (${BYBIT_API_SECRET})" in result.stdout


def test_disabled_entry_is_shown_as_disabled(chain: Path, cli):
    target = chain / "profiles/demo.yaml"
    target.write_text(target.read_text() + "strategies:\n  ema:\n    enabled: false\n")
    result = cli("explain", "demo", "strategies", cwd=chain)
    assert result.returncode == 0, result.output
    body = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert body == [
        f"strategies.ema = disabled  profiles/demo.yaml:{line_of(target, 'enabled: false')} (enabled: false)"
    ]


def test_unknown_key_is_a_usage_error_with_a_suggestion(chain: Path, cli):
    result = cli("explain", "demo", "exec_engine.reconcilation_lookback_mins", cwd=chain)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no key 'exec_engine.reconcilation_lookback_mins' in profile 'demo'" in result.stderr
    assert "did you mean 'exec_engine.reconciliation_lookback_mins'?" in result.stderr


def test_unknown_profile_is_a_usage_error(project: Path, cli):
    result = cli("explain", "prod-bybitt", cwd=project)
    assert result.returncode == 2
    assert "did you mean 'prod-bybit'?" in result.stderr


def test_shipped_production_override_matches_design_example(project: Path, cli):
    result = cli("explain", "prod-bybit", "exec_engine.reconciliation_lookback_mins", cwd=project)
    base = line_of(project / "profiles/base.yaml", "reconciliation_lookback_mins")
    prod = line_of(project / "profiles/env/production.yaml", "reconciliation_lookback_mins")
    assert (
        f"exec_engine.reconciliation_lookback_mins = 1440  profiles/env/production.yaml:{prod} "
        f"(was 60 from profiles/base.yaml:{base})"
    ) in result.stdout


def test_defaults_come_from_nautilus_config_classes(project: Path, cli):
    result = cli("explain", "prod-bybit", "cache.database", "--defaults", cwd=project)
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert any(
        l.startswith("cache.database.number_of_retries = 100 ") and l.endswith("default (DatabaseConfig)")
        for l in lines
    )
    # what the profile sets is not repeated as a default
    assert sum(l.startswith("cache.database.host = ") for l in lines) == 1
    assert any(l.startswith('cache.database.host = "${REDIS_HOST:-127.0.0.1}"') for l in lines)


def test_mapping_that_replaced_null_is_noted_once_on_the_mapping(project: Path, cli):
    """base sets ``cache.database: null``, env/production a Redis mapping: one note, not one per leaf."""
    result = cli("explain", "prod-bybit", "cache.database", cwd=project)
    assert result.returncode == 0, result.output
    base = line_of(project / "profiles/base.yaml", "database: null")
    prod = line_of(project / "profiles/env/production.yaml", "database:")
    body = [" ".join(line.split()) for line in result.stdout.splitlines() if not line.startswith("#")]
    assert (
        body[0]
        == f"cache.database = {{...}} profiles/env/production.yaml:{prod} (was null from profiles/base.yaml:{base})"
    )
    assert [line.split(" = ")[0] for line in body[1:]] == [
        "cache.database.type",
        "cache.database.host",
        "cache.database.port",
        "cache.database.password",
    ]
    assert sum("was null" in line for line in body) == 1
    # narrowed to one leaf, the note on its mapping still shows
    leaf = cli("explain", "prod-bybit", "cache.database.port", cwd=project).stdout
    assert f"was null from profiles/base.yaml:{base}" in leaf
    # JSON keeps the replaced value on every leaf, for machines reading one entry
    data = json.loads(cli("explain", "prod-bybit", "cache.database", "--format", "json", cwd=project).stdout)
    assert all(e["overridden"][0]["key"] == "cache.database" for e in data["entries"])


def test_defaults_without_a_json_form_print_as_a_profile_would_spell_them(project: Path, cli):
    result = cli("explain", "prod-binance", "exchanges.BINANCE.data.venue", "--defaults", cwd=project)
    assert result.returncode == 0, result.output
    assert 'exchanges.BINANCE.data.venue = "BINANCE"  default (BinanceDataClientConfig)' in result.stdout


def test_defaults_follow_their_own_exchange(project: Path, cli):
    result = cli("explain", "prod-multi", "exchanges", "--defaults", "--format", "json", cwd=project)
    order = [e["key"].split(".")[1] for e in json.loads(result.stdout)["entries"]]
    assert order == sorted(order, key=["BINANCE", "BYBIT"].index)  # no BINANCE default after a BYBIT value
