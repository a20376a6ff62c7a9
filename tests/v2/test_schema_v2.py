"""The NautilusTrader 2.0 profile schema: generated from the installed 2.0's stubs, packaged, and holding
a 2.0 profile repository to 2.0's own names. Runs under .venv-2 (Python 3.13, nautilus_trader 2.0.0rc7)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

nautilus_trader = pytest.importorskip("nautilus_trader")
if not nautilus_trader.__version__.startswith("2."):  # pragma: no cover - the 1.x venv
    pytest.skip("NautilusTrader 2.0 tests", allow_module_level=True)

from jsonschema import Draft202012Validator  # noqa: E402

from ntprofile.language.vocabulary import import_class  # noqa: E402
from ntprofile.layers import Workspace  # noqa: E402
from ntprofile.releases import V2, release_of_schema, stubs  # noqa: E402
from ntprofile.releases.v2_schema import generated_text  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PACKAGED = V2.schema_path()
FIXTURE = HERE / "profiles"
from conftest import TARGETS  # noqa: E402  (the shipped targets, migrated in tests/v2/profiles)
CLI = Path(sys.executable).parent / "ntprofile"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(PACKAGED.read_text(encoding="utf-8"))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A 2.0 repository: the migrated shipped profiles and the 2.0 schema as its ``schemas/profile.schema.json``."""
    shutil.copytree(FIXTURE, tmp_path / "profiles")
    (tmp_path / "schemas").mkdir()
    shutil.copy(PACKAGED, tmp_path / "schemas" / "profile.schema.json")
    return tmp_path


# ---------------------------------------------------------------- generation


def test_packaged_schema_is_what_the_installed_release_generates() -> None:
    assert PACKAGED.name == "profile-2.0.0rc7.schema.json"
    assert PACKAGED.read_text(encoding="utf-8") == generated_text()


