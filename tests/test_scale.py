"""Repository scale: ``diff --all REV``, ``compile`` of several targets, and the shipped CI examples.

The real CLI in a subprocess over a real git repository in a temp dir; the CI
files are checked against the workflow schemas check-jsonschema bundles.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TARGETS
from test_diff import git
from test_validate_speed_imports import probe

SECRET = "CANARY-literal-never-shown-3d1f"


@pytest.fixture
def repo(project: Path) -> Path:
    """The shipped profiles committed; then one stage layer edited, one target added, one removed."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "profiles")
    git(project, "commit", "-q", "-m", "profiles")
    layer = project / "profiles/env/production.yaml"
    layer.write_text(
        layer.read_text().replace("reconciliation_lookback_mins: 1440", "reconciliation_lookback_mins: 720")
    )
    added = (project / "profiles/prod-bybit.yaml").read_text().replace("PROD-BYBIT-001", "PROD-BYBIT-002")
    (project / "profiles/prod-bybit-2.yaml").write_text(added)
    (project / "profiles/testnet-binance.yaml").unlink()
    return project


def test_diff_all_names_every_changed_target_as_diff_a_b_does(repo: Path, cli):
    result = cli("diff", "--all", cwd=repo)
    assert result.returncode == 1, result.output
    heads = [l for l in result.stdout.splitlines() if l.startswith(("--- ", "+++ "))]
    assert heads == [
        "--- prod-binance@HEAD", "+++ prod-binance",
        "--- prod-bybit@HEAD", "+++ prod-bybit",
        "--- prod-bybit-2@HEAD (absent)", "+++ prod-bybit-2",
        "--- prod-multi@HEAD", "+++ prod-multi",
        "--- testnet-binance@HEAD", "+++ testnet-binance (absent)",
    ]  # fmt: skip
    assert "testnet-bybit" not in result.stdout  # its files did not change
    alone = cli("diff", "prod-bybit@HEAD", "prod-bybit", cwd=repo)
    block = result.stdout.split("\n\n")[1]
    assert block == alone.stdout.rstrip("\n")  # exactly what diff A B shows
    assert result.stdout.splitlines()[-1] == "5 targets differ from HEAD (1 added, 1 removed, 3 changed)"


def test_diff_all_json_and_equal_tree(repo: Path, cli):
    data = json.loads(cli("diff", "--all", "HEAD", "--format", "json", cwd=repo).stdout)
    assert data["rev"] == "HEAD" and data["equal"] is False
    assert {t["target"]: t["status"] for t in data["targets"]} == {
        "prod-binance": "changed",
        "prod-bybit": "changed",
        "prod-bybit-2": "added",
        "prod-multi": "changed",
        "testnet-binance": "removed",
    }
    change = data["targets"][1]["changes"][0]
    assert change["key"] == "exec_engine.reconciliation_lookback_mins"
    assert (change["a"]["value"], change["b"]["value"]) == (1440, 720)
    assert change["a"]["file"] == "HEAD:profiles/env/production.yaml"
    git(repo, "add", "-A", "profiles")
    git(repo, "commit", "-q", "-m", "applied")
    same = cli("diff", "--all", cwd=repo)
    assert same.returncode == 0 and same.stdout.strip() == "no target differs from HEAD"


def test_diff_all_markdown_is_a_pull_request_comment_with_secrets_masked(repo: Path, cli):
    # a literal secret in a layer is a validate error, and still never shown by diff
    creds = repo / "profiles/exchanges/bybit.yaml"
    creds.write_text(creds.read_text().replace("${BYBIT_TESTNET_API_SECRET}", SECRET))
    result = cli("diff", "--all", "HEAD", "--format", "markdown", cwd=repo)
    assert result.returncode == 1, result.output
    text = result.stdout
    assert SECRET not in result.output and SECRET[:8] not in result.output
    assert "| `testnet-bybit` | changed | 0 | 0 | 1 |" in text
    assert text.count("<details>") == text.count("</details>") == 6
    assert "<summary><code>testnet-binance (removed): 0 added, 33 removed, 0 changed</code></summary>" in text
    assert "~ exchanges.BYBIT.api_secret: *** (${BYBIT_TESTNET_API_SECRET}) -> ***  " in text
    fences = re.findall(r"^(`{3,})diff$", text, re.M)
    assert len(fences) == 6


