"""The README's examples are run: every ``$ ntprofile ...`` line of a ```console block.

Each command runs in a temp copy of the project (profiles and schemas) through the
real CLI; its stdout then stderr must equal the lines printed under it in the
README, after a small normalisation (trailing blanks, timings). A line ``...``
matches any number of lines. ``python tests/test_readme.py --update`` rewrites the
outputs from real runs (blocks holding ``...`` are left alone).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import REPO, clean_env, run_cli  # noqa: E402

README = REPO / "README.md"
FENCE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
TIMING = re.compile(r"\b\d+\.\d+ s\b")


@dataclass
class Example:
    command: str
    expected: list[str] = field(default_factory=list)


def examples(text: str) -> list[list[Example]]:
    """The console blocks of ``text``, each a list of commands with their expected output."""
    blocks = []
    for match in FENCE.finditer(text):
        block: list[Example] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                block.append(Example(line[2:]))
            elif block:
                block[-1].expected.append(line)
        blocks.append(block)
    return blocks


def normalise(lines: list[str]) -> list[str]:
    return [TIMING.sub("N s", line.rstrip()) for line in lines]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line equality where an expected ``...`` stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def run_example(command: str, cwd: Path) -> list[str]:
    argv = shlex.split(command)
    assert argv[0] == "ntprofile", f"README console examples run ntprofile only: {command}"
    result = run_cli(*argv[1:], cwd=cwd, env=clean_env())
    text = result.stdout + result.stderr
    return text.rstrip("\n").splitlines() if text.strip() else []


def copy_project(dest: Path) -> Path:
    shutil.copytree(REPO / "profiles", dest / "profiles")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    shutil.copytree(REPO / "examples", dest / "examples")  # profiles with mistakes, for the validate examples
    return dest


ALL = [ex for block in examples(README.read_text()) for ex in block]


def test_readme_has_the_required_examples():
    commands = [ex.command for ex in ALL]
    for needed in (
        "ntprofile validate",
        "ntprofile explain prod-bybit exec_engine",
        "ntprofile list",
        "ntprofile env ",
        "ntprofile diff ",
        "ntprofile rules",
    ):
        assert any(c.startswith(needed) for c in commands), needed


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("readme"))


@pytest.mark.parametrize("example", ALL, ids=[ex.command for ex in ALL])
def test_readme_example_output(example: Example, workdir: Path):
    actual = normalise(run_example(example.command, workdir))
    expected = normalise(example.expected)
    assert matches(expected, actual), "\n".join(["README says:", *expected, "", "ntprofile prints:", *actual])


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


def update() -> None:
    """Rewrite the README's console outputs from real runs."""
    text = README.read_text()
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_project(Path(tmp))

        def fill(match: re.Match) -> str:
            block = examples(match.group(0).replace("```console\n", "```console\n", 1))[0]
            if any("..." in ex.expected for ex in block):
                return match.group(0)
            lines = []
            for ex in block:
                lines.append(f"$ {ex.command}")
                lines.extend(line.rstrip() for line in run_example(ex.command, work))
            return "```console\n" + "\n".join(lines) + "\n```"

        README.write_text(FENCE.sub(fill, text))


if __name__ == "__main__" and "--update" in sys.argv:
    update()
