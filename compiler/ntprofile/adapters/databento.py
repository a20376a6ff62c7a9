"""Databento: ``adapter: databento`` -> ``DatabentoDataClientConfig`` (market data only, no exec client).

One environment (its live gateway); the data client needs ``api_key`` and
NautilusTrader reads ``DATABENTO_API_KEY`` when it is unset.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="databento",
    data=ClientSpec(
        "nautilus_trader.adapters.databento.config:DatabentoDataClientConfig",
        "nautilus_trader.adapters.databento.factories:DatabentoLiveDataClientFactory",
    ),
    exec=None,
    venue=None,  # instruments keep their exchange venues (use_exchange_as_venue)
    credentials=(Credential("api_key", required=("data",), fallback={"mainnet": "DATABENTO_API_KEY"}),),
    starter=Starter("Databento", "market data (no exec client)"),
)
