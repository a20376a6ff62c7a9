"""Shell completion, as bash and zsh ask for it: argcomplete's environment protocol against the real CLI.

Each request runs the ``ntprofile`` console script in a subprocess with
``_ARGCOMPLETE=1``, ``COMP_LINE`` and ``COMP_POINT`` set, exactly as the shell
function that ``register-python-argcomplete ntprofile`` defines does; the
answer comes back on the file ``_ARGCOMPLETE_STDOUT_FILENAME`` names. One test
drives the real bash function end to end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import clean_env
from ntprofile.commands import validate

BIN = Path(sys.executable).parent
IFS = "\013"


def complete(line: str, cwd: Path, shell: str = "bash", **env: str) -> list[str]:
    out = cwd / ".completion-answer"
    proc = subprocess.run(
        [str(BIN / "ntprofile")],
        cwd=cwd,
        env=clean_env(
            _ARGCOMPLETE="1",
            _ARGCOMPLETE_SHELL=shell,
            COMP_LINE=line,
            COMP_POINT=str(len(line)),
            _ARGCOMPLETE_STDOUT_FILENAME=str(out),
            **({"_ARGCOMPLETE_SUPPRESS_SPACE": "1"} if shell == "zsh" else {}),  # as the zsh function sets it
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    answer = out.read_text()
    out.unlink()
    return [word.strip() for word in answer.split(IFS) if word.strip()]


def test_commands(project: Path) -> None:
    words = complete("ntprofile ", project)
    assert {"validate", "compile", "check", "run", "explain", "diff", "list", "env", "rules", "schema", "init"} <= set(
        words
    )
    assert complete("ntprofile ex", project) == ["explain"]


def test_options(project: Path) -> None:
    assert complete("ntprofile validate --fo", project) == ["--format"]
    assert complete("ntprofile validate --format ", project) == ["text", "json", "github"]
    assert complete("ntprofile compile --build", project) == ["--build-dir"]


def test_deploying_commands_complete_targets_only(project: Path) -> None:
    for command in ("compile", "check", "run"):
        words = complete(f"ntprofile {command} ", project)
        names = [w for w in words if not w.startswith("-")]
        assert names == [
            "paper-binance",
            "paper-bybit",
            "prod-binance",
            "prod-bybit",
            "prod-multi",
            "testnet-binance",
            "testnet-bybit",
        ], command
    assert complete("ntprofile compile prod-b", project) == ["prod-binance", "prod-bybit"]


def test_reading_commands_complete_layers_too(project: Path) -> None:
    assert complete("ntprofile explain env/", project) == ["env/paper", "env/production", "env/testnet"]
    assert "exchanges/bybit" in complete("ntprofile validate prod-bybit ex", project)
    assert complete("ntprofile diff prod-bybit prod-m", project) == ["prod-multi"]


def test_targets_of_the_root_given_by_profiles(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    (other / "profiles").mkdir(parents=True)
    (other / "profiles" / "paper-x.yaml").write_text(
        "profile: {stage: testnet}\nnode: {trader_id: PAPER-001}\nexchanges: {}\n"
    )
    assert complete(f"ntprofile compile --profiles {other / 'profiles'} p", project) == ["paper-x"]
    assert complete("ntprofile compile p", project, NTPROFILE_PROFILES=str(other / "profiles")) == ["paper-x"]


def test_a_missing_root_completes_to_nothing(tmp_path: Path) -> None:
    assert complete("ntprofile compile p", tmp_path) == []


def test_init_lists(project: Path) -> None:
    assert complete("ntprofile init --exchanges b", project) == ["binance", "bitmex", "bybit"]
    assert complete("ntprofile init --stages testnet,p", project) == ["testnet,paper", "testnet,production"]


def test_zsh_gets_descriptions(project: Path) -> None:
    assert complete("ntprofile va", project, shell="zsh") == [f"validate:{validate.HELP}"]
    assert complete("ntprofile compile prod-by", project, shell="zsh") == ["prod-bybit:"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_registered_bash_function(project: Path) -> None:
    """``eval "$(register-python-argcomplete ntprofile)"`` as the editors page says, then a <TAB> on ``compile te``."""
    script = f"""
        eval "$({BIN / "register-python-argcomplete"} ntprofile)"
        COMP_LINE="ntprofile compile te"; COMP_POINT=${{#COMP_LINE}}
        COMP_WORDS=(ntprofile compile te); COMP_CWORD=2
        _python_argcomplete ntprofile
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        cwd=project,
        env=clean_env(PATH=f"{BIN}:/usr/bin:/bin"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split() == ["testnet-binance", "testnet-bybit"], proc.stdout + proc.stderr


def test_an_ordinary_run_does_not_import_argcomplete(project: Path) -> None:
    code = "import sys; from ntprofile.cli import main; print(main(['validate']), 'argcomplete' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.split() == ["0", "False"], proc.stdout + proc.stderr
