"""Trading-safety policy P100-P115: each rule fails where DESIGN.md says, passes next door.

Every test writes a small target next to the shipped layers (a copy in a temp
project) and validates it with the real loader, layers and rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, write_profile
from ntprofile.layers import Workspace
from ntprofile.validate import validate_target
from ntprofile.validate.policy import RULES, check_policy

PROD = """\
extends: [env/production, exchanges/bybit]
profile:
  description: a production node for the tests
node:
  trader_id: PROD-T-001
exchanges:
  BYBIT:
    environment: mainnet
    api_key: ${BYBIT_API_KEY}
    api_secret: ${BYBIT_API_SECRET}
"""
"""10 lines; text appended to it starts on line 11."""

TESTNET = """\
extends: [env/testnet, exchanges/bybit]
profile:
  description: a testnet node for the tests
node:
  trader_id: TEST-T-001
"""
"""5 lines; text appended to it starts on line 6."""


def findings(project: Path, name: str, text: str, code: str | None = None) -> list:
    write_profile(project, f"{name}.yaml", text)
    diags = validate_target(Workspace(project / "profiles"), name)
    return [d for d in diags if code is None or d.code == code]


def at(diag, project: Path, rel: str) -> tuple[Path, int, int]:
    assert Path(diag.pos.file) == project / "profiles" / rel, diag.render()
    return Path(diag.pos.file), diag.pos.line, diag.pos.col


# ------------------------------------------------------------------ baseline


def test_baseline_targets_have_no_findings(project):
    assert findings(project, "prod-t", PROD) == []
    assert findings(project, "test-t", TESTNET) == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_shipped_targets_pass_every_rule(code):
    workspace = Workspace(Path(__file__).resolve().parent.parent / "profiles")
    for target in workspace.targets():
        assert [d for d in validate_target(workspace, target) if d.code == code] == [], target


# ------------------------------------------------------------------ P101 P102


def test_p101_inherited_testnet_in_production_points_at_target_and_layer(project):
    body = PROD.replace("    environment: mainnet\n", "")
    [diag] = findings(project, "prod-t", body, "P101")
    _, line, col = at(diag, project, "prod-t.yaml")
    assert (line, col) == (7, 3)  # exchanges.BYBIT in the target
    assert diag.key == "exchanges.BYBIT.environment"
    assert "exchanges/bybit.yaml:7)" in diag.message  # the layer line that set it
    assert diag.hint == "set environment: mainnet, or use a testnet stage"
    assert diag.is_error


def test_p101_ignores_disabled_exchanges(project):
    body = PROD + "  BINANCE:\n    enabled: false\n    environment: testnet\n"
    assert findings(project, "prod-t", body, "P101") == []


def test_p102_mainnet_in_testnet(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    environment: mainnet\n"
    [diag] = findings(project, "test-t", body, "P102")
    assert at(diag, project, "test-t.yaml")[1:] == (8, 5)
    assert diag.message == "'mainnet' in a testnet profile trades real money"
    assert diag.hint == "set environment: testnet"


@pytest.mark.parametrize("env", ["testnet", "demo"])
def test_p102_passes_testnet_and_demo(project, env):
    body = TESTNET + f"exchanges:\n  BYBIT:\n    environment: {env}\n"
    assert findings(project, "test-t", body, "P102") == []


# ------------------------------------------------------------------ P103 P104 P105


def test_p103_in_memory_cache(project):
    [diag] = findings(project, "prod-t", PROD + "cache:\n  database: null\n", "P103")
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 3)
    assert diag.message == "is null (an in-memory cache) in a production profile"
    assert diag.hint.startswith("set cache.database: {type: redis")


def test_p103_passes_redis_cache(project):
    body = PROD + "cache:\n  database: {type: redis, host: redis.internal, port: 6380}\n"
    assert findings(project, "prod-t", body, "P103") == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("${REDIS_PASSWORD:-}", "is optional: with REDIS_PASSWORD unset or empty the production Redis runs without"),
        ("${DESK_REDIS_PW:-}", "is optional: with DESK_REDIS_PW unset or empty"),
        ("null", "a production Redis without a password"),
        ("''", "a production Redis without a password"),
    ],
)
def test_p103_a_production_redis_without_a_password(project, cli, password, message):
    body = PROD + f"cache:\n  database:\n    password: {password}\n"
    [diag] = findings(project, "prod-t", body, "P103")
    assert at(diag, project, "prod-t.yaml")[1:] == (13, 5)
    assert diag.key == "cache.database.password" and diag.message.startswith(message) and diag.is_error
    assert diag.hint.startswith("write password: ${")
    result = cli("validate", "prod-t", cwd=project)
    assert result.returncode == 1 and "error[P103] cache.database.password:" in result.stdout
    waiver = '  waivers:\n    P103: "Redis on the node\'s loopback only, OPS-12"\n'
    waived = body.replace("profile:\n", "profile:\n" + waiver, 1)
    write_profile(project, "prod-t.yaml", waived)
    assert cli("validate", "prod-t", cwd=project).returncode == (1 if password == "''" else 0)  # '' is also S001


@pytest.mark.parametrize(
    "database",
    ["{password: '${REDIS_PASSWORD}'}", "{host: 'redis://:${REDIS_PASSWORD}@10.0.0.5', password: null}"],
)
def test_p103_passes_a_required_password(project, database):
    assert findings(project, "prod-t", PROD + f"cache:\n  database: {database}\n", "P103") == []
    assert findings(project, "test-t", TESTNET + "cache:\n  database: {password: '${REDIS_PASSWORD:-}'}\n") == []


def test_p104_short_lookback(project):
    [diag] = findings(project, "prod-t", PROD + "exec_engine:\n  reconciliation_lookback_mins: 30\n", "P104")
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 3)
    assert diag.key == "exec_engine.reconciliation_lookback_mins"
    assert diag.message == "30 is below the production minimum 60"
    assert diag.hint == "use null for the venue's maximum"


def test_p104_reconciliation_off(project):
    [diag] = findings(project, "prod-t", PROD + "exec_engine:\n  reconciliation: false\n", "P104")
    assert diag.key == "exec_engine.reconciliation"
    assert diag.hint == "set it to true"


@pytest.mark.parametrize("lookback", ["null", "60", "1440"])
def test_p104_passes_null_and_an_hour_or_more(project, lookback):
    body = PROD + f"exec_engine:\n  reconciliation_lookback_mins: {lookback}\n"
    assert findings(project, "prod-t", body, "P104") == []


def test_p105_bypass(project):
    [diag] = findings(project, "prod-t", PROD + "risk_engine:\n  bypass: true\n", "P105")
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 3)
    assert diag.key == "risk_engine.bypass"


def test_p105_implicit_rate_limits(project):
    """A self-contained production target that never sets the order rates."""
    body = """\
