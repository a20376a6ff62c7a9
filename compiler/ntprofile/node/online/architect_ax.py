"""Architect AX: whether the key and secret are accepted, and whether the account may trade.

AX does not sign requests: the key and secret buy a session token at
``POST /authenticate`` (NautilusTrader's ``AxHttpClient.authenticate``, as its
clients do at start), which every later request carries as a bearer token. That
login changes no account state, so it is allow-listed by name as read-only. The
account is then read with the token at ``GET /whoami``, a request of ntprofile's
own (NautilusTrader's Python client does not offer it), sent with
NautilusTrader's ``HttpClient``: a frozen account, or one in close-only mode
under an exec client, cannot trade (R107). The token is short-lived (``TOKEN_SECONDS``)
and never shown.

No clock is checked: AX puts no timestamp of the node's in any request
(the session token expires at the venue's own time) and publishes no server time.

Base URL: the profile's ``base_url_http`` when it sets one, otherwise AX's for
the environment (NautilusTrader's ``AxHttpClient`` default; SANDBOX when unset).
"""

from __future__ import annotations

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import CLIENT_TIMEOUT_SECS, Target, VenueProblem, ask, environment_name, first_line, request

ADAPTER = "architect_ax"

TOKEN_SECONDS = 60
"""The life of the check's session token: long enough for its one read."""

URLS = {
    "mainnet": "https://gateway.architect.exchange/api",
    "testnet": "https://gateway.sandbox.architect.exchange/api",
}
"""NautilusTrader's AX REST URLs by environment (its factories' defaults)."""


def base_url(target: Target) -> str:
    return (target.config.base_url_http or URLS[environment_name(target)]).rstrip("/")


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import AxHttpClient

    config = target.config
    url = base_url(target)
    environment = environment_name(target)

    def refusal(exc: Exception) -> VenueProblem | None:
        text = first_line(exc)
        if "401" in text or "403" in text:
            return VenueProblem(
                "R101",
                f"the {environment} venue at {url} rejected the API key and secret ({_status(text)})",
                "is it a key of the other environment (testnet is AX's sandbox), a revoked key, "
                "or is api_secret not its secret?",
            )
        return None

    client = AxHttpClient(base_url=url, orders_base_url=url, timeout_secs=CLIENT_TIMEOUT_SECS, max_retries=0)
    token = await ask(
        "authenticate", url, client.authenticate(config.api_key, config.api_secret, TOKEN_SECONDS), refusal
    )
    headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
    status, user = await request(url, "whoami", "GET", f"{url}/whoami", headers)
    if status >= 400 or not isinstance(user, dict):
        raise VenueProblem("R109", f"the whoami request to {url} failed: HTTP {status}")
    if user.get("is_frozen"):
        found.append(target.diagnostic("R107", "the AX account is frozen: every order would be rejected"))
    elif target.has_exec and user.get("is_close_only"):
        found.append(
            target.diagnostic(
                "R107",
                "the AX account is in close-only mode: the node could only reduce positions",
                "ask AX to lift close-only mode before the node trades",
            )
        )


def _status(text: str) -> str:
    """``HTTP 401`` from NautilusTrader's ``Unexpected HTTP status code 401: ...``."""
    return "HTTP 401" if "401" in text else "HTTP 403"
