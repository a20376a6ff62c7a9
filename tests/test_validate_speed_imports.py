"""The validate path (the pre-commit hook) never imports NautilusTrader or other heavy run-time libraries.

Importing ``nautilus_trader`` alone costs about a second; the hook runs on
every commit. Each check runs in a fresh interpreter, so nothing another test
imported can hide or fake the result.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import clean_env, run_cli

HEAVY = ("nautilus_trader", "redis", "jinja2", "dotenv", "msgspec", "pandas", "pyarrow", "numpy")
"""Run-time dependencies that the validate path has no use for."""

PROBE = """
import json, sys
from ntprofile.cli import main
code = main({argv!r})
print(json.dumps({{"code": code, "heavy": sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})}}), file=sys.stderr)
"""


def probe(project, argv: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["validate", "--format", "json", "prod-multi"],
        ["validate", "profiles/exchanges/bybit.yaml", "profiles/prod-bybit.yaml"],
        ["rules"],
    ],
)
def test_validate_path_imports_nothing_heavy(project, argv):
    result = probe(project, argv)
    assert result["code"] == 0
    assert result["heavy"] == []


def test_validate_path_with_findings_imports_nothing_heavy(project):
    path = project / "profiles" / "env" / "production.yaml"
    path.write_text(path.read_text().replace("reconciliation_lookback_mins: 1440", "reconciliation_lookback_mins: 30"))
    result = probe(project, ["validate"])
    assert result["code"] == 1
    assert result["heavy"] == []


def test_probe_can_see_a_heavy_import(project):
    """The probe itself works: a command that does import NautilusTrader is seen doing so."""
    result = probe(project, ["explain", "prod-bybit", "cache.database", "--defaults"])
    assert result["code"] == 0
    assert "nautilus_trader" in result["heavy"]


def many_findings(project, count: int = 3000) -> None:
    """A layer with ``count`` unknown keys under ``node``: one V001 each, far more output than a pipe buffers."""
    keys = "\n".join(f"  misspelt_key_{i}: 1" for i in range(count))
    (project / "profiles" / "exchanges" / "noisy.yaml").write_text(f"node:\n{keys}\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_ends_at_once_with_all_its_output(project, fmt):
    """``validate`` skips the interpreter's teardown (``QUICK_EXIT``): every finding is still written, and the
    exit status is still the findings' (1)."""
    many_findings(project)
    result = run_cli("validate", "--format", fmt, "profiles/exchanges/noisy.yaml", cwd=project)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines() if fmt == "text" else json.loads(result.stdout)
    assert len([line for line in lines if "misspelt_key_" in str(line)]) == 3000
    assert result.stderr.strip().splitlines()[-1].startswith("Found 3000 error")


def test_validate_into_a_closed_pipe_ends_quietly(project):
    """A reader that stops early (``| head -1``) costs no traceback and no hang."""
    many_findings(project)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ntprofile", "validate", "profiles/exchanges/noisy.yaml"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_in_process_main_returns(project):
    """Only the program ends at once: ``main(argv)`` called in a process returns its status to the caller."""
    code = "import sys; from ntprofile.cli import main; code = main(['validate']); print('returned', code)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=clean_env(), capture_output=True, text=True)
    assert proc.stdout.strip() == "returned 0", proc.stderr