def test_schema_check_passes_and_notices_drift(tmp_path: Path) -> None:
    result = _cli("schema", "--check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "profile-2.0.0rc7.schema.json" in result.stdout and "2.0.0rc7" in result.stdout
    stale = tmp_path / "profile.schema.json"
    tree = json.loads(PACKAGED.read_text(encoding="utf-8"))
    del tree["$defs"]["LoggerConfig"]["properties"]["stdout_level"]
    stale.write_text(json.dumps(tree), encoding="utf-8")
    result = _cli("schema", "--check", "--output", str(stale), cwd=tmp_path)
    assert result.returncode == 1
    assert "/$defs/LoggerConfig/properties/stdout_level" in result.stderr


def test_schema_writes_a_2_0_repository_schema(tmp_path: Path) -> None:
    result = _cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "schemas" / "profile.schema.json"
    assert written.read_text(encoding="utf-8") == PACKAGED.read_text(encoding="utf-8")
    release, version = release_of_schema(written)
    assert release is V2 and version == "2.0.0rc7"


def test_schema_in_the_ntprofile_checkout_keeps_its_1x_repository_schema() -> None:
    """The checkout's own profiles target 1.x: with 2.0 installed, ``ntprofile schema`` there writes the
    packaged 2.0 copy only."""
    repository_schema = REPO / "schemas" / "profile.schema.json"
    before = repository_schema.read_bytes()
    result = _cli("schema", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "compiler/ntprofile/schema/profile-2.0.0rc7.schema.json is up to date (nautilus_trader 2.0.0rc7)"
    ]
    assert repository_schema.read_bytes() == before


def test_the_schema_speaks_2_0s_names(schema: dict[str, Any]) -> None:
    assert schema["x-nautilus-trader-version"] == "2.0.0rc7"
    assert "target" in schema["$defs"]
    props = schema["properties"]
    assert {"msgbus", "cache", "logging", "data_engine", "risk_engine", "exec_engine", "portfolio", "streaming"} <= set(
        props
    )
    assert not {"message_bus", "emulator"} & set(props)
    node = schema["$defs"]["node"]["properties"]
    assert {"timeout_connection_secs", "delay_post_stop_secs", "timeout_shutdown_secs", "trader_id"} <= set(node)
    assert "timeout_post_stop" not in node
    assert set(schema["$defs"]["exchange"]["properties"]["adapter"]["enum"]) >= {"coinbase", "polymarket"}
    assert "bitmex" not in schema["$defs"]["exchange"]["properties"]["adapter"]["enum"]


def test_every_section_field_of_the_stubs_is_in_the_schema(schema: dict[str, Any]) -> None:
    """Each 2.0 section takes its class's constructor parameters, none more (``database`` aside) and none
    fewer than those a profile value can express."""
    inexpressible = {("StreamingConfig", "rotation_config")}  # built by RotationConfig factory methods only
    for section, path in V2.sections.items():
        name = path.rpartition(":")[2]
        fields = {f.name for f in stubs.fields(path)}
        described = set(schema["$defs"][name]["properties"]) - ({"database"} if section == "cache" else set())
        assert described == fields - {f for c, f in inexpressible if c == name}, section


def test_enum_defs_list_the_members_2_0_builds_from_their_names(schema: dict[str, Any]) -> None:
    """Every enum the schema lists is a real 2.0 enum whose members ``getattr(Enum, NAME)`` returns."""
    from ntprofile.releases.v2_schema import Builder

    build = Builder()
    for path in [*V2.sections.values(), V2.redis_class]:
        build.class_schema(path)
    enums = {name: build.paths[name] for name in build.enums}
    assert {"LogLevel", "SerializationEncoding", "BarIntervalType"} <= set(enums)
    for name, path in enums.items():
        cls = import_class(path)
        members = schema["$defs"][name]["enum"]
        for member in members:
            assert isinstance(getattr(cls, member), cls), (name, member)
        assert set(members) == {a for a in dir(cls) if type(getattr(cls, a, None)) is cls}


def test_defaults_are_what_2_0_uses(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["node"]["properties"]["timeout_connection_secs"]["default"] == 60.0
    assert defs["node"]["properties"]["environment"]["default"] == "LIVE"
    assert defs["LoggerConfig"]["properties"]["fileout_level"]["default"] == "OFF"
    assert defs["CacheConfig"]["properties"]["encoding"]["default"] == "JSON"


def test_secret_fields_are_write_only(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["RedisCacheConfig"]["properties"]["password"]["writeOnly"] is True
    assert defs["exchange.binance"]["properties"]["api_secret"]["writeOnly"] is True
    assert defs["exchange.derive"]["properties"]["session_key"]["writeOnly"] is True  # a declared credential
    assert defs["exchange.betfair"]["properties"]["app_key"]["writeOnly"] is True
    assert "writeOnly" not in defs["exchange.derive"]["properties"]["wallet_address"]


# ---------------------------------------------------------------- the migrated shipped profiles


def test_every_fixture_layer_and_target_validates_against_the_2_0_schema(schema: dict[str, Any]) -> None:
    partial = Draft202012Validator(schema)
    target = partial.evolve(schema=schema["$defs"]["target"])
    workspace = Workspace(FIXTURE)
    assert set(TARGETS) <= set(workspace.files)
    for name in workspace.files:
        doc, problems = workspace.document(name)
        assert doc is not None and not problems, name
        assert not [e.message for e in partial.iter_errors(doc.tree)], name
    for name in TARGETS:
        merged, problems = workspace.merge(name)
        assert merged is not None and not problems, name
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in target.iter_errors(merged.tree)]
        assert not errors, (name, errors)


def test_validate_passes_the_2_0_repository(project: Path) -> None:
    """The repository's schema says 2.0.0rc7: validate holds it to the 2.0 schema and the policy reads 2.0's names."""
    result = _cli("validate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout + result.stderr


# ---------------------------------------------------------------- 1.x names in a 2.0 repository


def test_1x_keys_are_refused_with_the_2_0_name(project: Path) -> None:
    (project / "profiles" / "old.yaml").write_text(
        "extends: [testnet-binance]\n"
        "message_bus:\n  encoding: JSON\n"
        "emulator:\n  debug: true\n"
        "node:\n  timeout_connection: 5.0\n"
        "cache:\n  database:\n    type: redis\n",
        encoding="utf-8",
    )
    result = _cli("validate", "old", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        "old.yaml:2:1: error[V001] message_bus" in line and "2.0 calls it msgbus" in line for line in lines
    ), lines
    assert any("old.yaml:4:1: error[V001] emulator" in line for line in lines), lines
    assert any(
        "error[V001] node.timeout_connection" in line and "2.0 calls it node.timeout_connection_secs" in line for line in lines
    ), lines
    assert any("old.yaml:10:5: error[V001] cache.database.type" in line for line in lines), lines


def test_bitmex_is_refused(project: Path) -> None:
    (project / "profiles" / "mex.yaml").write_text(
        "extends: [testnet-binance]\nexchanges:\n  BITMEX:\n    adapter: bitmex\n    environment: testnet\n",
        encoding="utf-8",
    )
    result = _cli("validate", "mex", cwd=project)
    assert result.returncode == 1
    assert "mex.yaml:4:5: error[V003] exchanges.BITMEX.adapter: 'bitmex' is not one of" in result.stdout


def test_1x_enum_spellings_are_refused(project: Path) -> None:
    (project / "profiles" / "enums.yaml").write_text(
        "extends: [testnet-binance]\nnode:\n  environment: live\ncache:\n  encoding: msgpack\n"
        "exchanges:\n  BINANCE:\n    account_type: USDT_FUTURES\n",
        encoding="utf-8",
    )
    result = _cli("validate", "enums", cwd=project)
    assert result.returncode == 1
    out = result.stdout
    assert "enums.yaml:3:3: error[V003] node.environment" in out, out
    assert "enums.yaml:5:3: error[V003] cache.encoding" in out, out
    assert "enums.yaml:8:5: error[V001] exchanges.BINANCE.account_type" in out, out


BREAKING: dict[tuple[str, str], tuple[str, str]] = {
    ("LiveNodeConfig", "trader_id"): ("node:\n  trader_id: NOHYPHEN\n", "node.trader_id"),
    ("LiveNodeConfig", "instance_id"): ("node:\n  instance_id: not-a-uuid\n", "node.instance_id"),
    ("LiveNodeConfig", "environment"): ("node:\n  environment: BACKTEST\n", "node.environment"),
    ("RedisCacheConfig", "port"): ("cache:\n  database:\n    port: 70000\n", "cache.database.port"),
    ("RedisCacheConfig", "number_of_retries"): (
        "cache:\n  database:\n    number_of_retries: -1\n",
        "cache.database.number_of_retries",
    ),
    ("RedisCacheConfig", "exponent_base"): (
        "cache:\n  database:\n    exponent_base: 0\n",
        "cache.database.exponent_base",
    ),
    ("RedisCacheConfig", "max_delay"): ("cache:\n  database:\n    max_delay: -1\n", "cache.database.max_delay"),
    ("RedisCacheConfig", "factor"): ("cache:\n  database:\n    factor: -1\n", "cache.database.factor"),
    ("LoggerConfig", "component_levels"): (
        "logging:\n  component_levels:\n    Portfolio: LOUD\n",
        "logging.component_levels.Portfolio",
    ),
    ("FileWriterConfig", "file_format"): (
        "logging:\n  file_config:\n    file_format: xml\n",
        "logging.file_config.file_format",
    ),
}


def test_every_2_0_constraint_has_a_breaking_example() -> None:
    from ntprofile.language.constraints import FIELD_CONSTRAINTS

    classes = {"LiveNodeConfig", "RedisCacheConfig", "LoggerConfig", "FileWriterConfig"}
    assert set(BREAKING) == {key for key in FIELD_CONSTRAINTS if key[0] in classes}


def test_a_literal_breaking_value_of_a_2_0_constraint_fails_validate(project: Path) -> None:
    for i, (body, key) in enumerate(BREAKING.values()):
        (project / "profiles" / f"bad{i}.yaml").write_text(f"extends: [testnet-binance]\n{body}", encoding="utf-8")
    result = _cli("validate", *(f"bad{i}" for i in range(len(BREAKING))), cwd=project)
    assert result.returncode == 1
    for i, (_body, key) in enumerate(BREAKING.values()):
        assert any(
            f"bad{i}.yaml:" in line and (f"error[V002] {key}:" in line or f"error[V003] {key}:" in line)
            for line in result.stdout.splitlines()
        ), (key, result.stdout)


def test_1x_only_constraints_do_not_hold_2_0_enum_fields() -> None:
    """2.0 keeps the names CacheConfig and LiveDataEngineConfig but types encoding and time_bars_interval_type
    as enums: the 1.x spellings' constraints do not apply to the 2.0 line (compile asks the same table)."""
    from ntprofile import releases
    from ntprofile.language.constraints import constraint_for, field_problem

    before = releases.active()
    try:
        releases.activate(V2)
        assert constraint_for("CacheConfig", "encoding") is None
        assert field_problem("CacheConfig", "encoding", "MSG_PACK") is None
        assert field_problem("LiveDataEngineConfig", "time_bars_interval_type", "LEFT_OPEN") is None
        assert field_problem("LiveRiskEngineConfig", "max_order_submit_rate", "100 per second")  # both lines
        releases.activate(releases.V1)
        assert field_problem("CacheConfig", "encoding", "MSG_PACK")
    finally:
        releases.activate(before)
