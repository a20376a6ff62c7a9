"""Tardis: ``adapter: tardis`` -> ``TardisDataClientConfig`` (market data only, no exec client).

The client reads from a Tardis Machine server and needs ``api_key`` for the
instrument metadata and ``base_url_ws``, the Tardis Machine's address
(NautilusTrader reads ``TARDIS_API_KEY`` and ``TARDIS_MACHINE_WS_URL`` when they are unset).
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="tardis",
    data=ClientSpec(
        "nautilus_trader.adapters.tardis.config:TardisDataClientConfig",
        "nautilus_trader.adapters.tardis.factories:TardisLiveDataClientFactory",
    ),
    exec=None,
    venue=None,  # instruments keep the venues of the exchanges Tardis records
    credentials=(
        Credential("api_key", required=("data",), fallback={"mainnet": "TARDIS_API_KEY"}),
        # not a secret, but the client fails to build without it just the same
        Credential("base_url_ws", secret=False, required=("data",), fallback={"mainnet": "TARDIS_MACHINE_WS_URL"}),
    ),
    # a Tardis Machine server listens on ws://localhost:8001 unless told otherwise
    starter=Starter(
        "Tardis",
        "market data from a Tardis Machine server (no exec client)",
        {"base_url_ws": "${TARDIS_MACHINE_WS_URL:-ws://localhost:8001}"},
    ),
)
