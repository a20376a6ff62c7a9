"""``check --online`` for every venue but Binance, Bybit and OKX, against the local venue (tests/venue_server.py).

Each test builds the adapter's real NautilusTrader client config pointed at the
loopback venue, which verifies every signature as the venue documents it; every
request is held to the read-only allow-list and no canary appears in any finding.
"""

from __future__ import annotations

import asyncio
import base64
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import closed_port
from ntprofile.node.online import CHECKS, Target, check_target
from test_online import assert_read_only, codes
from venue_server import Account, SilentVenue, VenueServer

KEY, SECRET = "CANARY-venue-key-3b8e", "CANARY-venue-secret-f41c"
KRAKEN_SECRET = base64.b64encode(b"CANARY-kraken-secret-0d9a" * 2).decode()
DYDX_KEY = "ca11ab1e" * 8  # a canary that is a valid secp256k1 key
CANARIES = (KEY, SECRET, KRAKEN_SECRET, DYDX_KEY)


def findings(target: Target) -> list[str]:
    """The rendered findings of ``target``'s check; no canary shown."""
    lines = [d.render() for d in asyncio.run(check_target(target, 8.0))]
    assert not any(value in line for line in lines for value in CANARIES), lines
    return lines


def ask(
    adapter: str, config_class: str, venue, stage: str = "production", has_exec: bool = True, secret: str = "", **config
) -> list[str]:
    """The rendered findings of ``adapter``'s check for a real client config pointed at ``venue``; no canary shown."""
    from ntprofile.language.vocabulary import import_class

    module, name = config_class.split(":")
    secret = secret or (KRAKEN_SECRET if adapter == "kraken" else SECRET)
    url_field = "base_url_http_spot" if adapter == "kraken" else "base_url_http"
    client_config = import_class(f"nautilus_trader.adapters.{adapter}.config:{name}")(
        api_key=KEY, api_secret=secret, **{url_field: venue.url + module}, **config
    )
    return findings(Target(adapter.upper(), adapter, stage, config=client_config, has_exec=has_exec))


def test_every_adapter_has_an_online_module():
    from ntprofile.adapters import ADAPTERS

    assert set(ADAPTERS) <= set(CHECKS)


# ---------------------------------------------------------------- BitMEX


def bitmex(venue, **config) -> list[str]:
    return ask("bitmex", "/api/v1:BitmexExecClientConfig", venue, **config)


def test_bitmex_a_healthy_key_passes():
    with VenueServer([Account(KEY, SECRET)]) as venue:
        assert bitmex(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("GET", "/api/v1"), ("GET", "/api/v1/apiKey")]
    assert venue.rejections == []


def test_bitmex_wrong_secret_and_unknown_key():
    with VenueServer([Account(KEY, "z" * 24)]) as venue:
        lines = bitmex(venue)
    assert venue.rejections == ["bitmex Signature not valid."]
    assert codes(lines) == ["error[R101]"] and "rejected the request's signature (Signature not valid.)" in lines[0]
    with VenueServer([Account("another-key", SECRET)]) as venue:
        lines = bitmex(venue)
    assert codes(lines) == ["error[R101]"] and "mainnet venue at http://127.0.0.1:" in lines[0]
    assert "rejected the API key (Invalid API Key.)" in lines[0]


def test_bitmex_clock_behind_more_than_the_window():
    with VenueServer([Account(KEY, SECRET)], skew_ms=3000) as venue:
        assert bitmex(venue, recv_window_ms=10_000) == []  # expires = now + window: still ahead of the venue
    with VenueServer([Account(KEY, SECRET)], skew_ms=15_000) as venue:
        lines = bitmex(venue, recv_window_ms=10_000)
    assert codes(lines) == ["error[R102]"], lines
    assert "s behind http://127.0.0.1:" in lines[0] and "more than recv_window_ms 10000 ms" in lines[0]
    assert venue.rejections and venue.rejections[0].startswith("bitmex This request has expired")  # the venue agreed


def test_bitmex_key_permissions():
    with VenueServer([Account(KEY, SECRET, bitmex_permissions=["withdraw"], cidr="0.0.0.0/0")]) as venue:
        lines = bitmex(venue)
    assert codes(lines) == ["error[R107]", "error[R103]", "warning[R104]"], lines
    assert "may not place orders (permissions withdraw)" in lines[0]
    with VenueServer([Account(KEY, SECRET, bitmex_permissions=["withdraw"], cidr="0.0.0.0/0")]) as venue:
        assert bitmex(venue, stage="testnet", has_exec=False, environment=environment_testnet("Bitmex")) == []
    assert_read_only(venue)


