"""The shipped profiles, migrated to NautilusTrader 2.0, through every command of the real CLI.

These run under NautilusTrader 2.0.0rc7 (``make test`` runs tests/v2 in .venv-2):
``migrate --write`` carries a copy of the shipped 1.x profiles to 2.0, and from then
on the repository's schema says 2.0.0rc7, so every command reads 2.0's names,
compiles onto 2.0's classes and builds a real ``LiveNode``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytest_redis import factories

from conftest import EXCHANGE_CANARIES, PROFILES, REPO, TARGETS, clean_env, run_cli, write_profile

RELEASE = "2.0.0rc7"
REDIS_PASSWORD = "CANARY-redis-v2-5d1e"
v2_redis = factories.redis_proc(port=None, password=REDIS_PASSWORD)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped repository, migrated once for the module (``migrate --write``)."""
    root = tmp_path_factory.mktemp("repo2")
    shutil.copytree(PROFILES, root / "profiles")
    shutil.copytree(REPO / "schemas", root / "schemas")
    result = run_cli("migrate", "--to", RELEASE, "--write", cwd=root)
    assert result.returncode == 1, result.output  # written; some settings ask for a decision
    decisions = [line for line in result.stderr.splitlines() if "error[M" in line]
    assert len(decisions) == 7 and all(line.startswith("profiles/") for line in decisions), result.stderr
    schema = json.loads((root / "schemas" / "profile.schema.json").read_text())
    assert schema["x-nautilus-trader-version"] == RELEASE
    again = run_cli("compile", "paper-binance", cwd=root)  # the sandbox's fee model is still to decide
    assert again.returncode == 1 and "error[V004] exchanges.PAPER.fee_model" in again.stdout, again.output
    hook = run_cli("validate", "paper-binance", cwd=root)  # the hook finds it too
    assert hook.returncode == 1 and _v004(hook.stdout) == _v004(again.stdout) != [], hook.output
    for target in ("paper-binance", "paper-bybit"):  # the operator's decision M002 asked for
        path = root / "profiles" / f"{target}.yaml"
        text = path.read_text()
        assert "    starting_balances:" in text
        fee = "    fee_model: {MakerTakerFeeModel: {maker_rate: '0.0002', taker_rate: '0.0005'}}\n"
        path.write_text(text.replace("    starting_balances:", fee + "    starting_balances:", 1))
    return root


def _v004(text: str) -> list[str]:
    """The V004 findings of an output, without their hints."""
    return sorted(line.split(" (")[0] for line in text.splitlines() if "[V004]" in line)


@pytest.fixture
def project2(migrated: Path, tmp_path: Path) -> Path:
    """A private copy of the migrated repository (tests may add profiles to it)."""
    shutil.copytree(migrated / "profiles", tmp_path / "profiles")
    shutil.copytree(migrated / "schemas", tmp_path / "schemas")
    return tmp_path


def test_migrated_profiles_validate_and_list(project2: Path) -> None:
    result = run_cli("validate", cwd=project2)
    assert result.returncode == 0, result.output
    listed = run_cli("list", "--format", "json", cwd=project2)
    assert listed.returncode == 0, listed.output
    assert sorted(t["name"] for t in json.loads(listed.stdout)) == sorted(TARGETS)


def test_a_client_field_2x_cannot_build_without_is_found_by_the_hook(project2: Path) -> None:
    """2.0's exec configs require ``account_id``: unset, ``validate`` reports it where the 2.0 backend's own
    compile stage refuses it."""
    write_profile(
        project2,
        "noid.yaml",
        "extends: [env/testnet]\nnode: {trader_id: TEST-NOID-001}\nexchanges:\n  BINANCE:\n    environment: testnet\n"
        "    api_key: ${BINANCE_TESTNET_API_KEY}\n    api_secret: ${BINANCE_TESTNET_API_SECRET}\n",
    )
    found = run_cli("validate", "noid", cwd=project2)
    assert found.returncode == 1 and _v004(found.stdout) == [
        "profiles/noid.yaml:4:3: error[V004] exchanges.BINANCE.account_id: "
        "missing required key 'account_id' of BinanceExecutionClientConfig"
    ], found.output
    from ntprofile.layers import Workspace
    from ntprofile.releases.v2.compile import compile_merged

    merged, diags = Workspace(project2 / "profiles").merge("noid")
    assert merged is not None, diags
    found_v004 = [d for d in compile_merged(merged).diagnostics if d.code == "V004"]
    refused = [(d.pos.line, d.pos.col, d.key, d.message) for d in found_v004]
    message = "missing required key 'account_id' of BinanceExecutionClientConfig"
    assert refused == [(4, 3, "exchanges.BINANCE.account_id", message)]


def test_a_1x_name_in_a_2x_repository_is_refused_with_the_2x_name(project2: Path) -> None:
    write_profile(project2, "typo.yaml", "extends: [prod-bybit]\nmessage_bus: {encoding: json}\n")
    result = run_cli("validate", "typo", cwd=project2)
    assert result.returncode == 1, result.output
    assert "profiles/typo.yaml:2:1: error[V001]" in result.stdout and "msgbus" in result.stdout, result.stdout


