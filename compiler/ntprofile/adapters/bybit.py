"""Bybit: ``exchanges.<ID>`` with ``adapter: bybit`` -> Bybit data/exec client configs."""

from ntprofile.adapters import Adapter

ADAPTER = Adapter(
    name="bybit",
    data_config="nautilus_trader.adapters.bybit.config:BybitDataClientConfig",
    exec_config="nautilus_trader.adapters.bybit.config:BybitExecClientConfig",
    data_factory="nautilus_trader.adapters.bybit.factories:BybitLiveDataClientFactory",
    exec_factory="nautilus_trader.adapters.bybit.factories:BybitLiveExecClientFactory",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:BybitEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET", "demo": "DEMO"},
    default_venue="BYBIT",  # BybitExecutionClient always registers BYBIT_VENUE; its config has no venue
)
