"""``check --online`` against a local Binance + Bybit venue (tests/venue_server.py) on a loopback port.

The venue verifies signatures, timestamps and receive windows as the venues
document them, so a passing case proves NautilusTrader's clients and ntprofile's
own requests sign correctly, and each failing case gets the venue's real refusal.
Every test's venue holds the calls it received to the allow-list of read-only
GETs. Nothing here reaches the network.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import EXCHANGE_CANARIES, clean_env, closed_port, write_profile
from ntprofile.layers import Workspace
from ntprofile.node.online import CHECKS, Target, check_target, online_checks
from ntprofile.node.online.binance import restriction_findings
from ntprofile.node.online.bybit import permission_findings
from ntprofile.pipeline import prepare
from pytest_redis import factories
from venue_server import Account, SilentVenue, VenueServer, read_only

REDIS_PASSWORD = "CANARY-online-redis-pw-8e1c"
CANARIES = {**EXCHANGE_CANARIES, "REDIS_PASSWORD": REDIS_PASSWORD}

online_redis = factories.redis_proc(port=None, password=REDIS_PASSWORD)


def binance(prefix: str = "", **state) -> Account:
    return Account(CANARIES[f"BINANCE_{prefix}API_KEY"], CANARIES[f"BINANCE_{prefix}API_SECRET"], **state)


def bybit(prefix: str = "", **state) -> Account:
    return Account(CANARIES[f"BYBIT_{prefix}API_KEY"], CANARIES[f"BYBIT_{prefix}API_SECRET"], **state)


def assert_read_only(venue: VenueServer) -> None:
    """Every call the venue received is a read-only GET of the allow-list."""
    assert venue.requests, "the venue was never asked"
    writes = [r for r in venue.requests if not read_only(r)]
    assert not writes, f"calls outside the read-only allow-list: {writes}"


def online_target(project: Path, url: str, base: str = "prod-multi", extra: str = "") -> str:
    """A target extending ``base`` whose every exchange client points at ``url``."""
    clients = ["BINANCE", "BYBIT"] if base == "prod-multi" else [base.split("-")[1].upper()]
    body = "".join(f"  {c}:\n    base_url_http: {url}\n{extra}" for c in clients)
    trader = "" if base.startswith("testnet") else "node:\n  trader_id: ONLINE-CHECK-001\n"
    write_profile(project, "online.yaml", f"extends: [{base}]\n{trader}exchanges:\n{body}")
    return "online"


def ask(
    project: Path, venue, base: str = "prod-multi", extra: str = "", notes: bool = False, secrets: dict | None = None
) -> list[str]:
    """The rendered online findings for ``base`` pointed at ``venue`` (notes only when asked); no canary in any."""
    name = online_target(project, venue.url, base, extra)
    prepared = prepare(Workspace(project / "profiles"), name, lookup={**CANARIES, **(secrets or {})}.get)
    assert prepared.ok, prepared.diagnostics
    lines = [d.render() for d in online_checks(prepared) if notes or d.severity != "note"]
    text = "\n".join(lines)
    for name, value in CANARIES.items():
        assert value not in text, f"{name} shown"
    return lines


def codes(lines: list[str]) -> list[str]:
    return [re.search(r"(?:error|warning)\[R\d+\]", line).group(0) for line in lines]


# ---------------------------------------------------------------- every check passes


def test_a_healthy_production_account_passes_every_check(project):
    with VenueServer([binance(), bybit()]) as venue:
        [note] = ask(project, venue, notes=True)
    # the futures base_url_http is this futures host: the spot API's key restrictions are not asked of it
    assert "note[R110] exchanges.BINANCE: the key's restrictions (withdrawals, IP binding) were not asked" in note
    assert ("GET", "/sapi/v1/account/apiRestrictions") not in venue.requests
    assert_read_only(venue)
    asked = set(venue.requests)
    assert {
        ("GET", "/fapi/v1/time"),
        ("GET", "/fapi/v1/positionSide/dual"),
        ("GET", "/fapi/v1/multiAssetsMargin"),
        ("GET", "/v5/market/time"),
        ("GET", "/v5/user/query-api"),
        ("GET", "/v5/position/list"),
    } <= asked
    assert venue.requests.count(("GET", "/v5/position/list")) == 2  # ETHUSDT-LINEAR and BTCUSDT-LINEAR
    assert venue.rejections == []  # every signature, timestamp and window was accepted


def test_testnet_asks_no_mainnet_endpoint_and_spot_reads_the_account(project):
    with VenueServer([binance("TESTNET_")]) as venue:
        assert ask(project, venue, "testnet-binance", extra="    account_type: SPOT\n") == []
    assert_read_only(venue)
    assert set(venue.requests) == {("GET", "/api/v3/time"), ("GET", "/api/v3/account")}


# ---------------------------------------------------------------- the key


def test_wrong_secrets_are_rejected_signatures(project):
    with VenueServer(
        [Account(CANARIES["BINANCE_API_KEY"], "x" * 20), Account(CANARIES["BYBIT_API_KEY"], "y" * 20)]
    ) as v:
        lines = ask(project, v)
    assert_read_only(v)
    assert sorted(v.rejections) == ["binance -1022", "bybit 10004"]
    assert len(lines) == 2, lines
    assert "error[R101] exchanges.BINANCE: the mainnet venue at http://127.0.0.1:" in lines[0]
    assert "rejected the request's signature (-1022 Signature for this request is not valid.)" in lines[0]
    assert "(api_secret is not the secret of this api_key)" in lines[0]
    assert "error[R101] exchanges.BYBIT:" in lines[1] and "signature (retCode 10004)" in lines[1]


def test_a_key_the_venue_does_not_know(project):
    # the testnet keys handed to mainnet: the venue knows only the mainnet keys
    with VenueServer([binance("TESTNET_"), bybit("TESTNET_")]) as venue:
        lines = ask(project, venue)
    assert codes(lines) == ["error[R101]", "error[R101]"]
    assert "rejected the API key (-2015 Invalid API-key, IP, or permissions for action.)" in lines[0]
    assert "such as a testnet key on mainnet" in lines[0]
    assert "rejected the API key (retCode 10003)" in lines[1]


# ---------------------------------------------------------------- the clock


def test_a_clock_ahead_of_the_venue_is_one_finding_per_venue(project):
    with VenueServer([binance(), bybit()], skew_ms=-7000) as venue:
        lines = ask(project, venue)
    assert codes(lines) == ["error[R102]", "error[R102]"], lines
    assert "the local clock is 7.0 s ahead of" in lines[0]
    assert sorted(venue.rejections) == ["binance -1021", "bybit 10002"]  # the venue agreed


def test_a_clock_behind_is_judged_against_recv_window_ms(project):
    with VenueServer([binance(), bybit()], skew_ms=3000) as venue:
        assert ask(project, venue) == []  # 3 s behind, inside the default 5000 ms window
    with VenueServer([binance(), bybit()], skew_ms=3000) as venue:
        lines = ask(project, venue, extra="    exec:\n      recv_window_ms: 2000\n")
    assert codes(lines) == ["error[R102]", "error[R102]"], lines
    assert "s behind http://127.0.0.1:" in lines[0] and "more than recv_window_ms 2000 ms" in lines[0]


# ---------------------------------------------------------------- Binance account and key


def test_binance_hedge_mode_and_multi_assets(project):
    with VenueServer([binance(dual_side=True, multi_assets=True), bybit()]) as venue:
        lines = ask(project, venue)
    assert_read_only(venue)
    assert codes(lines) == ["error[R105]", "warning[R106]"], lines
    assert "hedge mode (dualSidePosition true)" in lines[0]


def test_binance_key_that_withdraws_without_ip_restriction(project):
    """A spot client's base_url_http is the spot API: the key restrictions are asked there."""
    with VenueServer([binance(withdrawals=True, ip_restrict=False, spot_trading=False)]) as venue:
        lines = ask(project, venue, "prod-binance", extra="    account_type: SPOT\n")
    assert codes(lines) == ["error[R103]", "warning[R104]", "error[R107]"], lines
    assert "production API key can withdraw funds (enableWithdrawals true)" in lines[0]
    assert "may not trade this account (enableSpotAndMarginTrading false)" in lines[2]
    assert ("GET", "/sapi/v1/account/apiRestrictions") in venue.requests