def environment_testnet(venue: str):
    from nautilus_trader.core import nautilus_pyo3

    return getattr(nautilus_pyo3, f"{venue}Environment").TESTNET


def test_a_silent_venue_is_bounded_in_time(monkeypatch):
    asks = (
        bitmex,
        deribit,
        kraken,
        kraken_futures,
        lambda venue: hyperliquid(venue, monkeypatch),
        databento,
        dydx,
        architect_ax,
        tardis,
    )
    with SilentVenue() as silent, ThreadPoolExecutor(len(asks)) as pool:
        started = time.monotonic()
        lines = [line for found in pool.map(lambda ask: ask(silent), asks) for line in found]
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"{elapsed:.1f} s: a venue check hung"  # each is bounded by 3 s a call, 8 s a venue
    assert codes(lines) == ["error[R109]"] * len(asks), lines
    assert all("did not answer within 3 s" in line for line in lines), lines


# ---------------------------------------------------------------- Deribit


def deribit(venue, **config) -> list[str]:
    return ask("deribit", ":DeribitExecClientConfig", venue, **config)


def test_deribit_a_healthy_key_passes():
    with VenueServer([Account(KEY, SECRET)]) as venue:
        assert deribit(venue) == []
    assert_read_only(venue)
    assert venue.requests == [
        ("GET", "/api/v2/public/get_time"),
        ("GET", "/api/v2/public/auth"),
        ("GET", "/api/v2/private/get_account_summary"),
    ]
    assert venue.rejections == []


def test_deribit_wrong_secret_and_unknown_key():
    with VenueServer([Account(KEY, "z" * 24)]) as venue:
        lines = deribit(venue)
    assert venue.rejections == ["deribit 13004"]
    assert codes(lines) == ["error[R101]"], lines
    assert "mainnet venue at http://127.0.0.1:" in lines[0] and "rejected the credentials (13004" in lines[0]
    with VenueServer([Account("another-key", SECRET)]) as venue:
        assert codes(deribit(venue, environment=environment_testnet("Deribit"))) == ["error[R101]"]


def test_deribit_clock():
    with VenueServer([Account(KEY, SECRET)], skew_ms=2000) as venue:
        assert deribit(venue) == []
    with VenueServer([Account(KEY, SECRET)], skew_ms=-9000) as venue:
        lines = deribit(venue)
    assert codes(lines) == ["error[R102]"] and "9.0 s ahead of http://127.0.0.1:" in lines[0], lines


def test_deribit_scopes():
    scope = "connection account:read trade:read wallet:read_write"
    with VenueServer([Account(KEY, SECRET, scope=scope)]) as venue:
        lines = deribit(venue)
    assert codes(lines) == ["error[R107]", "error[R103]"], lines
    assert "may not trade (scope trade:read)" in lines[0] and "(scope wallet:read_write)" in lines[1]
    with VenueServer([Account(KEY, SECRET, scope=scope)]) as venue:
        assert deribit(venue, stage="testnet", has_exec=False) == []
    assert_read_only(venue)


# ---------------------------------------------------------------- Kraken


def kraken(venue, **config) -> list[str]:
    return ask("kraken", ":KrakenExecClientConfig", venue, **config)


def test_kraken_a_healthy_key_passes_with_its_read_only_post():
    with VenueServer([Account(KEY, KRAKEN_SECRET)]) as venue:
        assert kraken(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("GET", "/0/public/Time"), ("POST", "/0/private/Balance")]
    assert venue.rejections == []


def test_kraken_wrong_secret_unknown_key_and_a_secret_not_base64():
    with VenueServer([Account(KEY, base64.b64encode(b"another secret").decode())]) as venue:
        lines = kraken(venue)
    assert venue.rejections == ["kraken EAPI:Invalid signature"]
    assert codes(lines) == ["error[R101]"] and "rejected the request's signature (EAPI:Invalid signature)" in lines[0]
    with VenueServer([Account("another-key", KRAKEN_SECRET)]) as venue:
        lines = kraken(venue)
    assert codes(lines) == ["error[R101]"] and "rejected the API key (EAPI:Invalid key)" in lines[0]
    with VenueServer([Account(KEY, KRAKEN_SECRET)]) as venue:
        lines = ask("kraken", ":KrakenExecClientConfig", venue, secret=SECRET + "!")
    assert codes(lines) == ["error[R101]"] and "api_secret is not Base64" in lines[0], lines


