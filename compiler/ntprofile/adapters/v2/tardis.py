"""Tardis on 2.0: ``TardisDataClientConfig`` (data only).

2.0 names the Tardis Machine address ``tardis_ws_url`` (1.x: ``base_url_ws``);
NautilusTrader still reads ``TARDIS_MACHINE_WS_URL`` when it is unset.
"""

from ntprofile.adapters import ClientSpec, Credential, tardis
from ntprofile.adapters.v2 import pkg

ADAPTER = tardis.ADAPTER._replace(
    data=ClientSpec(f"{pkg('tardis')}:TardisDataClientConfig", f"{pkg('tardis')}:TardisDataClientFactory"),
    credentials=(
        Credential("api_key", required=("data",), fallback={"mainnet": "TARDIS_API_KEY"}),
        Credential("tardis_ws_url", secret=False, required=("data",), fallback={"mainnet": "TARDIS_MACHINE_WS_URL"}),
    ),
)
