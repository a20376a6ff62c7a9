"""Sandbox: ``adapter: sandbox`` -> NautilusTrader's ``SandboxExecutionClientConfig`` (exec only, simulated).

Paper trading: the real venue's section (``exec: false``) supplies live market
data, and this section's exec client fills orders against it in simulation on
``venue`` (the data client's venue). Its options are the config's own fields
(``starting_balances``, ``oms_type``, ``account_type``, ``default_leverage``...);
no credentials, no environment. P116 is its own rule.
"""

from __future__ import annotations

from typing import Iterator

from ntprofile.adapters import Adapter, ClientSpec, sections_of
from ntprofile.diagnostics.rules import Finding, rule
from ntprofile.layers import Merged

ADAPTER = Adapter(
    name="sandbox",
    data=None,
    exec=ClientSpec(
        "nautilus_trader.adapters.sandbox.config:SandboxExecutionClientConfig",
        "nautilus_trader.adapters.sandbox.factory:SandboxLiveExecClientFactory",
    ),
    venue=None,  # required: the venue whose market data it fills against
    venue_field="venue",
    default_environment=None,
    real_money=frozenset(),
    simulated=True,
)


@rule("P116", None)
def sandbox_leverages(merged: Merged) -> Iterator[Finding]:
    """NautilusTrader 1.231's sandbox client hands ``leverages`` keys to its exchange as text where it wants
    ``InstrumentId``: the node does not build (``TypeError`` at build). Said at the line instead."""
    for client_id, section in sections_of(merged, ADAPTER):
        for path in (("exchanges", client_id, "leverages"), ("exchanges", client_id, "exec", "leverages")):
            if merged.get(path):
                yield Finding(
                    path,
                    "NautilusTrader's sandbox exec client cannot build a node with per-instrument leverages "
                    "(it passes the keys on as text, not InstrumentId)",
                    "use default_leverage",
                    any_target=True,
                )