def test_policy_reads_2x_names(project2: Path) -> None:
    """P107 and P103 read 2.0's LoggerConfig/FileWriterConfig and RedisCacheConfig."""
    write_profile(
        project2,
        "prod-nologs.yaml",
        "extends: [prod-bybit]\nnode: {trader_id: PROD-NOLOGS-001}\nlogging: {file_config: {file_format: null}}\n"
        "cache: {database: null}\n",
    )
    result = run_cli("validate", "prod-nologs", cwd=project2)
    assert result.returncode == 1, result.output
    assert "error[P107] logging.file_config.file_format" in result.stdout, result.stdout
    assert "error[P103] cache.database" in result.stdout, result.stdout


def test_compile_all_writes_ntprofile_json(project2: Path) -> None:
    result = run_cli("compile", "--all", cwd=project2, timeout=300)
    assert result.returncode == 0, result.output
    for target in TARGETS:
        node = json.loads((project2 / "build" / target / "node.json").read_text())
        assert node["format"] == "ntprofile-node/1" and node["nautilus_trader"] == RELEASE, node.keys()
    text = (project2 / "build" / "prod-bybit" / "node.json").read_text()
    assert "${BYBIT_API_SECRET}" in text  # placeholders verbatim


def test_explain_env_and_diff(project2: Path) -> None:
    explained = run_cli("explain", "prod-bybit", "node", cwd=project2)
    assert explained.returncode == 0 and "node.timeout_connection_secs" in explained.stdout, explained.output
    defaults = run_cli("explain", "prod-bybit", "logging", "--defaults", cwd=project2)
    assert defaults.returncode == 0, defaults.output
    assert "logging.print_config = false" in defaults.stdout and "default (LoggerConfig)" in defaults.stdout
    env = run_cli("env", "prod-bybit", cwd=project2)
    assert env.returncode == 0 and "BYBIT_API_SECRET" in env.stdout, env.output
    diff = run_cli("diff", "prod-binance", "prod-bybit", cwd=project2)
    assert diff.returncode == 1 and "exchanges" in diff.stdout, diff.output


def test_check_builds_a_live_node_offline(project2: Path) -> None:
    result = run_cli("check", "testnet-binance", cwd=project2, env=clean_env(**EXCHANGE_CANARIES), timeout=300)
    assert result.returncode == 0, result.output
    assert "LiveNode built in" in result.stdout, result.stdout
    for value in EXCHANGE_CANARIES.values():
        assert value not in result.output


def test_check_production_with_redis(project2: Path, v2_redis) -> None:
    env = clean_env(
        **EXCHANGE_CANARIES,
        REDIS_HOST=v2_redis.host,
        REDIS_PORT=str(v2_redis.port),
        REDIS_PASSWORD=REDIS_PASSWORD,
    )
    result = run_cli("check", "prod-bybit", cwd=project2, env=env, timeout=300)
    assert result.returncode == 0, result.output
    assert f"redis {v2_redis.host}:{v2_redis.port}, password ***" in result.stdout, result.stdout
    assert REDIS_PASSWORD not in result.output


def test_check_names_an_unreachable_redis(project2: Path) -> None:
    from conftest import closed_port

    env = clean_env(**EXCHANGE_CANARIES, REDIS_PORT=str(closed_port()), REDIS_PASSWORD=REDIS_PASSWORD)
    result = run_cli("check", "prod-bybit", cwd=project2, env=env, timeout=120)
    assert result.returncode == 1, result.output
    assert "R001" in result.stdout, result.stdout


def test_render_compose(project2: Path) -> None:
    result = run_cli("render", "compose", "--output", "deploy", "--image", "ntprofile:0.1.0", cwd=project2, timeout=300)
    assert result.returncode == 0, result.output
    assert (project2 / "deploy").is_dir()


def test_python_api_and_facade(project2: Path) -> None:
    """The API and the facade on 2.0, in a process of their own (NautilusTrader's logger owns its stdout:
    what the code found goes to a file of its own)."""
    code = (
        "import sys, ntprofile\n"
        "from ntprofile import TradingNodeConfigFactory\n"
        "from ntprofile.releases import backend\n"
        "found = [type(ntprofile.compile_profile('testnet-binance')).__name__]\n"
        "node = ntprofile.build_node('testnet-binance')\n"
        "found.append(type(node).__name__)\n"
        "backend().dispose_node(node)\n"
        "found.append(type(TradingNodeConfigFactory.create_testnet(exchanges=['BINANCE'])).__name__)\n"
        "open(sys.argv[1], 'w').write(' '.join(found))\n"
    )
    import subprocess
    import sys

    found = project2 / "found.txt"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(found)],
        cwd=project2,
        env=clean_env(**EXCHANGE_CANARIES),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert found.read_text().split() == ["NodeConfig", "LiveNode", "NodeConfig"]
    for value in EXCHANGE_CANARIES.values():
        assert value not in proc.stdout + proc.stderr


def test_a_1x_repository_under_2x_names_what_to_install(tmp_path: Path) -> None:
    """A repository that still targets 1.231 with NautilusTrader 2.0 installed: one line, exit 2."""
    shutil.copytree(PROFILES, tmp_path / "profiles")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    result = run_cli("compile", "testnet-binance", cwd=tmp_path)
    assert result.returncode == 2, result.output
    [line] = result.stderr.splitlines()
    assert "needs NautilusTrader 1.231.0" in line and f"{RELEASE} (of the 2.x line) is installed" in line, line
    assert "pip install 'ntprofile[node]'" in line, line
