"""Kraken Spot: the key and the clock, asked of the venue with NautilusTrader's own client.

NautilusTrader's pyo3 ``KrakenSpotHttpClient`` does both calls and signs them
itself: ``get_server_time`` (``GET /0/public/Time``) and
``request_account_state`` (``POST /0/private/Balance``, ``API-Sign`` = Base64 of
HMAC-SHA512 of path + SHA256(nonce + POST data), keyed by the Base64-decoded
secret). Its own nonce is used, so the node's later requests stay above it.

Kraken's private REST API takes POST for every call, reads included: ``Balance``
only reads the balances and needs only the key's Query Funds permission, so it
is allow-listed by name as read-only (tests/venue_server.py) where every other
venue's allow-list holds GETs. Kraken tells no key's other permissions (trade,
withdraw) or IP binding to a read-only call, so those are not checked. Kraken
orders requests by nonce, not by time: the clock cannot get a request refused,
so a clock off by more than ``CLOCK_LIMIT_MS`` is a warning (the node's order and
log timestamps drift). Kraken Futures (a separate API, the only demo) has no
online check yet: R110.

Base URL: the profile's ``base_url_http_spot`` when it sets one, otherwise
NautilusTrader's default for Kraken Spot (its client's ``base_url``).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Awaitable, TypeVar

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import CALL_TIMEOUT, Target, VenueProblem, first_line, now_ms
from ntprofile.node.online import ask as online_ask

ADAPTER = "kraken"

T = TypeVar("T")

CLOCK_LIMIT_MS = 5000
"""A clock this far from Kraken's is a warning; Kraken's time has a resolution of one second."""

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
"""Kraken ``error`` values that mean the credentials (or their use) are wrong."""


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import KrakenSpotHttpClient

    return (target.config.base_url_http_spot or KrakenSpotHttpClient().base_url).rstrip("/")


def _name(member: Any) -> str:
    """``SPOT`` for ``KrakenProductType.SPOT`` (these pyo3 enums' ``name`` is None)."""
    return str(member).rsplit(".", 1)[-1].upper()


def _products(target: Target) -> set[str]:
    return {_name(p) for p in getattr(target.config, "product_types", None) or ("SPOT",)}


async def ask(what: str, url: str, request: Awaitable[T]) -> T:
    """The answer to one request (``online.ask``); a refusal becomes a ``VenueProblem`` that says why."""

    def refusal(exc: Exception) -> VenueProblem:
        text = first_line(exc)
        for error, (said, hint) in KEY_ERRORS.items():
            if error in text:
                return VenueProblem("R101", f"the venue at {url} {said} ({error})", hint)
        return VenueProblem("R109", f"the {what} request to {url} failed: {type(exc).__name__}: {text}")

    return await online_ask(what, url, request, refusal)


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import AccountId, KrakenSpotHttpClient

    config = target.config
    environment = _name(config.environment or "LIVE")
    products = _products(target)
    if "FUTURES" in products or environment == "DEMO":
        message = "ntprofile has no online check for Kraken Futures yet; its key and clock not verified"
        found.append(target.diagnostic("R110", message, severity="warning"))
    if "SPOT" not in products or environment == "DEMO":
        return
    url = base_url(target)
    try:
        base64.b64decode(config.api_secret, validate=True)
    except (binascii.Error, ValueError):
        raise VenueProblem(
            "R101", "api_secret is not Base64, as Kraken issues secrets", "is the variable truncated or quoted?"
        ) from None
    client = KrakenSpotHttpClient(
        api_key=config.api_key,
        api_secret=config.api_secret,
        base_url=url,
        timeout_secs=int(CALL_TIMEOUT),
        max_retries=0,
    )

    sent = now_ms()
    answer = await ask("server time", url, client.get_server_time())
    found += clock_findings(target, url, _unixtime(answer), sent, now_ms())

    await ask("balance", url, client.request_account_state(AccountId(f"{target.client_id}-ONLINE")))


def _unixtime(answer: Any) -> float:
    """Kraken's ``unixtime`` (seconds) in milliseconds, at the middle of its second."""
    body = json.loads(answer) if isinstance(answer, str) else answer
    body = body.get("result", body)
    return (float(body["unixtime"]) + 0.5) * 1000


def clock_findings(target: Target, url: str, server_ms: float, sent_ms: float, received_ms: float) -> list[Diagnostic]:
    offset = (sent_ms + received_ms) / 2 - server_ms
    if abs(offset) <= CLOCK_LIMIT_MS:
        return []
    side = "ahead of" if offset > 0 else "behind"
    return [
        target.diagnostic(
            "R102",
            f"the local clock is {abs(offset) / 1000:.1f} s {side} {url}; Kraken accepts it (it orders requests "
            "by nonce), but the node's order and log timestamps are off by as much",
            "synchronise the clock with chrony or systemd-timesyncd",
            severity="warning",
        )
    ]
