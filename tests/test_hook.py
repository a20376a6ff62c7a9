"""The pre-commit hook: the published definition and this repo's own config, run by real pre-commit.

These tests run the published hook definition with ``language: system`` and the
installed ``ntprofile`` console script as its entry (exactly what ``language:
python`` resolves ``entry`` to), so each file-selection case costs no install;
``tests/test_install.py`` installs the hook for real from a clean clone
(``pre-commit try-repo``) and from a repository started by ``ntprofile init``.
"""

from __future__ import annotations

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


def test_published_hook_definition(tmp_path, monkeypatch):
    """Every staged file reaches the hook (`files:` unset); validate --staged picks the profiles among them."""
    from ntprofile.commands.validate import is_profile_file
    from ntprofile.layers import Workspace

    hook = hook_definition()
    assert hook["id"] == "ntprofile-validate"
    assert hook["entry"] == "ntprofile validate --staged"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert "files" not in hook and "types" not in hook
    monkeypatch.chdir(tmp_path)
    profiles = [
        "profiles/prod-bybit.yaml",
        "profiles/exchanges/bybit.yaml",
        "profiles/prod-multi.toml",
        "deploy/profiles/env/production.yml",
    ]
    others = [
        "schemas/profile.schema.json",
        ".pre-commit-config.yaml",
        "profiles/README.md",
        "myprofiles/x.yaml",
        ".github/workflows/ci.yaml",
    ]
    for rel in profiles + others:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    workspace = Workspace()
    assert [p for p in profiles + others if is_profile_file(workspace, p)] == profiles


def test_repo_config_uses_the_hook():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert [h["id"] for h in hooks] == ["ntprofile-validate"]
    assert hooks[0]["entry"].endswith("ntprofile validate --staged") and "files" not in hooks[0]


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
    hook = dict(hook_definition(), language="system", entry=f"{BIN / 'ntprofile'} validate --staged")
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


def test_a_file_from_a_secrets_folder_is_refused_by_pre_commit(tmp_path, cli):
    """In a repository made by `init`: a folder marked .ntprofile-secrets ignores itself, and a file from it
    that is staged anyway (git add -f, or its .gitignore gone) is refused with S015, its content never shown."""
    assert cli("init", "firm", "--stages", "testnet", cwd=tmp_path).returncode == 0
    repo = tmp_path / "firm"
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    hook = dict(hook_definition(), language="system", entry=f"{BIN / 'ntprofile'} validate --staged")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    secrets = repo / "deploy" / "compose" / "secrets"
    secrets.mkdir(parents=True)
    (secrets / ".gitignore").write_text("*\n")  # as render writes it: the folder ignores itself
    (secrets / ".ntprofile-secrets").write_text("")
    (secrets / "BINANCE_API_KEY").write_text(BAD_KEY + "\n")
    clean = pre_commit(repo)  # git add -A stages the profiles, not the secrets
    assert clean.returncode == 0, clean.stdout
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=repo, capture_output=True, text=True)
    assert "profiles/testnet-binance.yaml" in staged.stdout and "secrets" not in staged.stdout
    hook_env = clean_env(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PATH=f"{BIN}:/usr/bin:/bin",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "profiles"], cwd=repo, env=hook_env, check=True)
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=hook_env, check=True, capture_output=True)

    subprocess.run(["git", "add", "-f", "deploy/compose/secrets/BINANCE_API_KEY"], cwd=repo, check=True)
    forced = pre_commit(repo)
    assert forced.returncode == 1, forced.stdout
    assert (
        "deploy/compose/secrets/BINANCE_API_KEY:1:1: error[S015] a file from deploy/compose/secrets/, a folder "
        "ntprofile fills with secrets" in forced.stdout
    )
    assert "git rm --cached -- deploy/compose/secrets/BINANCE_API_KEY" in forced.stdout
    assert BAD_KEY not in forced.stdout + forced.stderr
    subprocess.run(["git", "rm", "-q", "--cached", "deploy/compose/secrets/BINANCE_API_KEY"], cwd=repo, check=True)

    (secrets / ".gitignore").unlink()  # the ignore file lost: git add -A now stages the key, the hook still refuses
    lost = pre_commit(repo)
    assert lost.returncode == 1 and "error[S015]" in lost.stdout and BAD_KEY not in lost.stdout
    committed = subprocess.run(["git", "commit", "-m", "leak"], cwd=repo, env=hook_env, capture_output=True, text=True)
    assert committed.returncode != 0, committed.stdout  # the installed hook stops the commit itself
    assert "error[S015]" in committed.stdout + committed.stderr and BAD_KEY not in committed.stdout + committed.stderr
    log = subprocess.run(["git", "log", "--name-only", "--format="], cwd=repo, capture_output=True, text=True)
    assert "BINANCE_API_KEY" not in log.stdout
