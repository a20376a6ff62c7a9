"""Architect AX on 2.0: ``AxDataClientConfig`` / ``AxExecutionClientConfig`` (unset environment: SANDBOX, as 1.x)."""

from ntprofile.adapters import ClientSpec, architect_ax
from ntprofile.adapters.v2 import pkg

ADAPTER = architect_ax.ADAPTER._replace(
    data=ClientSpec(f"{pkg('architect_ax')}:AxDataClientConfig", f"{pkg('architect_ax')}:AxDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('architect_ax')}:AxExecutionClientConfig", f"{pkg('architect_ax')}:AxExecutionClientFactory"
    ),
    environment_enum=f"{pkg('architect_ax')}:AxEnvironment",
)
