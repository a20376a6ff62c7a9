"""What the pre-commit hook now catches: component configs, routing, cross-environment URLs, every secret, waivers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, write_profile
from ntprofile.adapters import ADAPTERS
from ntprofile.layers import Workspace
from ntprofile.validate import validate_target

TWO_BINANCE = """\
extends: [env/production, exchanges/binance]
profile:
  description: spot and futures on one node
node:
  trader_id: PROD-TWO-001
exchanges:
  BINANCE:
    environment: mainnet
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
    venue: BINANCE_FUTURES
  BINANCE_SPOT:
    adapter: binance
    environment: mainnet
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
    account_type: SPOT
strategies:
  ema:
    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
    config:
      instrument_id: BTCUSDT-PERP.BINANCE
      bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL
      trade_size: "0.01"
"""

EMA_TESTNET = """\
extends: [env/testnet, exchanges/binance]
profile:
  description: an EMA cross on the testnet
node:
  trader_id: TEST-EMA-001
strategies:
  ema:
    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
    config:
      instrument_id: BTCUSDT-PERP.BINANCE
      bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL
      trade_size: "0.01"
"""


def findings(project: Path, name: str, text: str, code: str | None = None) -> list:
    write_profile(project, f"{name}.yaml", text)
    diags = validate_target(Workspace(project / "profiles"), name)
    return [d for d in diags if code is None or d.code == code]


# ------------------------------------------------------------------ routing


def test_v005_hint_followed_routes_perp_to_the_spot_client(project):
    p115, bar = findings(project, "prod-two", TWO_BINANCE, "P122")
    assert p115.key == "strategies.ema.config.instrument_id" and p115.pos.line == 23
    assert bar.key == "strategies.ema.config.bar_type"
    assert "routes to the data client BINANCE_SPOT" in p115.message and "account_type SPOT" in p115.message
    assert p115.hint == "write BTCUSDT-PERP.BINANCE_FUTURES, the venue of client BINANCE"
    fixed = TWO_BINANCE.replace("-PERP.BINANCE", "-PERP.BINANCE_FUTURES").replace(
        "trade_size", "external_order_claims: [BTCUSDT-PERP.BINANCE_FUTURES]\n      trade_size"
    )
    assert [d.code for d in findings(project, "prod-two", fixed)] == ["V104"]  # only: not in the packaged schema


def test_p113_and_p114_venue_no_client_serves(project):
    text = EMA_TESTNET.replace("-1-MINUTE", "X-1-MINUTE").replace("PERP.BINANCE\n", "PERP.BYBIT\n")
    codes = {(d.code, d.key) for d in findings(project, "t-ema", text) if d.code in ("P120", "P121")}
    assert codes == {
        ("P120", "strategies.ema.config.bar_type"),
        ("P120", "strategies.ema.config.instrument_id"),
        ("P121", "strategies.ema.config.instrument_id"),
    }


def test_p115_bybit_linear_symbol_without_linear_product_type(project):
    text = """\
extends: [env/testnet, exchanges/bybit]
profile: {description: spot only}
node: {trader_id: TEST-BY-001}
exchanges:
  BYBIT: {product_types: [SPOT], exec: {position_mode: {}}}
actors:
  watch:
    actor_path: my.actors:Watch
    config_path: my.actors:WatchConfig
    config: {instrument_ids: [BTCUSDT-LINEAR.BYBIT, BTCUSDT-SPOT.BYBIT]}
