"""Binance: ``exchanges.<ID>`` with ``adapter: binance`` -> Binance data/exec client configs.

Several Binance clients on one node (spot and futures) are separate sections
with their own client ids and ``venue`` (``BINANCE_SPOT``, ``BINANCE_FUTURES``).
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential

ADAPTER = Adapter(
    name="binance",
    data=ClientSpec(
        "nautilus_trader.adapters.binance.config:BinanceDataClientConfig",
        "nautilus_trader.adapters.binance.factories:BinanceLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.binance.config:BinanceExecClientConfig",
        "nautilus_trader.adapters.binance.factories:BinanceLiveExecClientFactory",
    ),
    venue="BINANCE",  # BinanceExecClientConfig.venue defaults to BINANCE_VENUE
    venue_field="venue",
    environment_field="environment",
    environment_enum="nautilus_trader.adapters.binance.common.enums:BinanceEnvironment",
    environments={"mainnet": "LIVE", "testnet": "TESTNET", "demo": "DEMO"},
    # binance.common.credentials: spot names (futures testnet reads BINANCE_FUTURES_TESTNET_*)
    credentials=(
        Credential(
            "api_key",
            fallback={
                "mainnet": "BINANCE_API_KEY",
                "testnet": "BINANCE_TESTNET_API_KEY",
                "demo": "BINANCE_DEMO_API_KEY",
            },
        ),
        Credential(
            "api_secret",
            fallback={
                "mainnet": "BINANCE_API_SECRET",
                "testnet": "BINANCE_TESTNET_API_SECRET",
                "demo": "BINANCE_DEMO_API_SECRET",
            },
        ),
    ),
    nested={"instrument_provider": "nautilus_trader.adapters.binance.config:BinanceInstrumentProviderConfig"},
)
