"""What a user installs, installed for real: the wheel and sdist of a clean clone, the core on Python 3.11, the hook.

A clone of the committed HEAD made with ``core.symlinks=false`` builds the
wheel; a fresh virtual environment on Python 3.11 (the machine's default
Python, where pre-commit hooks run) gets only the core from it and runs every
validate-path command, with the same output as the full install, while every
node command says in one line what to install. The published hook is
installed by the real ``pre-commit`` from a clean clone (``try-repo``), and a
repository started by ``ntprofile init`` uses it. Dependencies come from the
package index (or pip's cache).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest
from ntprofile.releases import RELEASES
import yaml
from conftest import REPO, clean_env, run_cli

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.slow,
]

BIN = Path(sys.executable).parent
SCHEMA = json.loads((REPO / "schemas" / "profile.schema.json").read_text())
INSTALL_NODE = "pip install 'ntprofile[node]'"
CANARY = "CANARY-literal-key-8d2f61"
NODE_ONLY = ("nautilus_trader", "redis", "dotenv", "msgspec", "pandas", "pyarrow", "numpy")


def run(*argv: str | Path, cwd: Path | None = None, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=timeout
    )


def python_311() -> str | None:
    """A Python 3.11 interpreter (the machine's default python3 here), as its real path."""
    for name in ("python3.11", "python3"):
        found = shutil.which(name)
        if not found:
            continue
        proc = run(found, "-c", "import sys; print(sys.version_info[:2] == (3, 11), sys.executable)")
        is_311, _, executable = proc.stdout.strip().partition(" ")
        if proc.returncode == 0 and is_311 == "True":
            return executable
    return None


PYTHON_311 = python_311()


# ------------------------------------------------------------ what is built


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The committed HEAD, cloned as on a system without symlinks."""
    path = tmp_path_factory.mktemp("clone") / "ntprofile"
    proc = run("git", "-c", "core.symlinks=false", "clone", "--quiet", REPO, path)
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def wheel(clone: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, clone, cwd=clone)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [built] = out.glob("ntprofile-*.whl")
    return built


def test_the_repository_holds_no_symlink() -> None:
    staged = run("git", "ls-files", "-s", cwd=REPO).stdout.splitlines()
    assert staged
    assert [line for line in staged if line.startswith("120000")] == []


def test_the_wheel_of_a_clone_without_symlinks_carries_the_schema_and_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert (
            archive.read("ntprofile/schema/profile.schema.json") == (REPO / "schemas/profile.schema.json").read_bytes()
        )
        for release in RELEASES.values():  # a schema per supported release: the hook validates either line
            for version in release.versions:
                assert f"ntprofile/schema/{release.schemas[version]}" in names, version
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    templates = REPO / "compiler" / "ntprofile" / "templates"
    for path in templates.rglob("*.j2"):
        assert f"ntprofile/templates/{path.relative_to(templates).as_posix()}" in names, path
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, re.M)
    core = sorted(r.split(">")[0].split("=")[0].strip() for r in requires if "extra ==" not in r)
    assert core == ["argcomplete", "jinja2", "jsonschema", "pyyaml", "ruamel.yaml", "tomlkit"]
    for release in RELEASES.values():  # one extra per line, pinned to its release, with all it imports
        node = [r for r in requires if f'extra == "{release.extra}"' in r]
        assert any(r.startswith(f"nautilus_trader=={release.newest}") for r in node), node
        assert any(r.startswith("redis") for r in node) and any(r.startswith("python-dotenv") for r in node)
    assert any(r.startswith("msgspec") for r in requires if 'extra == "node"' in r)
    assert "Requires-Python: >=3.11" in metadata


def test_the_node_extra_pins_the_release_the_schema_was_generated_from() -> None:
    from importlib import metadata

    version = SCHEMA["x-nautilus-trader-version"]
    assert f'"nautilus_trader=={version}"' in (REPO / "pyproject.toml").read_text()
    assert metadata.version("nautilus_trader") == version  # the suite runs on that release


def test_the_sdist_leaves_the_tests_out(clone: Path, tmp_path: Path) -> None:
    """The suite needs the whole repository (profiles, Makefile, README, git); the sdist does not pretend."""
    proc = run(sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", tmp_path, clone, cwd=clone)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [sdist] = tmp_path.glob("ntprofile-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
        names = {m.name.split("/", 1)[1] for m in members if "/" in m.name}
        schema = archive.extractfile("ntprofile-0.1.0/compiler/ntprofile/schema/profile.schema.json")
        assert schema is not None and schema.read() == (REPO / "schemas/profile.schema.json").read_bytes()
    assert not [m.name for m in members if m.issym() or m.islnk()]
    assert not [n for n in names if n.startswith("tests")]
    assert "pyproject.toml" in names and "compiler/ntprofile/cli.py" in names


# ------------------------------------------------- the core on Python 3.11


@pytest.fixture(scope="module")
def core(wheel: Path, tmp_path_factory) -> Path:
    """``pip install ntprofile`` (the wheel, no extra) into a fresh venv on Python 3.11; its bin directory."""
    venv = tmp_path_factory.mktemp("core") / "venv"
    made = run(PYTHON_311 or sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    proc = run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return venv / "bin"


@pytest.mark.skipif(PYTHON_311 is None, reason="no Python 3.11 on this machine")
def test_the_core_installs_on_python_3_11(core: Path) -> None:
    assert run(core / "python", "--version").stdout.startswith("Python 3.11.")


@pytest.mark.skipif(PYTHON_311 is None, reason="no Python 3.11 on this machine")
def test_pip_refuses_the_node_extra_on_python_3_11_and_says_why(core: Path, wheel: Path) -> None:
    proc = run(core / "python", "-m", "pip", "install", "--dry-run", f"{wheel}[node]", timeout=600)
    assert proc.returncode != 0
    version = SCHEMA["x-nautilus-trader-version"]
    assert re.search(rf"{re.escape(version)} Requires-Python [^;]*>=3\.12", proc.stderr), proc.stderr
    assert f"nautilus_trader=={version}" in proc.stderr


def test_the_core_install_has_no_node_dependency(core: Path) -> None:
    code = f"import importlib.util as u; print([m for m in {NODE_ONLY!r} if u.find_spec(m)])"
    assert run(core / "python", "-c", code).stdout.strip() == "[]"


VALIDATE_PATH = [
    ["validate"],
    ["validate", "--format", "json", "prod-multi", "profiles/exchanges/bybit.yaml"],
    ["list", "--format", "json"],
    ["explain", "prod-multi"],
    ["explain", "prod-bybit", "cache", "--format", "json"],
    ["env", "prod-bybit"],
    ["env", "testnet-bybit", "--format", "dotenv"],
    ["diff", "prod-binance", "prod-multi"],
    ["rules"],
    ["migrate", "--to", "2.0.0rc7"],
]


@pytest.mark.parametrize("argv", VALIDATE_PATH, ids=" ".join)
def test_validate_path_commands_from_the_core_print_what_the_full_install_prints(
    core: Path, project: Path, argv: list[str]
) -> None:
    mine = run(core / "ntprofile", *argv, cwd=project)
    full = run_cli(*argv, cwd=project)
    assert "Traceback" not in mine.stdout + mine.stderr
    assert (mine.returncode, mine.stdout, mine.stderr) == (full.returncode, full.stdout, full.stderr)


def test_a_bad_profile_fails_the_same_from_the_core(core: Path, project: Path) -> None:
    path = project / "profiles" / "exchanges" / "bybit.yaml"
    path.write_text(path.read_text().replace("${BYBIT_TESTNET_API_KEY}", CANARY))
    mine = run(core / "ntprofile", "validate", cwd=project)
    assert mine.returncode == 1
    assert mine.stdout.startswith("profiles/exchanges/bybit.yaml:8:5: error[S001] exchanges.BYBIT.api_key:")
    assert CANARY not in mine.stdout + mine.stderr


NODE_COMMANDS = [
    ["compile", "testnet-binance"],
    ["check", "prod-bybit"],
    ["run", "prod-bybit"],
    ["run"],
    ["schema"],
    ["schema", "--check"],
    ["explain", "prod-bybit", "--defaults"],
]


@pytest.mark.parametrize("argv", NODE_COMMANDS, ids=" ".join)
def test_node_commands_without_the_extra_say_what_to_install(core: Path, project: Path, argv: list[str]) -> None:
    result = run(core / "ntprofile", *argv, cwd=project, PROFILE="prod-bybit")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ntprofile {argv[0]}: error: ") and INSTALL_NODE in line, line
    assert "NautilusTrader" in line
    if PYTHON_311:
        assert "needs Python >= 3.12 (this is Python 3.11." in line
    assert not (project / "build").exists() and not (project / "schemas" / "x").exists()


def test_the_python_api_without_the_extra(core: Path, project: Path) -> None:
    script = textwrap.dedent(
        """
        import ntprofile
        print(ntprofile.load("prod-bybit").stage)
        calls = [
            lambda: ntprofile.compile_profile("prod-bybit"),
            lambda: ntprofile.build_node("prod-bybit"),
            lambda: ntprofile.TradingNodeConfigFactory.create_testnet(),
            lambda: ntprofile.TradingNodeConfigFactory.from_env(),
        ]
        for call in calls:
            try:
                call()
            except ImportError as exc:
                print(type(exc).__name__, exc)
        """
    )
    proc = run(core / "python", "-c", script, cwd=project)
    lines = proc.stdout.splitlines()
    assert lines[0] == "production", proc.stderr
    assert len(lines) == 5, proc.stdout + proc.stderr
    for line, name in zip(lines[1:], ["compile_profile()", "build_node()", "TradingNodeConfigFactory", "from_env()"]):
        assert line.startswith("InstallError ") and name in line and INSTALL_NODE in line, line


def test_init_and_completion_from_the_core(core: Path, tmp_path: Path) -> None:
    made = run(core / "ntprofile", "init", "--exchanges", "bybit", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = run(core / "ntprofile", "validate", cwd=tmp_path)
    assert checked.returncode == 0 and checked.stderr.strip() == "All 2 targets valid (6 files).", checked.stderr
    answer = tmp_path / "answer"
    line = "ntprofile compile prod-"
    run(
        core / "ntprofile",
        cwd=tmp_path,
        _ARGCOMPLETE="1",
        COMP_LINE=line,
        COMP_POINT=str(len(line)),
        _ARGCOMPLETE_STDOUT_FILENAME=str(answer),
    )
    assert answer.read_text().split("\013") == ["prod-bybit "]


def test_schema_keeps_both_copies_of_a_source_checkout(tmp_path: Path) -> None:
    """In a checkout ``ntprofile schema`` writes ``schemas/`` and the package's copy; ``--check`` names its file."""
    checkout = tmp_path / "checkout"
    shutil.copytree(
        REPO / "compiler" / "ntprofile",
        checkout / "compiler" / "ntprofile",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy2(REPO / "pyproject.toml", checkout / "pyproject.toml")
    (checkout / "schemas").mkdir()
    copies = [checkout / "schemas" / "profile.schema.json", checkout / "compiler/ntprofile/schema/profile.schema.json"]
    for path in copies:
        path.write_text('{"stale": true}\n')
    path_env = {"PYTHONPATH": str(checkout / "compiler")}
    version = SCHEMA["x-nautilus-trader-version"]
    wrote = run(sys.executable, "-m", "ntprofile", "schema", cwd=checkout, **path_env)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.splitlines() == [
        f"wrote schemas/profile.schema.json (nautilus_trader {version})",
        f"wrote compiler/ntprofile/schema/profile.schema.json (nautilus_trader {version})",
    ]
    for path in copies:
        assert path.read_bytes() == (REPO / "schemas/profile.schema.json").read_bytes(), path
    checked = run(sys.executable, "-m", "ntprofile", "schema", "--check", cwd=checkout, **path_env)
    assert checked.returncode == 0
    assert checked.stdout.strip() == (
        "compiler/ntprofile/schema/profile.schema.json (the schema validate reads) "
        f"is up to date (nautilus_trader {version})"
    )


# --------------------------------------- the schema's NautilusTrader release


def test_another_nautilus_trader_than_the_schema_s_is_one_line(tmp_path: Path, project: Path) -> None:
    """The installed package's schema says 1.230.0, the installed NautilusTrader is 1.231.0."""
    from importlib import metadata

    package = tmp_path / "site" / "ntprofile"
    shutil.copytree(REPO / "compiler" / "ntprofile", package, ignore=shutil.ignore_patterns("__pycache__"))
    schema = package / "schema" / "profile.schema.json"
    schema.write_text(schema.read_text().replace(f'"{SCHEMA["x-nautilus-trader-version"]}"', '"1.230.0"'))
    installed = metadata.version("nautilus_trader")
    assert installed != "1.230.0"
    shutil.rmtree(project / "schemas")  # no repository schema: validate reads the package's, as installed
    for argv in (["compile", "testnet-binance"], ["check", "prod-bybit"], ["run", "prod-bybit"]):
        result = run(sys.executable, "-m", "ntprofile", *argv, cwd=project, PYTHONPATH=str(package.parent))
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line == (
            f"ntprofile {argv[0]}: error: this command: the repository targets NautilusTrader 1.230.0 "
            f"({schema.relative_to(project)}), which this ntprofile does not support; it supports "
            f"1.231.0, 2.0.0rc7, and {installed} is installed: 'ntprofile schema' states the installed release, "
            "'ntprofile migrate --to RELEASE' carries the profiles to another line"
        )
    assert not (project / "build").exists()
    api = run(
        sys.executable,
        "-c",
        "import ntprofile\ntry: ntprofile.compile_profile('testnet-binance')\nexcept ImportError as e: print(e)",
        cwd=project,
        PYTHONPATH=str(package.parent),
    )
    assert "targets NautilusTrader 1.230.0" in api.stdout and "does not support" in api.stdout, api.stderr
    # schema and explain --defaults read the installed release, whichever it is
    result = run(sys.executable, "-m", "ntprofile", "schema", "--check", cwd=project, PYTHONPATH=str(package.parent))
    assert result.returncode == 1 and "generated from nautilus_trader 1.230.0" in result.stderr



def test_a_repository_of_the_other_line_names_what_to_install(project: Path) -> None:
    """A 2.0 repository (its schema says 2.0.0rc7) with NautilusTrader 1.231 installed: one line, exit 2."""
    from importlib import metadata

    schema = project / "schemas" / "profile.schema.json"
    schema.write_text(schema.read_text().replace(f'"{SCHEMA["x-nautilus-trader-version"]}"', '"2.0.0rc7"'))
    installed = metadata.version("nautilus_trader")
    for argv in (["compile", "testnet-binance"], ["check", "prod-bybit"], ["run", "prod-bybit"]):
        result = run(sys.executable, "-m", "ntprofile", *argv, cwd=project)
        assert result.returncode == 2, result.stdout + result.stderr
        [line] = result.stderr.splitlines()
        assert line == (
            f"ntprofile {argv[0]}: error: this command needs NautilusTrader 2.0.0rc7, the release this repository "
            f"targets (schemas/profile.schema.json), but {installed} (of the 1.x line) is installed; ntprofile "
            "supports 1.231.0, 2.0.0rc7: pip install 'ntprofile[node2]' (NautilusTrader 2.0.0rc7, Python >= 3.13)"
        )
    assert not (project / "build").exists()




# ------------------------------------------------------------------ the hook


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    run("git", "add", "-A", cwd=cwd)
    path = ":".join([str(BIN), *([str(Path(PYTHON_311).parent)] if PYTHON_311 else []), "/usr/bin", "/bin"])
    proc = run(BIN / "pre-commit", *args, cwd=cwd, timeout=600, PRE_COMMIT_HOME=str(home), PATH=path)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def scratch_repo(path: Path) -> Path:
    path.mkdir()
    assert run("git", "init", "--quiet", cwd=path).returncode == 0
    run("git", "config", "user.email", "ops@example.com", cwd=path)
    run("git", "config", "user.name", "ops", cwd=path)
    return path


def test_the_published_hook_installs_from_a_clean_clone_with_try_repo(clone: Path, tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "profiles-repo")
    shutil.copytree(REPO / "profiles", repo / "profiles")
    result = pre_commit("try-repo", str(clone), "ntprofile-validate", "--all-files", cwd=repo, home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Installing environment for" in result.stdout
    assert re.search(r"^ntprofile validate\.+Passed$", result.stdout, re.M), result.stdout


def test_a_repository_started_by_init_uses_the_published_hook(clone: Path, tmp_path: Path) -> None:
    """init -> pre-commit autoupdate --freeze -> pre-commit run, as the hook page says; a literal key fails."""
    repo = scratch_repo(tmp_path / "desk")
    assert run_cli("init", "--hook-repo", str(clone), cwd=repo).returncode == 0
    home = tmp_path / "home"
    frozen = pre_commit("autoupdate", "--freeze", cwd=repo, home=home)
    assert frozen.returncode == 0, frozen.stdout + frozen.stderr
    head = run("git", "rev-parse", "HEAD", cwd=clone).stdout.strip()
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    [entry] = config["repos"]
    assert entry["rev"] == head
    if PYTHON_311:  # the hook page's language_version: the hook on the machine's default Python
        entry["hooks"][0]["language_version"] = "python3.11"
        (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))

    good = pre_commit("run", "--all-files", cwd=repo, home=home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^ntprofile validate\.+Passed$", good.stdout, re.M), good.stdout
    [env] = home.glob("repo*/py_env-*")
    assert env.name == ("py_env-python3.11" if PYTHON_311 else env.name)
    assert not list(env.glob("lib/python*/site-packages/nautilus_trader")), "the hook installed NautilusTrader"

    layer = repo / "profiles" / "exchanges" / "binance.yaml"
    layer.write_text(layer.read_text().replace("${BINANCE_TESTNET_API_KEY}", CANARY))
    bad = pre_commit("run", "--all-files", cwd=repo, home=home)
    assert bad.returncode == 1, bad.stdout
    assert "profiles/exchanges/binance.yaml:9:5: error[S001] exchanges.BINANCE.api_key:" in bad.stdout
    assert CANARY not in bad.stdout + bad.stderr