def test_diff_all_reports_trouble_but_still_every_other_target(repo: Path, cli):
    (repo / "profiles/prod-bybit-2.yaml").write_text("extends: [env/nowhere]\n")
    result = cli("diff", "--all", cwd=repo)
    assert result.returncode == 2, result.output
    assert "!!! prod-bybit-2: does not merge on both sides, not compared" in result.stdout
    assert "error[L001]" in result.stdout and "--- prod-multi@HEAD" in result.stdout
    assert "(1 added, 1 removed, 3 changed, 1 invalid)" not in result.stdout  # the bad one is not 'added'
    assert result.stdout.splitlines()[-1] == "5 targets differ from HEAD (0 added, 1 removed, 3 changed, 1 invalid)"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_all_is_on_the_validate_path(repo: Path, fmt: str):
    found = probe(repo, ["diff", "--all", "--format", fmt])
    assert found == {"code": 1, "heavy": []}


def test_diff_all_usage_errors(repo: Path, cli):
    assert cli("diff", "--all", "no-such-rev", cwd=repo).returncode == 2
    both = cli("diff", "prod-bybit", "prod-multi", "--all", cwd=repo)
    assert both.returncode == 2 and "give no profile names" in both.stderr
    alone = cli("diff", "prod-bybit", cwd=repo)
    assert alone.returncode == 2 and "diff A B" in alone.stderr


def test_compile_all_reports_every_target_and_keeps_failed_outputs(project: Path, cli):
    first = cli("compile", "--all", cwd=project)
    assert first.returncode == 0, first.output
    assert sorted(p.name for p in (project / "build").iterdir()) == sorted(TARGETS)
    count = len(TARGETS)
    assert first.stderr.strip() == f"Compiled {count} of {count} targets."
    before = (project / "build/prod-bybit/node.json").read_bytes()
    edit = project / "profiles/prod-bybit.yaml"
    edit.write_text(edit.read_text().replace("PROD-BYBIT-001", "NOHYPHEN"))
    second = cli("compile", "--all", "--format", "json", cwd=project)
    assert second.returncode == 1
    report = json.loads(second.stdout)
    assert [t["ok"] for t in report["targets"]] == [t != "prod-bybit" for t in sorted(TARGETS)]
    bad = next(t for t in report["targets"] if t["profile"] == "prod-bybit")
    assert bad["files"] == [] and bad["diagnostics"][0]["code"] == "V003"
    assert (project / "build/prod-bybit/node.json").read_bytes() == before  # the previous output kept
    assert second.stderr.strip() == f"Compiled {count - 1} of {count} targets; failed: prod-bybit."
    assert sorted(p.name for p in (project / "build").iterdir()) == sorted(TARGETS)  # no temp dirs left


def test_compile_named_targets_once_each(project: Path, cli):
    result = cli("compile", "prod-bybit", "testnet-bybit", "prod-bybit", cwd=project)
    assert result.returncode == 0, result.output
    assert result.stdout.count("prod-bybit: wrote") == 1 and "testnet-bybit: wrote" in result.stdout
    assert cli("compile", cwd=project).returncode == 2
    assert cli("compile", "prod-bybit", "--all", cwd=project).returncode == 2


# ------------------------------------------------------------------ CI examples

