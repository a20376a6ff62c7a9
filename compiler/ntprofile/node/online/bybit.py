"""Bybit: the key, the clock, the key's permissions and expiry, and the account's position mode.

NautilusTrader's own pyo3 clients do the work where they can:
``BybitRawHttpClient.get_server_time`` (the clock) and
``BybitHttpClient.get_account_details`` (``GET /v5/user/query-api``: the key
accepted, read-only, expiry), signed by NautilusTrader itself. Its record of the
key drops the ``permissions`` and ``ips`` fields, and its position reports drop
``positionIdx``, so two small requests of ntprofile's own, signed as Bybit v5
documents (``X-BAPI-SIGN`` = HMAC-SHA256 of timestamp + key + recv window + query
string, with NautilusTrader's ``hmac_signature``) and sent with NautilusTrader's
``HttpClient``, read ``GET /v5/user/query-api`` (withdrawal permission, IP
binding) and ``GET /v5/position/list`` (one entry per symbol the profile sets
``position_mode`` for).

Base URL: the profile's ``base_url_http`` for every call when it sets one,
otherwise NautilusTrader's ``get_bybit_http_base_url`` for the environment.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from typing import Any, Awaitable, TypeVar

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    CLIENT_TIMEOUT_SECS,
    EXPIRY_WARNING_DAYS,
    Target,
    VenueProblem,
    clock_findings,
    error_code,
    first_line,
    now_ms,
)
from ntprofile.node.online import ask as online_ask

ADAPTER = "bybit"

T = TypeVar("T")

KEY_ERRORS = {
    10003: (
        "rejected the API key",
        "is it a key of another environment, such as a testnet key on mainnet, or a deleted key?",
    ),
    10004: ("rejected the request's signature", "api_secret is not the secret of this api_key"),
    10005: ("refused the key the permission to read the account", "give the key read permission"),
    10010: ("refused this IP address for the key", "add the node's IP address to the key"),
    33004: ("says the API key has expired", "create a new key"),
}
"""Bybit v5 ``retCode`` values that mean the credentials are wrong."""

CLOCK_ERROR = 10002
"""``invalid request, please check your server timestamp or recv_window param``."""

CATEGORIES = {"-LINEAR": "linear", "-INVERSE": "inverse"}
"""NautilusTrader's symbol suffix -> Bybit's ``category``, for the products ``position_mode`` applies to."""


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import get_bybit_http_base_url

    return target.config.base_url_http or get_bybit_http_base_url(target.config.environment)


def venue_error(exc: BaseException, url: str, environment: str) -> VenueProblem | None:
    """The ``VenueProblem`` for a failed call: the venue's ``retCode`` said plainly (None: no code it names)."""
    text = first_line(exc)
    code = error_code(text)
    if code == CLOCK_ERROR:
        return VenueProblem(
            "R102", f"{url} refused the request's timestamp ({code})", "synchronise the clock, or raise recv_window_ms"
        )
    if code in KEY_ERRORS:
        said, hint = KEY_ERRORS[code]
        return VenueProblem("R101", f"the {environment} venue at {url} {said} (retCode {code})", hint)
    return None


async def ask(what: str, url: str, environment: str, request: Awaitable[T]) -> T:
    """The answer to one request (``online.ask``); a refusal becomes a ``VenueProblem`` that says why."""
    return await online_ask(what, url, request, lambda exc: venue_error(exc, url, environment))


