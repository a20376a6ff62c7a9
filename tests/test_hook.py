"""The pre-commit hook: the published definition and this repo's own config, run by real pre-commit.

These tests run the published hook definition with ``language: system`` and the
installed ``ntprofile`` console script as its entry (exactly what ``language:
python`` resolves ``entry`` to), so each file-selection case costs no install;
``tests/test_install.py`` installs the hook for real from a clean clone
(``pre-commit try-repo``) and from a repository started by ``ntprofile init``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, clean_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

BIN = Path(sys.executable).parent
BAD_KEY = "CANARY-hook-5e1d0c"


def hook_definition() -> dict:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return hook


def test_published_hook_definition():
    hook = hook_definition()
    assert hook["id"] == "ntprofile-validate"
    assert hook["entry"] == "ntprofile validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for path in [
        "profiles/prod-bybit.yaml",
        "profiles/exchanges/bybit.yaml",
        "profiles/prod-multi.toml",
        "deploy/profiles/env/production.yml",
    ]:
        assert files.search(path), path
    for path in [
        "schemas/profile.schema.json",
        ".pre-commit-config.yaml",
        "profiles/README.md",
        "myprofiles/x.yaml",
        ".github/workflows/ci.yaml",
    ]:
        assert not files.search(path), path


def test_repo_config_uses_the_hook():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert [h["id"] for h in hooks] == ["ntprofile-validate"]
    assert hooks[0]["entry"].endswith("ntprofile validate")


def git_repo(path: Path, config: dict) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    shutil.copytree(REPO / "profiles", path / "profiles")
    (path / "profiles" / "README.md").write_text("not a profile\n")
    (path / "ci.yaml").write_text("api_key: not-a-profile\n")  # outside profiles/: never passed
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    return path


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = clean_env(PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"), PATH=f"{BIN}:/usr/bin:/bin")
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "run", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def break_layer(repo: Path) -> None:
    path = repo / "profiles" / "exchanges" / "bybit.yaml"
    path.write_text(path.read_text().replace("${BYBIT_TESTNET_API_KEY}", BAD_KEY))


def test_published_hook_run_by_pre_commit(tmp_path):
    hook = dict(hook_definition(), language="system", entry=f"{BIN / 'ntprofile'} validate")
    repo = git_repo(tmp_path / "repo", {"repos": [{"repo": "local", "hooks": [hook]}]})

    good = pre_commit(repo, "--all-files")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    break_layer(repo)
    bad = pre_commit(repo, "--all-files")
    assert bad.returncode == 1, bad.stdout
    assert "profiles/exchanges/bybit.yaml:8:5: error[S001] exchanges.BYBIT.api_key:" in bad.stdout
    assert BAD_KEY not in bad.stdout + bad.stderr

    # a target that does not use the broken layer passes on its own
    only_good = pre_commit(repo, "--files", "profiles/prod-binance.yaml", "profiles/testnet-binance.yaml")
    assert only_good.returncode == 0, only_good.stdout
    # a layer that a broken target also uses reports that target's finding too
    shared = pre_commit(repo, "--files", "profiles/exchanges/binance.yaml")
    assert shared.returncode == 1, shared.stdout


def test_this_repos_config_run_by_pre_commit(tmp_path):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    repo = git_repo(tmp_path / "repo", config)
    (repo / ".venv").symlink_to(BIN.parent)
    (repo / ".gitignore").write_text(".venv\n")
    assert pre_commit(repo, "--all-files").returncode == 0
    break_layer(repo)
    bad = pre_commit(repo, "--files", "profiles/exchanges/bybit.yaml")
    assert bad.returncode == 1
    assert "error[S001]" in bad.stdout


def test_entry_point_with_file_names_as_pre_commit_passes_them(project, cli):
    """The hook's command line exactly: ``ntprofile validate`` + repo-relative file names."""
    names = ["profiles/exchanges/bybit.yaml", "profiles/prod-multi.toml", "profiles/env/testnet.yaml"]
    assert cli("validate", *names, cwd=project).returncode == 0
    break_layer(project)
    result = cli("validate", *names, cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("profiles/exchanges/bybit.yaml:8:5: error[S001]")
