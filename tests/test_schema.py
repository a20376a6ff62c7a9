"""The generated JSON Schema and the two schema passes (file alone, merged target)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import PROFILES, REPO, TARGETS, write_profile
from ntprofile.diagnostics import Diagnostic
from ntprofile.diagnostics.reporters import github_line, json_record
from ntprofile.layers import Workspace
from ntprofile.validate.schema import SCHEMA_PATH, check_document, check_merged, schema, secret_fields

SCHEMA_FILE = REPO / "schemas" / "profile.schema.json"
CANARY = "CANARY-7f3a9c1e55d0"


# ---------------------------------------------------------------- helpers


def write(project: Path, name: str, text: str) -> Path:
    return write_profile(project, name, textwrap.dedent(text).lstrip("\n"))


def file_findings(project: Path, name: str) -> list[Diagnostic]:
    doc, diags = Workspace(project / "profiles").document(name)
    assert doc is not None, diags
    return check_document(doc)


def merged_findings(project: Path, name: str) -> list[Diagnostic]:
    merged, diags = Workspace(project / "profiles").merge(name)
    assert merged is not None, diags
    return check_merged(merged)


def only(diags: list[Diagnostic], key: str) -> Diagnostic:
    found = [d for d in diags if d.key == key]
    assert len(found) == 1, [d.render() for d in diags]
    return found[0]


def where(d: Diagnostic) -> tuple[str, int, int]:
    assert d.pos is not None
    return Path(d.pos.file).name, d.pos.line, d.pos.col


# ------------------------------------------------------------- the schema


def test_committed_schema_matches_installed_nautilus_trader() -> None:
    """Drift: regenerate in-process; a NautilusTrader upgrade or a generator change must be committed."""
    from ntprofile.schema.generate import generated_text

    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated_text(), (
        "schemas/profile.schema.json is stale: run `ntprofile schema` and commit it"
    )


def test_schema_check_of_a_2_0_repository_with_1x_installed_checks_the_packaged_1x_schema(tmp_path: Path) -> None:
    """A repository of the other line is read in its own names, the schema generated in the installed one's."""
    import shutil

    shutil.copytree(REPO / "tests" / "v2" / "profiles", tmp_path / "profiles")
    (tmp_path / "schemas").mkdir()
    shutil.copy(SCHEMA_PATH.parent / "profile-2.0.0rc7.schema.json", tmp_path / "schemas" / "profile.schema.json")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ntprofile"), "schema", "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(the packaged 1.231.0 schema) is up to date" in result.stdout


def test_schema_is_valid_draft_2020_12_and_names_its_nautilus_version() -> None:
    from importlib import metadata

    from jsonschema import Draft202012Validator

    loaded = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(loaded)
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert loaded["x-nautilus-trader-version"] == metadata.version("nautilus_trader")
    assert SCHEMA_FILE.read_text(encoding="utf-8").endswith("}\n")


def test_schema_marks_secrets_write_only_and_describes_fields() -> None:
    assert {"api_key", "api_secret", "password"} <= secret_fields()
    defs = schema()["$defs"]
    assert defs["DatabaseConfig"]["properties"]["password"]["writeOnly"] is True
    reconciliation = defs["LiveExecEngineConfig"]["properties"]["reconciliation"]["description"]
    assert "reconcil" in reconciliation.lower()  # from NautilusTrader's docstring
    assert defs["exchange.binance"]["properties"]["venue"]["default"] == "BINANCE"  # Binance not skipped


def test_packaged_copy_is_the_committed_schema() -> None:
    assert SCHEMA_PATH.read_bytes() == SCHEMA_FILE.read_bytes()
    assert '"schema/*.json"' in (REPO / "pyproject.toml").read_text()  # package-data carries it into wheels


def test_schema_check_never_imports_nautilus_trader() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from ntprofile.layers import Workspace
        from ntprofile.validate.schema import check_document, check_merged
        ws = Workspace({str(REPO / "profiles")!r})
        for name in ws.files:
            assert check_document(ws.document(name)[0]) == []
        for name in ws.targets():
            assert check_merged(ws.merge(name)[0]) == []
        assert "nautilus_trader" not in sys.modules, "validate path imported nautilus_trader"
        assert "msgspec" not in sys.modules
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


# ------------------------------------------------------ shipped profiles pass


SHIPPED = sorted(
    p.relative_to(REPO / "profiles").as_posix().rsplit(".", 1)[0]
    for p in (REPO / "profiles").rglob("*")
    if p.suffix in (".yaml", ".yml", ".toml")
)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_passes_alone(name: str) -> None:
    doc, diags = Workspace(REPO / "profiles").document(name)
    assert doc is not None and not diags
    assert check_document(doc) == []


