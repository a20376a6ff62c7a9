"""No operator command prints a secret: not from the environment, not from .env, not from a profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import clean_env

ENV_CANARY = "canary-env-7f3a9c2e41"
DOTENV_CANARY = "canary-dotenv-b81d55e0"
LITERAL_CANARY = "canary-literal-c0ffee99"
OVERRIDDEN_CANARY = "canary-overridden-5eed"
CANARIES = (ENV_CANARY, DOTENV_CANARY, LITERAL_CANARY, OVERRIDDEN_CANARY)

COMMANDS = [
    ["list"],
    ["explain", "prod-bybit"],
    ["explain", "prod-multi", "exchanges"],
    ["diff", "testnet-bybit", "prod-bybit"],
    ["diff", "leaky", "prod-bybit"],
    ["env", "prod-multi"],
    ["explain", "leaky"],
    ["explain", "leaky", "exchanges.BYBIT.api_key"],
    ["env", "leaky"],
]


@pytest.fixture
def leaky(project: Path) -> Path:
    """Canaries in the environment, in .env, and literally (invalid, but it happens) in a profile."""
    (project / ".env").write_text(
        f"BYBIT_API_KEY={DOTENV_CANARY}\nBYBIT_API_SECRET={DOTENV_CANARY}\nREDIS_PASSWORD={DOTENV_CANARY}\n"
    )
    (project / "profiles/leaky.yaml").write_text(
        "extends: [prod-bybit]\n"
        "node:\n  trader_id: LEAKY-001\n"
        "cache:\n  database:\n"
        f"    password: {LITERAL_CANARY}\n"
        "exchanges:\n  BYBIT:\n"
        f"    api_key: {LITERAL_CANARY}\n"
        f"    api_secret: ${{BYBIT_API_SECRET:-{LITERAL_CANARY}}}\n"
        "    data:\n"
        f"      api_passphrase: {OVERRIDDEN_CANARY}\n"
    )
    return project


def _env() -> dict[str, str]:
    return clean_env(
        BINANCE_API_KEY=ENV_CANARY,
        BINANCE_API_SECRET=ENV_CANARY,
        BYBIT_API_KEY=ENV_CANARY,
        BYBIT_API_SECRET=ENV_CANARY,
        REDIS_PASSWORD=ENV_CANARY,
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a))
def test_no_canary_in_any_output(leaky: Path, cli, args: list[str], fmt: str):
    result = cli(*args, "--format", fmt, cwd=leaky, env=_env())
    assert result.returncode in (0, 1), result.output
    for canary in CANARIES:
        assert canary not in result.output


def test_dotenv_format_prints_no_canary(leaky: Path, cli):
    result = cli("env", "leaky", "--format", "dotenv", cwd=leaky, env=_env())
    assert result.returncode == 0
    assert not any(c in result.output for c in CANARIES)


def test_literal_secret_is_shown_as_mask_only(leaky: Path, cli):
    result = cli("explain", "leaky", "exchanges.BYBIT", cwd=leaky, env=_env())
    lines = {l.split(" = ")[0]: " ".join(l.split()) for l in result.stdout.splitlines() if " = " in l}
    assert lines["exchanges.BYBIT.api_key"].startswith("exchanges.BYBIT.api_key = *** profiles/leaky.yaml:9 ")
    assert "was *** (${BYBIT_API_KEY}) from profiles/prod-bybit.yaml:14" in lines["exchanges.BYBIT.api_key"]
    # a placeholder whose default is a literal secret shows its variable, never its default
    assert lines["exchanges.BYBIT.api_secret"].startswith(
        "exchanges.BYBIT.api_secret = *** (${BYBIT_API_SECRET}) profiles/leaky.yaml:10"
    )
    assert lines["exchanges.BYBIT.data.api_passphrase"].startswith(
        "exchanges.BYBIT.data.api_passphrase = *** profiles/leaky.yaml:12"
    )


def test_defaults_print_no_canary(leaky: Path, cli):
    result = cli("explain", "leaky", "--defaults", "--format", "json", cwd=leaky, env=_env())
    assert result.returncode == 0, result.output
    assert not any(c in result.output for c in CANARIES)


def test_migrate_prints_no_canary(leaky: Path, cli):
    (leaky / "profiles/leaky.yaml").write_text(
        (leaky / "profiles/leaky.yaml").read_text() + "logging:\n  log_level: INFO\n"  # leaky.yaml is in the diff
    )
    result = cli("migrate", "--to", "2.0.0rc7", cwd=leaky, env=_env())
    assert "+++ b/profiles/leaky.yaml" in result.stdout and "       api_passphrase: ***\n" in result.stdout
    for canary in CANARIES:
        assert canary not in result.output
