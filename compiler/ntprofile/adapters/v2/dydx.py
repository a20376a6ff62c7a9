"""dYdX v4 on 2.0: ``DydxDataClientConfig`` / ``DydxExecutionClientConfig``.

2.0 names the environment field ``network`` (``DydxNetwork``), where 1.x had
``environment``; the exec config requires ``account_id``.
"""

from ntprofile.adapters import ClientSpec, dydx
from ntprofile.adapters.v2 import pkg

ADAPTER = dydx.ADAPTER._replace(
    data=ClientSpec(f"{pkg('dydx')}:DydxDataClientConfig", f"{pkg('dydx')}:DydxDataClientFactory"),
    exec=ClientSpec(f"{pkg('dydx')}:DydxExecutionClientConfig", f"{pkg('dydx')}:DydxExecutionClientFactory"),
    environment_field="network",
    environment_enum=f"{pkg('dydx')}:DydxNetwork",
)
