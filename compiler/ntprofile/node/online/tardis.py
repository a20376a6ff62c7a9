"""Tardis (market data only): whether the key is accepted and until when, and whether Tardis Machine listens.

The node streams from a Tardis Machine server at ``base_url_ws`` and loads its
instruments from Tardis's HTTP API with ``api_key``. NautilusTrader's pyo3
``TardisHttpClient`` offers only the instrument call (a whole exchange's
instruments), so the key is asked with a request of ntprofile's own, sent with
NautilusTrader's ``HttpClient``: ``GET /v1/api-key-info`` with the key as a
bearer token, as Tardis's own client (``tardis-dev``'s ``getApiKeyAccessInfo``)
does; it lists the exchanges the key may read and until when. A key whose
access has ended is an error, one that ends within ``EXPIRY_WARNING_DAYS`` a
warning (R108). Tardis Machine is asked whether anything accepts a connection
at ``base_url_ws`` (a TCP connect, bounded): a node whose Tardis Machine is
down starts and receives nothing.

No clock is checked: the key is a bearer token, no request carries a timestamp
of the node's, and the data carries the exchanges' own timestamps.

Base URL: the profile's ``base_url_http`` when it sets one, otherwise
``TARDIS_HTTP_URL`` (NautilusTrader's default).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import urllib.parse

from ntprofile.diagnostics import Diagnostic
from ntprofile.node.online import EXPIRY_WARNING_DAYS, Target, VenueProblem, call, keyed_list

ADAPTER = "tardis"

CREDENTIALS = ("api_key",)

TARDIS_HTTP_URL = "https://api.tardis.dev/v1"


def base_url(target: Target) -> str:
    return (target.config.base_url_http or TARDIS_HTTP_URL).rstrip("/")


async def check(target: Target, found: list[Diagnostic]) -> None:
    if target.config.base_url_ws:
        found += await machine_findings(target, target.config.base_url_ws)
    url = base_url(target)
    headers = {"Accept": "application/json", "Authorization": f"Bearer {target.config.api_key}"}
    hint = "is it a deleted or mistyped key? Tardis keys are issued per subscription"
    found += expiry_findings(target, await keyed_list(url, "api-key-info", "/api-key-info", headers, hint))


def expiry_findings(target: Target, access: list) -> list[Diagnostic]:
    """The key's access end (the latest ``to`` of its exchanges) against now."""
    ends = []
    for entry in access:
        try:
            ends.append(dt.datetime.fromisoformat(str(entry["to"]).replace("Z", "+00:00")))
        except (KeyError, TypeError, ValueError):
            continue
    if not ends:
        return []
    end = max(ends)
    left = end - dt.datetime.now(dt.UTC)
    day = end.strftime("%Y-%m-%d")
    if left.total_seconds() <= 0:
        return [target.diagnostic("R101", f"the API key's data access ended on {day}", "renew the subscription")]
    if left < dt.timedelta(days=EXPIRY_WARNING_DAYS):
        message = f"the API key's data access ends on {day}, in {left.days} day(s)"
        return [target.diagnostic("R108", message, "renew the subscription", severity="warning")]
    return []


async def machine_findings(target: Target, ws_url: str) -> list[Diagnostic]:
    """R109 when nothing accepts a connection at the Tardis Machine address."""
    parts = urllib.parse.urlsplit(ws_url)
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    try:
        _, writer = await call(f"{ws_url} (Tardis Machine)", asyncio.open_connection(parts.hostname, port))
    except VenueProblem as problem:
        return [target.diagnostic(problem.code, problem.message, "is tardis-machine running there?")]
    except OSError as exc:
        return [
            target.diagnostic(
                "R109",
                f"nothing accepts connections at {ws_url} ({_reason(exc)}): "
                "the node would start and receive no market data",
                "start tardis-machine there, or set base_url_ws to where it runs",
            )
        ]
    writer.close()
    return []


def _reason(exc: OSError) -> str:
    return "connection refused" if isinstance(exc, ConnectionRefusedError) else exc.strerror or type(exc).__name__
