"""BitMEX: ``adapter: bitmex`` -> ``BitmexDataClientConfig`` / ``BitmexExecClientConfig``."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="bitmex",
    data=ClientSpec(
        "nautilus_trader.adapters.bitmex.config:BitmexDataClientConfig",
        "nautilus_trader.adapters.bitmex.factories:BitmexLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.bitmex.config:BitmexExecClientConfig",
        "nautilus_trader.adapters.bitmex.factories:BitmexLiveExecClientFactory",
    ),
    venue="BITMEX",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:BitmexEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "BITMEX_API_KEY", "testnet": "BITMEX_TESTNET_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "BITMEX_API_SECRET", "testnet": "BITMEX_TESTNET_API_SECRET"}),
    ),
    starter=Starter("BitMEX", "perpetual swaps (XBTUSD, settled in XBT)", paper_balance="1 XBT"),
)
