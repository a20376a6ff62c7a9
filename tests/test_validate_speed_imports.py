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
from conftest import clean_env

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