@pytest.mark.parametrize("target", TARGETS)
def test_every_shipped_target_passes_merged(target: str) -> None:
    merged, diags = Workspace(REPO / "profiles").merge(target)
    assert merged is not None and not diags
    assert check_merged(merged) == []


# ------------------------------------------------------- one per failure class


def test_v001_unknown_key_with_hint(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        exec_engine:
          reconciliation: true
          reconcilation_lookback_mins: 60
        """,
    )
    d = only(file_findings(project, "env/bad"), "exec_engine.reconcilation_lookback_mins")
    assert (d.code, where(d), d.hint) == ("V001", ("bad.yaml", 3, 3), "did you mean 'reconciliation_lookback_mins'?")


def test_v001_unknown_exchange_option_for_its_adapter(project: Path) -> None:
    write(
        project,
        "exchanges/bad.yaml",
        """
        exchanges:
          BYBIT:
            account_type: USDT_FUTURES
        """,
    )
    d = only(file_findings(project, "exchanges/bad"), "exchanges.BYBIT.account_type")
    assert (d.code, where(d)) == ("V001", ("bad.yaml", 3, 5))


def test_v002_wrong_type(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        node:
          timeout_connection: fast
        """,
    )
    d = only(file_findings(project, "env/bad"), "node.timeout_connection")
    assert (d.code, where(d)) == ("V002", ("bad.yaml", 2, 3))
    assert "expected number" in d.message and "placeholder" in d.message


def test_v002_anyof_gives_one_readable_line(project: Path) -> None:
    write(
        project,
        "exchanges/bad.yaml",
        """
        exchanges:
          BINANCE:
            exec: true
        """,
    )
    d = only(file_findings(project, "exchanges/bad"), "exchanges.BINANCE.exec")
    assert d.code == "V002" and d.message == "expected false or object, got boolean true"


def test_v003_enum_with_hint(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        profile:
          stage: prodution
        """,
    )
    d = only(file_findings(project, "env/bad"), "profile.stage")
    assert (d.code, where(d), d.hint) == ("V003", ("bad.yaml", 2, 3), "did you mean 'production'?")


def test_v003_adapter_enum_in_adapter_spelling(project: Path) -> None:
    write(
        project,
        "exchanges/bad.yaml",
        """
        exchanges:
          BINANCE:
            account_type: usdt_futures
        """,
    )
    d = only(file_findings(project, "exchanges/bad"), "exchanges.BINANCE.account_type")
    assert (d.code, d.hint) == ("V003", "did you mean 'USDT_FUTURES'?")


@pytest.mark.parametrize("trader_id", ["TRADER1", "TESTNET-ÜNÏ-001", "PROD 1-001"])
def test_v003_trader_id_pattern(project: Path, trader_id: str) -> None:
    """No hyphen, non-ASCII or a space: each would panic in Rust when the node is built."""
    write(
        project,
        "env/bad.yaml",
        f"""
        node:
          trader_id: {trader_id}
        """,
    )
    d = only(file_findings(project, "env/bad"), "node.trader_id")
    assert (d.code, where(d)) == ("V003", ("bad.yaml", 2, 3))
    assert "NAME-TAG" in d.message


def test_v003_rate_limit_pattern(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        risk_engine:
          max_order_submit_rate: 100 per second
        """,
    )
    d = only(file_findings(project, "env/bad"), "risk_engine.max_order_submit_rate")
    assert (d.code, where(d)) == ("V003", ("bad.yaml", 2, 3))
    assert "<count>/<HH:MM:SS>" in d.message


@pytest.mark.parametrize("trader_id", ["PROD--001", "PROD-BYBIT-001-", "PROD BYBIT-001", "-PROD-001", "TRADER1"])
def test_v003_trader_id_message_says_what_the_form_is(project: Path, trader_id: str) -> None:
    """Not "without a hyphen" for a value that has hyphens: the form itself, stated once."""
    write(project, "env/bad.yaml", f"node:\n  trader_id: '{trader_id}'\n")
    d = only(file_findings(project, "env/bad"), "node.trader_id")
    assert "without a hyphen" not in d.message
    assert f"'{trader_id}' is not of the form NAME-TAG" in d.message
    assert "joined by single hyphens" in d.message and "ASCII letters, digits, '_' and '.'" in d.message


@pytest.mark.parametrize(
    "rate, reason",
    [
        ("0/00:00:01", "the count must be positive"),
        ("000/00:00:01", "the count must be positive"),
        ("100/00:00:00", "the interval must be longer than zero"),
    ],
)
def test_v003_rate_limit_with_zero_count_or_interval(project: Path, rate: str, reason: str) -> None:
    """Compile refuses them (prechecks.rate_limit_problem): the schema must too, for validate and the editor."""
    write(project, "env/bad.yaml", f"risk_engine:\n  max_order_modify_rate: '{rate}'\n")
    d = only(file_findings(project, "env/bad"), "risk_engine.max_order_modify_rate")
    assert (d.code, where(d)) == ("V003", ("bad.yaml", 2, 3))
    assert reason in d.message