def test_kraken_clock_is_a_warning():
    with VenueServer([Account(KEY, KRAKEN_SECRET)], skew_ms=-3000) as venue:
        assert kraken(venue) == []
    with VenueServer([Account(KEY, KRAKEN_SECRET)], skew_ms=-12_000) as venue:
        lines = kraken(venue)
    assert codes(lines) == ["warning[R102]"] and "s ahead of http://127.0.0.1:" in lines[0], lines


def kraken_futures(venue, **config) -> list[str]:
    from nautilus_trader.core.nautilus_pyo3 import KrakenProductType

    config = {"product_types": (KrakenProductType.FUTURES,), "base_url_http_futures": venue.url} | config
    return ask("kraken", ":KrakenExecClientConfig", venue, **config)


def test_kraken_futures_a_healthy_key_passes_live_and_demo():
    from nautilus_trader.core.nautilus_pyo3 import KrakenEnvironment

    for environment in (KrakenEnvironment.LIVE, KrakenEnvironment.DEMO):
        with VenueServer([Account(KEY, KRAKEN_SECRET)]) as venue:
            assert kraken_futures(venue, environment=environment) == []
        assert_read_only(venue)
        assert venue.requests == [
            ("GET", "/derivatives/api/v3/tickers"),
            ("GET", "/derivatives/api/v3/accounts"),
        ]
        assert venue.rejections == []


def test_kraken_futures_wrong_secret_and_unknown_key():
    for account in (Account(KEY, base64.b64encode(b"another secret").decode()), Account("another-key", KRAKEN_SECRET)):
        with VenueServer([account]) as venue:
            lines = kraken_futures(venue)
        assert venue.rejections == ["kraken futures authenticationError"]
        assert codes(lines) == ["error[R101]"], lines
        assert "rejected the API key or the request's signature (authenticationError)" in lines[0]


def test_kraken_futures_clock_is_a_warning():
    with VenueServer([Account(KEY, KRAKEN_SECRET)], skew_ms=3000) as venue:
        assert kraken_futures(venue) == []
    with VenueServer([Account(KEY, KRAKEN_SECRET)], skew_ms=12_000) as venue:
        lines = kraken_futures(venue)
    assert codes(lines) == ["warning[R102]"] and "s behind http://127.0.0.1:" in lines[0], lines


def test_kraken_spot_and_futures_are_both_asked():
    from nautilus_trader.core.nautilus_pyo3 import KrakenProductType

    with VenueServer([Account(KEY, KRAKEN_SECRET)]) as venue:
        assert kraken_futures(venue, product_types=(KrakenProductType.SPOT, KrakenProductType.FUTURES)) == []
    assert venue.requests == [
        ("GET", "/0/public/Time"),
        ("POST", "/0/private/Balance"),
        ("GET", "/derivatives/api/v3/tickers"),
        ("GET", "/derivatives/api/v3/accounts"),
    ]


# ---------------------------------------------------------------- Hyperliquid

PRIVATE_KEY = "0x" + "11" * 32  # a well-known test key; its address is public
ADDRESS = "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a"
MASTER = "0x" + "ab" * 20


def hyperliquid(venue, monkeypatch, stage: str = "testnet", private_key: str = PRIVATE_KEY, **config) -> list[str]:
    """Hyperliquid's findings; its configs have no base_url_http, so the test points the URL helper at ``venue``."""
    from nautilus_trader.adapters.hyperliquid.config import HyperliquidExecClientConfig
    from ntprofile.node.online import hyperliquid as module

    monkeypatch.setattr(module, "info_url", lambda target: venue.url + "/info")
    target = Target(
        "HYPERLIQUID",
        "hyperliquid",
        stage,
        config=HyperliquidExecClientConfig(private_key=private_key, **config),
        has_exec=True,
    )
    lines = [d.render() for d in asyncio.run(check_target(target, 8.0))]
    assert not any(private_key in line or private_key[2:] in line for line in lines), lines
    return lines


def test_hyperliquid_the_wallet_has_an_account(monkeypatch):
    with VenueServer([Account(ADDRESS, "")]) as venue:
        assert hyperliquid(venue, monkeypatch) == []
    assert_read_only(venue)
    assert venue.requests == [("POST", "/info"), ("POST", "/info")]


