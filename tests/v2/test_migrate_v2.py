"""Profiles written for 1.231, migrated by ``ntprofile migrate``, compile and build on NautilusTrader 2.0.0rc7.

Runs under the 2.0 environment (``.venv-2``): the real CLI migrates a copy of the
shipped profiles and a held-out repository, then the 2.0 backend compiles every
target and builds a real ``LiveNode`` (nothing connected) for the testnet ones.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["testnet-binance", "testnet-bybit", "prod-binance", "prod-bybit", "prod-multi", "paper-binance", "paper-bybit"]
CREDENTIALS = {
    f"{venue}{kind}": f"migrated-{venue.lower()}{kind.lower()}"
    for venue in ("BINANCE", "BYBIT", "BINANCE_TESTNET", "BYBIT_TESTNET")
    for kind in ("_API_KEY", "_API_SECRET")
} | {"REDIS_PASSWORD": "migrated-redis-password"}

pytest.importorskip("ntprofile.releases.v2", reason="the 2.0 backend is not installed here")


def migrate(project: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "ntprofile", "migrate", "--to", "2.0.0rc7", "--write"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def compiled(project: Path, target: str):
    from ntprofile.layers import Workspace
    from ntprofile.releases import V2, activate, backend

    activate(V2)
    merged, diags = Workspace(project / "profiles").merge(target)
    assert merged is not None, [d.render() for d in diags]
    result = backend(V2).compile_merged(merged, CREDENTIALS.get)
    assert [d.render() for d in result.diagnostics if d.is_error] == []
    return result


def built(result) -> None:
    from ntprofile.releases import V2, backend

    nodes = backend(V2)
    node = nodes.build_node(result.config)
    try:
        assert node is not None
    finally:
        nodes.dispose_node(node)


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    return tmp_path


def test_the_migrated_shipped_profiles_compile_and_build_on_2_0(shipped: Path) -> None:
    result = migrate(shipped)
    assert result.returncode == 1  # the settings 2.0 has no equivalent for are listed, and removed
    assert "the repository now targets NautilusTrader 2.0.0rc7" in result.stderr
    for target in ("paper-binance", "paper-bybit"):  # what migrate asked the operator: the sandbox's fees
        assert f"profiles/{target}.yaml:18:3: error[M002] exchanges.PAPER: 2.0 requires fee_model" in result.stderr
        path = shipped / "profiles" / f"{target}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8")
            + '    fee_model:\n      MakerTakerFeeModel: {maker_rate: "0.0002", taker_rate: "0.0005"}\n',
            encoding="utf-8",
        )
    results = {target: compiled(shipped, target) for target in SHIPPED}
    for target in ("testnet-binance", "testnet-bybit", "paper-bybit"):
        built(results[target])


HELD_OUT = {
    "base.yaml": """\
# 1.231 base: comments, quoting, a flow mapping, sections 2.0 renamed or dropped
node: {environment: live, timeout_connection: 20.0, timeout_post_stop: 1.0}
message_bus:
  encoding: 'json'
emulator:
  debug: false
data_engine:
  qsize: 100000   # gone in 2.0
exec_engine:
  reconciliation: true
  graceful_shutdown_on_exception: true
logging:
  log_level: warn          # console
  log_level_file: "INFO"
  log_directory: logs
  log_file_format: JSON
""",
    "held.toml": """\
# 1.231 target in TOML
extends = ["base"]

[profile]
stage = "testnet"

[node]
trader_id = 'HELD-001'   # literal string

[exchanges.BINANCE]
adapter = "binance"
environment = "testnet"
api_key = "${BINANCE_TESTNET_API_KEY}"
api_secret = "${BINANCE_TESTNET_API_SECRET}"
account_type = "USDT_FUTURES"  # USD-margined
data = {update_instruments_interval_mins = 30}

[exchanges.BINANCE.exec]
use_reduce_only = true
max_retries = 2
""",
}


def test_a_held_out_1_231_repository_migrates_compiles_and_builds_on_2_0(tmp_path: Path) -> None:
    for name, text in HELD_OUT.items():
        (tmp_path / "profiles").mkdir(exist_ok=True)
        (tmp_path / "profiles" / name).write_text(text, encoding="utf-8")
    result = migrate(tmp_path)
    assert result.returncode == 1, result.stderr
    assert sorted(line.split("] ")[1].split(":")[0] for line in result.stderr.splitlines() if "[M00" in line) == [
        "data_engine.qsize",
        "emulator",
        "exchanges.BINANCE.exec.use_reduce_only",
        "exec_engine.graceful_shutdown_on_exception",
    ]
    built(compiled(tmp_path, "held"))
