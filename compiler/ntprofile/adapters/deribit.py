"""Deribit: ``adapter: deribit`` -> ``DeribitDataClientConfig`` / ``DeribitExecClientConfig``."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="deribit",
    data=ClientSpec(
        "nautilus_trader.adapters.deribit.config:DeribitDataClientConfig",
        "nautilus_trader.adapters.deribit.factories:DeribitLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.deribit.config:DeribitExecClientConfig",
        "nautilus_trader.adapters.deribit.factories:DeribitLiveExecClientFactory",
    ),
    venue="DERIBIT",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:DeribitEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "DERIBIT_API_KEY", "testnet": "DERIBIT_TESTNET_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "DERIBIT_API_SECRET", "testnet": "DERIBIT_TESTNET_API_SECRET"}),
    ),
    starter=Starter(
        "Deribit", "perpetuals and futures (BTC-PERPETUAL)", {"product_types": ["FUTURE"]}, paper_balance="1 BTC"
    ),
)