def test_hyperliquid_an_unknown_wallet_and_a_key_that_is_not_one(monkeypatch):
    with VenueServer([]) as venue:
        lines = hyperliquid(venue, monkeypatch)
    assert codes(lines) == ["error[R101]"], lines
    assert f"has no account for the address {ADDRESS} that private_key signs for" in lines[0]
    assert venue.requests == [("POST", "/info")]
    with VenueServer([]) as venue:
        lines = hyperliquid(venue, monkeypatch, private_key="0xCANARY-not-a-key")
    assert codes(lines) == ["error[R101]"] and "not an EVM private key" in lines[0] and venue.requests == []


def test_hyperliquid_an_api_wallet_needs_the_account_address(monkeypatch):
    accounts = [Account(ADDRESS, "", role="agent", master=MASTER), Account(MASTER, "")]
    with VenueServer(accounts) as venue:
        lines = hyperliquid(venue, monkeypatch)
    assert codes(lines) == ["error[R101]"] and f"set account_address: {MASTER}" in lines[0], lines
    with VenueServer(accounts) as venue:
        assert hyperliquid(venue, monkeypatch, stage="production", account_address=MASTER) == []
    assert_read_only(venue)


def test_hyperliquid_the_wallet_key_itself_in_production(monkeypatch):
    with VenueServer([Account(ADDRESS, "")]) as venue:
        lines = hyperliquid(venue, monkeypatch, stage="production")
    assert codes(lines) == ["error[R103]"] and "own wallet key, which can withdraw" in lines[0], lines


def test_hyperliquid_clock(monkeypatch):
    with VenueServer([Account(ADDRESS, "")], skew_ms=-2 * 86_400_000) as venue:
        lines = hyperliquid(venue, monkeypatch)
    assert codes(lines) == ["error[R102]"] and "172800.0 s ahead" in lines[0], lines


# ---------------------------------------------------------------- Databento


def databento(venue) -> list[str]:
    from nautilus_trader.adapters.databento.config import DatabentoDataClientConfig

    config = DatabentoDataClientConfig(api_key=KEY, http_gateway=venue.url)
    lines = [
        d.render()
        for d in asyncio.run(check_target(Target("DATABENTO", "databento", "production", config, False), 8.0))
    ]
    assert not any(KEY in line for line in lines), lines
    return lines


def test_databento_the_key_is_accepted_or_not():
    with VenueServer([Account(KEY, "")]) as venue:
        assert databento(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("GET", "/v0/metadata.list_datasets")]
    with VenueServer([Account("db-another", "")]) as venue:
        lines = databento(venue)
    assert codes(lines) == ["error[R101]"] and "rejected the API key (HTTP 401 Authentication failed.)" in lines[0]
    assert venue.rejections == ["databento 401"]


# ---------------------------------------------------------------- dYdX


def dydx_address(private_key: str = DYDX_KEY) -> str:
    from nautilus_trader.core.nautilus_pyo3 import DydxWallet

    return DydxWallet.from_private_key(private_key).address()


def dydx(venue, private_key: str = DYDX_KEY, has_exec: bool = True, **config) -> list[str]:
    from nautilus_trader.adapters.dydx.config import DydxExecClientConfig

    config = DydxExecClientConfig(private_key=private_key, base_url_http=venue.url, **config)
    return findings(Target("DYDX", "dydx", "production", config, has_exec))


def test_dydx_a_funded_wallet_passes():
    with VenueServer([Account(dydx_address(), "")]) as venue:
        assert dydx(venue) == []
        assert dydx(venue, wallet_address=dydx_address()) == []
    assert_read_only(venue)
    assert venue.requests[:2] == [("GET", "/v4/time"), ("GET", f"/v4/addresses/{dydx_address()}/subaccountNumber/0")]


def test_dydx_a_wallet_without_the_subaccount_and_a_key_of_another_wallet():
    with VenueServer([Account(dydx_address(), "", subaccounts=(0,))]) as venue:
        lines = dydx(venue, subaccount=2)
    assert venue.rejections == ["dydx 404"]
    assert codes(lines) == ["error[R101]"] and f"has no subaccount 2 for {dydx_address()}" in lines[0], lines
    other = dydx_address("0" * 63 + "1")
    with VenueServer([Account(other, "")]) as venue:
        lines = dydx(venue, wallet_address=other)
    assert codes(lines) == ["error[R101]"], lines
    assert f"private_key signs for {dydx_address()}, not for wallet_address {other}" in lines[0]
    with VenueServer([Account(other, "")]) as venue:  # a permissioned key signs for another wallet by design
        assert dydx(venue, wallet_address=other, authenticator_ids=[7]) == []