async def signed_get(target: Target, url: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    """``result`` of a signed Bybit v5 GET; ``ValueError('Bybit error CODE: ...')`` as NautilusTrader raises."""
    from nautilus_trader.core.nautilus_pyo3 import HttpClient, HttpMethod, hmac_signature

    config = target.config
    query = urllib.parse.urlencode(params)
    timestamp = str(int(now_ms()))
    window = str(target.recv_window_ms)
    headers = {
        "X-BAPI-API-KEY": config.api_key,
        "X-BAPI-TIMESTAMP": timestamp,
        "X-BAPI-RECV-WINDOW": window,
        "X-BAPI-SIGN": hmac_signature(config.api_secret, timestamp + config.api_key + window + query),
    }
    response = await HttpClient().request(
        HttpMethod.GET,
        f"{url}{path}?{query}" if query else f"{url}{path}",
        headers=headers,
        timeout_secs=CLIENT_TIMEOUT_SECS,
    )
    try:
        body = json.loads(response.body)
    except ValueError:
        raise ValueError(f"HTTP {response.status}, not JSON") from None
    if not isinstance(body, dict) or body.get("retCode") != 0:
        code = body.get("retCode") if isinstance(body, dict) else None
        message = body.get("retMsg") if isinstance(body, dict) else None
        raise ValueError(f"Bybit error {code}: {message} (HTTP {response.status})")
    return body.get("result") or {}


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import BybitHttpClient, BybitRawHttpClient

    config = target.config
    environment = config.environment.name.lower()
    url = base_url(target)
    options = dict(base_url=url, timeout_secs=CLIENT_TIMEOUT_SECS, max_retries=0, recv_window_ms=target.recv_window_ms)

    # the clock, by the venue's public server time
    raw = BybitRawHttpClient(**options)
    sent = now_ms()
    server = await ask("server time", url, environment, raw.get_server_time())
    found += clock_findings(target, url, int(server.time_nano) / 1e6, sent, now_ms())

    # the key: accepted, read-only, expiry
    client = BybitHttpClient(api_key=config.api_key, api_secret=config.api_secret, **options)
    details = await ask("API key", url, environment, client.get_account_details())
    if details.read_only and target.has_exec:
        found.append(
            target.diagnostic(
                "R107",
                "the API key is read-only; the exec client's orders would be rejected",
                "give the key Orders and Positions permissions",
            )
        )
    found += expiry_findings(target, details.expired_at)

    # what NautilusTrader's record leaves out: withdrawal permission and IP binding
    key = await ask("API key permissions", url, environment, signed_get(target, url, "/v5/user/query-api", {}))
    found += permission_findings(target, key, mainnet=environment == "mainnet")

    # the account's position mode, for each symbol the profile sets one for
    for symbol, mode in (getattr(config, "position_mode", None) or {}).items():
        category = next((c for suffix, c in CATEGORIES.items() if str(symbol).endswith(suffix)), None)
        if category is None:  # the adapter skips it too (P112)
            continue
        params = {"category": category, "symbol": str(symbol).rsplit("-", 1)[0]}
        result = await ask("positions", url, environment, signed_get(target, url, "/v5/position/list", params))
        found += position_mode_findings(target, str(symbol), str(getattr(mode, "name", mode)), result)


NEVER = dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
"""Bybit dates only keys without IP binding (or after a password change); a key bound to IP addresses,
which never expires, comes with ``"expiredAt": "1970-01-01T00:00:00Z"`` and ``"deadlineDay": -2``
(Bybit v5 docs, Get API Key Information; recorded in NautilusTrader's
crates/adapters/bybit/test_data/http_get_user_query_api.json). An expiry before this is no expiry."""


def expiry_findings(target: Target, expired_at: str | None, now: dt.datetime | None = None) -> list[Diagnostic]:
    """A warning when the key expires within ``EXPIRY_WARNING_DAYS``; none for a key that never expires."""
    if not expired_at:
        return []
    try:
        expiry = dt.datetime.fromisoformat(expired_at.replace("Z", "+00:00"))
    except ValueError:
        return []
    if expiry.tzinfo is None:
        expiry = expiry.replace(tzinfo=dt.UTC)
    if expiry < NEVER:
        return []
    left = expiry - (now or dt.datetime.now(dt.UTC))
    if left > dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return []
    return [
        target.diagnostic(
            "R108",
            f"the API key expires on {expiry:%Y-%m-%d %H:%M} UTC, in {max(left.days, 0)} day(s); "
            "the node stops trading then",
            "renew it, or bind it to IP addresses: bound keys do not expire",
            severity="warning",
        )
    ]


def permission_findings(target: Target, key: dict[str, Any], mainnet: bool) -> list[Diagnostic]:
    """Findings from the ``permissions`` and ``ips`` of ``GET /v5/user/query-api``."""
    found = []
    permissions = key.get("permissions") or {}
    if target.production and "Withdraw" in (permissions.get("Wallet") or []):
        found.append(
            target.diagnostic(
                "R103",
                "the production API key can withdraw funds (Wallet: Withdraw)",
                "create a key without withdrawal permission for the node",
            )
        )
    ips = key.get("ips") or []
    if mainnet and (not ips or "*" in ips):
        found.append(
            target.diagnostic(
                "R104",
                "the API key is not bound to IP addresses (ips: *)",
                "bind it to the node's IP addresses",
                severity="warning",
            )
        )
    return found


def position_mode_findings(target: Target, symbol: str, wanted: str, result: dict[str, Any]) -> list[Diagnostic]:
    """The account's mode for ``symbol``, inferred from its position list, against the profile's ``position_mode``.

    In one-way mode (``MERGED_SINGLE``) Bybit lists one entry with ``positionIdx`` 0;
    in hedge mode (``BOTH_SIDES``) two, with 1 (buy side) and 2 (sell side).
    NautilusTrader switches the mode when the exec client connects, but Bybit
    refuses that while a position is open, and the failure is only logged: orders
    are then rejected with 'position idx not match position mode'.
    """
    entries = [p for p in result.get("list") or [] if isinstance(p, dict)]
    indices = {int(p.get("positionIdx", 0)) for p in entries}
    if not indices:
        return []
    held = "BOTH_SIDES" if indices & {1, 2} else "MERGED_SINGLE"
    if held == wanted.upper():
        return []
    open_positions = [p for p in entries if _size(p.get("size")) != 0]
    if open_positions:
        return [
            target.diagnostic(
                "R105",
                f"{symbol} is held in {held} mode with an open position, the profile sets {wanted}: Bybit refuses "
                "the switch while a position is open, and orders fail with 'position idx not match position mode'",
                f"close the position, or set position_mode {symbol}: {held}",
            )
        ]
    return [
        target.diagnostic(
            "R105",
            f"{symbol} is in {held} mode on the account, the profile sets {wanted}; the node switches it when it connects",
            severity="warning",
        )
    ]


def _size(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0
