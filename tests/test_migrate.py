"""``ntprofile migrate``: the rename table held to both installed releases, and the real CLI on real files.

The table (``ntprofile.migrate.plan``) is checked against NautilusTrader 1.231
(this environment) and 2.0.0rc7 (a second interpreter, asked in a subprocess:
its config classes are PyO3 objects whose constructor signatures are their
fields). The CLI runs on a copy of the shipped profiles and on a held-out set
written for 1.231 with comments, quoting styles, flow mappings and TOML tables.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TARGETS, write_profile

from ntprofile.compile import nt_types
from ntprofile.migrate import write_all
from ntprofile.migrate.plan import ADAPTERS, ANY, GONE_ADAPTERS, ITEM, SECTIONS, Combine, Dropped, Rename
from ntprofile.releases import V1, V2

V2_PYTHONS = [os.environ.get("NTPROFILE_V2_PYTHON", ""), str(REPO / ".venv-2" / "bin" / "python"), "/tmp/v2/bin/python"]

V2_FIELDS = r"""
import importlib, inspect, json, pkgutil, sys
import nautilus_trader.adapters as adapters
def cls(path):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)
def fields(c):
    return list(inspect.signature(c).parameters)
spec = json.loads(sys.argv[1])
out = {"sections": {k: fields(cls(p)) for k, p in spec["sections"].items()}, "adapters": {}, "enums": {}}
for info in pkgutil.iter_modules(adapters.__path__):
    try:
        module = importlib.import_module(f"nautilus_trader.adapters.{info.name}")
    except Exception:
        continue
    out["adapters"][info.name] = {
        n: fields(getattr(module, n)) for n in dir(module)
        if n.endswith(("DataClientConfig", "ExecutionClientConfig", "InstrumentProviderConfig"))
    }
out["required_account_id"] = sorted(
    name for name, classes in out["adapters"].items()
    for cls in classes if cls.endswith("ExecutionClientConfig")
    and inspect.signature(getattr(importlib.import_module(f"nautilus_trader.adapters.{name}"), cls))
    .parameters.get("account_id", inspect.Parameter("x", inspect.Parameter.KEYWORD_ONLY, default=None)).default
    is inspect.Parameter.empty
)
for path in spec["enums"]:
    out["enums"][path] = list(cls(path).__members__) if hasattr(cls(path), "__members__") else [
        n for n in dir(cls(path)) if n.isupper()]