def test_dydx_a_private_key_that_is_not_one():
    with VenueServer([]) as venue:
        for key in ("not-a-key", DYDX_KEY[:-2], "0x" + DYDX_KEY[:-2]):  # NautilusTrader would sign with a short one
            lines = dydx(venue, private_key=key)
            assert codes(lines) == ["error[R101]"] and "private_key is not a dYdX private key" in lines[0], lines
    assert venue.requests == []
    with VenueServer([Account(dydx_address(), "")]) as venue:
        assert dydx(venue, private_key="0x" + DYDX_KEY) == []


def test_dydx_clock_is_a_warning():
    with VenueServer([Account(dydx_address(), "")], skew_ms=-3000) as venue:
        assert dydx(venue) == []
    with VenueServer([Account(dydx_address(), "")], skew_ms=-9000) as venue:
        lines = dydx(venue)
    assert codes(lines) == ["warning[R102]"] and "9.0 s ahead of http://127.0.0.1:" in lines[0], lines


# ---------------------------------------------------------------- Architect AX


def architect_ax(venue, **config) -> list[str]:
    return ask("architect_ax", ":AxExecClientConfig", venue, **config)


def test_architect_ax_a_healthy_key_passes():
    with VenueServer([Account(KEY, SECRET)]) as venue:
        assert architect_ax(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("POST", "/authenticate"), ("GET", "/whoami")]
    assert venue.rejections == []


def test_architect_ax_wrong_secret_and_unknown_key():
    for account in (Account(KEY, "another-secret"), Account("another-key", SECRET)):
        with VenueServer([account]) as venue:
            lines = architect_ax(venue)
        assert venue.rejections == ["ax 401"] and venue.requests == [("POST", "/authenticate")]
        assert codes(lines) == ["error[R101]"], lines
        assert (
            "the testnet venue at http://127.0.0.1:" in lines[0]
            and "rejected the API key and secret (HTTP 401)" in lines[0]
        )


def test_architect_ax_an_account_that_cannot_trade():
    with VenueServer([Account(KEY, SECRET, frozen=True)]) as venue:
        lines = architect_ax(venue)
    assert codes(lines) == ["error[R107]"] and "frozen" in lines[0]
    with VenueServer([Account(KEY, SECRET, close_only=True)]) as venue:
        lines = architect_ax(venue)
        assert ask("architect_ax", ":AxDataClientConfig", venue, has_exec=False) == []  # data may flow
    assert codes(lines) == ["error[R107]"] and "close-only mode" in lines[0]


# ---------------------------------------------------------------- Tardis


def tardis(venue, ws_url: str = "", **config) -> list[str]:
    from nautilus_trader.adapters.tardis.config import TardisDataClientConfig

    ws_url = ws_url or venue.url.replace("http://", "ws://") + "/ws-stream-normalized"
    config = TardisDataClientConfig(api_key=KEY, base_url_http=venue.url + "/v1", base_url_ws=ws_url, **config)
    return findings(Target("TARDIS", "tardis", "production", config, False))


def test_tardis_a_current_key_and_a_listening_machine_pass():
    with VenueServer([Account(KEY, "")]) as venue:
        assert tardis(venue) == []
    assert_read_only(venue)
    assert venue.requests == [("GET", "/v1/api-key-info")]


def test_tardis_an_unknown_key_and_access_that_ends():
    with VenueServer([Account("another-key", "")]) as venue:
        lines = tardis(venue)
    assert venue.rejections == ["tardis 401"]
    assert codes(lines) == ["error[R101]"] and "rejected the API key (HTTP 401" in lines[0]
    with VenueServer([Account(KEY, "", tardis_days_left=5)]) as venue:
        lines = tardis(venue)
    assert codes(lines) == ["warning[R108]"] and "data access ends on" in lines[0], lines
    with VenueServer([Account(KEY, "", tardis_days_left=-2)]) as venue:
        lines = tardis(venue)
    assert codes(lines) == ["error[R101]"] and "data access ended on" in lines[0], lines


def test_tardis_a_machine_that_is_not_running():
    with VenueServer([Account(KEY, "")]) as venue:
        lines = tardis(venue, ws_url=f"ws://127.0.0.1:{closed_port()}/ws-stream-normalized")
    assert codes(lines) == ["error[R109]"] and "nothing accepts connections at ws://127.0.0.1:" in lines[0], lines
    assert "(connection refused)" in lines[0]
