"""The README: one screen that shows the two set-up commands first and links into the docs.

Its console examples run with the docs' (``tests/test_docs_examples.py``); the
quick start's Python finder (``tools/find-python``) is tested here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import REPO  # noqa: E402

README = REPO / "README.md"
TEXT = README.read_text(encoding="utf-8")


def test_readme_fits_one_screen_of_at_most_200_lines():
    assert len(TEXT.splitlines()) <= 200


def test_the_two_set_up_commands_come_first():
    first_block = re.search(r"^```(\w*)\n(.*?)^```", TEXT, re.S | re.M)
    assert first_block and first_block.group(1) == "sh"
    commands = [line.split("#")[0].strip() for line in first_block.group(2).splitlines()]
    assert commands == ["make compile PROFILE=testnet-binance", "make test"]


def test_the_profile_shown_is_the_shipped_one_exactly():
    [shown] = re.findall(r"`profiles/prod-bybit.yaml`:\n\n```yaml\n(.*?)^```", TEXT, re.S | re.M)
    assert shown == (REPO / "profiles" / "prod-bybit.yaml").read_text(encoding="utf-8")


def test_every_link_into_the_repository_resolves():
    targets = [t for t in re.findall(r"\]\(([^)#]+)", TEXT) if "://" not in t]
    assert any(t.startswith("docs/reference/codes/") for t in targets)
    missing = [t for t in targets if not (REPO / t).exists()]
    assert missing == []


OLD_PYTHON = """#!/bin/sh
# stands for a Python 3.11: fails the >= 3.12 check, reports its version
case "$*" in *print*) echo "Python 3.11" ;; *) exit 1 ;; esac
"""


def find_python(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``tools/find-python`` on a PATH whose only Pythons are 3.11 stand-ins, without pyenv."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("python3", "python3.11"):
        (bin_dir / name).write_text(OLD_PYTHON)
        (bin_dir / name).chmod(0o755)
    for tool in ("ls", "sort"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    environ = {"PATH": str(bin_dir), "HOME": str(tmp_path), **env}
    script = REPO / "tools/find-python"
    return subprocess.run(["/bin/sh", str(script)], env=environ, capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(
    any(Path(p).exists() for p in ("/usr/local/bin/python3.12", "/usr/local/bin/python3.13", "/usr/bin/python3.12")),
    reason="a system Python >= 3.12 at a fixed path is always found",
)
def test_quick_start_no_python_312_says_so_and_stops(tmp_path: Path):
    result = find_python(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert "needs Python >= 3.12" in result.stderr and "PYTHON=/path/to/python3.12" in result.stderr


def test_quick_start_an_unfit_python_given_by_name_is_refused_not_replaced(tmp_path: Path):
    result = find_python(tmp_path, PYTHON="python3.11")
    assert result.returncode == 1 and result.stdout == ""
    assert "PYTHON=python3.11: Python 3.11; ntprofile needs Python >= 3.12" in result.stderr
    (tmp_path / "fit").mkdir()
    fit = find_python(tmp_path / "fit", PYTHON=sys.executable)
    assert fit.returncode == 0 and fit.stdout.strip() == sys.executable

