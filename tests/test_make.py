"""``make compile PROFILE=...`` from a copy of the repository, as a user runs it.

The copy gets a ``.venv`` whose contents are symlinks to the existing one plus
its own fresh install stamps, so make skips the install without ever writing
into the shared environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, clean_env


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    copy = tmp_path / "repo"
    for rel in filter(None, files):
        src = REPO / rel
        if not src.is_file():  # listed in the index but not (yet) on disk
            continue
        dst = copy / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    venv = copy / ".venv"
    venv.mkdir()
    for entry in (REPO / ".venv").iterdir():
        if not entry.name.startswith("."):
            os.symlink(entry, venv / entry.name)
    for stamp in (".ready", ".ready-test"):  # newer than the copied pyproject.toml
        (venv / stamp).touch()
    return copy


def test_make_compile_writes_the_build(repo_copy: Path) -> None:
    proc = subprocess.run(
        ["make", "compile", "PROFILE=testnet-binance"],
        cwd=repo_copy,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Using " not in proc.stdout  # the stamps kept make from building a venv and installing
    out = repo_copy / "build" / "testnet-binance"
    node = json.loads((out / "node.json").read_text())
    assert node["trader_id"] == "TESTNET-BINANCE-001"
    assert node["data_clients"]["BINANCE"]["config"]["environment"] == "TESTNET"
    env_example = (out / "env.example").read_text()
    assert "BINANCE_TESTNET_API_KEY=" in env_example
    assert "profiles/exchanges/binance.yaml:8" in env_example
    assert "Traceback" not in proc.stdout + proc.stderr


def test_make_compile_without_profile_is_a_usage_error(repo_copy: Path) -> None:
    proc = subprocess.run(
        ["make", "compile"], cwd=repo_copy, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "PROFILE=" in proc.stderr
    assert not (repo_copy / "build").exists()
