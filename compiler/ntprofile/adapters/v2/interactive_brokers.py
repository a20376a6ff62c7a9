"""Interactive Brokers, an optional extra on 1.x and built in on 2.0:
``InteractiveBrokersDataClientConfig`` / ``InteractiveBrokersExecutionClientConfig``.

The clients talk to a TWS or IB Gateway at ``host``:``port``; paper or live is
the gateway's login, not a config field, so the profile has no environment and
an exec client counts as real money. No credential is a client field (the
gateway's login lives in ``dockerized_gateway``).
"""

from ntprofile.adapters import Adapter, ClientSpec
from ntprofile.adapters.v2 import pkg

_PKG = pkg("interactive_brokers")

ADAPTER = Adapter(
    name="interactive_brokers",
    data=ClientSpec(f"{_PKG}:InteractiveBrokersDataClientConfig", f"{_PKG}:InteractiveBrokersDataClientFactory"),
    exec=ClientSpec(
        f"{_PKG}:InteractiveBrokersExecutionClientConfig", f"{_PKG}:InteractiveBrokersExecutionClientFactory"
    ),
    venue=None,  # instruments keep their exchanges' venues
    nested={"instrument_provider": f"{_PKG}:InteractiveBrokersInstrumentProviderConfig"},
)
