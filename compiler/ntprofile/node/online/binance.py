"""Binance: the key, the clock, the key's restrictions and the futures position mode, asked of the venue.

NautilusTrader's own parts do the work where they exist: the ``BinanceHttpClient``
its factories build (``get_cached_binance_http_client``, which signs as the profile's
``key_type`` says: HMAC-SHA256 hex, or Ed25519 / RSA in Base64, an Ed25519 key
being recognised by itself as the node recognises it), ``request_server_time``,
``query_spot_account_info`` and ``query_futures_hedge_mode``. NautilusTrader 1.231
has no call for ``GET /sapi/v1/account/apiRestrictions`` nor
``GET /fapi/v1/multiAssetsMargin``: those two are signed with the same client's ``sign_request``.

Base URLs: the profile's ``base_url_http`` when it sets one, else NautilusTrader's
``get_http_base_url`` for the account type. The key restrictions exist on the spot
API only (``/sapi``): a spot client asks its own URL; a futures client asks the
spot URL of its environment, also when its ``base_url_http`` names that
environment's futures host; a futures ``base_url_http`` elsewhere (a proxy) says
nothing of where the spot API is, so the restrictions are not asked and a note says so.
"""

from __future__ import annotations

from typing import Any, Awaitable, TypeVar

import msgspec

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import Target, VenueProblem, clock_findings, first_line, now_ms
from ntprofile.node.online import ask as online_ask

ADAPTER = "binance"

T = TypeVar("T")

ENVIRONMENT_NAMES = {"LIVE": "mainnet", "TESTNET": "testnet", "DEMO": "demo"}

KEY_ERRORS = {
    -2015: (
        "rejected the API key",
        "is it a key of another environment, such as a testnet key on mainnet, a revoked key, "
        "or is this IP address not allowed for it?",
    ),
    -2014: ("rejected the API key's format", "is the api_key variable truncated or quoted?"),
    -2008: ("does not know the API key", "is it a key of another environment, or a deleted key?"),
    -1022: ("rejected the request's signature", "api_secret is not the secret of this api_key"),
}
"""Binance error codes that mean the credentials are wrong, as the venue documents them."""

CLOCK_ERROR = -1021
"""``Timestamp for this request is outside of the recvWindow``."""


def base_urls(target: Target) -> tuple[str, str | None]:
    """``(account URL, spot-API URL)`` the calls of the check go to; no spot URL when it cannot be known."""
    from urllib.parse import urlsplit

    from nautilus_trader.adapters.binance.common.enums import BinanceAccountType
    from nautilus_trader.adapters.binance.common.urls import get_http_base_url

    config = target.config
    environment = _environment(config)
    own = get_http_base_url(config.account_type, environment, config.us)
    spot = get_http_base_url(BinanceAccountType.SPOT, environment, config.us)
    if not config.base_url_http:
        return own, spot
    if config.account_type.is_spot_or_margin:
        return config.base_url_http, config.base_url_http
    same_host = (urlsplit(config.base_url_http).hostname or "").lower() == urlsplit(own).hostname
    return config.base_url_http, spot if same_host else None


def venue_error(exc: BaseException, what: str, url: str, environment: str) -> VenueProblem | None:
    """The ``VenueProblem`` for a failed signed call: the venue's code said plainly (None: not the venue's answer)."""
    from nautilus_trader.adapters.binance.http.error import BinanceError

    if not isinstance(exc, BinanceError):
        return None
    message = exc.message if isinstance(exc.message, dict) else {}
    code = message.get("code")
    text = first_line(message.get("msg") or exc.message)
    if code == CLOCK_ERROR:
        return VenueProblem(
            "R102",
            f"{url} refused the request's timestamp ({code} {text})",
            "synchronise the clock, or raise recv_window_ms",
        )
    if code in KEY_ERRORS:
        said, hint = KEY_ERRORS[code]
        return VenueProblem("R101", f"the {environment} venue at {url} {said} ({code} {text})", hint)
    return VenueProblem("R109", f"the {what} request to {url} failed: HTTP {exc.status} ({code} {text})")


