"""``ntprofile show``: the merged profile as one file that parses back, secrets masked, placeholders kept."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest
import yaml
from conftest import EXCHANGE_CANARIES, TARGETS, clean_env, write_profile

PARSERS = {"yaml": yaml.safe_load, "json": json.loads, "toml": tomllib.loads}

CANARY_KEY = "CANARY-show-literal-key-51c0"
CANARY_DEFAULT = "CANARY-show-default-7d22"
CANARY_URL = "CANARY-show-urlpw-90ab"
LEAKY = f"""\
extends: [prod-bybit]
node: {{trader_id: PROD-LEAK-001}}
cache:
  database:
    password: ${{REDIS_PASSWORD:-{CANARY_DEFAULT}}}
    host: redis://:{CANARY_URL}@10.0.0.5
exchanges:
  BYBIT:
    api_key: {CANARY_KEY}
    base_url_http: ${{REDIS_PASSWORD:-{CANARY_DEFAULT}}}
    api_secret: ${{BYBIT_API_SECRET}}
"""


def _without_nulls(tree: dict, path: str = "") -> tuple[dict, list[str]]:
    kept, nulls = {}, []
    for key, value in tree.items():
        here = f"{path}{key}"
        if value is None:
            nulls.append(here)
        elif isinstance(value, dict):
            kept[key], below = _without_nulls(value, here + ".")
            nulls += below
        else:
            kept[key] = value
    return kept, nulls


@pytest.mark.parametrize("target", TARGETS)
def test_every_format_parses_back_to_the_same_profile(project, cli, target):
    trees, notes = {}, {}
    for fmt, parse in PARSERS.items():
        result = cli("show", target, "--format", fmt, cwd=project)
        assert result.returncode == 0, result.output
        trees[fmt], notes[fmt] = parse(result.stdout), result.stderr
    assert trees["yaml"] == trees["json"]
    assert "extends" not in trees["yaml"] and trees["yaml"]["profile"]["stage"]
    kept, nulls = _without_nulls(trees["yaml"])  # TOML has no null: those keys are comments
    assert trees["toml"] == kept
    assert notes["yaml"] == notes["json"] == ""
    assert notes["toml"] == (
        f"TOML has no null: {', '.join(nulls)} written as comments, read back as unset (yaml and json keep null)\n"
        if nulls
        else ""
    )


def test_the_output_is_the_merged_target_and_validates_as_one(project, cli, tmp_path):
    result = cli("show", "prod-multi", cwd=project)
    tree = yaml.safe_load(result.stdout)
    assert tree["cache"]["database"]["password"] == "${REDIS_PASSWORD}"  # placeholders kept
    assert tree["exchanges"]["BINANCE"]["api_key"] == "${BINANCE_API_KEY}"
    assert tree["exec_engine"]["reconciliation_lookback_mins"] == 1440  # from env/production
    alone = tmp_path / "alone"
    (alone / "profiles").mkdir(parents=True)
    (alone / "profiles" / "prod-multi.yaml").write_text(result.stdout)
    checked = cli("validate", "prod-multi", cwd=alone)
    assert checked.returncode == 0 and checked.stderr.strip() == "1 target valid (1 file).", checked.output


@pytest.mark.parametrize("fmt", PARSERS)
def test_no_secret_literal_default_url_password_or_canary_value_shows(project, cli, fmt):
    write_profile(project, "prod-leak.yaml", LEAKY)
    env = clean_env(**EXCHANGE_CANARIES, REDIS_PASSWORD="CANARY-show-env-redis-3f3f")
    result = cli("show", "prod-leak", "--format", fmt, cwd=project, env=env)
    assert result.returncode == 0, result.output
    for value in (CANARY_KEY, CANARY_DEFAULT, CANARY_URL, "CANARY-show-env-redis-3f3f", *EXCHANGE_CANARIES.values()):
        assert value not in result.output
    tree = PARSERS[fmt](result.stdout)
    bybit = tree["exchanges"]["BYBIT"]
    assert bybit["api_key"] == "***"  # a literal in a secret field
    assert bybit["api_secret"] == "${BYBIT_API_SECRET}"  # a placeholder is kept
    assert bybit["base_url_http"] == "${REDIS_PASSWORD:-***}"  # a secret variable's default, wherever it is
    assert tree["cache"]["database"]["password"] == "${REDIS_PASSWORD:-***}"
    assert tree["cache"]["database"]["host"] == "redis://:***@10.0.0.5"


def test_null_in_toml_is_a_comment_and_said_so(project, cli):
    write_profile(project, "dev-mem.yaml", "extends: [testnet-bybit]\ncache:\n  database: null\n  encoding: json\n")
    as_yaml = yaml.safe_load(cli("show", "dev-mem", cwd=project).stdout)
    assert as_yaml["cache"]["database"] is None and as_yaml["cache"]["encoding"] == "json"
    result = cli("show", "dev-mem", "--format", "toml", cwd=project)
    assert result.returncode == 0
    assert "[cache]\n# database = null  (TOML has no null: read as unset)\n" in result.stdout
    as_toml = tomllib.loads(result.stdout)
    assert "database" not in as_toml["cache"] and as_toml == _without_nulls(as_yaml)[0]
    assert result.stderr.strip() == (
        "TOML has no null: cache.database written as comments, read back as unset (yaml and json keep null)"
    )


def test_null_inside_a_list_cannot_be_toml(project, cli):
    write_profile(project, "dev-list.yaml", "extends: [testnet-bybit]\nprofile:\n  notes: [a, null]\n")
    result = cli("show", "dev-list", "--format", "toml", cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "ntprofile show: profile.notes[1] is null inside a list, which TOML cannot write; use --format yaml or json"
    )


def test_keys_and_strings_toml_must_quote(project, cli):
    text = (
        "extends: [testnet-bybit]\nstrategies:\n  'my strategy':\n"
        "    strategy_path: 'a.b:C'\n    config_path: 'a.b:D'\n"
        "    config: {'odd.key': \"quote \\\" back\\\\slash \\u007f tab\\t\", pct: 1.5e-07, n: -3}\n"
    )
    write_profile(project, "dev-odd.yaml", text)
    as_yaml = yaml.safe_load(cli("show", "dev-odd", cwd=project).stdout)
    as_toml = tomllib.loads(cli("show", "dev-odd", "--format", "toml", cwd=project).stdout)
    assert as_toml == _without_nulls(as_yaml)[0]
    assert as_toml["strategies"]["my strategy"]["config"]["odd.key"] == 'quote " back\\slash \x7f tab\t'


def test_a_layer_shows_too_and_an_unknown_name_is_a_usage_error(project, cli):
    assert yaml.safe_load(cli("show", "env/production", cwd=project).stdout)["profile"]["stage"] == "production"
    missing = cli("show", "prod-bybt", cwd=project)
    assert missing.returncode == 2 and "did you mean 'prod-bybit'?" in missing.stderr


def test_a_profile_that_does_not_load_prints_its_findings(project, cli):
    write_profile(project, "broken.yaml", "profile: [\n")
    result = cli("show", "broken", cwd=project)
    assert result.returncode == 1 and result.stdout == "" and "error[Y003]" in result.stderr


def test_show_imports_nothing_heavy(project):
    from test_validate_speed_imports import probe

    for fmt in PARSERS:
        result = probe(project, ["show", "prod-multi", "--format", fmt])
        assert result["code"] == 0 and result["heavy"] == []


def test_show_runs_from_a_repository_made_by_init(tmp_path, cli):
    assert cli("init", "firm", "--exchanges", "binance", cwd=tmp_path).returncode == 0
    inside = tmp_path / "firm" / "profiles" / "env"
    result = cli("show", "testnet-binance", "--format", "toml", cwd=inside)
    assert result.returncode == 0, result.output
    assert tomllib.loads(result.stdout)["profile"]["stage"] == "testnet"
    shutil.rmtree(tmp_path / "firm")