def _private_key(kind: str) -> tuple[str, Any]:
    """``(api_secret as a user pastes it, public key)`` of a new Ed25519 or RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    key = ed25519.Ed25519PrivateKey.generate() if kind.startswith("ed25519") else rsa.generate_private_key(65537, 2048)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Binance's key generator gives PEM files; a one-line Base64 of the DER is what fits an env file
    secret = base64.b64encode(der).decode() if kind == "ed25519-line" else pem.decode()
    return secret, key.public_key()


@pytest.mark.parametrize(
    ("kind", "extra", "signed"),
    [
        # recognised as Ed25519 by itself, as NautilusTrader's factory recognises it
        ("ed25519-line", "    account_type: SPOT\n", ("/api/v3/account", "/sapi/v1/account/apiRestrictions")),
        ("ed25519", "    account_type: SPOT\n    key_type: Ed25519\n", ("/sapi/v1/account/apiRestrictions",)),
        ("ed25519", "    key_type: Ed25519\n", ("/fapi/v1/positionSide/dual", "/fapi/v1/multiAssetsMargin")),
        # 1.231 signs RSA for data clients only
        ("rsa", "    account_type: SPOT\n    key_type: RSA\n    exec: false\n", ("/sapi/v1/account/apiRestrictions",)),
    ],
)
def test_binance_ed25519_and_rsa_keys_are_signed_as_nautilus_trader_signs_them(project, kind, extra, signed):
    """The venue verifies the asymmetric signature with the key's public half, as binance-spot-api-docs
    rest-api.md documents it ("SIGNED Endpoint Examples for POST /api/v3/order", RSA and Ed25519 keys:
    Base64 of the signature of the query string, URL-encoded): a valid key passes, and the private key of
    another key pair is R101, as Binance answers it (-1022 "Signature for this request is not valid.")."""
    secret, public = _private_key(kind)
    account = binance(public_key=public)
    with VenueServer([account]) as venue:
        lines = ask(project, venue, "prod-binance", extra, secrets={"BINANCE_API_SECRET": secret})
    assert lines == [] and venue.rejections == [], lines
    assert {("GET", path) for path in signed} <= set(venue.requests)
    other, _ = _private_key(kind)
    with VenueServer([account]) as venue:
        lines = ask(project, venue, "prod-binance", extra, secrets={"BINANCE_API_SECRET": other})
    assert codes(lines) == ["error[R101]"] and "rejected the request's signature (-1022" in lines[0], lines
    assert other not in "\n".join(lines)


@pytest.mark.parametrize(
    ("account", "environment", "base_url", "spot"),
    [
        ("USDT_FUTURES", "LIVE", None, "https://api.binance.com"),
        ("USDT_FUTURES", "LIVE", "https://fapi.binance.com", "https://api.binance.com"),
        ("COIN_FUTURES", "LIVE", "https://dapi.binance.com/", "https://api.binance.com"),
        ("USDT_FUTURES", "DEMO", "https://demo-fapi.binance.com", "https://demo-api.binance.com"),
        ("USDT_FUTURES", "LIVE", "https://binance-proxy.internal", None),  # cannot be known: a note
        ("SPOT", "LIVE", "https://binance-proxy.internal", "https://binance-proxy.internal"),
    ],
)
def test_key_restrictions_go_to_the_spot_api_of_the_environment_never_a_futures_host(
    account: str, environment: str, base_url: str | None, spot: str | None
) -> None:
    """``GET /sapi/v1/account/apiRestrictions`` is a spot-API (``/sapi``) endpoint (Binance docs, Wallet: Get
    API Key Permission); the hosts are NautilusTrader 1.231's ``get_http_base_url``."""
    from nautilus_trader.adapters.binance.common.enums import BinanceAccountType, BinanceEnvironment
    from nautilus_trader.adapters.binance.config import BinanceExecClientConfig

    from ntprofile.node.online.binance import base_urls

    config = BinanceExecClientConfig(
        account_type=BinanceAccountType[account], environment=BinanceEnvironment[environment], base_url_http=base_url
    )
    url, spot_url = base_urls(Target("BINANCE", "binance", "production", config, has_exec=True))
    assert url == (base_url or url) and spot_url == spot