async def ask(what: str, url: str, environment: str, request: Awaitable[T]) -> T:
    """The answer to one request (``online.ask``); a refusal becomes a ``VenueProblem`` that says why."""
    return await online_ask(what, url, request, lambda exc: venue_error(exc, what, url, environment))


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.adapters.binance.common.enums import BinanceAccountType, BinanceEnvironment
    from nautilus_trader.adapters.binance.futures.http.account import BinanceFuturesAccountHttpAPI
    from nautilus_trader.adapters.binance.http.market import BinanceMarketHttpAPI
    from nautilus_trader.adapters.binance.spot.http.account import BinanceSpotAccountHttpAPI
    from nautilus_trader.common.component import LiveClock

    config = target.config
    account_type: BinanceAccountType = config.account_type
    environment = ENVIRONMENT_NAMES.get(config.environment.name, config.environment.name.lower())
    url, spot_url = base_urls(target)
    clock = LiveClock()
    client = http_client(clock, config, account_type, url)
    window = str(target.recv_window_ms)

    # the clock, by the venue's public server time
    market = BinanceMarketHttpAPI(client, account_type)
    sent = now_ms()
    server = await ask("server time", url, environment, market.request_server_time())
    found += clock_findings(target, url, server, sent, now_ms())

    # the key, with a signed read of the account (futures: its position mode)
    if account_type.is_futures:
        futures = BinanceFuturesAccountHttpAPI(client, clock, account_type)
        dual = await ask("position mode", url, environment, futures.query_futures_hedge_mode(recv_window=window))
        if dual.dualSidePosition:
            found.append(
                target.diagnostic(
                    "R105",
                    "the futures account is in hedge mode (dualSidePosition true); a netting node's orders "
                    "are rejected (-1106 'reduceOnly' / position side)",
                    "switch the account to one-way mode in the Binance UI before the node trades",
                )
            )
        if account_type == BinanceAccountType.USDT_FUTURES:
            request = client.sign_request(_GET(), "/fapi/v1/multiAssetsMargin", _params(clock, window))
            if msgspec.json.decode(await ask("multi-assets mode", url, environment, request)).get("multiAssetsMargin"):
                found.append(
                    target.diagnostic(
                        "R106",
                        "the futures account is in multi-assets mode: margin is shared across assets, "
                        "and a loss on one position can draw on every asset",
                        "switch to single-asset mode unless this is intended",
                        severity="warning",
                    )
                )
    else:
        spot = BinanceSpotAccountHttpAPI(client, clock, account_type)
        info = await ask("account", url, environment, spot.query_spot_account_info(recv_window=window))
        if target.has_exec and not info.canTrade:
            found.append(target.diagnostic("R107", "the account cannot trade (canTrade false)"))

    # the key's restrictions: a mainnet-only endpoint of the spot API
    if config.environment != BinanceEnvironment.LIVE:
        return
    if spot_url is None:
        found.append(
            target.diagnostic(
                "R110",
                f"the key's restrictions (withdrawals, IP binding) were not asked: they are on Binance's spot API "
                f"(/sapi), which the futures base_url_http {url} does not serve, and its spot host is not known",
                "check them in Binance's API management, or unset base_url_http",
                severity="note",
            )
        )
        return
    restrictions_client = client if spot_url == url else http_client(clock, config, BinanceAccountType.SPOT, spot_url)
    request = restrictions_client.sign_request(_GET(), "/sapi/v1/account/apiRestrictions", _params(clock, window))
    body = await ask("key restrictions", spot_url, environment, request)
    found += restriction_findings(target, msgspec.json.decode(body), account_type.is_futures)


def http_client(clock: Any, config: Any, account_type: Any, url: str) -> Any:
    """The ``BinanceHttpClient`` NautilusTrader's factories build for ``config`` (its ``key_type`` decides how it
    signs), at ``url``; not the cached one, which a node built later in this process must not meet."""
    from nautilus_trader.adapters.binance.factories import get_cached_binance_http_client

    return get_cached_binance_http_client.__wrapped__(
        clock=clock,
        account_type=account_type,
        api_key=config.api_key,
        api_secret=config.api_secret,
        key_type=config.key_type,
        base_url=url,
        environment=_environment(config),
        is_us=config.us,
        proxy_url=config.proxy_url,
    )


def _environment(config: Any) -> Any:
    """The config's ``BinanceEnvironment``; unset is LIVE, as the factories resolve it."""
    from nautilus_trader.adapters.binance.common.enums import BinanceEnvironment

    return config.environment or BinanceEnvironment.LIVE


def restriction_findings(target: Target, restrictions: dict[str, Any], futures: bool) -> list[Diagnostic]:
    """Findings from ``GET /sapi/v1/account/apiRestrictions``."""
    found = []
    if restrictions.get("enableWithdrawals") and target.production:
        found.append(
            target.diagnostic(
                "R103",
                "the production API key can withdraw funds (enableWithdrawals true)",
                "create a key without withdrawal permission for the node",
            )
        )
    if not restrictions.get("ipRestrict", False):
        found.append(
            target.diagnostic(
                "R104",
                "the API key is not restricted to trusted IP addresses (ipRestrict false)",
                "restrict it to the node's IP addresses",
                severity="warning",
            )
        )
    trading = "enableFutures" if futures else "enableSpotAndMarginTrading"
    if target.has_exec and restrictions.get(trading) is False:
        found.append(
            target.diagnostic(
                "R107",
                f"the API key may not trade this account ({trading} false); the exec client's orders would be rejected",
                f"enable {'futures' if futures else 'spot and margin'} trading for the key",
            )
        )
    return found


def _GET() -> Any:
    from nautilus_trader.core.nautilus_pyo3 import HttpMethod

    return HttpMethod.GET


def _params(clock: Any, window: str) -> dict[str, str]:
    """The signed-request parameters Binance documents: ``timestamp`` (ms) and ``recvWindow``."""
    return {"timestamp": str(clock.timestamp_ms()), "recvWindow": window}
