"""CoinAPI, new in 2.0: ``CoinApiDataClientConfig`` (market data only, one environment).

NautilusTrader reads ``COINAPI_API_KEY`` when ``api_key`` is unset.
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

ADAPTER = Adapter(
    name="coinapi",
    data=ClientSpec(f"{pkg('coinapi')}:CoinApiDataClientConfig", f"{pkg('coinapi')}:CoinApiDataClientFactory"),
    exec=None,
    venue=None,  # instruments keep the venues of the exchanges CoinAPI aggregates
    credentials=(Credential("api_key", required=("data",), fallback={"mainnet": "COINAPI_API_KEY"}),),
)
