"""Betfair, an optional extra on 1.x and built in on 2.0:
``BetfairDataClientConfig`` / ``BetfairExecutionClientConfig``.

One environment; both clients log in with ``username``, ``password`` and the
application key ``app_key`` (NautilusTrader reads ``BETFAIR_USERNAME``,
``BETFAIR_PASSWORD`` and ``BETFAIR_APP_KEY`` when they are unset).
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential
from ntprofile.adapters.v2 import pkg

_BOTH = ("data", "exec")

ADAPTER = Adapter(
    name="betfair",
    data=ClientSpec(f"{pkg('betfair')}:BetfairDataClientConfig", f"{pkg('betfair')}:BetfairDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('betfair')}:BetfairExecutionClientConfig", f"{pkg('betfair')}:BetfairExecutionClientFactory"
    ),
    venue="BETFAIR",
    credentials=(
        Credential("username", secret=False, required=_BOTH, fallback={"mainnet": "BETFAIR_USERNAME"}),
        Credential("password", required=_BOTH, fallback={"mainnet": "BETFAIR_PASSWORD"}),
        Credential("app_key", required=_BOTH, fallback={"mainnet": "BETFAIR_APP_KEY"}),
    ),
)