@pytest.mark.parametrize(
    "rate",
    [
        "100/00:00:01",
        "1/00:00:00",
        "0/00:00:01",
        "01/00:00:01",
        "007/01:00:00",
        "5/00:01:00",
        "5/99:59:59",
        "5/00:60:00",
        "5/00:00:60",
        "5/0:00:01",
        "-1/00:00:01",
        "5/00:00:00",
        "00/00:00:00",
        "1/00:00:01 ",
        "100 per second",
        "",
    ],
)
def test_rate_limit_pattern_agrees_with_compile(rate: str) -> None:
    import re

    from ntprofile.language.constraints import rate_limit_problem
    from ntprofile.schema.refine import RATE_LIMIT_PATTERN

    assert (re.search(RATE_LIMIT_PATTERN, rate) is not None) == (rate_limit_problem(rate) is None), rate


def test_v003_log_file_format_says_to_write_json_or_null(project: Path) -> None:
    write(project, "env/bad.yaml", "logging:\n  log_file_format: plain\n")
    d = only(file_findings(project, "env/bad"), "logging.log_file_format")
    assert d.code == "V003"
    assert "is not one of" not in d.message
    assert d.message.startswith("'plain' is not a log file format")
    assert d.hint == "write json, or null for plain text"


@pytest.mark.parametrize("spelling", ["json", "JSON", "Json", "null", "${LOG_FORMAT:-json}"])
def test_log_file_format_accepts_json_in_any_case_and_null(project: Path, spelling: str) -> None:
    """NautilusTrader 1.231 writes JSON for any case of 'json' and plain text for None."""
    write(project, "env/ok.yaml", f"logging:\n  log_file_format: '{spelling}'\n".replace("'null'", "null"))
    assert file_findings(project, "env/ok") == []


