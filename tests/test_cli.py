"""Command-line behaviour shared by every command: which profiles a command accepts, the root, --version."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("command", ["compile", "check", "run"])
@pytest.mark.parametrize("layer", ["env/production", "base", "profiles/exchanges/bybit.yaml"])
def test_deploying_commands_refuse_a_layer(project: Path, cli, command: str, layer: str) -> None:
    """A layer has no stage or trader_id of its own: compiling or running it would skip the target checks."""
    result = cli(command, layer, cwd=project)
    assert result.returncode == 2, result.output
    assert "is a layer, not a target" in result.stderr
    assert "prod-bybit" in result.stderr  # the targets are listed
    assert not (project / "build").exists()


def test_read_only_tools_accept_a_layer(project: Path, cli) -> None:
    result = cli("explain", "exchanges/bybit", "exchanges.BYBIT.adapter", cwd=project)
    assert result.returncode == 0, result.output
    assert 'exchanges.BYBIT.adapter = "bybit"' in result.stdout
    assert cli("env", "exchanges/bybit", cwd=project).returncode == 0


@pytest.mark.parametrize("command", [["list"], ["validate"], ["compile", "prod-bybit"], ["explain", "prod-bybit"]])
def test_a_missing_profiles_root_is_a_usage_error(tmp_path: Path, cli, command: list[str]) -> None:
    result = cli(*command, "--profiles", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2, result.output
    assert "no profiles root at" in result.stderr


def test_version(tmp_path: Path, cli) -> None:
    result = cli("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("ntprofile ")
