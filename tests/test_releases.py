"""One ntprofile, two NautilusTrader lines: a repository states its release, and the validate path serves both.

These run with NautilusTrader 1.231 installed (the hook's machine may have either,
or none): a 2.0 repository is validated against the packaged 2.0 schema with 2.0's
names, adapters and policy concepts, without importing NautilusTrader.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ntprofile.releases import DEFAULT, RELEASES, V2, for_version, repository_release
from ntprofile.schema import SCHEMA_DIR

from conftest import REPO, run_cli, write_profile

V2_FIXTURE = REPO / "tests" / "v2" / "profiles"


@pytest.fixture
def repo2(tmp_path: Path) -> Path:
    """A 2.0 repository: the 2.0 fixture profiles and the packaged 2.0 schema as its own."""
    root = tmp_path / "repo2"
    shutil.copytree(V2_FIXTURE, root / "profiles")
    (root / "schemas").mkdir()
    shutil.copy(V2.schema_path(), root / "schemas" / "profile.schema.json")
    return root


def test_every_release_has_its_packaged_schema_stating_it() -> None:
    for release in RELEASES.values():
        for version, name in release.schemas.items():
            schema = json.loads((SCHEMA_DIR / name).read_text())
            assert schema["x-nautilus-trader-version"] == version
            assert "target" in schema["$defs"]
            assert for_version(version) is release


def test_a_repository_states_its_release_in_its_schema(repo2: Path, project: Path) -> None:
    assert repository_release(repo2 / "profiles")[:2] == (V2, "2.0.0rc7")
    assert repository_release(project / "profiles")[:2] == (DEFAULT, "1.231.0")
    shutil.rmtree(project / "schemas")  # a repository that states none: the default line
    assert repository_release(project / "profiles")[0] is DEFAULT


def test_the_hook_validates_a_2x_repository_without_nautilus_trader_2(repo2: Path) -> None:
    result = run_cli("validate", cwd=repo2)
    assert result.returncode == 0, result.output
    listed = run_cli("list", cwd=repo2)
    assert listed.returncode == 0 and "prod-bybit" in listed.stdout, listed.output
    env = run_cli("env", "prod-bybit", cwd=repo2)
    assert env.returncode == 0 and "REDIS_PASSWORD" in env.stdout, env.output


def test_a_1x_name_in_a_2x_repository_names_the_2x_key(repo2: Path) -> None:
    write_profile(
        repo2,
        "typo.yaml",
        "extends: [prod-bybit]\nnode: {trader_id: PROD-TYPO-001, timeout_post_stop: 5}\n"
        "message_bus: {encoding: JSON}\nlogging: {log_level_file: INFO}\n",
    )
    result = run_cli("validate", "typo", cwd=repo2)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert (
        "profiles/typo.yaml:2:34: error[V001] node.timeout_post_stop: unknown key 'timeout_post_stop' "
        "('timeout_post_stop' is NautilusTrader 1.x's name; 2.0 calls it node.delay_post_stop_secs)"
    ) in lines, result.stdout
    assert any("message_bus" in line and "2.0 calls it msgbus" in line for line in lines), result.stdout
    assert any("log_level_file" in line and "logging.fileout_level" in line for line in lines), result.stdout


def test_policy_reads_the_2x_names(repo2: Path) -> None:
    """P107 through FileWriterConfig, P103 through RedisCacheConfig, P104 and P105 unchanged."""
    write_profile(
        repo2,
        "prod-lax.yaml",
        "extends: [prod-bybit]\nnode: {trader_id: PROD-LAX-001}\n"
        "logging: {fileout_level: null, file_config: {file_format: null}}\ncache: {database: null}\n",
    )
    result = run_cli("validate", "prod-lax", cwd=repo2)
    assert result.returncode == 1, result.output
    out = result.stdout
    assert "error[P107] logging.file_config.file_format: is not set; the log shipper reads JSON" in out, out
    assert "error[P107] logging.fileout_level: is not set; NautilusTrader writes no log file without it" in out, out
    assert "error[P103] cache.database: is null (an in-memory cache) in a production profile" in out, out


def test_bitmex_is_not_a_2x_adapter(repo2: Path) -> None:
    write_profile(
        repo2,
        "testnet-bitmex.yaml",
        "extends: [env/testnet]\nnode: {trader_id: TEST-BITMEX-001}\n"
        "exchanges: {BITMEX: {environment: testnet, api_key: '${K}', api_secret: '${S}'}}\n",
    )
    result = run_cli("validate", "testnet-bitmex", cwd=repo2)
    assert result.returncode == 1, result.output
    assert "bitmex" in result.stdout.lower(), result.stdout
