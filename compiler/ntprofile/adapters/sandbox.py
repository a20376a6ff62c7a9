"""Sandbox: ``adapter: sandbox`` -> NautilusTrader's ``SandboxExecutionClientConfig`` (exec only, simulated).

Paper trading: the real venue's section (``exec: false``) supplies live market
data, and this section's exec client fills orders against it in simulation on
``venue`` (the data client's venue). Its options are the config's own fields
(``starting_balances``, ``oms_type``, ``account_type``, ``default_leverage``,
``leverages``...); no credentials, no environment.
"""

from ntprofile.adapters import Adapter, ClientSpec

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