profile: {stage: production}
node: {trader_id: SOLO-001}
cache: {database: {type: redis, password: "${REDIS_PASSWORD}"}}
logging: {log_file_format: json, log_directory: logs, log_level_file: INFO}
risk_engine:
  bypass: false
exchanges:
  BYBIT: {environment: mainnet, api_key: "${BYBIT_API_KEY}", api_secret: "${BYBIT_API_SECRET}"}
"""
    diags = findings(project, "solo", body)
    assert {d.code for d in diags if d.code.startswith("P")} == {"P105"}
    assert [d.key for d in diags if d.code == "P105"] == [
        "risk_engine.max_order_modify_rate",
        "risk_engine.max_order_submit_rate",
    ]
    for diag in diags:
        assert at(diag, project, "solo.yaml")[1:] == (5, 1)  # the risk_engine key
        assert "set it explicitly" in diag.hint


# ------------------------------------------------------------------ P106 P112


def test_p106_hedge_mode_is_an_error_in_production(project):
    body = PROD + "    exec:\n      position_mode:\n        ETHUSDT-LINEAR: BOTH_SIDES\n"
    [diag] = findings(project, "prod-t", body, "P106")
    assert at(diag, project, "prod-t.yaml")[1:] == (13, 9)
    assert diag.key == "exchanges.BYBIT.exec.position_mode.ETHUSDT-LINEAR"
    assert diag.is_error and diag.hint == "use MERGED_SINGLE"


def test_p106_hedge_mode_is_a_warning_on_testnet(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n        ETHUSDT-LINEAR: BOTH_SIDES\n"
    [diag] = findings(project, "test-t", body, "P106")
    assert diag.severity == "warning"


def test_p106_hedge_mode_off_linear_is_an_error_in_any_stage(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n        BTCUSD-INVERSE: BOTH_SIDES\n"
    [diag] = findings(project, "test-t", body, "P106")
    assert diag.is_error
    assert "only for USDT linear perpetuals" in diag.message


def test_p106_passes_netting(project):
    body = PROD + "    exec:\n      position_mode:\n        SOLUSDT-LINEAR: MERGED_SINGLE\n"
    assert findings(project, "prod-t", body, "P106") == []


def test_p112_symbol_without_suffix_any_stage(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n        ETHUSDT: MERGED_SINGLE\n"
    [diag] = findings(project, "test-t", body, "P112")
    assert at(diag, project, "test-t.yaml")[1:] == (10, 9)
    assert diag.hint == "did you mean 'ETHUSDT-LINEAR'?"
    assert "silently ignores" in diag.message


def test_p112_passes_suffixed_symbols(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n        XRPUSDT-LINEAR: MERGED_SINGLE\n"
    assert findings(project, "test-t", body, "P112") == []


def bybit_modes(stage_body: str, *entries: str) -> str:
    return (
        stage_body
        + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n"
        + "".join(f"        {e}\n" for e in entries)
    )


@pytest.mark.parametrize(
    "key, hint",
    [
        ("XRPUSDT-linear", "did you mean 'XRPUSDT-LINEAR'?"),
        ("SOLUSDT-Linear", "did you mean 'SOLUSDT-LINEAR'?"),
        ("'BTCUSDT-LINEAR '", "did you mean 'BTCUSDT-LINEAR'?"),
        ("' ETHUSDT-INVERSE'", "did you mean 'ETHUSDT-INVERSE'?"),
        ("btcusdt-LINEAR", "did you mean 'BTCUSDT-LINEAR'?"),
        ("ethusdt", "did you mean 'ETHUSDT-LINEAR'?"),
    ],
)
def test_p112_keys_must_be_the_exact_instrument_symbol(project, key, hint):
    """The adapter looks the mode up by InstrumentId.symbol: upper case, no whitespace."""
    [diag] = findings(project, "test-t", bybit_modes(TESTNET, f"{key}: MERGED_SINGLE"), "P112")
    assert at(diag, project, "test-t.yaml")[1:] == (10, 9)
    assert diag.hint == hint


@pytest.mark.parametrize("key", ["BTCUSDT-SPOT", "BTC-27DEC24-100000-C-OPTION", "btcusdt-spot"])
def test_p112_spot_and_option_keys_are_skipped_by_the_adapter(project, key):
    [diag] = findings(project, "test-t", bybit_modes(TESTNET, f"{key}: BOTH_SIDES"), "P112")
    assert diag.is_error
    if key.isupper():
        assert "skips" in diag.message and "-LINEAR and -INVERSE symbols only" in diag.message
    # hedge mode on a key the adapter skips is P112's alone, not also P106
    assert findings(project, "test-t", bybit_modes(TESTNET, f"{key}: BOTH_SIDES"), "P106") == []


def test_p106_reads_symbols_as_p112_does(project):
    """A mis-cased key still switches the account to hedge mode: P106 sees it as -LINEAR."""
    [diag] = findings(
        project, "prod-t", PROD + "    exec:\n      position_mode:\n        SOLUSDT-Linear: BOTH_SIDES\n", "P106"
    )
    assert diag.is_error and "in production" in diag.message
    [inverse] = findings(project, "test-t", bybit_modes(TESTNET, "'BTCUSD-inverse ': BOTH_SIDES"), "P106")
    assert "only for USDT linear perpetuals" in inverse.message


def test_p112_passes_linear_and_inverse_symbols(project):
    body = bybit_modes(TESTNET, "XRPUSDT-LINEAR: MERGED_SINGLE", "BTCUSD-INVERSE: MERGED_SINGLE")
    assert findings(project, "test-t", body, "P112") == []


# ------------------------------------------------------------------ P107 P108


def test_p107_file_logs(project):
    body = PROD + "logging:\n  log_file_format: null\n  log_level_file: null\n"
    diags = findings(project, "prod-t", body, "P107")
    assert [(d.key, d.pos.line, d.pos.col) for d in diags] == [
        ("logging.log_file_format", 12, 3),
        ("logging.log_level_file", 13, 3),
    ]
    assert diags[1].message == "is not set; NautilusTrader writes no log file without it"


def test_p107_passes_json_logs(project):
    body = PROD + "logging:\n  log_file_format: JSON\n"
    assert findings(project, "prod-t", body, "P107") == []


def test_p108_production_with_testnet_key(project):
    body = PROD.replace("${BYBIT_API_KEY}", "${BYBIT_TESTNET_API_KEY}")
    [diag] = findings(project, "prod-t", body, "P108")
    assert at(diag, project, "prod-t.yaml")[1:] == (9, 5)
    assert diag.key == "exchanges.BYBIT.api_key"
    assert diag.hint == "use a mainnet variable, such as BYBIT_API_KEY"


def test_p108_testnet_with_mainnet_secret(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    api_secret: ${BYBIT_API_SECRET}\n"
    [diag] = findings(project, "test-t", body, "P108")
    assert at(diag, project, "test-t.yaml")[1:] == (8, 5)
    assert diag.hint == "use a testnet variable, such as BYBIT_TESTNET_API_SECRET"


def test_p108_passes_demo_variables_on_testnet(project):
    body = TESTNET + (
        "exchanges:\n  BYBIT:\n    environment: demo\n"
        "    api_key: ${BYBIT_DEMO_API_KEY}\n    api_secret: ${BYBIT_DEMO_API_SECRET}\n"
    )
    assert findings(project, "test-t", body, "P108") == []


PAPER = """\
extends: [env/paper, exchanges/bybit]
profile:
  description: a paper node for the tests
