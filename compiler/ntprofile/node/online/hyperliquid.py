"""Hyperliquid: the wallet the private key signs for, whether it has an account, and the clock.

Hyperliquid has no API key: the exec client signs with a wallet's private key.
"The key is accepted" is therefore asked as: the address NautilusTrader derives
from ``private_key`` (its ``HyperliquidHttpClient.get_user_address``) is known to
the venue (``userRole`` is not ``missing``), and the account NautilusTrader trades
for (``hyperliquid_resolve_execution_account_address``: the vault, else
``account_address``, else that address) has a clearinghouse state. An API wallet
(``userRole`` ``agent``) cannot withdraw; the account's own wallet key can, which
is an error in production. Both reads are unsigned ``POST /info`` requests of
ntprofile's own, sent with NautilusTrader's ``HttpClient``: Hyperliquid's info
endpoint is POST only and changes nothing (writes go to ``/exchange``), so it is
allow-listed by name as read-only. The clock is held to what Hyperliquid accepts
for a signed action's nonce (its time in ms): at most 2 days behind, 1 day ahead,
against the ``time`` of the clearinghouse state.

Base URL: NautilusTrader 1.231's Hyperliquid configs have no ``base_url_http``;
every call goes to ``get_hyperliquid_http_base_url`` for the environment, as the
node's do.
"""

from __future__ import annotations

import json
from typing import Any

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    Target,
    VenueProblem,
    clock_findings,
    environment_name,
    now_ms,
    request,
    signing_key,
)

ADAPTER = "hyperliquid"

CREDENTIALS = ("private_key",)

NONCE_BEHIND_MS = 2 * 86_400_000
NONCE_AHEAD_MS = 86_400_000
"""Hyperliquid: a nonce must lie within (T - 2 days, T + 1 day) of the venue's time T."""


def info_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import HyperliquidEnvironment, get_hyperliquid_http_base_url

    environment = target.config.environment or HyperliquidEnvironment.MAINNET
    return getattr(target.config, "base_url_http", None) or get_hyperliquid_http_base_url(environment)


async def info(url: str, query: dict[str, str]) -> Any:
    """The answer of one ``POST /info`` read; ``VenueProblem`` when there is none."""
    what = query["type"]
    body = json.dumps(query).encode()
    headers = {"Content-Type": "application/json"}
    status, answer = await request(url, what, "POST", url, headers, body)
    if status >= 400 or answer is None:
        raise VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status}")
    return answer


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import (
        HyperliquidEnvironment,
        HyperliquidHttpClient,
        hyperliquid_resolve_execution_account_address,
    )

    config = target.config
    environment = config.environment or HyperliquidEnvironment.MAINNET

    def derive(key: str) -> tuple[str, str]:
        signer = HyperliquidHttpClient(private_key=key, environment=environment).get_user_address()
        account = hyperliquid_resolve_execution_account_address(
            key, getattr(config, "vault_address", None), getattr(config, "account_address", None), environment
        )
        return signer, account

    signer, account = signing_key(target, "private_key", derive)
    url = info_url(target)
    role = await info(url, {"type": "userRole", "user": signer})
    found += role_findings(target, url, str(signer), str(account), role if isinstance(role, dict) else {})
    if any(d.code == "R101" for d in found):
        return
    sent = now_ms()
    state = await info(url, {"type": "clearinghouseState", "user": str(account)})
    received = now_ms()
    if isinstance(state, dict) and isinstance(state.get("time"), (int, float)):
        found += clock_findings(
            target, url, float(state["time"]), sent, received, ahead_ms=NONCE_AHEAD_MS, behind_ms=NONCE_BEHIND_MS
        )


def role_findings(target: Target, url: str, signer: str, account: str, role: dict[str, Any]) -> list[Diagnostic]:
    """Findings from ``userRole`` of the signing address."""
    kind = role.get("role")
    if kind == "missing":
        return [
            target.diagnostic(
                "R101",
                f"the {environment_name(target)} venue at {url} has no account for the address {signer} "
                "that private_key signs for",
                "is it a key of another environment, such as a testnet wallet on mainnet, or a wallet never funded?",
            )
        ]
    if kind == "agent":
        master = str((role.get("data") or {}).get("user") or "")
        if master and account.lower() == signer.lower():
            return [
                target.diagnostic(
                    "R101",
                    f"private_key is an API wallet of {master}, but the node would trade and read the account "
                    f"of the API wallet {signer} itself",
                    f"set account_address: {master}",
                )
            ]
        return []
    if kind == "user" and target.production and target.has_exec:
        return [
            target.diagnostic(
                "R103",
                "the production private_key is the account's own wallet key, which can withdraw funds",
                "sign with an API wallet (agent) of the account, which cannot withdraw, and set account_address",
            )
        ]
    return []