"""
    [p115] = findings(project, "t-by", text, "P122")
    assert p115.key == "actors.watch.config.instrument_ids[0]"
    assert "LINEAR product and the client's product_types are [SPOT]" in p115.message


def test_p117_production_strategy_without_claims_is_a_warning(project):
    text = TWO_BINANCE.replace("-PERP.BINANCE", "-PERP.BINANCE_FUTURES")
    [p117] = findings(project, "prod-two", text, "P124")
    assert p117.severity == "warning" and "come back as EXTERNAL" in p117.message
    testnet = findings(project, "t-ema", EMA_TESTNET, "P124")
    assert testnet == []


# ------------------------------------------------------------------ URLs


@pytest.mark.parametrize(
    ("target", "option", "url"),
    [
        ("prod-bybit", "base_url_http", "https://api-testnet.bybit.com"),
        ("prod-binance", "base_url_ws", "wss://demo-fstream.binance.com"),
        ("testnet-bybit", "base_url_http", "https://api.bybit.com"),
    ],
)
def test_p116_cross_environment_url_in_every_stage(project, target, option, url):
    text = f"extends: [{target}]\nexchanges:\n  {'BYBIT' if 'bybit' in target else 'BINANCE'}:\n    {option}: {url}\n"
    [p116] = findings(project, "t-url", text, "P123")
    assert p116.pos.line == 4 and url.split("//")[1].split("/")[0] in p116.message


def test_p116_allows_the_environments_own_hosts(project):
    text = "extends: [prod-bybit]\nexchanges:\n  BYBIT:\n    base_url_http: https://api.bybit.com\n"
    assert findings(project, "t-url", text, "P123") == []


def test_host_tables_match_nautilus_trader_url_helpers():
    """The hard-coded host tables are NautilusTrader's own (imports NautilusTrader; not the validate path)."""
    from urllib.parse import urlsplit

    from nautilus_trader.adapters.binance.common import urls
    from nautilus_trader.adapters.binance.common.enums import BinanceAccountType, BinanceEnvironment
    from nautilus_trader.core import nautilus_pyo3 as pyo3

    def host(url: str) -> str:
        return urlsplit(url).hostname

    names = {"LIVE": "mainnet", "TESTNET": "testnet", "DEMO": "demo"}
    binance: dict[str, set[str]] = {e: set() for e in names.values()}
    helpers = [urls.get_http_base_url, urls.get_ws_base_url, urls.get_ws_api_base_url]
    helpers += [urls.get_ws_public_base_url, urls.get_ws_private_base_url]
    for env in BinanceEnvironment:
        for account in BinanceAccountType:
            for us in (False, True):
                for helper in helpers:
                    try:
                        binance[names[env.name]].add(host(helper(account, env, us)))
                    except ValueError:  # no WS API for COIN-M futures on testnet/demo
                        pass
    assert {k: set(v) for k, v in ADAPTERS["binance"].hosts.items()} == binance

    bybit: dict[str, set[str]] = {}
    for name in ("MAINNET", "TESTNET", "DEMO"):
        env = getattr(pyo3.BybitEnvironment, name)
        found = {host(pyo3.get_bybit_http_base_url(env)), host(pyo3.get_bybit_ws_url_private(env))}
        found.add(host(pyo3.get_bybit_ws_url_trade(env)))
        for product in ("SPOT", "LINEAR", "INVERSE", "OPTION"):
            found.add(host(pyo3.get_bybit_ws_url_public(getattr(pyo3.BybitProductType, product), env)))
        bybit[name.lower()] = found
    assert {k: set(v) for k, v in ADAPTERS["bybit"].hosts.items()} == bybit


# ------------------------------------------------------------------ secrets


def test_empty_secret_literal_is_s001_in_validate_as_in_compile(project, cli):
    text = 'extends: [testnet-binance]\nexchanges:\n  BINANCE:\n    api_key: ""\n'
    [s001] = findings(project, "t-empty", text, "S001")
    assert s001.pos.line == 4
    compiled = cli("compile", "t-empty", cwd=project)
    assert "S001" in compiled.output and compiled.returncode == 1


def test_password_in_a_url_is_s007_and_masked_everywhere(project, cli):
    text = "extends: [prod-bybit]\ncache:\n  database:\n    host: redis://:S3cr3tPw@10.0.0.5\n"
    [s007] = findings(project, "t-url", text, "S010")
    assert s007.pos.line == 4 and "S3cr3tPw" not in s007.render()
    for args in (
        ("validate", "t-url", "--format", "json"),
        ("explain", "t-url", "cache"),
        ("explain", "t-url", "--format", "json"),
        ("diff", "prod-bybit", "t-url"),
        ("diff", "prod-bybit", "t-url", "--format", "json"),
    ):
        result = cli(*args, cwd=project)
        assert "S3cr3tPw" not in result.output, args
    assert "redis://:***@10.0.0.5" in cli("explain", "t-url", "cache.database.host", cwd=project).stdout
    env_text = "extends: [prod-bybit]\ncache:\n  database:\n    host: ${REDIS_URL:-redis://u:S3cr3tPw@h}\n"
    write_profile(project, "t-env.yaml", env_text)
    for fmt in ("text", "json", "dotenv"):
        assert "S3cr3tPw" not in cli("env", "t-env", "--format", fmt, cwd=project).output