node:
  trader_id: PAPER-T-001
exchanges:
  BYBIT:
    environment: mainnet
    api_key: null
    api_secret: null
    exec: false
  PAPER:
    adapter: sandbox
    venue: BYBIT
    starting_balances: ["10000 USDT"]
"""


def test_p108_paper_never_reads_a_production_trading_variable(project):
    """A paper node holds no key that can trade: the variables production targets trade with are refused."""
    body = PAPER.replace("api_key: null", "api_key: ${BYBIT_API_KEY}")
    [diag] = findings(project, "paper-t", body, "P108")
    assert at(diag, project, "paper-t.yaml")[1:] == (9, 5)
    assert diag.severity == "error" and diag.key == "exchanges.BYBIT.api_key"
    assert "paper credential uses BYBIT_API_KEY, a variable production targets trade with" in diag.message
    assert diag.hint == (
        "set it to null: the bybit data client needs no key; or use a market-data-only key, such as BYBIT_DATA_API_KEY"
    )


def test_p108_paper_inheriting_the_production_keys_is_caught_at_the_layer(project):
    """The overlay's keys reach the paper target when it does not replace them."""
    body = PAPER.replace("    api_key: null\n    api_secret: null\n", "")
    write_profile(project, "exchanges/bybit.yaml", "exchanges:\n  BYBIT:\n    api_key: ${BYBIT_API_KEY}\n")
    assert [d.key for d in findings(project, "paper-t", body, "P108")] == ["exchanges.BYBIT.api_key"]


