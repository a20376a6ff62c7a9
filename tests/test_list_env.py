"""list and env: targets with stage, layers and exchanges; the variables a profile needs; colour rules."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import TARGETS, clean_env


def test_list_shows_every_target_with_stage_layers_and_exchanges(project: Path, cli):
    result = cli("list", cwd=project)
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TARGET", "STAGE", "EXCHANGES", "LAYERS"]
    assert sorted(l.split()[0] for l in lines[1:]) == sorted(TARGETS)
    multi = next(l for l in lines if l.startswith("prod-multi "))
    assert "production" in multi and "BINANCE (mainnet), BYBIT (mainnet)" in multi
    assert multi.endswith("base -> env/production -> exchanges/binance -> exchanges/bybit -> prod-multi")


def test_list_json_leaves_out_disabled_exchanges(project: Path, cli):
    target = project / "profiles/prod-multi.toml"
    text = target.read_text().replace("[exchanges.BYBIT]\n", "[exchanges.BYBIT]\nenabled = false\n")
    target.write_text(text)
    result = cli("list", "--format", "json", cwd=project)
    assert result.returncode == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(rows) == set(TARGETS)
    assert [x["id"] for x in rows["prod-multi"]["exchanges"]] == ["BINANCE"]
    assert rows["testnet-bybit"]["exchanges"] == [{"id": "BYBIT", "adapter": "bybit", "environment": "testnet"}]
    assert rows["prod-bybit"]["stage"] == "production"


def test_env_lists_variables_defaults_and_lines(project: Path, cli):
    result = cli("env", "prod-bybit", cwd=project)
    assert result.returncode == 0, result.output
    rows = {l.split()[0]: l for l in result.stdout.splitlines()[1:]}
    assert list(rows) == ["REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "BYBIT_API_KEY", "BYBIT_API_SECRET"]
    assert rows["REDIS_HOST"].split()[1:] == [
        "127.0.0.1",
        "-",
        "cache.database.host",
        "profiles/env/production.yaml:16",
    ]
    assert rows["BYBIT_API_KEY"].split()[1:] == [
        "(required)",
        "secret",
        "exchanges.BYBIT.api_key",
        "profiles/prod-bybit.yaml:14",
    ]


def test_env_json(project: Path, cli):
    result = cli("env", "testnet-binance", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert [v["name"] for v in data["variables"]] == ["BINANCE_TESTNET_API_KEY", "BINANCE_TESTNET_API_SECRET"]
    key = data["variables"][0]
    assert key["secret"] and key["required"] and key["default"] is None
    assert key["uses"] == [
        {"key": "exchanges.BINANCE.api_key", "file": "profiles/exchanges/binance.yaml", "line": 8, "col": 5}
    ]


def test_env_dotenv_skeleton_is_a_loadable_env_file(project: Path, cli):
    result = cli("env", "prod-multi", "--format", "dotenv", cwd=project)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "BYBIT_API_KEY=" in lines and "BINANCE_API_SECRET=" in lines
    assert "# REDIS_HOST=127.0.0.1" in lines and "# REDIS_PORT=6379" in lines
    from dotenv import dotenv_values

    path = project / ".env"
    path.write_text(result.stdout)
    assert set(dotenv_values(path)) == {
        "BINANCE_API_KEY",
        "BINANCE_API_SECRET",
        "BYBIT_API_KEY",
        "BYBIT_API_SECRET",
        "REDIS_PASSWORD",  # required in production (P103)
    }


def test_env_skips_variables_of_disabled_exchanges(project: Path, cli):
    target = project / "profiles/prod-multi.toml"
    target.write_text(target.read_text().replace("[exchanges.BINANCE]\n", "[exchanges.BINANCE]\nenabled = false\n"))
    result = cli("env", "prod-multi", "--format", "json", cwd=project)
    names = [v["name"] for v in json.loads(result.stdout)["variables"]]
    assert "BINANCE_API_KEY" not in names and "BYBIT_API_KEY" in names


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the CLI with stdout on a pseudo-terminal and return what it wrote."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ntprofile", *args], cwd=cwd, env=env, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_no_color(project: Path, cli):
    env = clean_env()
    env.pop("NO_COLOR", None)
    assert "\033[" in _on_a_terminal(["list"], project, env)
    assert "\033[" not in _on_a_terminal(["list"], project, {**env, "NO_COLOR": "1"})
    assert "\033[" in _on_a_terminal(["list"], project, {**env, "NO_COLOR": ""})  # no-color.org: empty is unset
    assert "\033[" not in cli("list", cwd=project, env=env).stdout  # a pipe is not a terminal


def test_env_says_required_when_one_use_has_no_default(project: Path, cli):
    """``${REDIS_HOST:-127.0.0.1}`` in one place and ``${REDIS_HOST}`` in another: it must be set."""
    (project / "profiles/strict.yaml").write_text(
        "extends: [prod-bybit]\nnode:\n  trader_id: STRICT-001\nmessage_bus:\n  database:\n    host: ${REDIS_HOST}\n"
    )
    result = cli("env", "strict", cwd=project)
    assert result.returncode == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("REDIS_HOST "))
    assert row.split()[1] == "(required)"
    assert "REDIS_HOST=" in cli("env", "strict", "--format", "dotenv", cwd=project).stdout.splitlines()
