"""diff: two shipped targets, a profile against itself at a git revision, and bad revisions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project: Path) -> Path:
    """The shipped profiles in a git repo with two commits; the second changes one stage-layer value."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "profiles")
    git(project, "commit", "-q", "-m", "profiles")
    layer = project / "profiles/env/production.yaml"
    layer.write_text(
        layer.read_text().replace('max_order_submit_rate: "50/00:00:01"', 'max_order_submit_rate: "20/00:00:01"')
    )
    git(project, "commit", "-q", "-am", "slower order submission")
    return project


def test_two_shipped_targets(project: Path, cli):
    result = cli("diff", "testnet-bybit", "prod-bybit", cwd=project)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- testnet-bybit", "+++ prod-bybit"]
    changed = next(l for l in lines if l.startswith("~ exchanges.BYBIT.environment:"))
    assert '"testnet" -> "mainnet"' in changed
    assert changed.endswith("profiles/exchanges/bybit.yaml:7 -> profiles/prod-bybit.yaml:13")
    assert any(l.startswith('+ cache.database.type = "redis"') for l in lines)
    assert any(l.startswith("- cache.database = null") for l in lines)
    assert any(
        l.startswith("~ exchanges.BYBIT.api_key: *** (${BYBIT_TESTNET_API_KEY}) -> *** (${BYBIT_API_KEY})")
        for l in lines
    )
    assert lines[-1].endswith("changed")


def test_two_shipped_targets_json(project: Path, cli):
    result = cli("diff", "prod-binance", "prod-multi", "--format", "json", cwd=project)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["equal"] is False
    added = {c["key"] for c in data["changes"] if c["kind"] == "added"}
    assert "exchanges.BYBIT.environment" in added
    trader = next(c for c in data["changes"] if c["key"] == "node.trader_id")
    assert trader["a"]["value"] == "PROD-BINANCE-001" and trader["b"]["value"] == "PROD-MULTI-001"
    assert trader["b"]["file"] == "profiles/prod-multi.toml" and trader["b"]["line"] == 10


def test_equal_profiles_exit_zero(project: Path, cli):
    result = cli("diff", "prod-bybit", "prod-bybit", cwd=project)
    assert result.returncode == 0
    assert "no differences" in result.stdout


def test_profile_against_previous_revision_names_exactly_the_changed_key(repo: Path, cli):
    result = cli("diff", "prod-bybit@HEAD~1", "prod-bybit", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.output
    data = json.loads(result.stdout)
    assert [(c["kind"], c["key"]) for c in data["changes"]] == [("changed", "risk_engine.max_order_submit_rate")]
    change = data["changes"][0]
    assert change["a"]["value"] == "50/00:00:01" and change["b"]["value"] == "20/00:00:01"
    assert change["a"]["file"] == "HEAD~1:profiles/env/production.yaml"
    assert change["b"]["file"] == "profiles/env/production.yaml"


def test_revision_reads_every_layer_from_git_not_the_working_tree(repo: Path, cli):
    # an uncommitted edit must not leak into the HEAD side
    target = repo / "profiles/prod-bybit.yaml"
    target.write_text(target.read_text().replace("PROD-BYBIT-001", "PROD-BYBIT-002"))
    result = cli("diff", "prod-bybit@main~1", "prod-bybit@HEAD", cwd=repo)
    assert result.returncode == 1
    body = [l for l in result.stdout.splitlines() if l[:1] in "+-~" and not l.startswith(("---", "+++"))]
    assert len(body) == 1 and body[0].startswith("~ risk_engine.max_order_submit_rate:")
    assert "HEAD~1" not in result.stdout and "main~1:profiles/env/production.yaml:32" in result.stdout


def test_toml_target_at_a_revision(repo: Path, cli):
    result = cli("diff", "prod-multi@HEAD~1", "prod-multi@HEAD", cwd=repo)
    assert result.returncode == 1, result.output
    assert "risk_engine.max_order_submit_rate" in result.stdout


def test_unknown_revision_is_a_usage_error(repo: Path, cli):
    result = cli("diff", "prod-bybit@no-such-branch", "prod-bybit", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "unknown git revision 'no-such-branch'" in result.stderr


def test_profile_absent_at_revision(repo: Path, cli):
    (repo / "profiles/prod-new.yaml").write_text((repo / "profiles/prod-bybit.yaml").read_text())
    git(repo, "add", "profiles/prod-new.yaml")
    git(repo, "commit", "-q", "-m", "new target")
    result = cli("diff", "prod-new@HEAD~1", "prod-new", cwd=repo)
    assert result.returncode == 2
    assert "profile 'prod-new' does not exist at revision 'HEAD~1'" in result.stderr


def test_revision_outside_a_repository(project: Path, cli):
    result = cli("diff", "prod-bybit@HEAD", "prod-bybit", cwd=project)
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr
