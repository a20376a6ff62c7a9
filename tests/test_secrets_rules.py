"""Secrets rules S001-S003: literal secrets, malformed placeholders, secret defaults.

A literal secret is reported by key path at the line of the file that holds
it, once however many targets share the file, and its value never appears in
any output format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ntprofile.layers import Workspace
from ntprofile.loader import load_bytes
from ntprofile.validate import validate_paths
from ntprofile.validate.secrets import check_document

CANARY = "CANARY-7f3a9c1e5b2d4680"
"""A fake API key: must never be printed."""


def edit(project: Path, rel: str, old: str, new: str) -> Path:
    path = project / "profiles" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


def doc_findings(text: str, suffix: str = ".yaml") -> list:
    doc, diags = load_bytes(text.encode(), Path(f"/nowhere/layer{suffix}"))
    assert doc is not None, diags
    return check_document(doc, text=text)


# ------------------------------------------------------------------ S001


def test_s001_literal_key_in_a_shared_layer_is_reported_once(project):
    edit(project, "exchanges/bybit.yaml", "${BYBIT_TESTNET_API_KEY}", CANARY)
    diags = [d for d in validate_paths(Workspace(project / "profiles"), []) if d.code == "S001"]
    [diag] = diags  # testnet-bybit, prod-bybit and prod-multi all use the layer
    assert Path(diag.pos.file) == project / "profiles/exchanges/bybit.yaml"
    assert (diag.pos.line, diag.pos.col) == (8, 5)
    assert diag.key == "exchanges.BYBIT.api_key"
    assert diag.hint.startswith("write ${BYBIT_API_KEY}")
    assert CANARY not in diag.render()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("cache:\n  database:\n    password: 12345678\n", "cache.database.password"),
        ("strategies:\n  s:\n    config:\n      webhook_token: abc\n", "strategies.s.config.webhook_token"),
        ("exchanges:\n  OKX:\n    passphrase: 'pre${OKX_PASSPHRASE}'\n", "exchanges.OKX.passphrase"),
        ("exchanges:\n  BYBIT:\n    api_secret: 'pa$$word'\n", "exchanges.BYBIT.api_secret"),
    ],
)
def test_s001_every_secret_name_and_literal_form(text, key):
    assert [(d.code, d.key) for d in doc_findings(text)] == [("S001", key)]


@pytest.mark.parametrize(
    "value",
    ["${BYBIT_API_KEY}", "$BYBIT_API_KEY", "null"],
)
def test_s001_passes_placeholders_and_null(value):
    assert doc_findings(f"exchanges:\n  BYBIT:\n    api_key: {value}\n") == []
    assert doc_findings(f"cache:\n  database:\n    password: {value}\n") == []


@pytest.mark.parametrize("value", ["''", "' '", '"\\t"'])
def test_s001_empty_or_blank_literal_as_compile_says(value):
    assert [d.code for d in doc_findings(f"exchanges:\n  BYBIT:\n    api_key: {value}\n")] == ["S001"]
    assert [d.code for d in doc_findings(f"cache:\n  database:\n    password: {value}\n")] == ["S001"]


def test_s001_in_toml_points_at_the_toml_line():
    text = '[exchanges.BYBIT]\nadapter = "bybit"\napi_secret = "plain"\n'
    [diag] = doc_findings(text, ".toml")
    assert (diag.code, diag.pos.line, diag.key) == ("S001", 3, "exchanges.BYBIT.api_secret")


def test_s001_uses_schema_write_only_names():
    doc, _ = load_bytes(b"exchanges:\n  X:\n    signing_blob: abc\n", Path("/nowhere/a.yaml"))
    assert check_document(doc) == []
    assert [d.code for d in check_document(doc, extra_secret_keys=["signing_blob"])] == ["S001"]


# ------------------------------------------------------------------ S002


@pytest.mark.parametrize(
    ("line", "col"),
    [
        ('    host: "${REDIS_HOST"\n', 12),  # unclosed, quoted: the '$' after the quote
        ("    host: redis-$ 1\n", 17),  # a lone '$' inside the value
        ("    host: ${1HOST}\n", 11),
    ],
)
def test_s002_points_at_the_dollar(line, col):
    [diag] = doc_findings("cache:\n  database:\n" + line)
    assert (diag.code, diag.pos.line, diag.pos.col) == ("S002", 3, col)
    assert diag.key == "cache.database.host"
    assert diag.hint == "write ${NAME} or ${NAME:-default}; '$$' is a literal '$'"


def test_s002_in_a_list_item():
    [diag] = doc_findings("exchanges:\n  BYBIT:\n    product_types: [LINEAR, '${X']\n")
    assert (diag.code, diag.pos.line, diag.pos.col, diag.key) == ("S002", 3, 30, "exchanges.BYBIT.product_types[1]")


def test_s002_on_a_secret_field_does_not_echo_the_value():
    [diag] = doc_findings("exchanges:\n  BYBIT:\n    api_secret: '${sk-live-9x2'\n")
    assert diag.code == "S002"
    assert "sk-live" not in diag.render()


def test_s002_passes_escaped_dollar():
    assert doc_findings("profile:\n  description: costs $$5 a month\n") == []


# ------------------------------------------------------------------ S003


def test_s003_secret_default(project, cli):
    edit(
        project,
        "exchanges/binance.yaml",
        "${BINANCE_TESTNET_API_SECRET}",
        "${BINANCE_TESTNET_API_SECRET:-" + CANARY + "}",
    )
    result = cli("validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "profiles/exchanges/binance.yaml:9:5: error[S003] exchanges.BINANCE.api_secret: the ':-' default of "
        "${BINANCE_TESTNET_API_SECRET} is a literal secret (value not shown) "
        "(drop the default: write ${BINANCE_TESTNET_API_SECRET})"
    ]
    assert CANARY not in result.output


@pytest.mark.parametrize("key", ["api_key", "api_secret", "rsa_private_key_passphrase", "token"])
def test_s003_an_exchange_credential_has_no_default_not_even_an_empty_one(key):
    text = f"exchanges:\n  BYBIT:\n    exec:\n      {key}: ${{BYBIT_X:-}}\n"
    [diag] = doc_findings(text)
    assert (diag.code, diag.pos.line, diag.key) == ("S003", 4, f"exchanges.BYBIT.exec.{key}")
    assert diag.message.startswith("a credential has no default")
    assert diag.hint == "drop the default: write ${BYBIT_X}"


def test_s003_empty_default_on_a_credential_fails_validate(project, cli):
    edit(project, "prod-bybit.yaml", "${BYBIT_API_KEY}", "${BYBIT_API_KEY:-}")
    result = cli("validate", "prod-bybit", cwd=project)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("profiles/prod-bybit.yaml:")
    assert "error[S003] exchanges.BYBIT.api_key: a credential has no default" in line


def test_s003_passes_empty_default_and_non_secret_defaults():
    text = "cache:\n  database:\n    host: ${REDIS_HOST:-127.0.0.1}\n    password: ${REDIS_PASSWORD:-}\n"
    assert doc_findings(text) == []


# ------------------------------------------------------------------ canary in every format


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_canary_secret_never_appears_in_any_output(project, cli, fmt):
    edit(project, "prod-bybit.yaml", "${BYBIT_API_KEY}", CANARY)
    edit(project, "env/production.yaml", "${REDIS_PASSWORD}", f"'{CANARY}x'")
    edit(project, "exchanges/binance.yaml", "${BINANCE_TESTNET_API_SECRET}", "'${" + CANARY + "'")
    result = cli("validate", "--format", fmt, cwd=project)
    assert result.returncode == 1, result.output
    assert CANARY not in result.output
    assert CANARY[:12] not in result.output
    if fmt == "json":
        found = json.loads(result.stdout)
        assert {(f["code"], f["key"]) for f in found} >= {
            ("S001", "exchanges.BYBIT.api_key"),
            ("S001", "cache.database.password"),
            ("S002", "exchanges.BINANCE.api_secret"),
        }
    if fmt == "github":
        assert all(line.startswith("::error file=profiles/") for line in result.stdout.splitlines())
