"""``ntprofile init``: a new profiles repository that validates clean, and never a file overwritten."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, clean_env

ALL_FILES = [
    "profiles/base.yaml",
    "profiles/env/testnet.yaml",
    "profiles/env/production.yaml",
    "profiles/exchanges/binance.yaml",
    "profiles/exchanges/bybit.yaml",
    "profiles/testnet-binance.yaml",
    "profiles/testnet-bybit.yaml",
    "profiles/prod-binance.yaml",
    "profiles/prod-bybit.yaml",
    "schemas/profile.schema.json",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".env.example",
]


def listing(root: Path) -> dict[str, bytes]:
    """The repository's files, less git's own (``init`` makes ``root`` a git work tree)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != ".git"
    }


def test_init_writes_a_repository_that_validates_clean(tmp_path: Path, cli) -> None:
    result = cli("init", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.output
    repo = tmp_path / "acme"
    assert sorted(listing(repo)) == sorted(ALL_FILES)
    assert [line.split()[1] for line in result.stdout.splitlines()[: len(ALL_FILES)]] == [
        f"acme/{f}" for f in ALL_FILES
    ]
    assert "13 created, 0 kept." in result.stdout

    validate = cli("validate", cwd=repo)
    assert validate.returncode == 0, validate.output
    assert validate.stdout == "" and validate.stderr.strip() == "All 4 targets valid (9 files)."
    listed = json.loads(cli("list", "--format", "json", cwd=repo).stdout)
    assert {(t["name"], t["stage"], t["exchanges"][0]["environment"]) for t in listed} == {
        ("testnet-binance", "testnet", "testnet"),
        ("testnet-bybit", "testnet", "testnet"),
        ("prod-binance", "production", "mainnet"),
        ("prod-bybit", "production", "mainnet"),
    }


def test_the_editor_lines_point_at_the_schema_copy_validate_reads(tmp_path: Path, cli) -> None:
    from ntprofile.validate.schema import SCHEMA_PATH

    assert cli("init", cwd=tmp_path).returncode == 0
    copy = tmp_path / "schemas" / "profile.schema.json"
    assert copy.read_bytes() == SCHEMA_PATH.read_bytes()
    profiles = sorted((tmp_path / "profiles").rglob("*.yaml"))
    assert profiles
    for path in profiles:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).resolve() == copy.resolve(), path


def test_gitignore_hook_config_and_env_example(tmp_path: Path, cli) -> None:
    hook_repo = "https://git.example.com/desk/ntprofile"
    assert cli("init", "--hook-repo", hook_repo, "--hook-rev", "v1.2.3", cwd=tmp_path).returncode == 0
    ignored = (tmp_path / ".gitignore").read_text().split()
    assert "build/" in ignored and ".env" in ignored
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    assert (repo["repo"], repo["rev"]) == (hook_repo, "v1.2.3")
    [hook] = repo["hooks"]
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == published[0]["id"]

    env = (tmp_path / ".env.example").read_text()
    needed = set()
    for target in ("testnet-binance", "testnet-bybit", "prod-binance", "prod-bybit"):
        out = json.loads(cli("env", target, "--format", "json", cwd=tmp_path).stdout)
        needed |= {v["name"] for v in out["variables"]}
    assert needed == {
        "BINANCE_TESTNET_API_KEY",
        "BINANCE_TESTNET_API_SECRET",
        "BYBIT_TESTNET_API_KEY",
        "BYBIT_TESTNET_API_SECRET",
        "BINANCE_API_KEY",
        "BINANCE_API_SECRET",
        "BYBIT_API_KEY",
        "BYBIT_API_SECRET",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_PASSWORD",
    }
    for name in needed:
        assert f"\n{name}=\n" in env or f"\n# {name}=" in env, name
    assert "\nBYBIT_API_KEY=\n" in env and "# REDIS_HOST=127.0.0.1" in env
    assert "needed by prod-binance, prod-bybit" in env


