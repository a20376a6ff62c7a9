"""A key whose form is wrong for its venue is found by plain ``check`` (S014), with no venue asked.

Adapters declare the form of their credentials (``adapters.CredentialForm``):
dYdX's and Hyperliquid's ``private_key`` are 64 hexadecimal digits, ``0x``
optional. NautilusTrader's dYdX wallet takes 62 digits as another key, which
would sign every order for a stranger. The compile stage holds each resolved
value to its declaration; ``check --online`` reads the same one. A message
gives the value's length, never the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import clean_env, run_cli, write_profile
from ntprofile.adapters import ADAPTERS
from ntprofile.layers import Workspace
from ntprofile.pipeline import prepare

KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

PROFILES = {
    "dydx": (
        "t-dydx",
        "DYDX_TESTNET_PRIVATE_KEY",
        "exchanges:\n  DYDX:\n    environment: testnet\n"
        "    wallet_address: ${DYDX_TESTNET_WALLET_ADDRESS}\n    private_key: ${DYDX_TESTNET_PRIVATE_KEY}\n",
        "a dYdX private key",
    ),
    "hyperliquid": (
        "t-hyperliquid",
        "HYPERLIQUID_TESTNET_PK",
        "exchanges:\n  HYPERLIQUID:\n    environment: testnet\n    private_key: ${HYPERLIQUID_TESTNET_PK}\n",
        "an EVM private key",
    ),
}


def target(project: Path, adapter: str) -> str:
    name, _, exchanges, _ = PROFILES[adapter]
    write_profile(
        project,
        f"{name}.yaml",
        f"extends: [env/testnet]\nprofile:\n  description: {adapter} keys\nnode:\n  trader_id: KEYS-001\n{exchanges}",
    )
    return name


@pytest.mark.parametrize("adapter", list(PROFILES))
@pytest.mark.parametrize(
    ("key", "length"),
    [
        (KEY, None),
        ("0x" + KEY, None),
        (KEY.upper(), None),
        (KEY[:-2], 62),  # truncated: dYdX would take it as another key
        ("0x" + KEY[:-2], 62),
        (KEY + "00", 66),
        (KEY[:-1] + "g", 64),  # not hexadecimal
        (f"'{KEY}'", 66),  # quoted in the env file
        ("abandon ability able about above absent absorb abstract absurd abuse access accident", 84),  # a mnemonic
    ],
)
def test_a_key_of_the_wrong_form_is_s014_at_its_line(project: Path, adapter: str, key: str, length: int | None):
    name, variable, _, noun = PROFILES[adapter]
    target(project, adapter)
    values = {variable: key, "DYDX_TESTNET_WALLET_ADDRESS": "dydx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a"}
    prepared = prepare(Workspace(project / "profiles"), name, lookup=values.get)
    found = [d for d in prepared.diagnostics if d.code == "S014"]
    if length is None:
        assert found == [] and prepared.ok, prepared.diagnostics
        return
    [s014] = found
    assert s014.key == f"exchanges.{adapter.upper()}.private_key" and s014.pos.line == 10 - (adapter == "hyperliquid")
    assert s014.message == f"private_key is not {noun}: {length} characters, not 64 hexadecimal digits"
    assert key not in s014.render() and not prepared.ok


def test_compile_keeps_the_placeholder_and_finds_nothing(project: Path) -> None:
    name = target(project, "dydx")
    prepared = prepare(Workspace(project / "profiles"), name)
    assert prepared.ok and not [d for d in prepared.diagnostics if d.code == "S014"], prepared.diagnostics


def test_check_finds_it_with_no_venue_and_never_shows_the_key(project: Path) -> None:
    name = target(project, "dydx")
    short = KEY[:-2]
    env = clean_env(DYDX_TESTNET_PRIVATE_KEY=short, DYDX_TESTNET_WALLET_ADDRESS="dydx1qqqq")
    result = run_cli("check", name, cwd=project, env=env)
    assert result.returncode == 1, result.output
    assert result.stdout.splitlines()[0] == (
        f"profiles/{name}.yaml:10:5: error[S014] exchanges.DYDX.private_key: private_key is not a dYdX private key: "
        "62 characters, not 64 hexadecimal digits (is the variable truncated or quoted, or is it a mnemonic?)"
    )
    assert short not in result.output


def test_every_declared_form_says_the_length_and_never_the_value() -> None:
    declared = [
        (adapter.name, credential)
        for adapter in ADAPTERS.values()
        for credential in adapter.credentials
        if credential.form is not None
    ]
    assert {name for name, _ in declared} >= {"dydx", "hyperliquid"}
    for _, credential in declared:
        for value in ("S3cr3t-value", "x" * 200, "0x" + "Z" * 64, ""):
            problem = credential.form.problem(value)
            assert problem is not None and (not value or value not in problem)
            assert f"{len(value.removeprefix(credential.form.prefix))} characters" in problem


@pytest.mark.parametrize("adapter", ["dydx", "hyperliquid"])
def test_check_online_holds_the_key_to_the_same_declaration(adapter: str) -> None:
    from types import SimpleNamespace

    from ntprofile.node.online import Target, VenueProblem, signing_key

    short = KEY[:-2]
    target = Target(adapter.upper(), adapter, "testnet", SimpleNamespace(private_key=short), True)

    def derive(key: str) -> str:
        raise AssertionError("a key of the wrong form must not reach NautilusTrader")

    with pytest.raises(VenueProblem) as caught:
        signing_key(target, "private_key", derive)
    form = ADAPTERS[adapter].credential("private_key").form
    assert (caught.value.code, caught.value.message) == ("R101", f"private_key {form.problem(short)}")
    good = Target(adapter.upper(), adapter, "testnet", SimpleNamespace(private_key=KEY), True)
    assert signing_key(good, "private_key", str.upper) == KEY.upper()
