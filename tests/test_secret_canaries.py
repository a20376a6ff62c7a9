"""Secrets are masked where they are rendered: no form of the value shows, and no ordinary word is masked.

Canary values with a backslash, a tab, quotes and non-ASCII letters would
show escaped in a ``repr()`` or in JSON; a three-letter one is too short for a
text search; one equal to an ordinary word (``testnet``, ``BYBIT``) would, if
searched for in all output, mask that word wherever it stands and so tell the
secret. Each is used in a secret field and also, wrongly, in a number field
that rejects it: the finding there must name the variable and never the value.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import clean_env
from ntprofile.language.secrets import Redactor

CANARIES = {
    "BYBIT_TESTNET_API_KEY": "Qx\\CANARY-backslash-7f3a",
    "BYBIT_TESTNET_API_SECRET": "Tab\tCANARY-4e1b",
    "V_TESTNET_DATA_KEY": "Qu\"o'te-CANARY-9c2d",
    "V_TESTNET_DATA_SECRET": "Ünï-CANARY-é✓-55aa",
    "V_TESTNET_EXEC_KEY": "k3y",
    "V_TESTNET_EXEC_SECRET": "testnet",
}
MISUSED_IN = [
    "timeout_connection",
    "timeout_reconciliation",
    "timeout_portfolio",
    "timeout_disconnection",
    "timeout_post_stop",
    "timeout_shutdown",
]

PROFILE = """\
extends: [testnet-bybit]
node:
  trader_id: TESTNET-CANARY-001
{misuse}exchanges:
  BYBIT:
    data:
      api_key: ${{V_TESTNET_DATA_KEY}}
      api_secret: ${{V_TESTNET_DATA_SECRET}}
    exec:
      api_key: ${{V_TESTNET_EXEC_KEY}}
      api_secret: ${{V_TESTNET_EXEC_SECRET}}
"""


def spellings(value: str) -> set[str]:
    """Every way output could carry ``value``: raw, ``repr``-escaped, JSON-escaped (ASCII or not)."""
    forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    return forms | {f.replace("\t", "\\t") for f in forms}


def _write(project: Path, misuse: bool) -> None:
    lines = "".join(f"  {field}: ${{{name}}}\n" for field, name in zip(MISUSED_IN, CANARIES)) if misuse else ""
    (project / "profiles" / "canary.yaml").write_text(PROFILE.format(misuse=lines))


def _assert_no_canary(text: str) -> None:
    for name, value in CANARIES.items():
        if value in ("k3y", "testnet"):
            continue  # short and ordinary: the findings below are checked for them instead
        for form in spellings(value):
            assert form not in text, f"{name} shows as {form!r}:\n{text}"


def test_a_secret_used_in_a_wrong_field_is_named_never_shown(project: Path, cli) -> None:
    _write(project, misuse=True)
    result = cli("check", "canary", cwd=project, env=clean_env(**CANARIES))
    assert result.returncode == 1, result.output
    _assert_no_canary(result.output)
    findings = [line for line in result.stdout.splitlines() if "error[S006]" in line]
    assert len(findings) == len(CANARIES), result.output
    for field, name in zip(MISUSED_IN, CANARIES):
        [line] = [f for f in findings if f" node.{field}: " in f]
        assert line.endswith(f"node.{field}: value of {name} does not convert to the field's type: not a valid float")


def test_ordinary_words_stay_visible_when_a_secret_equals_one(project: Path, cli) -> None:
    _write(project, misuse=False)
    env = {**CANARIES, "BYBIT_TESTNET_API_KEY": "BYBIT"}
    result = cli("check", "canary", cwd=project, env=clean_env(**env))
    assert result.returncode == 0, result.output
    assert "  client       BYBIT: bybit testnet (data+exec)" in result.stdout
    assert "***" not in result.stdout
    _assert_no_canary(result.output)


def test_other_tools_never_see_a_value(project: Path, cli) -> None:
    _write(project, misuse=True)
    env = clean_env(**CANARIES)
    for args in (["explain", "canary"], ["explain", "canary", "--format", "json"], ["env", "canary"]):
        result = cli(*args, cwd=project, env=env)
        assert result.returncode == 0, result.output
        _assert_no_canary(result.output)
        assert "k3y" not in result.output
    explained = cli("explain", "canary", "node", cwd=project, env=env).stdout
    assert "node.timeout_connection = *** (${BYBIT_TESTNET_API_KEY})" in explained  # a secret variable, masked


def test_foreign_error_texts_that_spell_a_secret_are_withheld() -> None:
    redactor = Redactor()
    for value in CANARIES.values():
        redactor.add(value)
    for value in CANARIES.values():
        for text in (f"bad value {value!r}", f"bad value {json.dumps(value)}", f"{ {'v': value} }"):
            assert redactor.withhold(text) == "(detail not shown: it contains a secret value)", text
    assert redactor.withhold("connection refused") == "connection refused"
    assert redactor("a testnet node, key k3y") == "a testnet node, key k3y"  # the net leaves short values alone
    long_value = CANARIES["BYBIT_TESTNET_API_KEY"]
    assert redactor(f"x {long_value!r} {json.dumps(long_value)}") == "x '***' \"***\""