def test_p108_paper_with_data_only_keys_or_none_is_clean(project):
    assert findings(project, "paper-t", PAPER, "P108") == []
    body = PAPER.replace("api_key: null", "api_key: ${BYBIT_DATA_API_KEY}").replace(
        "api_secret: null", "api_secret: ${BYBIT_DATA_API_SECRET}"
    )
    assert findings(project, "paper-t", body, "P108") == []


def test_p108_a_data_only_venue_keeps_its_one_key_on_paper(project):
    """Databento has no exec client: its key cannot trade, so a paper target may read it."""
    body = PAPER + "  DATABENTO:\n    api_key: ${DATABENTO_API_KEY}\n"
    assert findings(project, "paper-t", body, "P108") == []


def test_p108_production_exec_client_with_a_data_only_key(project):
    """A market-data-only key cannot trade: on a production exec client it is an error; on market data it is fine."""
    body = PROD.replace("${BYBIT_API_KEY}", "${BYBIT_DATA_API_KEY}")
    [diag] = findings(project, "prod-t", body, "P108")
    assert at(diag, project, "prod-t.yaml")[1:] == (9, 5)
    assert "reads BYBIT_DATA_API_KEY, a market-data-only key" in diag.message
    assert diag.hint == "use the trading key, such as BYBIT_API_KEY"
    assert findings(project, "prod-t", body + "    exec: false\n", "P108") == []