print(json.dumps(out))
"""


def _class(path: str) -> Any:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _value_maps() -> list:
    return [r.values for rules in (SECTIONS, *ADAPTERS.values()) for r in rules if isinstance(r, Rename) and r.values]


@cache
def v2() -> dict[str, Any]:
    """2.0.0rc7's fields of every section, of every adapter's client configs, and its enums' members."""
    python = next((p for p in V2_PYTHONS if p and Path(p).is_file()), None)
    if python is None:
        pytest.skip("no NautilusTrader 2.0.0rc7 interpreter (.venv-2, or NTPROFILE_V2_PYTHON)")
    sections = dict(V2.sections)
    sections["node"] = V2.node_class
    sections[V2.catalogs[0]] = V2.catalogs[1]
    sections["cache.database"] = V2.redis_class
    sections["logging.file_config"] = "nautilus_trader.common:FileWriterConfig"
    spec = {"sections": sections, "enums": sorted({m.new_enum for m in _value_maps()})}
    proc = subprocess.run(
        [python, "-c", V2_FIELDS, json.dumps(spec)], capture_output=True, text=True, timeout=120, cwd="/"
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def v1_sections() -> dict[str, list[str]]:
    """1.231's fields of every section ntprofile compiles, by profile path (``cache.database``, ``catalogs``)."""
    from ntprofile.compile.node_tree import node_scalars

    out = {section: list(nt_types.struct_fields(_class(path))) for section, path in V1.sections.items()}
    out["node"] = node_scalars()
    out[V1.catalogs[0]] = list(nt_types.struct_fields(_class(V1.catalogs[1])))
    out["cache.database"] = list(nt_types.struct_fields(_class(V1.redis_class)))
    out["message_bus.database"] = out["cache.database"]
    return out


def v2_sections() -> dict[str, list[str]]:
    """2.0's fields by profile path; ``logging.file_config`` is FileWriterConfig's.

    2.0's CacheConfig has no database: ntprofile keeps RedisCacheConfig at ``cache.database``.
    """
    out = dict(v2()["sections"])
    out["cache"] = [*out["cache"], "database"]
    return out


SECTION_RENAMES = {r.old[0]: r.new[0] for r in SECTIONS if isinstance(r, Rename) and len(r.old) == 1}


def _split(path: tuple[str, ...], sections: dict[str, list[str]]) -> tuple[str, str | None]:
    """(section key in ``sections``, field) of a profile path: ``("cache", "database", "type")`` -> ``("cache.database", "type")``."""
    parts = [p for p in path if p not in (ANY, ITEM)]
    if len(parts) == 1:
        return parts[0], None
    for cut in range(len(parts) - 1, 0, -1):
        section = ".".join(parts[:cut])
        if section in sections:
            return section, ".".join(parts[cut:])
    return ".".join(parts[:-1]), parts[-1]


def _has(sections: dict[str, list[str]], path: tuple[str, ...]) -> bool:
    section, name = _split(path, sections)
    if name is None:
        return section in sections
    return name in sections.get(section, ())


def _renamed_section(path: tuple[str, ...]) -> tuple[str, ...]:
    return (SECTION_RENAMES.get(path[0], path[0]), *path[1:])


def _olds(rule: Any) -> list[tuple[str, ...]]:
    if isinstance(rule, Rename):
        return [rule.old]
    if isinstance(rule, Combine):
        return list(rule.old)
    return [rule.path]


# ----------------------------------------------------------------- the table against both releases


def test_every_old_path_of_the_sections_table_is_a_1_231_field() -> None:
    sections = v1_sections()
    missing = [path for rule in SECTIONS for path in _olds(rule) if not _has(sections, path)]
    assert missing == []


def test_every_new_path_is_a_2_0_field_and_every_dropped_one_is_not() -> None:
    sections = v2_sections()
    new = [_renamed_section(r.new) for r in SECTIONS if isinstance(r, (Rename, Combine))]
    assert [path for path in new if not _has(sections, path)] == []
    dropped = [_renamed_section(r.path) for r in SECTIONS if isinstance(r, Dropped)]
    assert [path for path in dropped if path[0] in sections and _has(sections, path)] == []


def test_every_1_231_field_2_0_lacks_is_in_the_table() -> None:
    """Nothing a 1.231 section can set is carried into 2.0 silently under a name 2.0 does not know."""
    old, new = v1_sections(), v2_sections()
    covered = {tuple(p for p in path if p not in (ANY, ITEM)) for rule in SECTIONS for path in _olds(rule)}
    uncovered = []
    gone = {r.path for r in SECTIONS if isinstance(r, Dropped)}
    for section, names in old.items():
        if tuple(section.split(".")) in gone:
            continue  # the whole section goes, reported as one finding
        target = ".".join(_renamed_section(tuple(section.split("."))))
        for name in names:
            path = (*section.split("."), name)
            if name not in new.get(target, ()) and path not in covered:
                uncovered.append(".".join(path))
    assert uncovered == []


def _v1_adapter(name: str) -> Any:
    return importlib.import_module(f"ntprofile.adapters.{name}").ADAPTER


def _v1_client_fields(name: str) -> set[str]:
    adapter = _v1_adapter(name)
    specs = [spec for spec in (adapter.data, adapter.exec) if spec is not None]
    fields = {f for spec in specs for f in nt_types.struct_fields(_class(spec.config))}
    return fields - {adapter.environment_field}  # the profile's own `environment` key, mapped per adapter


def _v2_client_fields(name: str) -> set[str]:
    classes = v2()["adapters"][name]
    return {f for cls, fields in classes.items() if cls.endswith("ClientConfig") for f in fields}


def _nested(name: str, kind: str) -> tuple[set[str], set[str]]:
    """1.231 and 2.0 fields of the adapter's nested instrument provider config, when 2.0 keeps it."""
    adapter = _v1_adapter(name)
    old = set(nt_types.struct_fields(_class(adapter.nested[kind]))) if kind in adapter.nested else set()
    new = {f for cls, fields in v2()["adapters"][name].items() if cls.endswith("InstrumentProviderConfig") for f in fields}
    return old, new


V1_ADAPTERS = sorted(p.stem for p in (REPO / "compiler" / "ntprofile" / "adapters").glob("*.py") if p.stem != "__init__")


def test_every_1_231_adapter_is_carried_or_reported() -> None:
    assert sorted(set(ADAPTERS) | set(GONE_ADAPTERS)) == V1_ADAPTERS
    assert set(ADAPTERS).isdisjoint(GONE_ADAPTERS)
    assert sorted(a for a in V1_ADAPTERS if a not in v2()["adapters"]) == sorted(GONE_ADAPTERS)


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_adapter_rules_hold_against_both_releases(name: str) -> None:
    old, new = _v1_client_fields(name), _v2_client_fields(name)
    provider_old, provider_new = _nested(name, "instrument_provider")
    rules = ADAPTERS[name]

    def has(fields: set[str], nested: set[str], path: tuple[str, ...]) -> bool:
        if len(path) == 2 and path[0] == "instrument_provider":
            return path[1] in nested
        return path[0] in fields

    assert [p for r in rules for p in _olds(r) if not has(old, provider_old, p)] == [], "old paths not in 1.231"
    assert [r.new for r in rules if isinstance(r, Rename) and not has(new, provider_new, r.new)] == []
    assert [r.path for r in rules if isinstance(r, Dropped) and has(new, provider_new, r.path)] == []
    covered = {p for r in rules for p in _olds(r)}
    assert sorted(f for f in old - new if (f,) not in covered) == [], "1.231 fields 2.0 lacks, not in the table"
    if provider_new:
        lost = sorted(f for f in provider_old - provider_new if ("instrument_provider", f) not in covered)
        assert lost == []


def test_value_maps_name_every_1_231_member_and_only_2_0_members() -> None:
    maps = _value_maps()
    assert maps
    for value_map in maps:
        if value_map.old_enum is not None:
            assert sorted(value_map.values) == sorted(m.name for m in _class(value_map.old_enum))
        members = set(v2()["enums"][value_map.new_enum])
        assert {v for v in value_map.values.values() if v} <= members


# ----------------------------------------------------------------- the CLI on the shipped profiles


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


PAPER_FEES = {
    "profiles/paper-binance.yaml:18:3: error[M002] exchanges.PAPER",
    "profiles/paper-bybit.yaml:18:3: error[M002] exchanges.PAPER",
}
"""What the operator must still decide for the shipped profiles on 2.0: the sandbox's fees."""


def _findings(stderr: str) -> set[str]:
    return {line.split(": 2.0 requires")[0].split(": no NautilusTrader")[0] for line in stderr.splitlines() if "[M00" in line}


def test_plan_prints_a_diff_and_changes_nothing(project: Path, cli) -> None:
    before = _snapshot(project)
    result = cli("migrate", "--to", "2.0.0rc7", cwd=project)
    assert result.returncode == 1, result.output  # settings without a 2.0 equivalent are listed
    assert "--- a/profiles/env/production.yaml\n+++ b/profiles/env/production.yaml" in result.stdout
    assert "-  timeout_post_stop: 5.0\n" in result.stdout and "+  delay_post_stop_secs: 5.0\n" in result.stdout
    assert "-    account_type: USDT_FUTURES\n+    product_type: USD_M\n" in result.stdout
    assert (
        "profiles/exchanges/bybit.yaml:14:7: error[M001] exchanges.BYBIT.exec.position_mode: "
        "no NautilusTrader 2.0 equivalent; removed" in result.stderr
    )
    assert "profiles/base.yaml:21:3: error[M001] data_engine.graceful_shutdown_on_exception" in result.stderr
    assert "nothing written" in result.stderr
    assert PAPER_FEES <= _findings(result.stderr)
    assert "(1.231 charged each instrument's own maker/taker fees;" in result.stderr
    assert _snapshot(project) == before


def test_write_renames_in_place_and_keeps_comments_order_and_quoting(project: Path, cli) -> None:
    result = cli("migrate", "--to", "2.0.0rc7", "--write", cwd=project)
    assert result.returncode == 1, result.output
    assert result.stdout == ""
    profiles = project / "profiles"
    base = (profiles / "base.yaml").read_text(encoding="utf-8").splitlines()
    assert base[0] == "# yaml-language-server: $schema=../schemas/profile.schema.json"
    assert "  database: null            # in-memory; env/production.yaml adds Redis" in base
    assert '  max_order_submit_rate: "100/00:00:01"' in base  # double quotes kept
    assert base[8:13] == [
        "  timeout_connection_secs: 30.0",
        "  timeout_reconciliation_secs: 10.0",
        "  timeout_portfolio_secs: 10.0",
        "  timeout_disconnection_secs: 10.0",
        "  delay_post_stop_secs: 5.0",
    ]
    assert "data_engine:" not in base  # its only setting has no 2.0 equivalent
    production = (profiles / "env" / "production.yaml").read_text(encoding="utf-8")
    assert production.endswith(
        "logging:\n  stdout_level: INFO\n  fileout_level: DEBUG\n  file_config:\n    directory: logs\n"
        "    file_format: json\n    file_rotate: [104857600, 10]\n"
    )
    binance = (profiles / "exchanges" / "binance.yaml").read_text(encoding="utf-8")
    assert "    adapter: binance\n    account_id: BINANCE-USDT_FUTURES-master\n    environment: testnet\n" in binance
    assert "    type: redis\n" not in production and "    host: ${REDIS_HOST:-127.0.0.1}\n" in production
    paper = (profiles / "paper-binance.yaml").read_text(encoding="utf-8")
    assert paper == (REPO / "profiles" / "paper-binance.yaml").read_text(encoding="utf-8")  # nothing to change
    for path in profiles.rglob("*"):
        if path.suffix == ".yaml":
            assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)
        elif path.suffix == ".toml":
            assert isinstance(tomllib.loads(path.read_text(encoding="utf-8")), dict)
    assert not [p for p in project.rglob(".*") if p.is_file()]  # no temporary file left

    again = cli("migrate", "--to", "2.0.0rc7", cwd=project)
    if "already target" not in again.stdout:  # no 2.0 schema packaged: the plan runs again, changing nothing
        assert again.stdout == ""
        assert _findings(again.stderr) == PAPER_FEES


