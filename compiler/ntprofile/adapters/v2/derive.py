"""Derive, new in 2.0: ``DeriveDataClientConfig`` / ``DeriveExecutionClientConfig``.

Market data is public; the exec client trades as ``wallet_address`` (public) and
signs with the ``session_key`` (secret); NautilusTrader reads
``DERIVE_WALLET_ADDRESS`` / ``DERIVE_SESSION_PRIVATE_KEY`` (``DERIVE_TESTNET_*`` on
testnet) when they are unset.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="derive",
    data=ClientSpec(f"{pkg('derive')}:DeriveDataClientConfig", f"{pkg('derive')}:DeriveDataClientFactory"),
    exec=ClientSpec(f"{pkg('derive')}:DeriveExecutionClientConfig", f"{pkg('derive')}:DeriveExecutionClientFactory"),
    venue="DERIVE",
    environment_field="environment",
    environment_enum=f"{pkg('derive')}:DeriveEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential(
            "wallet_address",
            secret=False,
            fallback={"mainnet": "DERIVE_WALLET_ADDRESS", "testnet": "DERIVE_TESTNET_WALLET_ADDRESS"},
        ),
        Credential(
            "session_key",
            fallback={"mainnet": "DERIVE_SESSION_PRIVATE_KEY", "testnet": "DERIVE_TESTNET_SESSION_PRIVATE_KEY"},
        ),
    ),
)
