"""Every path an operator types is checked before anything is removed, written or started.

Each path argument of each command (``render`` has its own tests) given what
an operator's machine can put there: a regular file where a directory is
expected, a directory or a FIFO where a file is expected, a path under a file,
and, since the tests run as root and root writes anywhere, ``/proc`` for a
directory nothing can be written in. Every one is exit 2 with a one-line
``ntprofile CMD: error:`` and no traceback (``run_cli`` asserts it), and what
was at the path is left as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import clean_env, run_cli
from ntprofile.exits import Exit

TIMEOUT = 90


def place(root: Path, kind: str) -> str:
    """A hostile path under ``root``: ``file``, ``dir``, ``fifo``, ``under-file``, ``proc`` or ``zero``."""
    if kind == "file":
        (root / "a-file").write_text("keep me\n")
        return "a-file"
    if kind == "dir":
        (root / "a-dir").mkdir()
        (root / "a-dir" / "keep").write_text("keep me\n")
        return "a-dir"
    if kind == "fifo":
        os.mkfifo(root / "a-fifo")
        return "a-fifo"
    if kind == "under-file":
        (root / "a-file").write_text("keep me\n")
        return "a-file/below/x.json"
    if kind == "proc":
        return "/proc/ntprofile-cannot-write/x.json"
    if kind == "zero":
        return "/dev/zero"
    raise ValueError(kind)


CASES = [
    # run: the health file is checked before an old one is removed or the node built
    (["run", "testnet-binance", "--health-file", "{}"], "dir", "is not usable: it is a directory, not a regular file"),
    (["run", "testnet-binance", "--health-file", "{}"], "fifo", "is not usable: it is a FIFO, not a regular file"),
    (["run", "testnet-binance", "--health-file", "{}"], "under-file", "a part of the path is a file, not a directory"),
    (["run", "testnet-binance", "--health-file", "{}"], "proc", "is not usable: cannot write in /proc"),
    (["run", "testnet-binance", "--health-file", "{}"], "zero", "is not usable: it is a character device"),
    # compile: the build directory, before any target is compiled
    (["compile", "testnet-binance", "--build-dir", "{}"], "file", "--build-dir a-file: a file of that name is in"),
    (["compile", "--all", "--build-dir", "{}"], "under-file", "a part of the path is a file, not a directory"),
    (["compile", "testnet-binance", "--build-dir", "{}"], "proc", "cannot write in /proc"),
    (["compile", "testnet-binance", "--build-dir", "{}"], "fifo", "a file of that name is in the way"),
    # schema: the file written or checked
    (["schema", "--output", "{}"], "dir", "cannot write the schema to a-dir: it is a directory, not a regular file"),
    (["schema", "--output", "{}"], "under-file", "a part of the path is a file, not a directory"),
    (["schema", "--output", "{}"], "proc", "cannot write in /proc"),
    (["schema", "--check", "--output", "{}"], "dir", "not a schema file: not a regular file (a directory)"),
    (["schema", "--check", "--output", "{}"], "fifo", "not a schema file: not a regular file (a FIFO)"),
    (["schema", "--check", "--output", "{}"], "zero", "not a schema file: not a regular file (a character device)"),
    (["schema", "--check", "--output", "{}"], "under-file", "a part of the path is a file, not a directory"),
    # init: the repository directory, before a first file is written
    (["init", "{}"], "file", "a-file exists and is not a directory"),
    (["init", "{}"], "under-file", "a part of the path is a file, not a directory"),
    (["init", "{}"], "proc", "cannot write in /proc"),
    # health: a path that can never be a health file
    (["health", "{}"], "dir", "is not a health file: not a regular file (a directory)"),
    (["health", "--alive", "{}"], "fifo", "is not a health file: not a regular file (a FIFO)"),
    (["health", "{}"], "under-file", "is not a health file: a part of the path is a file, not a directory"),
    # check and run: the env file
    (["check", "testnet-binance", "--env-file", "{}"], "dir", "cannot read env file a-dir: not a regular file"),
    (["run", "testnet-binance", "--env-file", "{}"], "fifo", "cannot read env file a-fifo: not a regular file (a FIFO"),
    (["check", "testnet-binance", "--env-file", "{}"], "under-file", "env file not found"),
    # the profiles root, and profile files named on the command line
    (["validate", "--profiles", "{}"], "file", "no profiles root at a-file"),
    (["list", "--profiles", "{}"], "under-file", "no profiles root at a-file/below/x.json"),
    (["env", "testnet-binance", "--profiles", "{}"], "fifo", "no profiles root at a-fifo"),
    (["explain", "testnet-binance", "--profiles", "{}"], "file", "no profiles root at a-file"),
    (["diff", "testnet-binance", "testnet-bybit", "--profiles", "{}"], "file", "no profiles root at a-file"),
    (["check", "testnet-binance", "--profiles", "{}"], "zero", "no profiles root at /dev/zero"),
    (["compile", "testnet-binance", "--profiles", "{}"], "dir", "no profile 'testnet-binance' in a-dir"),
    (["validate", "{}"], "dir", "a-dir is a folder"),
    (["validate", "{}"], "fifo", "a-fifo is not a profile file: it is a FIFO"),
    (["validate", "{}"], "zero", "/dev/zero is not a profile file: it is a character device"),
    (["validate", "{}"], "under-file", "no such profile file: a-file/below/x.json"),
]


@pytest.mark.parametrize(("args", "kind", "message"), CASES, ids=[f"{c[0][0]}-{c[1]}" for c in CASES])
def test_a_hostile_path_argument_is_one_line_and_exit_2(project: Path, args: list[str], kind: str, message: str):
    path = place(project, kind)
    before = sorted(str(p.relative_to(project)) for p in project.rglob("*"))
    argv = [arg.replace("{}", path) for arg in args]
    env = clean_env(BINANCE_TESTNET_API_KEY="k", BINANCE_TESTNET_API_SECRET="s")
    result = run_cli(*argv, cwd=project, env=env, timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE, result.output
    assert result.stderr.startswith(f"ntprofile {args[0]}: error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == "", result.output
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*")) == before  # nothing made or removed


def test_run_refuses_a_health_file_directory_that_cannot_be_written_before_the_node_starts(project: Path) -> None:
    """Like an unwritable log directory (R003): no node runs with every probe failing."""
    env = clean_env(NTPROFILE_HEALTH_PATH="/proc/ntprofile-health/health.json")
    result = run_cli("run", "testnet-binance", cwd=project, env=env, timeout=TIMEOUT)
    assert result.returncode == Exit.USAGE, result.output
    assert result.stderr == (
        "ntprofile run: error: health file /proc/ntprofile-health/health.json (--health-file or "
        "$NTPROFILE_HEALTH_PATH) is not usable: cannot write in /proc: No such file or directory\n"
    )