def test_the_shipped_paper_targets_read_no_trading_variable(cli):
    for target in ("paper-binance", "paper-bybit"):
        result = cli("env", target, "--format", "json", cwd=REPO)
        assert result.returncode == 0, result.output
        names = {v["name"] for v in json.loads(result.stdout)["variables"]}
        assert not {n for n in names if n.startswith(("BINANCE_", "BYBIT_"))}, names


# ------------------------------------------------------------------ P109


def test_p109_two_production_targets_share_redis_keys(project):
    write_profile(project, "prod-u.yaml", PROD)  # the same trader_id on the same Redis
    diags = findings(project, "prod-t", PROD, "P109")
    [diag] = diags
    assert at(diag, project, "prod-t.yaml")[1:] == (5, 3)
    assert "also used by prod-u" in diag.message
    assert diag.hint == "give each production node its own trader_id"
    # validating the other one reports its side too
    other = validate_target(Workspace(project / "profiles"), "prod-u")
    assert [d.code for d in other] == ["P109"]


def test_p109_instance_ids_do_not_separate_without_use_instance_id(project):
    write_profile(
        project, "prod-u.yaml", PROD.replace("node:\n", "node:\n  instance_id: 7c1f6e2a-0a8e-4e59-9c43-3b0f6d4b2f11\n")
    )
    assert len(findings(project, "prod-t", PROD, "P109")) == 1


@pytest.mark.parametrize(
    "change",
    [
        ("PROD-T-001", "PROD-U-001"),  # another trader_id
        ("exchanges:\n", "cache:\n  database:\n    port: 6380\nexchanges:\n"),  # another Redis
    ],
)
def test_p109_passes_distinct_identities(project, change):
    write_profile(project, "prod-u.yaml", PROD.replace(*change))
    assert findings(project, "prod-t", PROD, "P109") == []


@pytest.mark.parametrize(
    "database",
    [
        "    host: localhost\n    port: 6379\n",  # the defaults of ${REDIS_HOST:-127.0.0.1}, ${REDIS_PORT:-6379}
        "    host: null\n    port: null\n",  # unset: NautilusTrader connects to 127.0.0.1:6379
        "    host: ${OTHER_HOST:-127.0.0.1}\n    port: '6379'\n",
    ],
)
def test_p109_the_same_redis_written_differently_collides(project, database):
    write_profile(
        project, "prod-u.yaml", PROD.replace("exchanges:\n", "cache:\n  database:\n" + database + "exchanges:\n")
    )
    [diag] = findings(project, "prod-t", PROD, "P109")
    assert "on Redis 127.0.0.1:6379 is also used by prod-u" in diag.message


def test_p109_a_variable_without_default_is_another_redis(project):
    body = PROD.replace("exchanges:\n", "cache:\n  database:\n    host: ${PROD_U_REDIS_HOST}\nexchanges:\n")
    write_profile(project, "prod-u.yaml", body)
    assert findings(project, "prod-t", PROD, "P109") == []


def test_p109_a_trader_id_placeholder_is_compared_by_its_default(project):
    write_profile(project, "prod-u.yaml", PROD.replace("PROD-T-001", "${TRADER_ID:-PROD-T-001}"))
    [diag] = findings(project, "prod-t", PROD, "P109")
    assert "also used by prod-u" in diag.message
    other = validate_target(Workspace(project / "profiles"), "prod-u")
    [mine] = [d for d in other if d.code == "P109"]
    assert "'PROD-T-001' (the default of ${TRADER_ID:-PROD-T-001})" in mine.message


