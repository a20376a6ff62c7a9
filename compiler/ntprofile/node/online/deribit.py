"""Deribit: the key, the clock, and what the key may do (its scopes), asked of the venue.

NautilusTrader 1.231's pyo3 ``DeribitHttpClient`` exposes no call for the
server time nor for the scopes its token was granted, so the requests are
ntprofile's own JSON-RPC over HTTP, sent with NautilusTrader's ``HttpClient``:
``GET /api/v2/public/get_time``, ``GET /api/v2/public/auth`` and, with the
token it grants, ``GET /api/v2/private/get_account_summary`` (a read).
The authentication is Deribit's ``client_signature`` grant (``signature`` = hex
HMAC-SHA256 of timestamp + "\\n" + nonce + "\\n" + data, keyed by the secret)
rather than ``client_credentials``: the secret never leaves the machine, and a
wrong secret is a signature the venue rejects. The token is never shown.
Deribit publishes no bound for a request's timestamp; the clock is held to
``CLOCK_LIMIT_MS`` either way.

Base URL: the profile's ``base_url_http`` when it sets one, otherwise
NautilusTrader's ``get_deribit_http_base_url`` for the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import urllib.parse
from typing import Any

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    Target,
    VenueProblem,
    clock_findings,
    environment_name,
    first_line,
    not_json,
    now_ms,
    request,
)

ADAPTER = "deribit"

CLOCK_LIMIT_MS = 5000
"""How far the local clock may be from Deribit's, either way."""

KEY_ERRORS = {
    13004: (
        "rejected the credentials (13004 invalid_credentials)",
        "is it a key of another environment, such as a testnet key on mainnet, a deleted key, "
        "or is api_secret not the secret of this api_key?",
    ),
    13009: ("refused the token it granted (13009 unauthorized)", "is the key disabled?"),
    13021: ("refused the key this read (13021 forbidden)", "give the key the account:read scope"),
}
"""Deribit JSON-RPC error codes that mean the credentials are wrong."""


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import DeribitEnvironment, get_deribit_http_base_url

    environment = target.config.environment or DeribitEnvironment.MAINNET
    return (target.config.base_url_http or get_deribit_http_base_url(environment)).rstrip("/")


async def _rpc(target: Target, url: str, method: str, params: dict[str, str], token: str | None = None) -> Any:
    """``result`` of a Deribit JSON-RPC GET; ``VenueProblem`` when the venue refuses it."""
    headers = {"Accept": "application/json"} | ({"Authorization": f"bearer {token}"} if token else {})
    query = urllib.parse.urlencode(params)
    address = f"{url}/api/v2/{method}" + (f"?{query}" if query else "")
    what = method.rsplit("/", 1)[-1]
    status, body = await request(url, what, "GET", address, headers)
    if body is None:
        raise not_json(url, what, status)
    if isinstance(body, dict) and "result" in body and not body.get("error"):
        return body["result"]
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    message = first_line(error.get("message") if isinstance(error, dict) else body)
    if code in KEY_ERRORS:
        said, hint = KEY_ERRORS[code]
        raise VenueProblem("R101", f"the {environment_name(target)} venue at {url} {said}", hint)
    raise VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status} ({code} {message})")


async def check(target: Target, found: list[Diagnostic]) -> None:
    config = target.config
    url = base_url(target)
    sent = now_ms()
    server = await _rpc(target, url, "public/get_time", {})
    found += clock_findings(
        target, url, float(server), sent, now_ms(), ahead_ms=CLOCK_LIMIT_MS, behind_ms=CLOCK_LIMIT_MS
    )
    timestamp, nonce = str(int(now_ms())), secrets.token_hex(8)
    signature = hmac.new(config.api_secret.encode(), f"{timestamp}\n{nonce}\n".encode(), hashlib.sha256).hexdigest()
    auth = await _rpc(
        target,
        url,
        "public/auth",
        {
            "grant_type": "client_signature",
            "client_id": config.api_key,
            "timestamp": timestamp,
            "nonce": nonce,
            "data": "",
            "signature": signature,
        },
    )
    token = auth.get("access_token") if isinstance(auth, dict) else None
    if not token:
        raise VenueProblem("R109", f"{url} granted no access token")
    await _rpc(target, url, "private/get_account_summary", {"currency": "BTC"}, token=token)
    found += scope_findings(target, str(auth.get("scope") or ""))


def scope_findings(target: Target, scope: str) -> list[Diagnostic]:
    """Findings from the scopes ``public/auth`` granted: ``trade:read_write``, ``wallet:read_write``."""
    scopes = set(scope.split())
    found = []
    if target.has_exec and "trade:read_write" not in scopes:
        trade = next((s for s in sorted(scopes) if s.startswith("trade:")), "trade: none")
        found.append(
            target.diagnostic(
                "R107", f"the API key may not trade (scope {trade})", "give the key the trade:read_write scope"
            )
        )
    if target.production and "wallet:read_write" in scopes:
        found.append(
            target.diagnostic(
                "R103",
                "the production API key can withdraw funds (scope wallet:read_write)",
                "create a key whose wallet scope is read-only or none for the node",
            )
        )
    return found