def test_credential_in_a_comment_is_an_error_without_the_value(project, cli):
    text = (
        "extends: [testnet-binance]\n# api_key: Xk3uA9bQ77zzLLpp\nexchanges:\n  BINANCE:\n"
        "    api_secret: ${BINANCE_TESTNET_API_SECRET}  # 9fJ2kLmN8pQ4rS6tU1vW\n"
        "# BINANCE_API_KEY=Hq7vT2mW9xK4pL8n\n# build 2024-06-01 of release v1.2.3\n"
    )
    found = findings(project, "t-comment", text, "S011")
    assert [(d.pos.line, d.severity) for d in found] == [(2, "error"), (5, "error"), (6, "error")]
    assert not any("Xk3u" in d.render() or "9fJ2" in d.render() or "Hq7v" in d.render() for d in found)
    result = cli("validate", "t-comment", cwd=project)
    assert result.returncode == 1 and "error[S011]" in result.stdout
    assert not any(v in result.output for v in ("Xk3u", "9fJ2", "Hq7v"))


# ------------------------------------------------------------------ messages


def test_waived_rules_are_notes_with_their_reasons(project, cli):
    text = 'extends: [prod-bybit]\nnode: {trader_id: PROD-W-001}\nprofile:\n  waivers:\n    P107: "logs go to journald, OPS-7"\n'
    write_profile(project, "t-waive.yaml", text)
    result = cli("validate", "t-waive", cwd=project)
    assert result.returncode == 0
    assert "note[P107] profile.waivers.P107: waived (JSON file logs): logs go to journald, OPS-7" in result.stdout
    assert "1 waived rule" in result.stderr
    [record] = json.loads(cli("validate", "t-waive", "--format", "json", cwd=project).stdout)
    assert record["severity"] == "note" and "OPS-7" in record["message"]
    assert "::notice file=" in cli("validate", "t-waive", "--format", "github", cwd=project).stdout


def test_missing_adapter_is_reported_where_the_client_is_defined(project):
    write_profile(project, "exchanges/myex.yaml", "exchanges:\n  MYEX:\n    environment: testnet\n")
    for name in ("t-a", "t-b"):
        write_profile(
            project,
            f"{name}.yaml",
            f"extends: [testnet-binance, exchanges/myex]\nnode: {{trader_id: T-{name[-1].upper()}}}\n",
        )
    from ntprofile.validate import validate_paths

    diags = [d for d in validate_paths(Workspace(project / "profiles"), ["t-a", "t-b"]) if d.code == "V004"]
    assert [(Path(d.pos.file).name, d.pos.line) for d in diags] == [("myex.yaml", 2)]


def test_key_of_another_section_and_brace_placeholder_hints(project):
    text = "extends: [testnet-binance]\ncache:\n  log_file_format: json\nexchanges:\n  BINANCE:\n    api_key: {BINANCE_TESTNET_API_KEY}\n"
    hints = {d.code: d.hint for d in findings(project, "t-hints", text) if d.code in ("V001", "V002")}
    assert hints["V001"] == "it belongs to another section: did you mean `logging.log_file_format`?"
    assert hints["V002"].startswith('did you mean "${BINANCE_TESTNET_API_KEY}"?')


# ------------------------------------------------------------------ components


