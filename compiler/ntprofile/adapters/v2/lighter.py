"""Lighter, new in 2.0: ``LighterDataClientConfig`` / ``LighterExecutionClientConfig``.

The exec client signs with an API ``private_key`` (secret) of account
``account_index``; NautilusTrader reads ``LIGHTER_API_SECRET`` and
``LIGHTER_ACCOUNT_INDEX`` (``LIGHTER_TESTNET_*`` on testnet) when they are unset.
``deployment: ROBINHOOD`` serves the ``LIGHTER_ROBINHOOD`` venue; ``venue`` overrides it.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="lighter",
    data=ClientSpec(f"{pkg('lighter')}:LighterDataClientConfig", f"{pkg('lighter')}:LighterDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('lighter')}:LighterExecutionClientConfig", f"{pkg('lighter')}:LighterExecutionClientFactory"
    ),
    venue="LIGHTER",
    venue_field="venue",
    environment_field="environment",
    environment_enum=f"{pkg('lighter')}:LighterEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential("private_key", fallback={"mainnet": "LIGHTER_API_SECRET", "testnet": "LIGHTER_TESTNET_API_SECRET"}),
        Credential(
            "account_index",
            secret=False,
            fallback={"mainnet": "LIGHTER_ACCOUNT_INDEX", "testnet": "LIGHTER_TESTNET_ACCOUNT_INDEX"},
        ),
    ),
)
