"""Architect AX: ``adapter: architect_ax`` -> ``AxDataClientConfig`` / ``AxExecClientConfig``.

NautilusTrader's AX clients default to the SANDBOX environment, so an unset
``environment`` is testnet here, not mainnet."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="architect_ax",
    data=ClientSpec(
        "nautilus_trader.adapters.architect_ax.config:AxDataClientConfig",
        "nautilus_trader.adapters.architect_ax.factories:AxLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.architect_ax.config:AxExecClientConfig",
        "nautilus_trader.adapters.architect_ax.factories:AxLiveExecClientFactory",
    ),
    venue="AX",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:AxEnvironment",
    environments={"mainnet": "PRODUCTION", "testnet": "SANDBOX"},
    default_environment="testnet",
    credentials=(
        Credential("api_key", fallback={"mainnet": "AX_API_KEY", "testnet": "AX_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "AX_API_SECRET", "testnet": "AX_API_SECRET"}),
    ),
    starter=Starter("Architect AX", "perpetual futures", paper_balance="10000 USD"),
)
