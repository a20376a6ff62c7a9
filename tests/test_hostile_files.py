"""Hostile or clumsy files under profiles/: each is one diagnostic, never a hang, a MemoryError or exit 3."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from ntprofile.layers import Workspace
from ntprofile.loader import MAX_FILE_BYTES

BOUND = 20.0
"""Seconds any of these commands may take; a hang fails the test instead of the suite."""


def test_fifos_devices_and_huge_files_are_refused_before_reading(project: Path, cli, tmp_path: Path) -> None:
    profiles = project / "profiles"
    os.mkfifo(profiles / "env" / "pipe.yaml")  # no target names it: validate and list used to block on it
    (profiles / "exchanges" / "zero.yaml").symlink_to("/dev/zero")
    sparse = tmp_path / "sparse.yaml"
    with sparse.open("wb") as handle:
        handle.truncate(64 << 30)  # 64 GiB, no disk used
    (profiles / "exchanges" / "huge.yaml").symlink_to(sparse)
    result = cli("validate", cwd=project, timeout=BOUND)
    assert result.returncode == 1, result.output
    assert result.stdout.splitlines() == [
        "profiles/env/pipe.yaml:1:1: error[Y001] cannot read file: not a regular file (a FIFO)",
        f"profiles/exchanges/huge.yaml:1:1: error[Y011] the file holds {64 << 30} bytes; "
        f"a profile is at most {MAX_FILE_BYTES} bytes",
        "profiles/exchanges/zero.yaml:1:1: error[Y001] cannot read file: not a regular file (a character device)",
    ]
    listed = cli("list", cwd=project, timeout=BOUND)
    assert listed.returncode == 0 and "testnet-bybit" in listed.stdout, listed.output


def test_a_file_just_above_the_bound_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text("a: " + "x" * MAX_FILE_BYTES + "\n")
    doc, diags = Workspace(tmp_path).document("big")
    assert doc is None and [d.code for d in diags] == ["Y011"]


def test_a_yaml_1_2_directive_is_refused(project: Path, cli) -> None:
    (project / "profiles" / "env" / "yaml12.yaml").write_text("%YAML 1.2\n---\nnode:\n  load_state: no\n")
    (project / "profiles" / "env" / "yaml11.yaml").write_text("%YAML 1.1\n---\nnode:\n  load_state: no\n")
    result = cli("validate", "env/yaml12", "env/yaml11", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "profiles/env/yaml12.yaml:1:1: error[Y012] the file declares %YAML 1.2; ntprofile reads YAML 1.1, where "
        "unquoted no/off/yes/on are booleans, not strings (remove the directive, and quote any such value that is "
        "meant as text)"
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("keys.yaml", 'strategies:\n  "ema\\nREDIS_HOST=evil.example":\n    config: {}\n'),
        ("keys.toml", '[strategies."ema\\nREDIS_HOST=evil.example".config]\n'),
    ],
)
def test_a_key_with_a_line_break_is_refused(project: Path, cli, name: str, text: str) -> None:
    (project / "profiles" / "env" / name).write_text(text)
    result = cli("validate", f"profiles/env/{name}", cwd=project)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"profiles/env/{name}:")
    assert 'error[Y013] key "ema\\nREDIS_HOST=evil.example" holds a line break or control character' in line


def test_an_extends_chain_of_1200_layers_merges(tmp_path: Path, cli) -> None:
    chain = tmp_path / "profiles" / "chain"
    chain.mkdir(parents=True)
    for i in range(1200):
        parent = f"extends: [chain/l{i - 1}]\n" if i else ""
        (chain / f"l{i}.yaml").write_text(parent + f"profile:\n  description: layer {i}\n")
    (tmp_path / "profiles" / "deep.yaml").write_text("extends: [chain/l1199]\n")
    merged, diags = Workspace(tmp_path / "profiles").merge("deep")
    assert diags == [] and merged is not None and len(merged.chain) == 1201
    assert merged.tree == {"profile": {"description": "layer 1199"}}
    (chain / "l0.yaml").write_text("extends: [chain/l1199]\n")  # now a cycle through all of them
    result = cli("validate", "deep", cwd=tmp_path, timeout=BOUND)
    assert result.returncode == 1 and "error[L002] extends: extends cycle: chain/l1199 -> chain/l1198" in result.stdout


# ------------------------------------------------------------ committed symlinks


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_a_committed_symlink_layer_is_followed_inside_the_repository(project: Path, cli) -> None:
    exchanges = project / "profiles" / "exchanges"
    (project / "shared").mkdir()
    (exchanges / "bybit.yaml").rename(project / "shared" / "bybit.yaml")
    (exchanges / "bybit.yaml").symlink_to("../../shared/bybit.yaml")
    _git(project, "init", "-q")
    _git(project, "add", "profiles", "shared")
    _git(project, "commit", "-q", "-m", "profiles")
    result = cli("diff", "testnet-bybit@HEAD", "testnet-bybit", cwd=project)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "0 added, 0 removed, 0 changed"), result.output


def test_a_committed_symlink_leaving_the_repository_is_refused(project: Path, cli) -> None:
    exchanges = project / "profiles" / "exchanges"
    outside = project.parent / "outside-bybit.yaml"
    (exchanges / "bybit.yaml").rename(outside)
    (exchanges / "bybit.yaml").symlink_to(outside)  # absolute: the blob holds only this path
    _git(project, "init", "-q")
    _git(project, "add", "profiles")
    _git(project, "commit", "-q", "-m", "profiles")
    result = cli("diff", "testnet-bybit@HEAD", "testnet-bybit", cwd=project)
    assert result.returncode == 2, result.output
    assert result.stderr.splitlines() == [
        f"HEAD:profiles/exchanges/bybit.yaml:1:1: error[Y001] cannot read file: a symlink to '{outside}', "
        "outside the repository"
    ]
