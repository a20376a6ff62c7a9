"""``build/PROFILE/``: nothing lost, nothing half-written, only ntprofile's own output replaced.

Real files, real processes: a writer SIGKILLed at the critical step, two
compiles of one target at once, a reader racing a stream of swaps, a file
size limit that makes the write itself fail.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Result, clean_env
from ntprofile.compile import output

TARGET = "testnet-binance"
FORK = multiprocessing.get_context("fork")
"""Writers are forked: real processes to kill or race, without each importing ntprofile again."""

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
"""NautilusTrader's runtime threads are idle here; the forked writers only touch files."""


def _names(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def _outputs(build: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (build / TARGET).iterdir()}


# ------------------------------------------------------------ what is replaced


def test_a_directory_holding_foreign_files_is_refused(project: Path, cli) -> None:
    deploy = project / "deploy" / TARGET
    deploy.mkdir(parents=True)
    (deploy / "docker-compose.override.yml").write_text("services: {}\n")
    result = cli("compile", TARGET, "--build-dir", "deploy", cwd=project)
    assert result.returncode == 1, result.output
    assert result.stdout.strip() == (
        f"{TARGET}: deploy/{TARGET} holds files ntprofile did not write (docker-compose.override.yml); "
        "ntprofile replaces only its own output (move them away, or pick another --build-dir)"
    )
    assert _names(deploy) == ["docker-compose.override.yml"]


def test_a_file_added_to_ntprofiles_output_is_not_deleted(tmp_path: Path) -> None:
    output.write_build(tmp_path, "p", {"node.json": "1\n"})
    (tmp_path / "p" / "notes.txt").write_text("mine\n")
    with pytest.raises(output.OutputError, match=r"\(notes.txt\)"):
        output.write_build(tmp_path, "p", {"node.json": "2\n"})
    assert (tmp_path / "p" / "notes.txt").read_text() == "mine\n"


def test_an_unmarked_output_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    old = tmp_path / "p"
    old.mkdir()
    (old / "node.json").write_text("{}\n")
    (old / "env.example").write_text("\n")
    output.write_build(tmp_path, "p", {"node.json": "new\n"})
    assert _names(old) == [output.MARKER, "node.json"] and (old / "node.json").read_text() == "new\n"


def test_write_build_on_its_own_refuses_the_same(tmp_path: Path) -> None:
    (tmp_path / "p").write_text("x")
    with pytest.raises(output.OutputError, match="is a file"):
        output.write_build(tmp_path, "p", {"node.json": "{}\n"})
    assert (tmp_path / "p").read_text() == "x"
    (tmp_path / "p").unlink()
    (tmp_path / "p").symlink_to(tmp_path)
    with pytest.raises(output.OutputError, match="is a symlink"):
        output.write_build(tmp_path, "p", {"node.json": "{}\n"})
    assert (tmp_path / "p").is_symlink()


# ------------------------------------------------------------ interrupted runs


def _pause(flag: Path) -> None:
    flag.touch()
    time.sleep(60)


def _write_until_paused(build: Path, where: str, flag: Path) -> None:
    """In a forked child: ``write_build`` up to the critical step ``where``, then wait to be killed."""
    if where == "before-swap":  # everything written, not yet swapped in
        real = output._exchange
        output._exchange = lambda a, b: (_pause(flag), real(a, b))[1]
    elif where == "after-swap":  # swapped, the old output not yet removed
        real = output._exchange
        output._exchange = lambda a, b: (real(a, b), _pause(flag))[0]
    else:  # "between-renames": no RENAME_EXCHANGE here; old output moved aside, new one not yet in
        output._exchange = lambda a, b: False
        real_rename, calls = os.rename, []

        def rename(a, b):
            real_rename(a, b)
            calls.append(b)
            if len(calls) == 1:
                _pause(flag)

        output.os.rename = rename
    output.write_build(build, TARGET, {"node.json": "new\n", "env.example": "new\n"})


def _kill_writer_at(build: Path, where: str, flag: Path) -> None:
    child = FORK.Process(target=_write_until_paused, args=(build, where, flag))
    child.start()
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert child.is_alive() and time.monotonic() < deadline, "the writer never reached the critical step"
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.join()


@pytest.mark.parametrize("where", ["before-swap", "after-swap", "between-renames"])
def test_a_write_killed_at_the_critical_step_loses_nothing(tmp_path: Path, where: str) -> None:
    build = tmp_path / "build"
    output.write_build(build, TARGET, {"node.json": "old\n", "env.example": "old\n"})
    _kill_writer_at(build, where, tmp_path / "paused")
    assert [p for p in _names(build) if p != TARGET], "the kill left nothing behind: it missed the critical step"
    if where == "between-renames":
        assert not (build / TARGET).exists()  # the one state that needs repair
    else:
        expected = "new\n" if where == "after-swap" else "old\n"
        assert (build / TARGET / "node.json").read_text() == expected  # a whole output, never neither
    output.recover(build, TARGET)
    assert _names(build) == [TARGET]
    if where != "after-swap":
        assert (build / TARGET / "node.json").read_text() == "old\n"
    output.write_build(build, TARGET, {"node.json": "next\n"})
    assert _names(build) == [TARGET] and (build / TARGET / "node.json").read_text() == "next\n"


def test_compile_repairs_an_interrupted_write_even_when_the_profile_fails(project: Path, cli, tmp_path: Path) -> None:
    build = project / "build"
    output.write_build(build, TARGET, {"node.json": "old\n", "env.example": "old\n"})
    _kill_writer_at(build, "between-renames", tmp_path / "paused")
    assert not (build / TARGET).exists()
    layer = project / "profiles/exchanges/binance.yaml"
    layer.write_text(layer.read_text().replace("account_type: USDT_FUTURES", "acount_type: USDT_FUTURES"))
    assert cli("compile", TARGET, cwd=project).returncode == 1
    assert _names(build) == [TARGET] and (build / TARGET / "node.json").read_text() == "old\n"


# ------------------------------------------------------------ concurrency


def test_two_compiles_of_one_target_at_once_both_succeed(project: Path) -> None:
    args = [sys.executable, "-m", "ntprofile", "compile", TARGET]
    procs = [
        subprocess.Popen(args, cwd=project, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    outs = [proc.communicate(timeout=120)[0].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outs
    assert _names(project / "build") == [TARGET]
    assert _names(project / "build" / TARGET) == [output.MARKER, "env.example", "node.json"]


def _write_many(build: Path, count: int, name: str) -> None:
    for i in range(count):
        output.write_build(build, "p", {"node.json": f"{name}-{i}\n"})


def test_a_reader_never_finds_the_output_missing(tmp_path: Path) -> None:
    output.write_build(tmp_path, "p", {"node.json": "first\n"})
    writers = [FORK.Process(target=_write_many, args=(tmp_path, 60, name)) for name in "ab"]
    for writer in writers:
        writer.start()
    misses = []
    while any(w.is_alive() for w in writers):
        try:
            (tmp_path / "p" / "node.json").read_text()
        except OSError as exc:
            misses.append(str(exc))
    for writer in writers:
        writer.join()
    assert [w.exitcode for w in writers] == [0, 0] and not misses, misses[:3]
    assert _names(tmp_path) == ["p"]


# ------------------------------------------------------------ the file system says no


def test_directories_follow_the_umask_like_the_files(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        target = output.write_build(tmp_path / "build", "env/production", {"node.json": "{}\n"})
    finally:
        os.umask(previous)
    for directory in (tmp_path / "build", tmp_path / "build" / "env", target):
        assert oct(directory.stat().st_mode & 0o777) == oct(0o750), directory
    assert {oct(p.stat().st_mode & 0o777) for p in target.iterdir()} == {oct(0o640)}


def test_an_odd_build_dir_is_a_usage_error_before_anything_is_compiled(project: Path, cli) -> None:
    (project / "in-the-way").write_text("")
    result = cli("compile", TARGET, "--build-dir", "in-the-way/sub", cwd=project)
    assert result.returncode == 2, result.output
    assert result.stderr == (
        "ntprofile compile: error: --build-dir in-the-way/sub: a part of the path is a file, not a directory\n"
    )
    assert result.stdout == ""
    with pytest.raises(OSError):
        output.write_build(Path("/proc/ntprofile-build"), TARGET, {"node.json": "{}\n"})


def _small_files() -> None:
    """A file size limit: every write past 64 bytes fails, as on a full disk (EFBIG instead of ENOSPC)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def test_a_write_that_fails_keeps_the_previous_output(project: Path) -> None:
    output.write_build(project / "build", TARGET, {"node.json": "old\n", "env.example": "old\n"})
    before = _outputs(project / "build")
    proc = subprocess.run(
        [sys.executable, "-m", "ntprofile", "compile", TARGET],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        preexec_fn=_small_files,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    assert result.returncode == 1 and "Traceback" not in result.output, result.output
    assert result.stdout.startswith(f"{TARGET}: cannot write") and "File too large" in result.stdout
    assert _outputs(project / "build") == before and _names(project / "build") == [TARGET]
