"""Kraken Spot and Kraken Futures: the key and the clock, asked with NautilusTrader's own clients.

Kraken Spot: NautilusTrader's pyo3 ``KrakenSpotHttpClient`` does both calls and
signs them itself: ``get_server_time`` (``GET /0/public/Time``) and
``request_account_state`` (``POST /0/private/Balance``, ``API-Sign`` = Base64 of
HMAC-SHA512 of path + SHA256(nonce + POST data), keyed by the Base64-decoded
secret). Its own nonce is used, so the node's later requests stay above it.
Kraken's private REST API takes POST for every call, reads included: ``Balance``
only reads the balances and needs only the key's Query Funds permission, so it
is allow-listed by name as read-only (tests/venue_server.py).

Kraken Futures (``product_types`` FUTURES; the only one with a ``demo``
environment): NautilusTrader's ``KrakenFuturesHttpClient.request_account_state``
signs ``GET /derivatives/api/v3/accounts`` (``Authent`` = Base64 of HMAC-SHA512 of
SHA256(postData + Nonce + the path without ``/derivatives``), keyed by the
Base64-decoded secret). It returns no server time, so the clock is ntprofile's
own unsigned read of the public tickers (``FUTURES_CLOCK``), whose answer carries
``serverTime`` as every Futures answer does.

Neither API tells a read-only call the key's other permissions (trade,
withdraw) or IP binding, so those are not checked. Both order requests by nonce,
not by time: the clock cannot get a request refused, so a clock off by more than
``DRIFT_LIMIT_MS`` is a warning (the node's order and log timestamps drift).

Base URLs: the profile's ``base_url_http_spot`` / ``base_url_http_futures`` when
it sets them, otherwise NautilusTrader's defaults (its clients' ``base_url``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any, Awaitable, TypeVar

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import CLIENT_TIMEOUT_SECS, Target, VenueProblem, drift_findings, first_line, now_ms, request
from ntprofile.node.online import ask as online_ask

ADAPTER = "kraken"

T = TypeVar("T")

KEY_ERRORS = {
    "EAPI:Invalid key": (
        "rejected the API key",
        "is it a Kraken Futures key, or a deleted key? Kraken Spot keys are separate",
    ),
    "EAPI:Invalid signature": ("rejected the request's signature", "api_secret is not the secret of this api_key"),
    "EGeneral:Permission denied": ("refused the key the permission to query funds", "give the key Query Funds"),
    "EAPI:Invalid nonce": (
        "refused the request's nonce as not above the key's last one",
        "is another process using this key with larger nonces? give each node its own key",
    ),
}
"""Kraken Spot ``error`` values that mean the credentials (or their use) are wrong."""

FUTURES_KEY_ERRORS = {
    "authenticationError": (
        "rejected the API key or the request's signature",
        "is it a Kraken Spot key, a key of the other environment (demo or live), or is api_secret not its secret?",
    ),
    "nonceBelowThreshold": (
        "refused the request's nonce as too low",
        "is another process using this key with larger nonces? give each node its own key",
    ),
    "nonceDuplicate": (
        "refused the request's nonce as already used",
        "is another process using this key? give each node its own key",
    ),
}
"""Kraken Futures ``error`` values that mean the credentials (or their use) are wrong."""

FUTURES_CLOCK = "/derivatives/api/v3/tickers"
"""A public read NautilusTrader's client makes too (``get_tickers``); every Futures answer carries ``serverTime``."""

NONCES = "it orders requests by nonce, not by time"


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import KrakenSpotHttpClient

    return (target.config.base_url_http_spot or KrakenSpotHttpClient().base_url).rstrip("/")


def futures_base_url(target: Target, demo: bool) -> str:
    from nautilus_trader.core.nautilus_pyo3 import KrakenFuturesHttpClient

    return (target.config.base_url_http_futures or KrakenFuturesHttpClient(demo=demo).base_url).rstrip("/")


def _name(member: Any) -> str:
    """``SPOT`` for ``KrakenProductType.SPOT`` (these pyo3 enums' ``name`` is None)."""
    return str(member).rsplit(".", 1)[-1].upper()


def _products(target: Target) -> set[str]:
    return {_name(p) for p in getattr(target.config, "product_types", None) or ("SPOT",)}


async def ask(what: str, url: str, awaitable: Awaitable[T], errors: dict[str, tuple[str, str]]) -> T:
    """The answer to one request (``online.ask``); a refusal among ``errors`` is a ``VenueProblem`` saying why."""

    def refusal(exc: Exception) -> VenueProblem | None:
        text = first_line(exc)
        for error, (said, hint) in errors.items():
            if error in text:
                return VenueProblem("R101", f"the venue at {url} {said} ({error})", hint)
        return None

    return await online_ask(what, url, awaitable, refusal)


async def check(target: Target, found: list[Diagnostic]) -> None:
    config = target.config
    demo = _name(config.environment or "LIVE") == "DEMO"
    products = _products(target)
    try:
        base64.b64decode(config.api_secret, validate=True)
    except (binascii.Error, ValueError):
        raise VenueProblem(
            "R101", "api_secret is not Base64, as Kraken issues secrets", "is the variable truncated or quoted?"
        ) from None
    if "SPOT" in products and not demo:  # Kraken Spot has no demo environment
        await _spot(target, found)
    if "FUTURES" in products:
        await _futures(target, found, demo)


async def _spot(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import AccountId, KrakenSpotHttpClient

    config = target.config
    url = base_url(target)
    client = KrakenSpotHttpClient(
        api_key=config.api_key,
        api_secret=config.api_secret,
        base_url=url,
        timeout_secs=CLIENT_TIMEOUT_SECS,
        max_retries=0,
    )
    sent = now_ms()
    answer = await ask("server time", url, client.get_server_time(), KEY_ERRORS)
    found += drift_findings(target, url, _unixtime(answer), sent, now_ms(), NONCES)
    await ask("balance", url, client.request_account_state(AccountId(f"{target.client_id}-ONLINE")), KEY_ERRORS)


async def _futures(target: Target, found: list[Diagnostic], demo: bool) -> None:
    from nautilus_trader.core.nautilus_pyo3 import AccountId, KrakenFuturesHttpClient

    config = target.config
    url = futures_base_url(target, demo)
    sent = now_ms()
    status, body = await request(url, "server time", "GET", url + FUTURES_CLOCK, {"Accept": "application/json"})
    server = body.get("serverTime") if isinstance(body, dict) else None
    if not isinstance(server, str):
        raise VenueProblem("R109", f"the server time request to {url} failed: HTTP {status}, no serverTime")
    server_ms = dt.datetime.fromisoformat(server.replace("Z", "+00:00")).timestamp() * 1000
    found += drift_findings(target, url, server_ms, sent, now_ms(), NONCES)
    client = KrakenFuturesHttpClient(
        api_key=config.api_key,
        api_secret=config.api_secret,
        base_url=url,
        demo=demo,
        timeout_secs=CLIENT_TIMEOUT_SECS,
        max_retries=0,
    )
    account = AccountId(f"{target.client_id}-ONLINE")
    await ask("accounts", url, client.request_account_state(account), FUTURES_KEY_ERRORS)


def _unixtime(answer: Any) -> float:
    """Kraken's ``unixtime`` (seconds) in milliseconds, at the middle of its second."""
    body = json.loads(answer) if isinstance(answer, str) else answer
    body = body.get("result", body)
    return (float(body["unixtime"]) + 0.5) * 1000
