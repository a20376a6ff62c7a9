"""Files an operator names are read bounded: ``NAME_FILE`` secrets, env files, ``PROFILE_FILE``, health files.

A FIFO nobody writes, ``/dev/zero``, ``/dev/null``, a directory, a socket, a
symlink to a FIFO or a sparse file of 4 GiB where a small file is expected:
each is one finding naming the variable or the path (never the content), at
once, through the real CLI with a timeout, so a hang fails the test instead of
hanging it. The profile loader, the secrets, the env file, the health probe and
the schema share one reader (``ntprofile.files.read_bounded``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import HOSTILE_KINDS, clean_env, hostile_file, run_cli
from ntprofile import files
from ntprofile.exits import Exit
from ntprofile.language.placeholders import VariableError
from ntprofile.resolve import MAX_SECRET_FILE_BYTES, EnvFileError, environment_lookup

CANARY = "CANARY-bounded-secret-5e1c"
TIMEOUT = 60
"""Seconds a command gets; the reads must take milliseconds, so only a hang comes near it."""

REASONS = {
    "fifo": "not a regular file (a FIFO)",
    "symlink-to-fifo": "not a regular file (a FIFO)",
    "directory": "not a regular file (a directory)",
    "socket": "not a regular file (a socket)",
    "dev-zero": "not a regular file (a character device)",
    "dev-null": "not a regular file (a character device)",
    "huge-sparse": f"the file holds {4 << 30} bytes; a secret file is at most {MAX_SECRET_FILE_BYTES} bytes",
}


@pytest.fixture
def clean(monkeypatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("NTP_T_"):
            monkeypatch.delenv(name)
    return tmp_path


# ------------------------------------------------------------ the one reader


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_the_reader_refuses_anything_but_a_small_regular_file_at_once(tmp_path: Path, kind: str) -> None:
    path = hostile_file(tmp_path, kind)
    with pytest.raises(OSError) as caught:
        files.read_bounded(path, MAX_SECRET_FILE_BYTES, "a secret file")
    assert caught.value.strerror == REASONS[kind]


def test_the_bound_is_exact_and_a_file_that_grows_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert files.read_bounded(path, 10, "a thing") == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(files.FileTooLarge, match="the file holds 11 bytes; a thing is at most 10 bytes"):
        files.read_bounded(path, 10, "a thing")
    # /proc files say 0 bytes and hold more: the read itself stops one byte past the bound
    with pytest.raises(files.FileTooLarge, match="more than that"):
        files.read_bounded("/proc/self/maps", 10, "a thing")


# ------------------------------------------------------------ NAME_FILE secrets


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_a_secret_file_that_is_no_small_file_is_s008_naming_variable_and_path(clean: Path, monkeypatch, kind) -> None:
    path = hostile_file(clean, kind)
    monkeypatch.setenv("NTP_T_KEY_FILE", str(path))
    with pytest.raises(VariableError) as caught:
        environment_lookup()("NTP_T_KEY")
    assert caught.value.code == "S008"
    assert caught.value.message == f"NTP_T_KEY_FILE: cannot read {path}: {REASONS[kind]}"


def test_a_secret_file_at_the_bound_is_read_and_one_byte_more_is_not(clean: Path, monkeypatch) -> None:
    path = clean / "key"
    path.write_text("k" * (MAX_SECRET_FILE_BYTES - 1) + "\n")
    monkeypatch.setenv("NTP_T_KEY_FILE", str(path))
    assert environment_lookup()("NTP_T_KEY") == "k" * (MAX_SECRET_FILE_BYTES - 1)
    path.write_text(CANARY * (MAX_SECRET_FILE_BYTES // len(CANARY) + 1))
    with pytest.raises(VariableError) as caught:
        environment_lookup()("NTP_T_KEY")
    assert "a secret file is at most" in caught.value.message and CANARY not in caught.value.message


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_check_and_run_report_a_hostile_secret_file_at_once(project: Path, tmp_path: Path, command, kind) -> None:
    path = hostile_file(tmp_path, kind)
    env = clean_env(BINANCE_TESTNET_API_KEY_FILE=str(path), BINANCE_TESTNET_API_SECRET=CANARY)
    result = run_cli(command, "testnet-binance", cwd=project, env=env, timeout=TIMEOUT)
    assert result.returncode == Exit.INVALID, result.output
    [line] = [line for line in result.stdout.splitlines() if "error[S008]" in line]
    assert f"BINANCE_TESTNET_API_KEY_FILE: cannot read {path}: {REASONS[kind]}" in line
    assert "profiles/exchanges/binance.yaml:" in line
    assert CANARY not in result.output


# ------------------------------------------------------------ env files and PROFILE_FILE


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_a_hostile_env_file_is_a_usage_error(project: Path, tmp_path: Path, kind: str) -> None:
    path = hostile_file(tmp_path, kind)
    result = run_cli("check", "testnet-binance", "--env-file", str(path), cwd=project, timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE, result.output
    reason = REASONS[kind].replace("a secret file", "an env file").replace(
        str(MAX_SECRET_FILE_BYTES), str(1 << 20)
    )
    assert result.stderr == f"ntprofile check: error: cannot read env file {path}: {reason}\n"


@pytest.mark.parametrize("kind", ["fifo", "directory", "huge-sparse"])
def test_a_hostile_dot_env_in_the_working_directory_is_a_usage_error_not_a_hang(project: Path, kind: str) -> None:
    hostile_file(project, kind, ".env")
    result = run_cli("check", "testnet-binance", cwd=project, timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE, result.output
    assert result.stderr.startswith("ntprofile check: error: cannot read env file .env: ")


def test_the_env_file_reader_is_the_bounded_one(clean: Path) -> None:
    (clean / ".env").write_text("NTP_T_A=1\n" * 10)
    assert environment_lookup()("NTP_T_A") == "1"
    with open(clean / ".env", "wb") as handle:
        handle.truncate((1 << 20) + 1)
    with pytest.raises(EnvFileError, match="an env file is at most"):
        environment_lookup()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge-sparse"])
def test_a_hostile_profile_file_is_a_usage_error(project: Path, tmp_path: Path, kind: str) -> None:
    path = hostile_file(tmp_path, kind)
    result = run_cli("check", cwd=project, env=clean_env(PROFILE_FILE=str(path)), timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE, result.output
    assert result.stderr.startswith(f"ntprofile check: error: PROFILE_FILE: cannot read {path}: ")


# ------------------------------------------------------------ health files


@pytest.mark.parametrize("alive", [False, True])
@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_the_health_probe_never_hangs_or_grows(tmp_path: Path, kind: str, alive: bool) -> None:
    path = hostile_file(tmp_path, kind)
    args = ["health", *(["--alive"] if alive else []), str(path)]
    result = run_cli(*args, cwd=tmp_path, timeout=TIMEOUT)
    assert len(result.output.splitlines()) == 1, result.output
    if kind == "huge-sparse":  # a file, but no health record: not healthy
        assert result.returncode == Exit.INVALID
        too_large = f"the file holds {4 << 30} bytes; a health file is at most {64 << 10} bytes"
        assert result.stdout == f"unreadable health file {path}: {too_large}\n"
    else:  # can never be a health file: a usage error
        assert result.returncode == Exit.USAGE
        assert result.stderr == f"ntprofile health: error: {path} is not a health file: {REASONS[kind]}\n"


def test_the_health_path_from_the_environment_is_held_the_same(tmp_path: Path) -> None:
    path = hostile_file(tmp_path, "fifo")
    result = run_cli("health", cwd=tmp_path, env=clean_env(NTPROFILE_HEALTH_PATH=str(path)), timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE and "not a regular file (a FIFO)" in result.stderr
