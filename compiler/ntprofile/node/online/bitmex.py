"""BitMEX: the key, the clock, and what the key may do, asked of the venue.

NautilusTrader's pyo3 ``BitmexHttpClient.get_server_time`` reads the clock
(``GET /api/v1``, the venue's ``timestamp``). It has no call for the key's own
record (its permissions and IP binding), so that request is ntprofile's own, sent
with NautilusTrader's ``HttpClient``: ``GET /api/v1/apiKey``, signed as BitMEX
documents (``api-signature`` = hex HMAC-SHA256 of verb + path with query +
expires + body, with ``api-key`` and ``api-expires`` in Unix seconds).
NautilusTrader sets ``expires`` to now + ``recv_window_ms``, so BitMEX refuses a
request from a clock further behind than that; a clock ahead is not refused.

Base URL: the profile's ``base_url_http`` when it sets one (it includes
``/api/v1``, as NautilusTrader's does), otherwise NautilusTrader's
``get_bitmex_http_base_url`` for the environment.
"""

from __future__ import annotations

import math
import urllib.parse
from typing import Any

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    CLIENT_TIMEOUT_SECS,
    Target,
    VenueProblem,
    ask,
    clock_findings,
    environment_name,
    first_line,
    not_json,
    now_ms,
    request,
)

ADAPTER = "bitmex"

KEY_ERRORS = {
    "Invalid API Key.": (
        "rejected the API key",
        "is it a key of another environment, such as a testnet key on mainnet, or a deleted key?",
    ),
    "Signature not valid.": ("rejected the request's signature", "api_secret is not the secret of this api_key"),
}
"""BitMEX ``error.message`` values that mean the credentials are wrong."""

OPEN_CIDRS = {"", "0.0.0.0/0", "::/0"}
"""A key bound to one of these accepts requests from any address."""


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import BitmexEnvironment, get_bitmex_http_base_url

    environment = target.config.environment or BitmexEnvironment.MAINNET
    return (target.config.base_url_http or get_bitmex_http_base_url(environment)).rstrip("/")


async def _get(target: Target, url: str, endpoint: str) -> Any:
    """The JSON answer of a signed BitMEX GET; ``VenueProblem`` when the venue refuses it."""
    from nautilus_trader.core.nautilus_pyo3 import hmac_signature

    config = target.config
    path = urllib.parse.urlsplit(url).path + endpoint
    expires = str(math.ceil((now_ms() + target.recv_window_ms) / 1000))
    headers = {
        "Accept": "application/json",
        "api-key": config.api_key,
        "api-expires": expires,
        "api-signature": hmac_signature(config.api_secret, f"GET{path}{expires}"),
    }
    what = endpoint.strip("/")
    status, body = await request(url, what, "GET", url + endpoint, headers)
    if body is None:
        raise not_json(url, what, status)
    if status < 400:
        return body
    error = body.get("error") if isinstance(body, dict) else None
    message = first_line(error.get("message") if isinstance(error, dict) else body)
    if message.startswith("This request has expired"):
        raise VenueProblem("R102", f"{url} refused the request's expiry as past ({message})", "synchronise the clock")
    if message in KEY_ERRORS:
        said, hint = KEY_ERRORS[message]
        raise VenueProblem("R101", f"the {environment_name(target)} venue at {url} {said} ({message})", hint)
    raise VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status} ({message})")


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import BitmexHttpClient

    url = base_url(target)
    client = BitmexHttpClient(base_url=url, timeout_secs=CLIENT_TIMEOUT_SECS, max_retries=0)
    sent = now_ms()
    server = await ask("server time", url, client.get_server_time())
    found += clock_findings(target, url, float(server), sent, now_ms(), ahead_ms=math.inf)
    keys = await _get(target, url, "/apiKey")
    own = (
        [k for k in keys if isinstance(k, dict) and k.get("id") == target.config.api_key]
        if isinstance(keys, list)
        else []
    )
    found += key_findings(target, own[0] if own else {}, mainnet=environment_name(target) == "mainnet")


def key_findings(target: Target, key: dict[str, Any], mainnet: bool) -> list[Diagnostic]:
    """Findings from the key's own entry of ``GET /api/v1/apiKey``: ``permissions``, ``cidr``."""
    if not key:
        return []
    found = []
    permissions = [str(p) for p in key.get("permissions") or []]
    shown = ",".join(permissions) or "none: read-only"
    if target.has_exec and "order" not in permissions:
        found.append(
            target.diagnostic(
                "R107", f"the API key may not place orders (permissions {shown})", "give the key Order permission"
            )
        )
    if target.production and "withdraw" in permissions:
        found.append(
            target.diagnostic(
                "R103",
                "the production API key can withdraw funds (permissions withdraw)",
                "create a key without withdrawal permission for the node",
            )
        )
    cidrs = {str(c) for c in key.get("cidrs") or [key.get("cidr") or ""]}
    if mainnet and cidrs <= OPEN_CIDRS:
        found.append(
            target.diagnostic(
                "R104",
                "the API key is not bound to IP addresses (cidr 0.0.0.0/0)",
                "bind it to the node's IP addresses",
                severity="warning",
            )
        )
    return found
