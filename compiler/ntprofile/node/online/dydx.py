"""dYdX v4: the wallet the private key signs for, whether its subaccount exists, and the clock.

dYdX has no API key: the exec client signs transactions with a wallet's
``private_key`` and trades as ``wallet_address`` (the key's own address when the
profile sets none). "The key is accepted" is therefore asked as:

- ``private_key`` is a key at all, and the address NautilusTrader derives from it
  (``DydxWallet.from_private_key(...).address()``, as its exec client does) is
  ``wallet_address``; a permissioned key (``authenticator_ids``) signs for another
  wallet by design, so then the two may differ;
- the indexer knows that address's ``subaccount``
  (``GET /v4/addresses/{address}/subaccountNumber/{n}``, NautilusTrader's
  ``DydxHttpClient.get_subaccount``): 404 is a wallet of the other network, or one
  never funded (a subaccount exists from the first deposit), and the node's
  account state, orders and reconciliation all read it.

The indexer is public and unsigned, so no secret leaves the machine. dYdX judges
short-term orders by block height, not by time, so a clock off by more than
``DRIFT_LIMIT_MS`` is a warning; the indexer's time is ntprofile's own read of
``GET /v4/time`` (its ``iso``): NautilusTrader 1.231's ``DydxHttpClient.get_time``
types ``epoch`` as integer milliseconds, and the indexer sends seconds with a fraction.

Base URL: the profile's ``base_url_http`` (without ``/v4``) when it sets one,
otherwise NautilusTrader's ``get_dydx_http_url`` for the network.
"""

from __future__ import annotations

import datetime as dt

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import (
    Target,
    VenueProblem,
    ask,
    drift_findings,
    environment_name,
    first_line,
    not_json,
    now_ms,
    request,
    signing_key,
)

ADAPTER = "dydx"

CREDENTIALS = ("private_key",)

BLOCKS = "it judges orders by block height, not by time"


def base_url(target: Target) -> str:
    from nautilus_trader.core.nautilus_pyo3 import DydxNetwork, get_dydx_http_url

    return (target.config.base_url_http or get_dydx_http_url(target.config.environment or DydxNetwork.MAINNET)).rstrip(
        "/"
    )


async def check(target: Target, found: list[Diagnostic]) -> None:
    from nautilus_trader.core.nautilus_pyo3 import DydxHttpClient, DydxNetwork, DydxWallet

    config = target.config
    derived = signing_key(target, "private_key", lambda key: DydxWallet.from_private_key(key).address())
    address = config.wallet_address or derived
    if address != derived and not config.authenticator_ids:
        found.append(
            target.diagnostic(
                "R101",
                f"private_key signs for {derived}, not for wallet_address {address}: "
                "the venue would refuse every order the node signs",
                "is it the key of another wallet? a permissioned trading key needs authenticator_ids",
            )
        )
    url = base_url(target)
    network = environment_name(target)

    sent = now_ms()
    status, body = await request(url, "time", "GET", f"{url}/v4/time", {"Accept": "application/json"})
    if not isinstance(body, dict) or "iso" not in body:
        raise not_json(url, "time", status)
    server_ms = dt.datetime.fromisoformat(str(body["iso"]).replace("Z", "+00:00")).timestamp() * 1000
    found += drift_findings(target, url, server_ms, sent, now_ms(), BLOCKS)

    def refusal(exc: Exception) -> VenueProblem | None:
        text = first_line(exc)
        if "404" in text or "No subaccount found" in text:
            return VenueProblem(
                "R101",
                f"the {network} indexer at {url} has no subaccount {config.subaccount} for {address}",
                "is it a wallet of the other network, or not yet funded? a subaccount exists from the first deposit",
            )
        return None

    client = DydxHttpClient(base_url=url, network=config.environment or DydxNetwork.MAINNET)
    await ask("subaccount", url, client.get_subaccount(address, config.subaccount), refusal)
