"""Secrets from files: ``NAME_FILE`` names a file whose content is the value of ``NAME`` (the Docker images' convention).

Every case docs/guides/secrets.md states: content with one trailing newline stripped, an
empty ``NAME`` counts as unset, both set is S007 naming both, an unreadable
file is S008 naming the variable and the path and never the content; through
the lookup, the pipeline (``check``), the API, the facade and the real CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import clean_env, run_cli
from ntprofile.language.placeholders import VariableError
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import Workspace
from ntprofile.pipeline import prepare
from ntprofile.resolve import environment_lookup

CANARY_KEY = "CANARY-file-key-6b2e"
CANARY_SECRET = "CANARY-file-secret-91d4"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("NTP_T_"):
            monkeypatch.delenv(name)
    return tmp_path


def secret_file(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "value"),
    [
        ("s3cret\n", "s3cret"),  # one trailing newline, as echo writes it
        ("s3cret", "s3cret"),
        ("s3cret\n\n", "s3cret\n"),  # only one is stripped
        ("s3cret\r\n", "s3cret"),
        ("  spaced value \n", "  spaced value "),
        ("", ""),
    ],
)
def test_the_file_content_is_the_value_with_one_trailing_newline_stripped(cwd, monkeypatch, content, value):
    path = secret_file(cwd, "key", content)
    monkeypatch.setenv("NTP_T_KEY_FILE", str(path))
    assert environment_lookup()("NTP_T_KEY") == value


def test_an_empty_variable_counts_as_unset(cwd, monkeypatch):
    monkeypatch.setenv("NTP_T_KEY", "")
    monkeypatch.setenv("NTP_T_KEY_FILE", str(secret_file(cwd, "key", "from-file\n")))
    assert environment_lookup()("NTP_T_KEY") == "from-file"


def test_an_empty_file_variable_is_ignored(cwd, monkeypatch):
    monkeypatch.setenv("NTP_T_KEY", "direct")
    monkeypatch.setenv("NTP_T_KEY_FILE", "")
    assert environment_lookup()("NTP_T_KEY") == "direct"


def test_the_file_variable_may_come_from_dot_env(cwd):
    secret_file(cwd, "key", "from-dot-env-file\n")
    (cwd / ".env").write_text("NTP_T_KEY=\nNTP_T_KEY_FILE=key\n")
    assert environment_lookup()("NTP_T_KEY") == "from-dot-env-file"


def test_both_set_is_s007_naming_both_and_where_they_are_set(cwd, monkeypatch):
    (cwd / ".env").write_text("NTP_T_KEY=direct-value-1234\n")
    monkeypatch.setenv("NTP_T_KEY_FILE", str(secret_file(cwd, "key", "file-value-5678")))
    with pytest.raises(VariableError) as caught:
        environment_lookup()("NTP_T_KEY")
    assert caught.value.code == "S007"
    message = caught.value.message
    assert "NTP_T_KEY (.env)" in message and "NTP_T_KEY_FILE (environment)" in message
    assert "direct-value-1234" not in message and "file-value-5678" not in message


@pytest.mark.parametrize("kind", ["missing", "directory", "not-utf8", "unreadable"])
def test_an_unreadable_file_is_s008_naming_the_variable_and_the_path_never_the_content(cwd, monkeypatch, kind):
    path = cwd / "key"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b"\xffCANARY-bytes-7788")
    elif kind == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads every file")
        path.write_text("CANARY-unreadable-3344")
        path.chmod(0)
    monkeypatch.setenv("NTP_T_KEY_FILE", str(path))
    with pytest.raises(VariableError) as caught:
        environment_lookup()("NTP_T_KEY")
    assert caught.value.code == "S008"
    assert "NTP_T_KEY_FILE" in caught.value.message and str(path) in caught.value.message
    assert "CANARY" not in caught.value.message


def prod_bybit_lookup(cwd: Path, monkeypatch, **files: str) -> None:
    for name in ("BYBIT_API_KEY", "BYBIT_API_SECRET", "REDIS_PASSWORD", "REDIS_HOST", "REDIS_PORT"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name + "_FILE", raising=False)
    for name, content in files.items():
        monkeypatch.setenv(f"{name}_FILE", str(secret_file(cwd, name.lower(), content)))


def test_the_pipeline_resolves_credentials_from_files_and_registers_them_with_the_redactor(project, cwd, monkeypatch):
    prod_bybit_lookup(
        cwd, monkeypatch, BYBIT_API_KEY=CANARY_KEY + "\n", BYBIT_API_SECRET=CANARY_SECRET, REDIS_PASSWORD="redis-pw\n"
    )
    prepared = prepare(Workspace(project / "profiles"), "prod-bybit", lookup=environment_lookup())
    assert prepared.ok, prepared.diagnostics
    client = prepared.config.exec_clients["BYBIT"]
    assert (client.api_key, client.api_secret) == (CANARY_KEY, CANARY_SECRET)
    assert prepared.config.cache.database.password == "redis-pw"
    assert REDACTOR(f"key {CANARY_KEY} secret {CANARY_SECRET}") == "key *** secret ***"


def test_an_unusable_file_is_one_finding_at_the_placeholder(project, cwd, monkeypatch):
    prod_bybit_lookup(cwd, monkeypatch, BYBIT_API_SECRET=CANARY_SECRET)
    monkeypatch.setenv("BYBIT_API_KEY", CANARY_KEY)
    monkeypatch.setenv("BYBIT_API_KEY_FILE", str(secret_file(cwd, "other", "x")))
    monkeypatch.setenv("REDIS_PASSWORD_FILE", str(cwd / "no-such-file"))
    prepared = prepare(Workspace(project / "profiles"), "prod-bybit", lookup=environment_lookup())
    assert not prepared.ok
    found = {d.code: d for d in prepared.diagnostics if d.code in ("S007", "S008")}
    assert set(found) == {"S007", "S008"}
    assert found["S007"].key == "exchanges.BYBIT.api_key"
    assert found["S007"].pos is not None and found["S007"].pos.file.endswith("prod-bybit.yaml")
    assert found["S008"].key == "cache.database.password"
    assert not any(d.code == "S004" for d in prepared.diagnostics)  # not also reported as missing
    text = "\n".join(d.render() for d in prepared.diagnostics)
    assert CANARY_KEY not in text and CANARY_SECRET not in text


def test_the_api_and_the_facade_read_files_too(project, cwd, monkeypatch):
    import ntprofile
    from ntprofile import TradingNodeConfigFactory

    prod_bybit_lookup(cwd, monkeypatch, BYBIT_API_KEY=CANARY_KEY, BYBIT_API_SECRET=CANARY_SECRET, REDIS_PASSWORD="pw")
    config = ntprofile.compile_profile("prod-bybit", profiles=project / "profiles")
    assert config.data_clients["BYBIT"].api_key == CANARY_KEY
    monkeypatch.setenv("BYBIT_TESTNET_API_KEY_FILE", str(secret_file(cwd, "tk", "testnet-key-file\n")))
    monkeypatch.setenv("BYBIT_TESTNET_API_SECRET_FILE", str(secret_file(cwd, "ts", "testnet-secret-file\n")))
    monkeypatch.delenv("BYBIT_TESTNET_API_KEY", raising=False)
    monkeypatch.delenv("BYBIT_TESTNET_API_SECRET", raising=False)
    testnet = TradingNodeConfigFactory.create_testnet(exchanges=["BYBIT"], profiles=project / "profiles")
    assert testnet.exec_clients["BYBIT"].api_secret == "testnet-secret-file"


def test_check_reads_files_and_prints_no_canary(project: Path, tmp_path: Path):
    key = secret_file(tmp_path, "key", CANARY_KEY + "\n")
    secret = secret_file(tmp_path, "secret", CANARY_SECRET + "\n")
    env = clean_env(BINANCE_TESTNET_API_KEY_FILE=str(key), BINANCE_TESTNET_API_SECRET_FILE=str(secret))
    result = run_cli("check", "testnet-binance", "--verbose", cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert "testnet-binance: ok" in result.stdout
    assert CANARY_KEY not in result.output and CANARY_SECRET not in result.output


def test_check_reports_both_set_and_an_unreadable_file_as_one_line_findings(project: Path, tmp_path: Path):
    key = secret_file(tmp_path, "key", CANARY_KEY)
    env = clean_env(
        BINANCE_TESTNET_API_KEY=CANARY_KEY,
        BINANCE_TESTNET_API_KEY_FILE=str(key),
        BINANCE_TESTNET_API_SECRET_FILE=str(tmp_path / "missing-secret"),
    )
    result = run_cli("check", "testnet-binance", cwd=project, env=env)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    s007 = [line for line in lines if "error[S007]" in line]
    s008 = [line for line in lines if "error[S008]" in line]
    assert len(s007) == 1 and len(s008) == 1, result.stdout
    assert s007[0].startswith("profiles/testnet-binance.yaml:") or "profiles/exchanges/binance.yaml:" in s007[0]
    assert "BINANCE_TESTNET_API_KEY (environment) and BINANCE_TESTNET_API_KEY_FILE (environment)" in s007[0]
    assert f"cannot read {tmp_path / 'missing-secret'}" in s008[0]
    assert CANARY_KEY not in result.output


def test_profile_from_a_file_and_a_conflict_there_is_a_usage_error(project: Path, tmp_path: Path):
    env = clean_env(PROFILE="testnet-binance", PROFILE_FILE=str(secret_file(tmp_path, "p", "prod-bybit\n")))
    result = run_cli("check", cwd=project, env=env)
    assert result.returncode == 2
    assert "PROFILE (environment) and PROFILE_FILE (environment) are both set" in result.stderr