@pytest.mark.parametrize(
    ("exchanges", "stages", "targets"),
    [
        ("binance", "testnet", ["testnet-binance"]),
        ("bybit", "production", ["prod-bybit"]),
        ("Bybit, binance,bybit", "development", ["dev-binance", "dev-bybit"]),
    ],
)
def test_chosen_exchanges_and_stages(tmp_path: Path, cli, exchanges: str, stages: str, targets) -> None:
    result = cli("init", "--exchanges", exchanges, "--stages", stages, cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert sorted(p.stem for p in (tmp_path / "profiles").glob("*.yaml") if p.stem != "base") == targets
    validate = cli("validate", cwd=tmp_path)
    assert validate.returncode == 0, validate.output


def test_every_stage_of_the_language_has_a_layer_template() -> None:
    """The stages come from the schema; a stage added there (``paper``) needs ``env/<stage>.yaml.j2`` here."""
    from ntprofile.tools import scaffold

    assert set(scaffold.stages()) >= {"development", "testnet", "production"}
    for stage in scaffold.stages():
        assert (scaffold.TEMPLATES / "profiles" / "env" / f"{stage}.yaml.j2").is_file(), stage


def test_every_stage_and_exchange_together_validates(tmp_path: Path, cli) -> None:
    from ntprofile.tools import scaffold

    result = cli(
        "init", "--exchanges", ",".join(scaffold.exchanges()), "--stages", ",".join(scaffold.stages()), cwd=tmp_path
    )
    assert result.returncode == 0, result.output
    validate = cli("validate", "--format", "json", cwd=tmp_path)
    assert validate.returncode == 0 and json.loads(validate.stdout) == [], validate.output


def test_never_overwrites_and_reports_what_it_kept(tmp_path: Path, cli) -> None:
    (tmp_path / "profiles").mkdir()
    mine = "# my own base layer\nprofile: {description: mine}\n"
    (tmp_path / "profiles" / "base.yaml").write_text(mine)
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    result = cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert "kept    profiles/base.yaml (exists; left as it is)" in result.stdout
    assert "kept    .gitignore (exists; left as it is)" in result.stdout
    assert "11 created, 2 kept." in result.stdout
    assert (tmp_path / "profiles" / "base.yaml").read_text() == mine
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n"

    before = listing(tmp_path)
    again = cli("init", cwd=tmp_path)
    assert again.returncode == 0
    assert "0 created, 13 kept." in again.stdout
    assert listing(tmp_path) == before


def test_a_symlink_in_the_way_is_kept_not_followed(tmp_path: Path, cli) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".env.example").symlink_to(outside)
    (repo / ".gitignore").symlink_to(tmp_path / "dangling")
    assert cli("init", cwd=repo).returncode == 0
    assert outside.read_text() == "untouched\n"
    assert not (tmp_path / "dangling").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exchanges", "nasdaq"], "unknown exchange 'nasdaq' (known: architect_ax, binance, bitmex, bybit, "),
        (["--exchanges", "okex"], "unknown exchange 'okex' (did you mean 'okx'? known: architect_ax, binance, "),
        (["--exchanges", "binanse"], "unknown exchange 'binanse' (did you mean 'binance'? known: "),
        (["--exchanges", "okx,sandbox"], "exchange 'sandbox' is a simulated exec client with no market data"),
        (["--exchanges", "betfair"], "exchange 'betfair' needs an optional package (nautilus_trader[betfair])"),
        (["--stages", "prod"], "unknown stage 'prod' (did you mean 'production'? known: "),
        (["--stages", ","], "no stage given"),
        (["a-file"], "a-file exists and is not a directory"),
    ],
)
def test_usage_errors_write_nothing(tmp_path: Path, cli, args: list[str], message: str) -> None:
    (tmp_path / "a-file").write_text("")
    result = cli("init", *args, cwd=tmp_path)
    assert result.returncode == 2, result.output
    assert result.stderr.startswith("ntprofile init: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_an_unwritable_directory_is_one_line(tmp_path: Path, cli) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "profiles").write_text("a file where the profiles folder goes\n")
    result = cli("init", "locked", cwd=tmp_path)
    assert result.returncode == 2, result.output
    assert result.stderr.startswith("ntprofile init: error: cannot write locked/profiles")
    assert len(result.stderr.splitlines()) == 1


def test_init_imports_no_node_dependency(tmp_path: Path) -> None:
    """``init`` is on the validate path: it runs from the core install."""
    code = (
        "import sys; from ntprofile.cli import main; code = main(['init', 'x']);"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('nautilus_trader', 'msgspec', 'redis', 'dotenv')];"
        "print(code, heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stdout + proc.stderr


# ------------------------------------------------------------------ every venue


def _every_venue() -> list[str]:
    from ntprofile.tools import scaffold

    return scaffold.exchanges()


def test_init_offers_every_adapter_that_can_start_a_repository() -> None:
    """Every supported adapter but the sandbox (which fills orders against another venue's data)."""
    from ntprofile.adapters import ADAPTERS

    assert set(_every_venue()) == set(ADAPTERS) - {"sandbox"}
    assert {"okx", "kraken", "hyperliquid", "dydx", "deribit", "bitmex", "databento", "tardis"} <= set(_every_venue())


@pytest.mark.parametrize("venue", _every_venue())
def test_every_venue_inits_validates_compiles_and_checks(tmp_path: Path, cli, venue: str) -> None:
    """From init to compiled targets of every stage, and built nodes (``check``) of its testnet and paper
    targets, with no hand-written layer, through the real CLI."""
    from ntprofile.adapters import ADAPTERS
    from ntprofile.language.secrets import is_data_variable, is_sandbox_variable
    from ntprofile.tools import scaffold

    adapter = ADAPTERS[venue]
    stages = scaffold.stages()
    result = cli("init", "--exchanges", venue, "--stages", ",".join(stages), cwd=tmp_path)
    assert result.returncode == 0, result.output
    validate = cli("validate", "--format", "json", cwd=tmp_path)
    assert validate.returncode == 0 and json.loads(validate.stdout) == [], validate.output
    compiled = cli("compile", "--all", cwd=tmp_path, timeout=300)
    assert compiled.returncode == 0, compiled.output
    targets = [scaffold.target_name(stage, venue) for stage in stages]
    for target in targets:
        assert (tmp_path / "build" / target / "node.json").is_file(), target

    overlay = yaml.safe_load((tmp_path / "profiles" / "exchanges" / f"{venue}.yaml").read_text())
    [(client_id, section)] = overlay["exchanges"].items()
    assert section["adapter"] == venue
    if adapter.environment_field is None:
        assert "environment" not in section
    else:  # the venue's own word for its rehearsal environment (OKX and Kraken: demo)
        assert section["environment"] in adapter.environments and section["environment"] != "mainnet"
    for option, value in adapter.starter.options.items():
        assert section[option] == value, option

    listed = {t["name"]: t for t in json.loads(cli("list", "--format", "json", cwd=tmp_path).stdout)}
    for target in targets:
        variables = json.loads(cli("env", target, "--format", "json", cwd=tmp_path).stdout)["variables"]
        names = {v["name"] for v in variables}
        if listed[target]["stage"] in ("testnet", "paper"):  # in-memory cache: the node builds without Redis
            values = {v["name"]: _stand_in(v["name"]) for v in variables if v["required"]}
            checked = cli("check", target, cwd=tmp_path, env=clean_env(**values), timeout=300)
            assert checked.returncode == 0, checked.output
        venue_vars = {n for n in names if n.startswith(client_id + "_")}
        stage = listed[target]["stage"]
        if stage == "paper" and adapter.exec is not None:  # never a key that can trade
            assert all(is_data_variable(n) for n in venue_vars), (target, venue_vars)
        elif stage == "production" or adapter.environment_field is None:
            assert not any(is_sandbox_variable(n) for n in venue_vars), (target, venue_vars)
        else:
            assert venue_vars and all(is_sandbox_variable(n) for n in venue_vars), (target, venue_vars)


def _stand_in(name: str) -> str:
    """A value of the shape NautilusTrader's clients accept at build (they check shapes, not the venue)."""
    if name.endswith("PRIVATE_KEY"):
        return "ab" * 32  # 64 hex digits: a dYdX or Hyperliquid key
    if name.endswith("WALLET_ADDRESS"):
        return "dydx1n56z5fhmemtffzkt2eqyf9kuc7ycjfs86mvqy7"  # NautilusTrader's recorded dYdX address
    return "c3RhbmQtaW4ta2V5LWZvci1pbml0LXQ="  # 32 characters, Base64 (Kraken decodes its secret)


# ------------------------------------------------------------------ git


def test_init_makes_a_git_repository_that_pre_commit_installs_into(tmp_path: Path, cli) -> None:
    """The step after init, ``pre-commit install``, works in the directory init made (real git, real pre-commit)."""
    result = cli("init", "acme", "--exchanges", "okx", cwd=tmp_path)
    assert result.returncode == 0, result.output
    repo = tmp_path / "acme"
    assert "initialised a git repository in acme" in result.stdout
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True)
    assert top.returncode == 0 and Path(top.stdout.strip()) == repo.resolve()
    pre_commit = Path(sys.executable).with_name("pre-commit")
    installed = subprocess.run(
        [str(pre_commit), "install"], cwd=repo, env=clean_env(), capture_output=True, text=True, timeout=120
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()


def test_init_inside_a_work_tree_makes_no_nested_repository(tmp_path: Path, cli) -> None:
    assert subprocess.run(["git", "init", "-q", str(tmp_path)], capture_output=True).returncode == 0
    result = cli("init", "ops/profiles-repo", cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert not (tmp_path / "ops" / "profiles-repo" / ".git").exists()
    assert "initialised" not in result.stdout and "git init" not in result.stdout


def test_init_without_git_says_in_one_line_to_create_the_repository(tmp_path: Path) -> None:
    """No git on PATH: the files are written, exit 0, and the next steps start with ``git init``."""
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "ntprofile", "init", "repo"],
        cwd=tmp_path,
        env=clean_env(PATH=str(empty)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (tmp_path / "repo" / ".git").exists()
    [line] = [s for s in proc.stdout.splitlines() if "git init" in s]
    assert "git is not installed" in line
    steps = proc.stdout.split("next:\n", 1)[1].splitlines()
    assert steps[1].strip().startswith("git init") and steps[-1].strip().endswith("pre-commit install")