def test_component_configs_in_the_repository_schema(tmp_path, cli):
    """`ntprofile schema` covers the repository's components; validate then finds a typo with no NautilusTrader import."""
    shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    write_profile(tmp_path, "t-ema.yaml", EMA_TESTNET + "      fast_ema_perod: 10\n      slow_ema_period: ten\n")
    before = cli("validate", "t-ema", cwd=tmp_path)
    assert before.returncode == 0 and "warning[V104]" in before.stdout and "ntprofile schema" in before.stdout
    assert cli("schema", cwd=tmp_path).returncode == 0
    assert cli("schema", "--check", cwd=tmp_path).returncode == 0
    after = cli("validate", "t-ema", cwd=tmp_path)
    assert after.returncode == 1
    assert "t-ema.yaml:14:7: error[V001] strategies.ema.config.fast_ema_perod: unknown key" in after.stdout
    assert "t-ema.yaml:15:7: error[V002] strategies.ema.config.slow_ema_period" in after.stdout
    assert "got string 'ten'" in after.stdout
    assert "V104" not in after.stdout
    schema = json.loads((tmp_path / "schemas" / "profile.schema.json").read_text())
    doc = schema["$defs"]["component:nautilus_trader.examples.strategies.ema_cross:EMACrossConfig"]
    assert doc["properties"]["fast_ema_period"]["description"]  # NautilusTrader's docstring
    schema["$defs"]["component:nautilus_trader.examples.strategies.ema_cross:EMACrossConfig"]["properties"].pop(
        "bar_type"
    )
    (tmp_path / "schemas" / "profile.schema.json").write_text(json.dumps(schema))
    assert cli("schema", "--check", cwd=tmp_path).returncode == 1  # the config class no longer matches


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("cache:\n  encoding: msgpack\n   flush_on_start: false\n", 3, "expected 2 spaces like line 2"),
        ("cache:\n  encoding: msgpack\n flush_on_start: false\n", 3, "expected 0 or 2 spaces"),
        ("a: 1\nencoding: msgpack\n  flush_on_start: false\n", 3, "expected 0 spaces like line 2"),
        # PyYAML stops at the line after the one to fix, which is right: line 2 left cache empty
        ("cache:\nencoding: msgpack\n  flush_on_start: false\n", 2, "expected 2 spaces, under it"),
        # PyYAML stops at line 4, which is right: line 3 left BINANCE empty
        ("exchanges:\n  BINANCE:\n  api_key: x\n    api_secret: y\n", 3, "expected 4 spaces, under it"),
        ("cache:\n  database:\n  type: redis\n  host: h\n    port: 1\n", 3, "under it (through line 4)"),
    ],
)
def test_yaml_indentation_error_names_the_line_and_what_it_expected(tmp_path, text, line, expected):
    from ntprofile.loader import load_file

    path = tmp_path / "x.yaml"
    path.write_text(text)
    _, [diag] = load_file(path)
    assert diag.code == "Y003" and diag.pos.line == line
    assert diag.message.startswith(f"YAML indentation error: line {line} ") and expected in diag.message


def test_credential_in_a_toml_comment(project):
    text = (
        'extends = ["testnet-binance"]\n[exchanges.BINANCE]\n'
        '# api_secret = "Zq81mKx0Pw7nB3vC"\napi_key = "${BINANCE_TESTNET_API_KEY}"\n'
    )
    (project / "profiles" / "t-toml.toml").write_text(text)
    found = [d for d in validate_target(Workspace(project / "profiles"), "t-toml") if d.code == "S011"]
    assert [(d.pos.line, d.severity) for d in found] == [(3, "error")] and "Zq81" not in found[0].render()


def test_validate_with_a_repository_schema_imports_no_nautilus_trader(tmp_path):
    import subprocess
    import sys

    shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    code = (
        "import sys; from ntprofile.cli import main\n"
        "try: main(['validate'])\nexcept SystemExit: pass\n"
        "assert not [m for m in sys.modules if m.startswith('nautilus_trader')]\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_the_hook_knows_the_component_classes_of_the_repository_schema(tmp_path, cli):
    """After `ntprofile schema`, a misspelt strategy class is refused by validate alone, without NautilusTrader."""
    import subprocess
    import sys

    shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    path = write_profile(tmp_path, "t-ema.yaml", EMA_TESTNET)
    assert cli("schema", cwd=tmp_path).returncode == 0
    assert cli("validate", "t-ema", cwd=tmp_path).returncode == 0
    path.write_text(EMA_TESTNET.replace("ema_cross:EMACross\n", "ema_cross:EMACros\n"))
    code = (
        "import sys; from ntprofile.cli import main\n"
        "try: main(['validate', 't-ema'])\nexcept SystemExit as exc: print('exit', exc.code)\n"
        "print(sorted(m for m in sys.modules if m.startswith('nautilus_trader')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.stdout.splitlines()[-1] == "[]", proc.stdout + proc.stderr
    result = cli("validate", "t-ema", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "profiles/t-ema.yaml:8:5: error[V103] strategies.ema.strategy_path: module "
        "'nautilus_trader.examples.strategies.ema_cross' has no strategy class 'EMACros' (it has: EMACross) "
        "(did you mean 'nautilus_trader.examples.strategies.ema_cross:EMACross'?)"
    ]
    # a config class named where the strategy goes is the wrong kind
    path.write_text(EMA_TESTNET.replace("ema_cross:EMACross\n", "ema_cross:EMACrossConfig\n"))
    assert "has no strategy class 'EMACrossConfig'" in cli("validate", "t-ema", cwd=tmp_path).stdout
