"""Coinbase (Advanced Trade), new in 2.0: ``CoinbaseDataClientConfig`` / ``CoinbaseExecutionClientConfig``.

``CoinbaseEnvironment`` has ``LIVE`` and ``SANDBOX``; unset is ``LIVE``. NautilusTrader
reads ``COINBASE_API_KEY`` / ``COINBASE_API_SECRET`` when the fields are unset.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="coinbase",
    data=ClientSpec(f"{pkg('coinbase')}:CoinbaseDataClientConfig", f"{pkg('coinbase')}:CoinbaseDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('coinbase')}:CoinbaseExecutionClientConfig", f"{pkg('coinbase')}:CoinbaseExecutionClientFactory"
    ),
    venue="COINBASE",
    environment_field="environment",
    environment_enum=f"{pkg('coinbase')}:CoinbaseEnvironment",
    environments={"mainnet": "LIVE", "testnet": "SANDBOX"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "COINBASE_API_KEY", "testnet": "COINBASE_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "COINBASE_API_SECRET", "testnet": "COINBASE_API_SECRET"}),
    ),
)
