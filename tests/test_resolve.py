"""Where placeholder values come from: the environment first, then ``.env``; secrets registered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import Workspace
from ntprofile.resolve import EnvFileError, environment_lookup, register_secrets


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


# ---------------------------------------------------------------- values in .env are literal

LITERAL = "Pw$HOME${X}$$z"


@pytest.mark.parametrize("line", [f"NTP_T_PW={LITERAL}", f'NTP_T_PW="{LITERAL}"', f"NTP_T_PW='{LITERAL}'"])
def test_dot_env_values_are_literal(cwd, monkeypatch, line):
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.setenv("X", "expanded")
    (cwd / ".env").write_text(f"X=from-file\n{line}\n")
    assert environment_lookup()("NTP_T_PW") == LITERAL
    assert environment_lookup(cwd / ".env")("NTP_T_PW") == LITERAL


# ---------------------------------------------------------------- resolved values meet the schema's constraints


def _compile(project: Path, target: str, values: dict[str, str]):
    from ntprofile.compile import compile_merged

    merged, _ = Workspace(project / "profiles").merge(target)
    return compile_merged(merged, values.get)


PROD_BYBIT = {
    "BYBIT_API_KEY": "k-0001",
    "BYBIT_API_SECRET": "s-0001",
    "REDIS_HOST": "127.0.0.2",
    "REDIS_PASSWORD": "pw-0001",  # production's Redis requires one (P103)
}


@pytest.mark.parametrize("port", ["0", "-1", "70000"])
def test_resolved_port_out_of_range_is_an_error_naming_the_variable(project, port):
    result = _compile(project, "prod-bybit", {**PROD_BYBIT, "REDIS_PORT": port})
    assert result.config is None  # nothing built, so nothing connects to port 0
    errors = [d.render() for d in result.diagnostics if d.is_error]
    assert len(errors) == 1, errors
    assert errors[0].endswith(
        f"profiles/env/production.yaml:17:5: error[S006] cache.database.port: value '{port}' of REDIS_PORT "
        f"is not allowed here: {port} is not a port (1-65535)"
    )


def test_resolved_port_in_range_and_unset_port_are_fine(project):
    assert _compile(project, "prod-bybit", {**PROD_BYBIT, "REDIS_PORT": "65535"}).config.cache.database.port == 65535
    assert _compile(project, "prod-bybit", PROD_BYBIT).config.cache.database.port == 6379


def _set_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_port_default_out_of_range_is_an_error_at_compile_too(project):
    from ntprofile.compile import compile_merged

    _set_in(project / "profiles" / "env" / "production.yaml", "${REDIS_PORT:-6379}", "${REDIS_PORT:-0}")
    merged, _ = Workspace(project / "profiles").merge("prod-bybit")
    errors = [d.message for d in compile_merged(merged, None).diagnostics if d.is_error]
    assert errors == ["value '0' of the default of REDIS_PORT is not allowed here: 0 is not a port (1-65535)"]


def _replace_once(project: Path, old: str, new: str) -> None:
    for rel in ("prod-bybit.yaml", "env/production.yaml", "base.yaml"):
        path = project / "profiles" / rel
        if old in path.read_text():
            _set_in(path, old, new)
            return
    raise AssertionError(f"{old!r} in no profile")


@pytest.mark.parametrize(
    ("old", "new", "variable", "value", "problem"),
    [
        (
            "    password: ${REDIS_PASSWORD}",
            "    password: ${REDIS_PASSWORD}\n    connection_timeout: ${T}",
            "T",
            "0",
            "must be positive",
        ),
        (
            "    password: ${REDIS_PASSWORD}",
            "    password: ${REDIS_PASSWORD}\n    number_of_retries: ${RETRIES}",
            "RETRIES",
            "-1",
            "below the least allowed value 0",
        ),
        ("log_level: INFO", "log_level: ${LEVEL}", "LEVEL", "verbose", "is not a log level"),
    ],
)
def test_values_the_schema_constrains_are_checked_again_once_resolved(project, old, new, variable, value, problem):
    _replace_once(project, old, new)
    result = _compile(project, "prod-bybit", {**PROD_BYBIT, variable: value})
    assert result.config is None
    errors = [d for d in result.diagnostics if d.is_error]
    assert len(errors) == 1, [d.render() for d in errors]  # said once, as S006 naming the variable
    assert errors[0].code == "S006"
    assert f"value '{value}' of {variable} is not allowed here" in errors[0].message
    assert problem in errors[0].message


@pytest.mark.parametrize(
    ("old", "new", "variable", "value", "problem"),
    [
        ("trader_id: PROD-BYBIT-001", "trader_id: ${TID}", "TID", "NOHYPHEN", "is not of the form NAME-TAG"),
        (
            'max_order_submit_rate: "50/00:00:01"',
            "max_order_submit_rate: ${RATE}",
            "RATE",
            "100 per second",
            "is not a rate limit",
        ),
    ],
)
def test_identifiers_and_rate_limits_are_checked_once_resolved(project, old, new, variable, value, problem):
    _replace_once(project, old, new)
    result = _compile(project, "prod-bybit", {**PROD_BYBIT, variable: value})
    assert result.config is None
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["S006"], [d.render() for d in errors]  # one constraint table, like ports
    assert f"value '{value}' of {variable} is not allowed here" in errors[0].message
    assert problem in errors[0].message


def test_a_bounded_interval_may_be_zero(project):
    _set_in(
        project / "profiles" / "env" / "production.yaml",
        "reconciliation_lookback_mins: 1440",
        "reconciliation_lookback_mins: 1440\n  inflight_check_interval_ms: ${INFLIGHT}",
    )
    result = _compile(project, "prod-bybit", {**PROD_BYBIT, "INFLIGHT": "0"})
    assert result.config is not None, [d.render() for d in result.diagnostics]
    assert result.config.exec_engine.inflight_check_interval_ms == 0


def test_a_bad_default_taken_because_the_variable_is_unset_is_said_so(project):
    _set_in(
        project / "profiles" / "env" / "production.yaml",
        "    password: ${REDIS_PASSWORD}",
        "    password: ${REDIS_PASSWORD}\n    number_of_retries: ${MAX_RETRIES:-three}",
    )
    errors = [d.message for d in _compile(project, "prod-bybit", PROD_BYBIT).diagnostics if d.is_error]
    assert errors == [
        "value 'three' of the default of MAX_RETRIES does not convert to the field's type: not a valid int"
    ]
    errors = [
        d.message
        for d in _compile(project, "prod-bybit", {**PROD_BYBIT, "MAX_RETRIES": "four"}).diagnostics
        if d.is_error
    ]
    assert errors == ["value 'four' of MAX_RETRIES does not convert to the field's type: not a valid int"]
