"""Binance: ``exchanges.<ID>`` with ``adapter: binance`` -> Binance data/exec client configs.

Several Binance clients on one node (spot and futures) are separate sections
with their own client ids and ``venue`` (``BINANCE_SPOT``, ``BINANCE_FUTURES``).
"""

from ntprofile.adapters import Adapter

ADAPTER = Adapter(
    name="binance",
    data_config="nautilus_trader.adapters.binance.config:BinanceDataClientConfig",
    exec_config="nautilus_trader.adapters.binance.config:BinanceExecClientConfig",
    data_factory="nautilus_trader.adapters.binance.factories:BinanceLiveDataClientFactory",
    exec_factory="nautilus_trader.adapters.binance.factories:BinanceLiveExecClientFactory",
    environment_field="environment",
    environment_enum="nautilus_trader.adapters.binance.common.enums:BinanceEnvironment",
    environments={"mainnet": "LIVE", "testnet": "TESTNET", "demo": "DEMO"},
    default_venue="BINANCE",  # BinanceExecClientConfig.venue defaults to BINANCE_VENUE
    venue_field="venue",
    nested={"instrument_provider": "nautilus_trader.adapters.binance.config:BinanceInstrumentProviderConfig"},
)
