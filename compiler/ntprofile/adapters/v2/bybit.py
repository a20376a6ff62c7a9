"""Bybit on 2.0: ``BybitDataClientConfig`` / ``BybitExecutionClientConfig``.

Same environments, credentials, hosts and ``product_types`` routing as 1.x; 2.0's
exec config has no ``position_mode`` (so P106/P112 have nothing to read).
"""

from ntprofile.adapters import ClientSpec, bybit
from ntprofile.adapters.v2 import pkg

ADAPTER = bybit.ADAPTER._replace(
    data=ClientSpec(f"{pkg('bybit')}:BybitDataClientConfig", f"{pkg('bybit')}:BybitDataClientFactory"),
    exec=ClientSpec(f"{pkg('bybit')}:BybitExecutionClientConfig", f"{pkg('bybit')}:BybitExecutionClientFactory"),
    environment_enum=f"{pkg('bybit')}:BybitEnvironment",
)
