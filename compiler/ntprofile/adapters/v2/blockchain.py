"""Blockchain (on-chain DEX data), new in 2.0: ``BlockchainDataClientConfig`` (data only: 2.0.0rc7 ships
an exec config but no exec client factory).

The chain is the environment (``chain``, with ``dex_ids`` and ``http_rpc_url``,
all required); no credential is a field (an RPC key, if any, is part of the URL).
"""

from ntprofile.adapters import Adapter, ClientSpec
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="blockchain",
    data=ClientSpec(
        f"{pkg('blockchain')}:BlockchainDataClientConfig", f"{pkg('blockchain')}:BlockchainDataClientFactory"
    ),
    exec=None,
    venue=None,  # each DEX pool is its own venue
)