def test_p109_a_trader_id_placeholder_without_default_is_compared_as_written(project):
    write_profile(project, "prod-u.yaml", PROD.replace("PROD-T-001", "${TRADER_ID}"))
    assert findings(project, "prod-t", PROD, "P109") == []
    write_profile(project, "prod-v.yaml", PROD.replace("PROD-T-001", "${TRADER_ID}"))
    assert [d.code for d in findings(project, "prod-t", PROD.replace("PROD-T-001", "${TRADER_ID}"), "P109")] == ["P109"]


def test_p109_ignores_testnet_targets(project):
    write_profile(project, "test-u.yaml", TESTNET.replace("TEST-T-001", "PROD-T-001"))
    assert findings(project, "prod-t", PROD, "P109") == []


# ------------------------------------------------------------------ P110 P111


def test_p110_use_instance_id_without_instance_id(project):
    [diag] = findings(project, "prod-t", PROD + "cache:\n  use_instance_id: true\n", "P110")
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 3)
    assert diag.hint == "set node.instance_id to a fixed UUID, or use_instance_id: false"


def test_p110_passes_with_fixed_instance_id(project):
    body = PROD.replace("node:\n", "node:\n  instance_id: 7c1f6e2a-0a8e-4e59-9c43-3b0f6d4b2f11\n")
    assert findings(project, "prod-t", body + "cache:\n  use_instance_id: true\n", "P110") == []


def test_p111_flush_on_start(project):
    [diag] = findings(project, "prod-t", PROD + "cache:\n  flush_on_start: true\n", "P111")
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 3)
    assert "FLUSHDB" in diag.message


def test_p111_passes_in_testnet(project):
    assert findings(project, "test-t", TESTNET + "cache:\n  flush_on_start: true\n", "P111") == []


# ------------------------------------------------------------------ waivers, P100


def test_waiver_with_reason_turns_the_rule_off(project):
    body = PROD + "exec_engine:\n  reconciliation_lookback_mins: 30\n"
    body = body.replace("profile:\n", "profile:\n  waivers:\n    P104: 'venue keeps 30 minutes of history; OPS-1234'\n")
    [note] = findings(project, "prod-t", body)  # the waiver itself, listed for the review
    assert (note.code, note.severity, note.key) == ("P104", "note", "profile.waivers.P104")
    assert note.message == "waived (reconciliation): venue keeps 30 minutes of history; OPS-1234"


def test_waiver_without_reason_is_p100_and_does_not_waive(project):
    body = PROD + "exec_engine:\n  reconciliation_lookback_mins: 30\n"
    body = body.replace("profile:\n", "profile:\n  waivers:\n    P104: ''\n")
    diags = findings(project, "prod-t", body)
    assert sorted(d.code for d in diags) == ["P100", "P104"]
    [p100] = [d for d in diags if d.code == "P100"]
    assert at(p100, project, "prod-t.yaml")[1:] == (4, 5)
    assert p100.key == "profile.waivers.P104"
    assert p100.hint == 'write why, such as P104: "<reason and ticket>"'


@pytest.mark.parametrize("reason, shown", [("42", "a number"), ("true", "a boolean"), ("[a, b]", "a list")])
def test_waiver_whose_reason_is_not_a_text_says_so(project, reason, shown):
    body = PROD.replace("profile:\n", f"profile:\n  waivers:\n    P101: {reason}\n")
    [diag] = findings(project, "prod-t", body, "P100")
    assert diag.message == f"the reason for waiving P101 must be a text, not {shown}, so P101 still applies"
    assert "gives no reason" not in diag.message
    assert diag.hint == 'write why, in quotes, such as P101: "<reason and ticket>"'


def test_waiver_of_unknown_code_is_p100_with_a_suggestion(project):
    body = PROD.replace("profile:\n", "profile:\n  waivers:\n    P1044: reason\n")
    [diag] = findings(project, "prod-t", body, "P100")
    assert diag.hint == "did you mean 'P104'?"


def test_secrets_rules_cannot_be_waived(project):
    body = PROD.replace("profile:\n", "profile:\n  waivers:\n    S001: we know\n")
    [diag] = findings(project, "prod-t", body, "P100")
    assert diag.message == "'S001' is not a policy rule that can be waived"