CI = {
    "examples/ci/github-workflow.yml": "vendor.github-workflows",
    "examples/ci/gitlab-ci.yml": "vendor.gitlab-ci",
}


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert tool, "check-jsonschema is a test dependency (make setup)"
    return subprocess.run([tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("rel", CI)
def test_ci_example_is_valid_for_its_platform(rel: str, tmp_path: Path):
    path = REPO / rel
    proc = check_jsonschema(CI[rel], path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the check can fail: the same file with its job's essential key misspelt is refused
    broken = tmp_path / path.name
    broken.write_text(path.read_text().replace("runs-on:", "runs_on:").replace("  script:", "  scripts:"))
    assert check_jsonschema(CI[rel], broken).returncode != 0


@pytest.mark.parametrize("rel", CI)
def test_the_docs_show_the_ci_example_exactly(rel: str):
    page = (REPO / "docs" / "guides" / "review-ci.md").read_text()
    match = re.search(rf"^`{re.escape(rel)}`.*?\n\n```yaml\n(.*?)^```", page, re.S | re.M)
    assert match, f"docs/guides/review-ci.md shows no yaml block after `{rel}`"
    assert match.group(1) == (REPO / rel).read_text()


@pytest.mark.parametrize("rel", CI)
def test_ci_example_runs_the_commands_it_documents(rel: str):
    text = (REPO / rel).read_text()
    assert "ntprofile compile --all" in text and "ntprofile diff --all" in text and "--format markdown" in text


@pytest.mark.parametrize("rel", CI)
def test_ci_example_catches_a_strategy_class_typo(rel: str, project: Path):
    """What each CI example runs (validate, then compile --all) fails on a misspelt strategy class."""
    text = (REPO / rel).read_text()
    commands = [line.strip(" -") for line in text.splitlines() if line.strip(" -").startswith("run: ntprofile ")]
    commands += [line.strip(" -") for line in text.splitlines() if line.strip(" -").startswith("ntprofile ")]
    commands = [c.removeprefix("run: ") for c in commands if c.split()[-1] != "markdown"]
    commands = [c for c in commands if c.split()[1] in ("validate", "compile")]
    assert [c.split()[1] for c in commands] == ["validate", "compile"], commands
    target = project / "profiles" / "testnet-binance.yaml"
    target.write_text(
        target.read_text() + "strategies:\n  ema:\n"
        "    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACros\n"
        "    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig\n"
        "    config: {instrument_id: BTCUSDT-PERP.BINANCE, bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL, "
        "trade_size: '0.01'}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NTPROFILE_", "BINANCE_", "BYBIT_", "REDIS_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    status = [
        subprocess.run(["bash", "-e", "-c", c], cwd=project, env=env, capture_output=True, text=True) for c in commands
    ]
    assert status[-1].returncode == 1, status[-1].stdout + status[-1].stderr
    assert "error[V103] strategies.ema.strategy_path:" in status[-1].stdout
    assert "did you mean 'nautilus_trader.examples.strategies.ema_cross:EMACross'?" in status[-1].stdout
    assert not (project / "build" / "testnet-binance").exists()


def test_compile_all_into_an_unusable_build_dir_is_one_usage_error_before_any_target(project: Path, cli):
    (project / "build").write_text("a file where the build folder should be\n")
    result = cli("compile", "testnet-binance", "testnet-bybit", cwd=project)
    assert result.returncode == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "ntprofile compile: error: --build-dir build: a file of that name is in the way"


def test_github_workflow_steps_run_on_a_pull_request(repo: Path):
    # the workflow's own ntprofile steps, as a runner would run them (bash -e), on a checkout whose base is main
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    workflow = yaml.safe_load((REPO / "examples/ci/github-workflow.yml").read_text())
    steps = [s["run"] for s in workflow["jobs"]["profiles"]["steps"] if "ntprofile " in s.get("run", "")]
    steps = [s for s in steps if not s.startswith("pip install")]
    assert len(steps) == 3
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NTPROFILE_", "BINANCE_", "BYBIT_", "REDIS_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for step in steps:
        script = step.replace("${{ github.base_ref }}", "main")
        proc = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"{script}\n{proc.stdout}{proc.stderr}"
    comment = (repo / "profile-diff.md").read_text()
    assert comment.startswith("### ntprofile: merged profiles against `origin/main`")
    assert "| `prod-bybit-2` | added |" in comment
    assert sorted(p.name for p in (repo / "build").iterdir()) == sorted(
        set(TARGETS) - {"testnet-binance"} | {"prod-bybit-2"}
    )