def test_v003_port_out_of_range(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        cache:
          database:
            type: redis
            port: 70000
        """,
    )
    d = only(file_findings(project, "env/bad"), "cache.database.port")
    assert (d.code, where(d)) == ("V003", ("bad.yaml", 4, 5))
    assert "65535" in d.message


def test_placeholders_accepted_in_every_scalar_position(project: Path) -> None:
    write(
        project,
        "env/ok.yaml",
        """
        node:
          trader_id: ${TRADER_ID:-PROD-001}
          timeout_connection: $TIMEOUT
        cache:
          database:
            port: ${REDIS_PORT:-6379}
        risk_engine:
          max_order_submit_rate: ${RATE}
        exchanges:
          BYBIT:
            product_types: [LINEAR, "${MORE}"]
        """,
    )
    assert file_findings(project, "env/ok") == []


def test_toml_positions(project: Path) -> None:
    write(
        project,
        "env/bad.toml",
        """
        [cache.database]
        port = 0
        """,
    )
    d = only(file_findings(project, "env/bad"), "cache.database.port")
    assert (d.code, where(d)) == ("V003", ("bad.toml", 2, 1))


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("node: {trader_id: T-1}\nexchanges: {BINANCE: {}}\n", "profile.stage"),
        ("profile: {stage: testnet}\nexchanges: {BINANCE: {}}\n", "node.trader_id"),
        ("profile: {stage: testnet}\nnode: {trader_id: T-1}\n", "exchanges"),
    ],
)
def test_v004_missing_required_points_at_the_target(project: Path, body: str, key: str) -> None:
    write(project, "t.yaml", body)
    assert file_findings(project, "t") == []  # alone it is a valid partial profile
    d = only(merged_findings(project, "t"), key)
    assert (d.code, where(d)) == ("V004", ("t.yaml", 1, 1))


def test_v004_no_enabled_exchange(project: Path) -> None:
    write(
        project,
        "t.yaml",
        """
        extends: [exchanges/binance]
        profile: {stage: testnet}
        node: {trader_id: T-1}
        exchanges:
          BINANCE: {enabled: false}
        """,
    )
    d = only(merged_findings(project, "t"), "exchanges")
    assert d.code == "V004" and "enabled" in d.message


def test_v004_client_id_without_adapter(project: Path) -> None:
    write(
        project,
        "t.yaml",
        """
        profile: {stage: testnet}
        node: {trader_id: T-1}
        exchanges:
          FTX: {environment: testnet}
        """,
    )
    assert file_findings(project, "t") == []  # another layer may set the adapter
    d = only(merged_findings(project, "t"), "exchanges.FTX.adapter")
    assert (d.code, where(d)) == ("V004", ("t.yaml", 4, 3))


def test_adapter_defaults_to_lower_cased_client_id_and_can_be_named(project: Path) -> None:
    write(
        project,
        "t.yaml",
        """
        extends: [env/testnet]
        node: {trader_id: T-1}
        exchanges:
          binance: {account_type: USDT_FUTURES}
          BINANCE_SPOT: {adapter: binance, account_type: SPOT, product_types: [SPOT]}
        """,
    )
    diags = merged_findings(project, "t")
    assert [(d.code, d.key) for d in diags] == [("V001", "exchanges.BINANCE_SPOT.product_types")]


def test_merged_error_points_at_the_layer_that_set_it(project: Path) -> None:
    write(
        project,
        "env/slow.yaml",
        """
        extends: [base]
        profile: {stage: testnet}
        cache:
          database: {type: redis, port: 99999}
        """,
    )
    write(
        project,
        "t.yaml",
        """
        extends: [env/slow, exchanges/bybit]
        node: {trader_id: T-1}
        """,
    )
    d = only(merged_findings(project, "t"), "cache.database.port")
    assert (d.code, where(d)) == ("V003", ("slow.yaml", 4, 27))


def test_every_error_is_reported_not_only_the_first(project: Path) -> None:
    write(
        project,
        "env/bad.yaml",
        """
        node: {trader_id: X, timeout_portfolio: -1}
        cache: {encoding: yaml, flush_on_strat: true}
        logging: {log_level: verbose}
        """,
    )
    codes = sorted((d.key, d.code) for d in file_findings(project, "env/bad"))
    assert codes == [
        ("cache.encoding", "V003"),
        ("cache.flush_on_strat", "V001"),
        ("logging.log_level", "V003"),
        ("node.timeout_portfolio", "V003"),
        ("node.trader_id", "V003"),
    ]


def test_free_form_strategy_config_accepts_anything(project: Path) -> None:
    write(
        project,
        "env/strats.yaml",
        """
        strategies:
          ema:
            strategy_path: my.strategies:EMACross
            config_path: my.strategies:EMACrossConfig
            config: {fast: 10, nested: {any: [1, 2]}}
          old: {enabled: false}
        actors:
          typo: {actor_pth: x}
        """,
    )
    diags = file_findings(project, "env/strats")
    assert [(d.code, d.key) for d in diags] == [("V001", "actors.typo.actor_pth")]


def test_canary_secret_never_in_any_message(project: Path) -> None:
    write(
        project,
        "env/leak.yaml",
        f"""
        cache:
          database: {{password: [{CANARY}]}}
        logging:
          log_component_levels: {{token_store: {CANARY}}}
        exchanges:
          BINANCE:
            api_key: 1234567890123
            data: {{passphrase: {CANARY}}}
            api_tokn: {CANARY}
        """,
    )
    diags = file_findings(project, "env/leak") + merged_findings(project, "env/leak")
    assert {d.code for d in diags} >= {"V001", "V002", "V003"}
    for d in diags:
        text = d.render() + json.dumps(json_record(d)) + github_line(d)
        assert CANARY not in text and "1234567890123" not in text, text


# ------------------------------------------------------------------ the CLI


def test_schema_check_command(tmp_path: Path, cli) -> None:
    ok = cli("schema", "--check", "--output", str(SCHEMA_FILE), cwd=tmp_path)
    assert ok.returncode == 0, ok.output
    stale = tmp_path / "stale.json"
    stale.write_text(SCHEMA_FILE.read_text().replace('"maximum": 65535', '"maximum": 65536'))
    bad = cli("schema", "--check", "--output", str(stale), cwd=tmp_path)
    assert bad.returncode == 1
    assert "out of date" in bad.stderr and "/$defs/DatabaseConfig/properties/port" in bad.stderr
    written = cli("schema", cwd=tmp_path)
    assert written.returncode == 0
    assert (tmp_path / "schemas" / "profile.schema.json").read_bytes() == SCHEMA_FILE.read_bytes()


def test_every_shipped_profile_names_the_schema_for_its_editor() -> None:
    """YAML files carry the yaml-language-server line, TOML files Taplo's ``#:schema``; both resolve."""
    for path in sorted(PROFILES.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".toml"):
            continue
        first = path.read_text().splitlines()[0]
        prefix = "#:schema " if path.suffix == ".toml" else "# yaml-language-server: $schema="
        assert first.startswith(prefix), path
        assert (path.parent / first.removeprefix(prefix)).resolve() == (REPO / "schemas/profile.schema.json"), path


def test_patterns_need_no_lookaround() -> None:
    """Editors' schema engines include Rust's ``regex`` (Taplo for TOML), which has no lookaround."""
    text = (REPO / "schemas/profile.schema.json").read_text()
    patterns = [v for k, v in _items(json.loads(text)) if k == "pattern"]
    assert patterns
    assert not [p for p in patterns if any(x in p for x in ("(?=", "(?!", "(?<=", "(?<!"))]


def _items(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _items(value)
    elif isinstance(node, list):
        for value in node:
            yield from _items(value)