def test_waiver_in_a_layer_applies_to_every_target_using_it(project):
    write_profile(
        project, "env/lenient.yaml", "extends: [env/production]\nprofile:\n  waivers: {P111: 'shared dev redis'}\n"
    )
    body = PROD.replace("env/production", "env/lenient") + "cache:\n  flush_on_start: true\n"
    assert [(d.code, d.severity) for d in findings(project, "prod-t", body)] == [("P111", "note")]


def test_check_policy_without_identity_index_skips_p109(project):
    write_profile(project, "prod-u.yaml", PROD)
    write_profile(project, "prod-t.yaml", PROD)
    merged, _ = Workspace(project / "profiles").merge("prod-t")
    assert check_policy(merged) == []


# ------------------------------------------------------------------ the CLI


@pytest.mark.parametrize(
    ("extra", "code", "where"),
    [
        ("exec_engine:\n  reconciliation_lookback_mins: 30\n", "P104", ":12:3: error[P104] "),
        ("cache:\n  flush_on_start: true\n", "P111", ":12:3: error[P111] "),
    ],
)
def test_cli_reports_policy_errors_with_exit_1(project, cli, extra, code, where):
    write_profile(project, "prod-t.yaml", PROD + extra)
    result = cli("validate", "prod-t", cwd=project)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if f"[{code}]" in line] == [line for line in lines if where in line]
    assert any(line.startswith(f"profiles/prod-t.yaml{where}") for line in lines), result.stdout
    assert result.stderr.strip().startswith("Found ")


def test_cli_shows_warning_and_exits_0(project, cli):
    write_profile(
        project,
        "test-t.yaml",
        TESTNET + "exchanges:\n  BYBIT:\n    exec:\n      position_mode:\n        ETHUSDT-LINEAR: BOTH_SIDES\n",
    )
    result = cli("validate", "test-t", cwd=project)
    assert result.returncode == 0, result.output
    assert (
        "profiles/test-t.yaml:10:9: warning[P106] exchanges.BYBIT.exec.position_mode.ETHUSDT-LINEAR:" in result.stdout
    )
    assert "1 warning" in result.stderr


def policy_only(project: Path, name: str, text: str, code: str) -> list:
    """The policy rule alone (without the schema pass and one-finding-per-place)."""
    write_profile(project, f"{name}.yaml", text)
    merged, _ = Workspace(project / "profiles").merge(name)
    return [d for d in check_policy(merged) if d.code == code]


def test_p101_client_level_environment_overrides_the_section(project):
    body = PROD + "    exec:\n      environment: demo\n"
    [diag] = policy_only(project, "prod-t", body, "P101")
    assert diag.key == "exchanges.BYBIT.exec.environment"
    assert at(diag, project, "prod-t.yaml")[1:] == (12, 7)
    # the schema rejects a client-level environment: validate says so once, not twice
    [only] = [d for d in findings(project, "prod-t", body) if d.pos.line == 12]
    assert (only.code, only.key) == ("V001", "exchanges.BYBIT.exec.environment")


def test_p102_omitted_client_is_not_checked(project):
    body = TESTNET + "exchanges:\n  BYBIT:\n    environment: testnet\n    data:\n      environment: mainnet\n"
    [diag] = policy_only(project, "test-t", body, "P102")
    assert diag.key == "exchanges.BYBIT.data.environment"
    body = body.replace("    data:\n      environment: mainnet\n", "    data: false\n")
    assert policy_only(project, "test-t", body, "P102") == []


def test_one_error_per_key_and_line_where_policy_and_schema_agree(project):
    body = PROD + "    exec:\n      position_mode:\n        ETHUSDT-LINEAR: 3\n"  # BOTH_SIDES by number
    assert [d.code for d in findings(project, "prod-t", body) if d.pos.line == 13] == ["V002"]
    assert [d.code for d in policy_only(project, "prod-t", body, "P106")] == ["P106"]


@pytest.mark.parametrize("waiver", ["P014: reason", "P104: null", "S001: we know"])
def test_a_bad_waiver_is_one_p100_not_also_a_schema_error(project, waiver):
    body = PROD.replace("profile:\n", "profile:\n  waivers:\n    " + waiver + "\n")
    assert [d.code for d in findings(project, "prod-t", body) if d.pos.line == 4] == ["P100"]