def test_migrated_shipped_profiles_validate_against_the_2_0_schema(project: Path, cli) -> None:
    packaged = V2.schema_path()
    if not packaged.is_file():
        pytest.skip(f"{packaged.name} is not packaged yet")
    cli("migrate", "--to", "2.0.0rc7", "--write", cwd=project)
    written = json.loads((project / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    assert written["x-nautilus-trader-version"] == "2.0.0rc7"
    from jsonschema import Draft202012Validator

    from ntprofile.layers import Workspace

    validator = Draft202012Validator(written).evolve(schema=written["$defs"]["target"])
    workspace = Workspace(project / "profiles")
    for target in TARGETS:
        merged, diags = workspace.merge(target)
        assert merged is not None, diags
        errors = [f"{target}: {'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(merged.tree)]
        assert errors == []


def test_an_unknown_release_is_a_usage_error_naming_the_supported_ones(project: Path, cli) -> None:
    result = cli("migrate", "--to", "2.1.0", cwd=project)
    assert result.returncode == 2
    assert "unknown release '2.1.0'" in result.stderr and "1.231.0, 2.0.0rc7" in result.stderr


def test_the_release_the_repository_targets_is_a_no_op(project: Path, cli) -> None:
    before = _snapshot(project)
    result = cli("migrate", "--to", "1.231.0", "--write", cwd=project)
    assert result.returncode == 0
    assert "already target NautilusTrader 1.231.0; nothing to migrate" in result.stdout
    assert _snapshot(project) == before


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(project: Path) -> None:
    """The process may write no byte (RLIMIT_FSIZE 0): one line, exit 1, every file as it was, no temp file."""
    import resource

    from conftest import clean_env

    before = _snapshot(project)
    proc = subprocess.run(
        [sys.executable, "-m", "ntprofile", "migrate", "--to", "2.0.0rc7", "--write"],
        cwd=project,
        env=clean_env(PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)),
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("migrate: cannot write ") and "nothing written" in proc.stderr
    assert _snapshot(project) == before


def test_writing_is_all_or_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("old\n", encoding="utf-8")
    (tmp_path / "blocker").write_text("a file where a folder should be\n", encoding="utf-8")
    with pytest.raises(OSError):
        write_all({first: "new\n", tmp_path / "blocker" / "b.yaml": "new\n"})
    assert first.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "blocker"]


# ----------------------------------------------------------------- a held-out repository written for 1.231

HELD_BASE = """\
# Held-out layer: written by hand for NautilusTrader 1.231.
profile:
  description: 'held-out base'   # single quotes

node: {trader_id: HELD-001, timeout_connection: 20.0, timeout_shutdown: 3}

message_bus:
  encoding: json
  database: {type: redis, host: 127.0.0.1}

emulator:
  debug: true

# the logging section
logging:
  log_level: "INFO"      # console
  # files go here
  log_directory: '/var/log/nt'
  log_file_format: json  # for the shipper
  log_colors: false
  use_pyo3: true
  # after the removed key

catalogs:
  - path: /data/catalog
    fs_protocol: file
    fs_storage_options: {anon: true}
"""

HELD_TARGET = """\
#:schema ../schemas/profile.schema.json
# Held-out TOML target: tables, an inline table and comments.
extends = ["base", "exchanges/spot"]

[profile]
stage = "testnet"

[node]
trader_id = 'HELD-002'   # literal string
timeout_post_stop = 2.5  # seconds

[logging]
log_level = "DEBUG"
log_directory = "/var/log/nt"  # files
log_file_max_size = 1048576  # one MiB
log_file_max_backup_count = 3

[exchanges.BINANCE]
adapter = "binance"
environment = "testnet"
api_key = "${BINANCE_TESTNET_API_KEY}"
api_secret = "${BINANCE_TESTNET_API_SECRET}"
account_type = "USDT_FUTURES"  # USD-margined
data = {update_instruments_interval_mins = 60, use_agg_trade_ticks = true}

[exchanges.MEX]
adapter = "bitmex"
environment = "testnet"
"""

HELD_SPOT = """\
exchanges:
  SPOT:
    adapter: binance
    account_type: ISOLATED_MARGIN
"""


@pytest.fixture
def held_out(tmp_path: Path) -> Path:
    write_profile(tmp_path, "base.yaml", HELD_BASE)
    write_profile(tmp_path, "held.toml", HELD_TARGET)
    write_profile(tmp_path, "exchanges/spot.yaml", HELD_SPOT)
    write_profile(tmp_path, "exchanges/dydx.yaml", "exchanges:\n  DYDX:\n    adapter: dydx\n    subaccount: 2\n")
    return tmp_path


def test_held_out_plan_reports_every_setting_without_equivalent_at_its_line(held_out: Path, cli) -> None:
    result = cli("migrate", "--to", "2.0.0rc7", cwd=held_out)
    assert result.returncode == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "[M00" in line]
    found = {(line.split(": ")[0], line.split("] ")[1].split(":")[0]) for line in lines}
    assert found == {
        ("profiles/base.yaml:9:3", "message_bus.database"),
        ("profiles/base.yaml:11:1", "emulator"),
        ("profiles/base.yaml:21:3", "logging.use_pyo3"),
        ("profiles/base.yaml:27:5", "catalogs[0].fs_storage_options"),
        ("profiles/held.toml:26:12", "exchanges.MEX"),
        ("profiles/held.toml:24:48", "exchanges.BINANCE.data.use_agg_trade_ticks"),
        ("profiles/exchanges/spot.yaml:4:5", "exchanges.SPOT.account_type"),
        ("profiles/exchanges/dydx.yaml:2:3", "exchanges.DYDX"),
    }, result.stderr
    assert "2.0 requires account_id here; 1.231 used DYDX-{wallet_address}-{subaccount}" in result.stderr
    assert "NautilusTrader 2.0 has no BitMEX adapter" in result.stderr
    assert "2.0 takes SPOT, MARGIN, USD_M, COIN_M" in result.stderr


def test_held_out_write_keeps_comments_quoting_flow_style_and_toml(held_out: Path, cli) -> None:
    cli("migrate", "--to", "2.0.0rc7", "--write", cwd=held_out)
    base = (held_out / "profiles" / "base.yaml").read_text(encoding="utf-8")
    assert base.startswith("# Held-out layer: written by hand for NautilusTrader 1.231.\n")
    assert "  description: 'held-out base'   # single quotes\n" in base
    assert "node: {trader_id: HELD-001, timeout_connection_secs: 20.0, timeout_shutdown_secs: 3}\n" in base
    assert "msgbus:\n  encoding: JSON\n\n# the logging section\nlogging:\n" in base
    assert "emulator" not in base and "use_pyo3" not in base and "fs_storage_options" not in base
    assert (
        '  stdout_level: "INFO"      # console\n  # files go here\n  file_config:\n'
        "    directory: '/var/log/nt'\n    file_format: json  # for the shipper\n  is_colored: false\n"
        "  # after the removed key\n"
    ) in base, base
    assert "  - path: /data/catalog\n    fs_protocol: file\n" in base
    held = (held_out / "profiles" / "held.toml").read_text(encoding="utf-8")
    assert "trader_id = 'HELD-002'   # literal string\ndelay_post_stop_secs = 2.5  # seconds\n" in held
    assert (
        'stdout_level = "DEBUG"\nfile_config.directory = "/var/log/nt"  # files\n'
        "file_config.file_rotate = [1048576, 3]\n"
    ) in held  # dotted keys where the keys stood
    assert 'adapter = "binance"\naccount_id = "BINANCE-USDT_FUTURES-master"\nenvironment = "testnet"\n' in held
    assert 'product_type = "USD_M"  # USD-margined\n' in held
    assert "data = {instrument_refresh_interval_secs = 3600}\n" in held  # minutes -> seconds
    assert '[exchanges.MEX]\nadapter = "bitmex"\n' in held  # reported, kept for the operator to decide
    assert tomllib.loads(held)["logging"]["file_config"] == {"directory": "/var/log/nt", "file_rotate": [1048576, 3]}
    assert yaml.safe_load(base)["logging"]["file_config"] == {"directory": "/var/log/nt", "file_format": "json"}
    spot = (held_out / "profiles" / "exchanges" / "spot.yaml").read_text(encoding="utf-8")
    assert "    product_type: ISOLATED_MARGIN\n" in spot  # renamed; the value is the operator's choice (M002)
    assert "    adapter: binance\n    account_id: SPOT-ISOLATED_MARGIN-master\n" in spot  # the account 1.231 traded

    again = cli("migrate", "--to", "2.0.0rc7", cwd=held_out)
    if V2.schema_path().is_file():  # the repository now states 2.0.0rc7
        assert "already target NautilusTrader 2.0.0rc7" in again.stdout
        return
    assert again.stdout == ""  # no file changes any more
    assert [line.split(": error")[0] for line in again.stderr.splitlines() if "[M00" in line] == [
        "profiles/exchanges/dydx.yaml:2:3",  # the account id to set by hand
        "profiles/held.toml:26:12",  # BitMEX, kept for the operator to remove
    ]


def test_held_out_migrated_validates_against_the_2_0_schema_but_for_what_was_reported(held_out: Path, cli) -> None:
    packaged = V2.schema_path()
    if not packaged.is_file():
        pytest.skip(f"{packaged.name} is not packaged yet")
    cli("migrate", "--to", "2.0.0rc7", "--write", cwd=held_out)
    from jsonschema import Draft202012Validator

    from ntprofile.layers import Workspace

    schema = json.loads((held_out / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema).evolve(schema=schema["$defs"]["target"])
    merged, diags = Workspace(held_out / "profiles").merge("held")
    assert merged is not None, diags
    paths = {".".join(map(str, e.absolute_path)) for e in validator.iter_errors(merged.tree)}
    wrong = {"exchanges.MEX" if path.startswith("exchanges.MEX.") else path for path in paths}
    # BitMEX (M001, kept for the operator) and ISOLATED_MARGIN (M002, the value to choose) only
    assert wrong == {"exchanges.MEX", "exchanges.SPOT.product_type"}


def test_comments_of_the_next_key_stay_when_a_key_goes(tmp_path: Path, cli) -> None:
    write_profile(
        tmp_path,
        "base.yaml",
        "data_engine:\n  qsize: 1000   # dropped\n  # about debug\n  debug: false\n"
        "exec_engine:\n  debug: true\n  qsize: 5  # dropped, last\n  # closing note\n\nnode:\n  trader_id: T-001\n",
    )
    result = cli("migrate", "--to", "2.0.0rc7", "--write", cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert (tmp_path / "profiles" / "base.yaml").read_text(encoding="utf-8") == (
        "data_engine:\n  # about debug\n  debug: false\nexec_engine:\n  debug: true\n  # closing note\n\n"
        "node:\n  trader_id: T-001\n"
    )


def test_a_file_that_does_not_load_stops_the_plan_and_nothing_is_written(project: Path, cli) -> None:
    write_profile(project, "broken.yaml", "node: [unclosed\n")
    before = _snapshot(project)
    result = cli("migrate", "--to", "2.0.0rc7", "--write", cwd=project)
    assert result.returncode == 1
    assert "profiles/broken.yaml:" in result.stderr and "[Y003]" in result.stderr
    assert _snapshot(project) == before


def test_a_migrated_repository_plans_nothing(project: Path, cli) -> None:
    """Whatever the repository's schema states afterwards, the tables find nothing left to change."""
    from ntprofile.layers import Workspace
    from ntprofile.migrate import plan_repository

    cli("migrate", "--to", "2.0.0rc7", "--write", cwd=project)
    migration = plan_repository(Workspace(project / "profiles"))
    assert migration.changes == []
    assert sorted((Path(d.pos.file).name, d.message) for d in migration.diagnostics) == [
        ("paper-binance.yaml", "2.0 requires fee_model here"),  # the operator's decision, asked again
        ("paper-bybit.yaml", "2.0 requires fee_model here"),
    ]


def test_a_document_start_and_the_comments_around_it_stay(tmp_path: Path, cli) -> None:
    write_profile(tmp_path, "base.yaml", "# above\n--- # start\n# below\nlogging:\n  log_level: info  # console\n")
    cli("migrate", "--to", "2.0.0rc7", "--write", cwd=tmp_path)
    assert (tmp_path / "profiles" / "base.yaml").read_text(encoding="utf-8") == (
        "# above\n--- # start\n# below\nlogging:\n  stdout_level: INFO  # console\n"
    )


def test_account_id_templates_are_the_ones_1_231_builds() -> None:
    """Each template's fixed part is what 1.231's exec client writes after its last placeholder."""
    from ntprofile.migrate.plan import REQUIRED

    for name, spec in REQUIRED.items():
        source = Path(importlib.import_module(spec.source).__file__).read_text(encoding="utf-8")
        if spec.template is None:
            assert spec.advice, name
            continue
        built = [line.strip() for line in source.splitlines() if 'AccountId(f"' in line]
        assert len(built) == 1, name
        assert built[0].split("}")[-1].startswith(spec.template.split("}")[-1] + '"'), (name, built[0])


def test_account_ids_cover_every_2_0_exec_config_that_requires_one() -> None:
    from ntprofile.migrate.plan import REQUIRED

    required = set(v2()["required_account_id"])
    assert sorted(n for n, spec in REQUIRED.items() if spec.name == "account_id") == sorted(required & set(ADAPTERS))


def test_the_plan_never_prints_a_credential_the_files_spell(tmp_path: Path, cli) -> None:
    write_profile(
        tmp_path,
        "base.yaml",
        "cache:\n  database:\n    type: redis\n    password: literal-redis-pw-1234\n    username: ${REDIS_USER:-k9}\n"
        "    ssl: false\nmessage_bus:\n  encoding: json\n"
        "exchanges:\n  BINANCE:\n    api_secret: ${BINANCE_API_SECRET:-default-binance-secret-99}\n"
        "    account_type: SPOT\n",
    )
    result = cli("migrate", "--to", "2.0.0rc7", cwd=tmp_path)
    assert "-    type: redis" in result.stdout and "+    product_type: SPOT" in result.stdout
    assert "password: ***" in result.stdout and "${BINANCE_API_SECRET:-***}" in result.stdout
    for secret in ("literal-redis-pw-1234", "default-binance-secret-99"):
        assert secret not in result.output
