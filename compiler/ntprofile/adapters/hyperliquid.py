"""Hyperliquid: ``adapter: hyperliquid`` -> ``HyperliquidDataClientConfig`` / ``HyperliquidExecClientConfig``.

Market data is public; the exec client signs with the wallet's ``private_key``
(a secret like ``api_secret``; 64 hexadecimal digits, ``0x`` optional), read
from ``HYPERLIQUID_PK`` (testnet: ``HYPERLIQUID_TESTNET_PK``) when unset. ``product_types`` is a Python enum decoded
by value (``perp``); profiles write the member name (``PERP``).
"""

from ntprofile.adapters import HEX_PRIVATE_KEY, Adapter, ClientSpec, Credential, CredentialForm

ADAPTER = Adapter(
    name="hyperliquid",
    data=ClientSpec(
        "nautilus_trader.adapters.hyperliquid.config:HyperliquidDataClientConfig",
        "nautilus_trader.adapters.hyperliquid.factories:HyperliquidLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.hyperliquid.config:HyperliquidExecClientConfig",
        "nautilus_trader.adapters.hyperliquid.factories:HyperliquidLiveExecClientFactory",
    ),
    venue="HYPERLIQUID",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:HyperliquidEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential(
            "private_key",
            fallback={"mainnet": "HYPERLIQUID_PK", "testnet": "HYPERLIQUID_TESTNET_PK"},
            # NautilusTrader's signer refuses anything else ("EVM private key must be 32 bytes (64 hex chars)")
            form=CredentialForm(HEX_PRIVATE_KEY, "an EVM private key", "64 hexadecimal digits", prefix="0x"),
        ),
        Credential(
            "vault_address",
            secret=False,
            required=(),
            fallback={"mainnet": "HYPERLIQUID_VAULT", "testnet": "HYPERLIQUID_TESTNET_VAULT"},
        ),
    ),
    enum_values={"product_types": "nautilus_trader.adapters.hyperliquid.enums:HyperliquidProductType"},
)
