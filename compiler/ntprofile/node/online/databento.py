"""Databento (market data only): whether the key is accepted, asked of the historical API.

NautilusTrader 1.231's pyo3 ``DatabentoHistoricalClient`` takes no gateway and
offers no free call that only reads metadata, so the request is ntprofile's own,
sent with NautilusTrader's ``HttpClient``: ``GET /v0/metadata.list_datasets``
with the key as the HTTP Basic user, as Databento documents; it reads a list and
costs nothing. The same key authenticates the live gateway the node streams from.
No clock is checked: Databento's live authentication is a challenge-response
without timestamps, and the client places no orders.

Base URL: the profile's ``http_gateway`` when it sets one, otherwise
``HISTORICAL_GATEWAY`` (Databento's, which NautilusTrader's client uses).
"""

from __future__ import annotations

import base64

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import Target, keyed_list

ADAPTER = "databento"

CREDENTIALS = ("api_key",)

HISTORICAL_GATEWAY = "https://hist.databento.com"


def base_url(target: Target) -> str:
    return (getattr(target.config, "http_gateway", None) or HISTORICAL_GATEWAY).rstrip("/")


async def check(target: Target, found: list[Diagnostic]) -> None:
    url = base_url(target)
    token = base64.b64encode(f"{target.config.api_key}:".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
    hint = "is it a deleted key, or truncated? Databento keys start with db-"
    await keyed_list(url, "datasets", "/v0/metadata.list_datasets", headers, hint)
