"""Hyperliquid on 2.0: ``HyperliquidDataClientConfig`` / ``HyperliquidExecutionClientConfig``.

2.0's configs have no ``product_types``, so no value-decoded enum is left.
"""

from ntprofile.adapters import ClientSpec, hyperliquid
from ntprofile.adapters.v2 import pkg

ADAPTER = hyperliquid.ADAPTER._replace(
    data=ClientSpec(
        f"{pkg('hyperliquid')}:HyperliquidDataClientConfig", f"{pkg('hyperliquid')}:HyperliquidDataClientFactory"
    ),
    exec=ClientSpec(
        f"{pkg('hyperliquid')}:HyperliquidExecutionClientConfig",
        f"{pkg('hyperliquid')}:HyperliquidExecutionClientFactory",
    ),
    environment_enum=f"{pkg('hyperliquid')}:HyperliquidEnvironment",
    enum_values={},
)