def test_withdrawal_permission_is_an_error_in_production_only():
    target = Target("BINANCE", "binance", "testnet", config=None, has_exec=True)
    assert restriction_findings(target, {"enableWithdrawals": True, "ipRestrict": True}, futures=True) == []
    assert permission_findings(target, {"permissions": {"Wallet": ["Withdraw"]}, "ips": ["*"]}, mainnet=False) == []


# ---------------------------------------------------------------- Bybit key and account


def test_bybit_read_only_key_expiring_soon_that_withdraws(project):
    with VenueServer([binance(), bybit(read_only=1, expires_in_days=3, wallet=["Withdraw"], ips=["*"])]) as venue:
        lines = ask(project, venue)
    assert_read_only(venue)
    assert codes(lines) == ["error[R107]", "warning[R108]", "error[R103]", "warning[R104]"], lines
    assert "the API key is read-only" in lines[0]
    assert "in 2 day(s)" in lines[1] or "in 3 day(s)" in lines[1]
    assert "(Wallet: Withdraw)" in lines[2]


def test_a_bybit_key_bound_to_ip_addresses_never_expires(project):
    """Bybit's body for an IP-bound key, as NautilusTrader recorded it (crates/adapters/bybit/test_data/
    http_get_user_query_api.json: ``"deadlineDay": -2, "expiredAt": "1970-01-01T00:00:00Z"``): no R108."""
    from ntprofile.node.online.bybit import expiry_findings

    with VenueServer([bybit(ips=["203.0.113.7"], expires_in_days=None)]) as venue:
        assert ask(project, venue, "prod-bybit") == []
    assert ("GET", "/v5/user/query-api") in venue.requests
    target = Target("BYBIT", "bybit", "production", config=None, has_exec=True)
    assert expiry_findings(target, "1970-01-01T00:00:00Z") == []
    [soon] = expiry_findings(target, (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert soon.code == "R108" and soon.severity == "warning"


def test_a_read_only_key_is_fine_for_market_data_only(project):
    with VenueServer([bybit("TESTNET_", read_only=1, expires_in_days=None)]) as venue:
        assert ask(project, venue, "testnet-bybit", extra="    exec: false\n") == []
    assert ("GET", "/v5/position/list") not in venue.requests  # no exec client, no position_mode


def test_bybit_position_mode_against_the_account(project):
    hedged = {"ETHUSDT": "BOTH_SIDES"}
    with VenueServer([bybit("TESTNET_", modes=hedged, open_size={"ETHUSDT": "0.5"})]) as venue:
        lines = ask(project, venue, "testnet-bybit")
    assert codes(lines) == ["error[R105]"], lines
    assert "ETHUSDT-LINEAR is held in BOTH_SIDES mode with an open position, the profile sets MERGED_SINGLE" in lines[0]
    with VenueServer([bybit("TESTNET_", modes=hedged)]) as venue:
        lines = ask(project, venue, "testnet-bybit")
    assert codes(lines) == ["warning[R105]"], lines
    assert "the node switches it when it connects" in lines[0]
    assert_read_only(venue)


# ---------------------------------------------------------------- OKX


OKX_KEY, OKX_SECRET, OKX_PASSPHRASE = "CANARY-okx-key-5d21", "CANARY-okx-secret-a9e4", "CANARY-okx-pass-77c0"


def ask_okx(venue, stage: str = "production", demo: bool = False, **config) -> list[str]:
    """OKX's findings for a real ``OKXExecClientConfig`` pointed at ``venue`` (no canary in them)."""
    from nautilus_trader.adapters.okx.config import OKXExecClientConfig
    from nautilus_trader.core.nautilus_pyo3 import OKXEnvironment

    exec_config = OKXExecClientConfig(
        api_key=OKX_KEY,
        api_secret=OKX_SECRET,
        api_passphrase=OKX_PASSPHRASE,
        base_url_http=venue.url,
        environment=OKXEnvironment.DEMO if demo else OKXEnvironment.LIVE,
        **config,
    )
    target = Target("OKX", "okx", stage, config=exec_config, has_exec=True)
    lines = [d.render() for d in asyncio.run(check_target(target, 8.0))]
    assert not any(value in line for line in lines for value in (OKX_KEY, OKX_SECRET, OKX_PASSPHRASE))
    return lines


def okx(**state) -> Account:
    return Account(OKX_KEY, OKX_SECRET, passphrase=OKX_PASSPHRASE, **state)


def test_okx_key_and_clock():
    with VenueServer([okx()]) as venue:
        assert ask_okx(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("GET", "/api/v5/public/time"), ("GET", "/api/v5/account/config")]
    with VenueServer([Account(OKX_KEY, OKX_SECRET, passphrase="other")]) as venue:
        assert ["rejected the passphrase (50105" in line for line in ask_okx(venue)] == [True]
    with VenueServer([Account(OKX_KEY, "z" * 20, passphrase=OKX_PASSPHRASE)]) as venue:
        assert ["rejected the request's signature (50113" in line for line in ask_okx(venue)] == [True]
    with VenueServer([okx(demo=True)]) as venue:  # a demo key handed to live
        lines = ask_okx(venue)
    assert codes(lines) == ["error[R101]"] and "does not match this environment (50101" in lines[0]
    with VenueServer([okx(demo=True)]) as venue:
        assert ask_okx(venue, demo=True, stage="testnet") == []
    with VenueServer([okx()], skew_ms=-40_000) as venue:
        lines = ask_okx(venue)
    assert codes(lines) == ["error[R102]"] and "40.0 s ahead" in lines[0] and venue.rejections == ["okx 50102"]


def test_okx_key_permissions_and_position_mode():
    with VenueServer([okx(perm="read_only,withdraw", ip="", pos_mode="long_short_mode")]) as venue:
        lines = ask_okx(venue)
    assert codes(lines) == ["error[R107]", "error[R103]", "warning[R104]", "warning[R105]"], lines
    assert "may not trade (perm read_only,withdraw)" in lines[0]


# ---------------------------------------------------------------- venues that do not answer


def test_a_closed_port_is_reported_for_each_client(project):
    class Closed:
        url = f"http://127.0.0.1:{closed_port()}"

    lines = ask(project, Closed)
    assert codes(lines) == ["error[R109]", "error[R109]"], lines
    assert "exchanges.BINANCE: the server time request to http://127.0.0.1:" in lines[0]


# ---------------------------------------------------------------- the registry


def test_an_adapter_without_an_online_module_is_a_warning_and_a_simulated_one_is_skipped():
    assert {"binance", "bybit", "okx"} <= set(CHECKS)
    future = asyncio.run(check_target(Target("NEW", "new_venue", "production", config=None, has_exec=True), 1.0))
    assert [d.render() for d in future] == [
        "warning[R110] exchanges.NEW: ntprofile has no online check for adapter 'new_venue' yet; "
        "key and clock not verified"
    ]
    assert asyncio.run(check_target(Target("SIM", "sandbox", "paper", config=None, has_exec=True), 1.0)) == []


def test_a_client_without_credentials_is_not_asked():
    from nautilus_trader.adapters.okx.config import OKXDataClientConfig, OKXExecClientConfig

    trading = Target("OKX", "okx", "production", config=OKXExecClientConfig(), has_exec=True)
    assert [d.render() for d in asyncio.run(check_target(trading, 1.0))] == [
        "error[R101] exchanges.OKX: the exec client has no api_key and api_secret to verify"
    ]
    data_only = Target("OKX", "okx", "production", config=OKXDataClientConfig(), has_exec=False)
    assert asyncio.run(check_target(data_only, 1.0)) == []


def test_the_allow_list_would_catch_a_write():
    with VenueServer([]) as venue:
        request = urllib.request.Request(f"{venue.url}/fapi/v1/positionSide/dual", data=b"", method="POST")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=3)
    with pytest.raises(AssertionError, match="outside the read-only allow-list"):
        assert_read_only(venue)


# ---------------------------------------------------------------- the command line


def cli_env(redis) -> dict[str, str]:
    return clean_env(**CANARIES, REDIS_HOST=redis.host, REDIS_PORT=str(redis.port))


def assert_no_canary(text: str) -> None:
    """No canary value, nor its masked form except where NautilusTrader's Bybit client logs it (secrets guide)."""
    for name, value in CANARIES.items():
        assert value not in text, f"{name}'s value leaked"
        masked = f"{value[:4]}...{value[-4:]}"
        for line in text.splitlines():
            allowed = name.endswith("_API_KEY") and "REST API key " + masked in line
            assert masked not in line or allowed, f"part of {name} shown: {line}"


def log_text(project: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (project / "logs").glob("*") if p.is_file())


@pytest.mark.slow
def test_cli_check_online_all_problems_in_one_run(project, cli, online_redis):
    env = cli_env(online_redis)
    with VenueServer([binance(dual_side=True), bybit(read_only=1)]) as venue:
        name = online_target(project, venue.url)
        offline = cli("check", name, cwd=project, env=env)
        assert offline.returncode == 0, offline.output
        assert venue.requests == []  # check without --online contacts no venue
        result = cli("check", "--online", name, "--verbose", cwd=project, env=env)
    assert result.returncode == 1, result.output
    lines = [line for line in result.stdout.splitlines() if "error[R1" in line or "warning[R1" in line]
    assert lines == [
        "profiles/online.yaml:5:3: error[R105] exchanges.BINANCE: the futures account is in hedge mode "
        "(dualSidePosition true); a netting node's orders are rejected (-1106 'reduceOnly' / position side) "
        "(switch the account to one-way mode in the Binance UI before the node trades)",
        "profiles/online.yaml:7:3: error[R107] exchanges.BYBIT: the API key is read-only; the exec client's "
        "orders would be rejected (give the key Orders and Positions permissions)",
    ]
    assert "ntprofile check online: failed with 2 error(s) at the venues" in result.stderr
    assert_read_only(venue)
    assert_no_canary(result.output)
    assert_no_canary(log_text(project))


@pytest.mark.slow
def test_cli_check_online_passes_and_a_silent_venue_is_bounded(project, cli, online_redis):
    env = cli_env(online_redis)
    with VenueServer([binance(), bybit()]) as venue:
        result = cli("check", "--online", online_target(project, venue.url), cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert "online: ok (TradingNode built in" in result.stdout
    assert "2 venue(s) confirmed the keys, read-only" in result.stdout
    assert_no_canary(result.output)
    with SilentVenue() as silent:
        result = cli("check", "--online", online_target(project, silent.url), cwd=project, env=env, timeout=30)
    assert result.returncode == 1, result.output
    assert result.stdout.count("(server time) did not answer within 3 s") == 2, result.output
    assert_no_canary(result.output)


OTHER_CANARIES = {
    "AX_API_KEY": "CANARY-ax-key-5d1e",
    "AX_API_SECRET": "CANARY-ax-secret-8b2f",
    "DYDX_TESTNET_PRIVATE_KEY": "c0ffee11" * 8,
    "KRAKEN_FUTURES_DEMO_API_KEY": "CANARY-kraken-key-3e7a",
    "KRAKEN_FUTURES_DEMO_API_SECRET": base64.b64encode(b"CANARY-kraken-futures-secret-44c1").decode(),
    "TARDIS_API_KEY": "CANARY-tardis-key-90ab",
}

OTHER_VENUES = """\
profile: {{stage: development}}
node: {{trader_id: ONLINE-OTHER-001}}
exchanges:
  AX: {{adapter: architect_ax, environment: testnet, api_key: "${{AX_API_KEY}}", api_secret: "${{AX_API_SECRET}}",
        base_url_http: "{url}"}}
  DYDX: {{environment: testnet, wallet_address: "${{DYDX_TESTNET_WALLET_ADDRESS}}",
          private_key: "${{DYDX_TESTNET_PRIVATE_KEY}}", subaccount: {subaccount}, base_url_http: "{url}"}}
  KRAKEN: {{environment: demo, api_key: "${{KRAKEN_FUTURES_DEMO_API_KEY}}",
            api_secret: "${{KRAKEN_FUTURES_DEMO_API_SECRET}}", product_types: [FUTURES], base_url_http_futures: "{url}"}}
  TARDIS: {{api_key: "${{TARDIS_API_KEY}}", base_url_http: "{url}/v1", base_url_ws: "{ws}"}}
  PAPER: {{adapter: sandbox, venue: PAPER, starting_balances: ["10000 USD"]}}
"""


@pytest.mark.slow
def test_cli_check_online_asks_every_other_venue(project, cli):
    """Architect AX, dYdX, Kraken Futures and Tardis through the real CLI: a pass, then one problem at each."""
    from nautilus_trader.core.nautilus_pyo3 import DydxWallet

    address = DydxWallet.from_private_key(OTHER_CANARIES["DYDX_TESTNET_PRIVATE_KEY"]).address()
    env = clean_env(**OTHER_CANARIES, DYDX_TESTNET_WALLET_ADDRESS=address)
    accounts = [
        Account(OTHER_CANARIES["AX_API_KEY"], OTHER_CANARIES["AX_API_SECRET"]),
        Account(address, ""),
        Account(OTHER_CANARIES["KRAKEN_FUTURES_DEMO_API_KEY"], OTHER_CANARIES["KRAKEN_FUTURES_DEMO_API_SECRET"]),
        Account(OTHER_CANARIES["TARDIS_API_KEY"], ""),
    ]
    with VenueServer(accounts) as venue:
        ws = venue.url.replace("http://", "ws://") + "/ws-stream-normalized"
        write_profile(project, "online-other.yaml", OTHER_VENUES.format(url=venue.url, ws=ws, subaccount=0))
        result = cli("check", "--online", "online-other", cwd=project, env=env)
        assert result.returncode == 0, result.output
        assert "4 venue(s) confirmed the keys, read-only; 1 client(s) not asked: simulated" in result.stdout
        assert_read_only(venue)

        venue.accounts[OTHER_CANARIES["AX_API_KEY"]].secret = "another secret"
        venue.accounts[OTHER_CANARIES["KRAKEN_FUTURES_DEMO_API_KEY"]].secret = base64.b64encode(
            b"another secret"
        ).decode()
        venue.accounts[OTHER_CANARIES["TARDIS_API_KEY"]].tardis_days_left = -1
        ws = f"ws://127.0.0.1:{closed_port()}/"
        write_profile(project, "online-other.yaml", OTHER_VENUES.format(url=venue.url, ws=ws, subaccount=3))
        failed = cli("check", "--online", "online-other", cwd=project, env=env)
    assert failed.returncode == 1, failed.output
    lines = [line for line in failed.stdout.splitlines() if "[R1" in line]
    assert codes(lines) == ["error[R101]"] * 4 + ["error[R109]"], lines
    assert lines[0].startswith("profiles/online-other.yaml:4:3: error[R101] exchanges.AX: the testnet venue")
    assert lines[1].startswith("profiles/online-other.yaml:6:3: error[R101] exchanges.DYDX: the testnet indexer")
    assert f"has no subaccount 3 for {address}" in lines[1]
    assert "exchanges.KRAKEN: the venue at" in lines[2] and "(authenticationError)" in lines[2]
    assert "exchanges.TARDIS: the API key's data access ended on" in lines[3]
    assert "exchanges.TARDIS: nothing accepts connections at ws://127.0.0.1:" in lines[4]
    for output in (result.output, failed.output, log_text(project)):
        for name, value in OTHER_CANARIES.items():
            assert value not in output, f"{name}'s value leaked"
