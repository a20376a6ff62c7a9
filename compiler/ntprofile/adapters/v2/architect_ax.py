"""Architect AX on 2.0: ``AxDataClientConfig`` / ``AxExecutionClientConfig`` (unset environment: SANDBOX, as 1.x)."""

import dataclasses

from ntprofile.adapters import ClientSpec, architect_ax
from ntprofile.adapters.v2 import pkg

ADAPTER = dataclasses.replace(
    architect_ax.ADAPTER,
    data=ClientSpec(f"{pkg('architect_ax')}:AxDataClientConfig", f"{pkg('architect_ax')}:AxDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('architect_ax')}:AxExecutionClientConfig", f"{pkg('architect_ax')}:AxExecutionClientFactory"
    ),
    environment_enum=f"{pkg('architect_ax')}:AxEnvironment",
)
