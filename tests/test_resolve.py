"""Where placeholder values come from: the environment first, then ``.env``; secrets registered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ntprofile.layers import Workspace
from ntprofile.resolve import EnvFileError, environment_lookup, register_secrets
from ntprofile.secrets import REDACTOR


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_environment_wins_over_dot_env(cwd, monkeypatch):
    (cwd / ".env").write_text("NTP_T_A=from-file\nNTP_T_B=file-only\nexport NTP_T_C='quoted value'\n")
    monkeypatch.setenv("NTP_T_A", "from-env")
    lookup = environment_lookup()
    assert lookup("NTP_T_A") == "from-env"
    assert lookup("NTP_T_B") == "file-only"
    assert lookup("NTP_T_C") == "quoted value"
    assert lookup("NTP_T_MISSING") is None
    assert "NTP_T_B" not in os.environ  # the file never leaks into the process environment


def test_empty_value_is_not_missing(cwd, monkeypatch):
    (cwd / ".env").write_text("NTP_T_EMPTY=\n")
    assert environment_lookup()("NTP_T_EMPTY") == ""


def test_no_dot_env_is_fine(cwd):
    assert environment_lookup()("NTP_T_A") is None


def test_explicit_env_file_replaces_dot_env(cwd):
    (cwd / ".env").write_text("NTP_T_A=dot-env\n")
    (cwd / "prod.env").write_text("NTP_T_A=prod-env\n")
    assert environment_lookup(cwd / "prod.env")("NTP_T_A") == "prod-env"


def test_missing_explicit_env_file_is_an_error(cwd):
    with pytest.raises(EnvFileError, match="env file not found"):
        environment_lookup(cwd / "nope.env")


def test_repr_shows_no_values(cwd, monkeypatch):
    monkeypatch.setenv("NTP_T_SECRET", "do-not-show-1234")
    assert "do-not-show-1234" not in repr(environment_lookup())


def test_secret_variables_are_registered_with_the_redactor(project: Path):
    merged, _ = Workspace(project / "profiles").merge("prod-bybit")
    values = {
        "BYBIT_API_KEY": "resolve-canary-key-1",
        "BYBIT_API_SECRET": "resolve-canary-secret-2",
        "REDIS_PASSWORD": "resolve-canary-pw-3",
        "REDIS_HOST": "resolve-not-secret-4",
    }
    names = register_secrets(merged, values.get)
    assert sorted(names) == ["BYBIT_API_KEY", "BYBIT_API_SECRET", "REDIS_PASSWORD"]
    text = REDACTOR(" ".join(values.values()))
    assert text == "*** *** *** resolve-not-secret-4"
