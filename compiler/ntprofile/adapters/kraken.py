"""Kraken: ``adapter: kraken`` -> ``KrakenDataClientConfig`` / ``KrakenExecClientConfig``.

NautilusTrader reads spot keys from ``KRAKEN_SPOT_*`` and futures keys from
``KRAKEN_FUTURES_*`` (``KRAKEN_FUTURES_DEMO_*`` on demo); Kraken Spot has no demo."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="kraken",
    data=ClientSpec(
        "nautilus_trader.adapters.kraken.config:KrakenDataClientConfig",
        "nautilus_trader.adapters.kraken.factories:KrakenLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.kraken.config:KrakenExecClientConfig",
        "nautilus_trader.adapters.kraken.factories:KrakenLiveExecClientFactory",
    ),
    venue="KRAKEN",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:KrakenEnvironment",
    environments={"mainnet": "LIVE", "demo": "DEMO"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "KRAKEN_SPOT_API_KEY", "demo": "KRAKEN_FUTURES_DEMO_API_KEY"}),
        Credential(
            "api_secret", fallback={"mainnet": "KRAKEN_SPOT_API_SECRET", "demo": "KRAKEN_FUTURES_DEMO_API_SECRET"}
        ),
    ),
    # Kraken Futures, the product with a demo environment to rehearse on (Kraken Spot has none)
    starter=Starter("Kraken", "Futures (PF_XBTUSD)", {"product_types": ["FUTURES"]}, paper_balance="10000 USD"),
)
