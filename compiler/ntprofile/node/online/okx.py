"""OKX: the key (and passphrase), the clock, and what the key may do, asked of the venue.

NautilusTrader 1.231's pyo3 ``OKXHttpClient`` has no call for the server time
nor for the account configuration, so both requests are ntprofile's own, sent
with NautilusTrader's ``HttpClient``: ``GET /api/v5/public/time`` and
``GET /api/v5/account/config``, signed as OKX v5 documents (``OK-ACCESS-SIGN`` =
Base64 of HMAC-SHA256 of timestamp + method + request path + body, with
``OK-ACCESS-KEY``, ``OK-ACCESS-TIMESTAMP`` in ISO 8601 with milliseconds and
``OK-ACCESS-PASSPHRASE``; ``x-simulated-trading: 1`` on the demo environment).
OKX rejects a request stamped more than 30 s from its clock.

Base URL: the profile's ``base_url_http`` when it sets one, otherwise
NautilusTrader's ``get_okx_http_base_url`` for the region (demo trading shares it).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Any

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    Target,
    VenueProblem,
    clock_findings,
    first_line,
    not_json,
    now_ms,
    request,
)

ADAPTER = "okx"

TIMESTAMP_LIMIT_MS = 30_000
"""OKX: 'the request will be rejected if the timestamp is more than 30 seconds from the API server time'."""

KEY_ERRORS = {
    "50101": ("says the API key does not match this environment", "a demo key on live, or a live key on demo?"),
    "50105": ("rejected the passphrase", "api_passphrase is not the one set for this key"),
    "50110": ("refused this IP address for the key", "add the node's IP address to the key"),
    "50111": ("rejected the API key", "is it a deleted key, or one of another account?"),
    "50113": ("rejected the request's signature", "api_secret is not the secret of this api_key"),
}
"""OKX v5 error codes that mean the credentials are wrong."""

CLOCK_ERRORS = {"50102", "50112"}
"""``Timestamp request expired``, ``Invalid OK-ACCESS-TIMESTAMP``."""


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import get_okx_http_base_url

    return target.config.base_url_http or get_okx_http_base_url(getattr(target.config, "region", None))


def _demo(target: Target) -> bool:
    environment = getattr(target.config, "environment", None)
    return environment is not None and str(getattr(environment, "name", environment)).upper() == "DEMO"


async def _get(target: Target, url: str, path: str, signed: bool) -> list[Any]:
    """``data`` of an OKX v5 GET; ``VenueProblem`` when the venue refuses it."""
    headers = {"Content-Type": "application/json"}
    if _demo(target):
        headers["x-simulated-trading"] = "1"
    if signed:
        config = target.config
        timestamp = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        digest = hmac.new(config.api_secret.encode(), f"{timestamp}GET{path}".encode(), hashlib.sha256).digest()
        headers |= {
            "OK-ACCESS-KEY": config.api_key,
            "OK-ACCESS-SIGN": base64.b64encode(digest).decode(),
            "OK-ACCESS-TIMESTAMP": timestamp,
            "OK-ACCESS-PASSPHRASE": config.api_passphrase or "",
        }
    what = path.rsplit("/", 1)[-1]
    status, body = await request(url, what, "GET", url + path, headers)
    if body is None:
        raise not_json(url, what, status)
    code = str(body.get("code")) if isinstance(body, dict) else None
    if code == "0":
        return body.get("data") or []
    message = first_line(body.get("msg") if isinstance(body, dict) else body)
    if code in CLOCK_ERRORS:
        raise VenueProblem("R102", f"{url} refused the request's timestamp ({code} {message})", "synchronise the clock")
    if code in KEY_ERRORS:
        said, hint = KEY_ERRORS[code]
        environment = "demo" if _demo(target) else "live"
        raise VenueProblem("R101", f"the {environment} venue at {url} {said} ({code} {message})", hint)
    raise VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status} ({code} {message})")


async def check(target: Target, found: list[Diagnostic]) -> None:
    url = base_url(target)
    sent = now_ms()
    data = await _get(target, url, "/api/v5/public/time", signed=False)
    received = now_ms()
    found += clock_findings(
        target, url, float(data[0]["ts"]), sent, received, ahead_ms=TIMESTAMP_LIMIT_MS, behind_ms=TIMESTAMP_LIMIT_MS
    )
    account = (await _get(target, url, "/api/v5/account/config", signed=True) or [{}])[0]
    found += account_findings(target, account, live=not _demo(target))


def account_findings(target: Target, account: dict[str, Any], live: bool) -> list[Diagnostic]:
    """Findings from ``GET /api/v5/account/config``: ``perm``, ``ip``, ``posMode``."""
    found = []
    perm = {p.strip() for p in str(account.get("perm", "")).split(",") if p.strip()}
    if target.has_exec and perm and "trade" not in perm:
        found.append(
            target.diagnostic(
                "R107", f"the API key may not trade (perm {','.join(sorted(perm))})", "give the key Trade permission"
            )
        )
    if target.production and "withdraw" in perm:
        found.append(
            target.diagnostic(
                "R103",
                "the production API key can withdraw funds (perm withdraw)",
                "create a key without withdrawal permission for the node",
            )
        )
    if live and not account.get("ip"):
        found.append(
            target.diagnostic(
                "R104",
                "the API key is not bound to IP addresses",
                "bind it to the node's IP addresses",
                severity="warning",
            )
        )
    if account.get("posMode") == "long_short_mode":
        found.append(
            target.diagnostic(
                "R105",
                "the account is in long/short (hedge) mode; these deployments run netting (net_mode)",
                "switch the account to net mode before the node trades",
                severity="warning",
            )
        )
    return found
