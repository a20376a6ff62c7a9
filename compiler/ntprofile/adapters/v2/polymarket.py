"""Polymarket, an optional extra on 1.x and built in on 2.0:
``PolymarketDataClientConfig`` / ``PolymarketExecutionClientConfig``.

One environment (Polygon mainnet). The exec client signs with the wallet's
``private_key`` and authenticates with the CLOB API key, secret and passphrase;
NautilusTrader reads ``POLYMARKET_PK``, ``POLYMARKET_API_KEY``,
``POLYMARKET_API_SECRET``, ``POLYMARKET_PASSPHRASE`` and ``POLYMARKET_FUNDER`` when unset.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="polymarket",
    data=ClientSpec(
        f"{pkg('polymarket')}:PolymarketDataClientConfig", f"{pkg('polymarket')}:PolymarketDataClientFactory"
    ),
    exec=ClientSpec(
        f"{pkg('polymarket')}:PolymarketExecutionClientConfig",
        f"{pkg('polymarket')}:PolymarketExecutionClientFactory",
    ),
    venue="POLYMARKET",
    credentials=(
        Credential("private_key", fallback={"mainnet": "POLYMARKET_PK"}),
        Credential("api_key", fallback={"mainnet": "POLYMARKET_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "POLYMARKET_API_SECRET"}),
        Credential("passphrase", fallback={"mainnet": "POLYMARKET_PASSPHRASE"}),
        Credential("funder", secret=False, required=(), fallback={"mainnet": "POLYMARKET_FUNDER"}),
    ),
    nested={"instrument_config": f"{pkg('polymarket')}:PolymarketInstrumentProviderConfig"},
)
