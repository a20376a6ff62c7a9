"""A variable written where a credential goes is a secret everywhere, whatever the key it sits in.

S010 tells users to write a URL's password as a placeholder
(``http://desk:${PROXY_PASSWORD}@host``); that variable, a token in a URL's
query, and any variable inside a secret field's value are secret variables:
``env`` says so, the variable list rendering reads (``collect``) says so, a
``:-`` default there is a literal secret (S003), and ``check`` never shows
their values. One function decides (``language.secrets.credential_variables``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import clean_env, run_cli, write_profile
from ntprofile.language.secrets import REDACTOR, credential_variables, mask_url_credentials, url_credentials
from ntprofile.layers import Workspace
from ntprofile.pipeline import prepare
from ntprofile.resolve import environment_lookup
from ntprofile.tools.variables import collect

CANARY_PASSWORD = "CANARY-proxy-pw-7d1e"
CANARY_TOKEN = "CANARY-feed-token-c4a9"

OPTION = ("exchanges", "BINANCE", "proxy_url")
"""A key that is not secret by its name: only the value's shape makes a variable there a credential."""


@pytest.mark.parametrize(
    ("path", "text", "secret"),
    [
        (OPTION, "http://desk:${P}@proxy:3128", {"P"}),
        (OPTION, "http://${U}:${P}@proxy", {"P"}),
        (OPTION, "socks5://desk:pre-${P}-post@proxy", {"P"}),
        (OPTION, "http://desk:${P:-}@proxy", {"P"}),
        (OPTION, "http://desk:${P:-a:b@c/d}@proxy", {"P"}),  # a default's ':' '@' '/' move nothing
        (OPTION, "redis://:${P}@${HOST}:${PORT}/0", {"P"}),
        (OPTION, "wss://feed/ws?symbol=${S}&token=${T}", {"T"}),
        (OPTION, "https://feed/x?api_key=${K}&api_secret=${S}#frag", {"K", "S"}),
        (OPTION, "https://feed/x;password=${P}", {"P"}),
        (OPTION, "https://feed/x?Access_Token=${T}", {"T"}),
        (OPTION, "https://feed/x?passphrase=${P}&limit=${L}", {"P"}),
        (OPTION, "https://${U}@feed/x", set()),  # a user name alone is not a password
        (OPTION, "https://feed/${PATH_PART}?symbol=${S}", set()),
        (OPTION, "${HOST}:${PORT}", set()),
        (("cache", "database", "password"), "pre-${A}-${B}", {"A", "B"}),
        (("exchanges", "OKX", "api_passphrase"), "${PP}", {"PP"}),
        (("strategies", "s", "config", "auth_token"), "Bearer ${T}", {"T"}),
        (("exchanges", "DYDX", "private_key"), "0x${K}", {"K"}),  # an adapter's declared credential
        (("message_bus", "database", "username"), "${USER}", set()),
    ],
)
def test_the_variables_that_supply_a_credential(path, text, secret) -> None:
    assert credential_variables(path, text) == secret


def test_credential_parts_of_urls_are_masked_and_literals_found() -> None:
    text = "wss://u:pw1@feed/ws?symbol=BTC&token=tk2&api_key=${K}"
    assert url_credentials(text) == ["pw1", "tk2"]
    assert mask_url_credentials(text) == "wss://u:***@feed/ws?symbol=BTC&token=***&api_key=${K}"


def credentials_profile(project: Path, default: str = "") -> None:
    write_profile(
        project,
        "t-credentials.yaml",
        "extends: [testnet-binance]\n"
        "exchanges:\n"
        "  BINANCE:\n"
        f"    proxy_url: http://desk:${{NTP_PROXY_PASSWORD{default}}}@proxy.local:3128\n"
        "    base_url_ws: wss://stream.local/ws?symbol=${NTP_SYMBOL:-btc}&token=${NTP_FEED_TOKEN}\n",
    )


def test_env_and_the_variable_list_mark_them_secret(project: Path, cli) -> None:
    credentials_profile(project)
    merged, _ = Workspace(project / "profiles").merge("t-credentials")
    flags = {var.name: var.secret for var in collect(merged)}
    assert flags == {
        "BINANCE_TESTNET_API_KEY": True,
        "BINANCE_TESTNET_API_SECRET": True,
        "NTP_PROXY_PASSWORD": True,
        "NTP_SYMBOL": False,
        "NTP_FEED_TOKEN": True,
    }
    listed = json.loads(cli("env", "t-credentials", "--format", "json", cwd=project).stdout)
    rows = listed["variables"] if isinstance(listed, dict) else listed
    assert {row["name"]: row["secret"] for row in rows} == flags
    text = cli("env", "t-credentials", cwd=project).stdout
    assert [line.split()[2] for line in text.splitlines() if line.startswith("NTP_PROXY_PASSWORD")] == ["secret"]


def test_a_default_in_a_credential_part_is_a_literal_secret(project: Path, cli) -> None:
    credentials_profile(project, default=":-hunter2-pw")
    result = cli("validate", "t-credentials", cwd=project)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if "S003" in line]
    assert "exchanges.BINANCE.proxy_url" in line and "${NTP_PROXY_PASSWORD}" in line
    assert "hunter2" not in result.output


def test_a_literal_token_in_a_url_is_s010(project: Path, cli) -> None:
    write_profile(
        project,
        "t-token.yaml",
        "extends: [testnet-binance]\nexchanges:\n  BINANCE:\n    base_url_ws: wss://stream.local/ws?token=Lit3ralTok\n",
    )
    result = cli("validate", "t-token", cwd=project)
    assert result.returncode == 1 and "error[S010] exchanges.BINANCE.base_url_ws" in result.stdout
    assert "Lit3ralTok" not in result.output


def test_check_never_shows_them_and_the_redactor_knows_them(project: Path, monkeypatch) -> None:
    # a number field fed a URL: the message about the value that does not convert must not show it
    write_profile(
        project,
        "t-shown.yaml",
        "extends: [testnet-binance]\n"
        "node:\n"
        "  timeout_connection: http://desk:${NTP_PROXY_PASSWORD}@proxy.local\n"
        "  timeout_reconciliation: wss://stream.local/ws?token=${NTP_FEED_TOKEN}\n",
    )
    env = clean_env(
        NTP_PROXY_PASSWORD=CANARY_PASSWORD,
        NTP_FEED_TOKEN=CANARY_TOKEN,
        BINANCE_TESTNET_API_KEY="k",
        BINANCE_TESTNET_API_SECRET="s",
    )
    result = run_cli("check", "t-shown", cwd=project, env=env)
    assert result.returncode == 1, result.output
    assert [line.split()[1] for line in result.stdout.splitlines() if "[S006]" in line] == [
        "error[S006]",
        "error[S006]",
    ], result.stdout
    assert CANARY_PASSWORD not in result.output and CANARY_TOKEN not in result.output
    for name, value in (("NTP_PROXY_PASSWORD", CANARY_PASSWORD), ("NTP_FEED_TOKEN", CANARY_TOKEN)):
        monkeypatch.setenv(name, value)
    credentials_profile(project)
    monkeypatch.setenv("BINANCE_TESTNET_API_KEY", "k")
    monkeypatch.setenv("BINANCE_TESTNET_API_SECRET", "s")
    monkeypatch.chdir(project)
    prepare(Workspace(project / "profiles"), "t-credentials", lookup=environment_lookup())
    assert REDACTOR(f"proxy {CANARY_PASSWORD} token {CANARY_TOKEN}") == "proxy *** token ***"
