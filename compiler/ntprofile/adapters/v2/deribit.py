"""Deribit on 2.0: ``DeribitDataClientConfig`` / ``DeribitExecutionClientConfig`` (exec requires ``account_id``)."""

from ntprofile.adapters import ClientSpec, deribit
from ntprofile.adapters.v2 import pkg

ADAPTER = deribit.ADAPTER._replace(
    data=ClientSpec(f"{pkg('deribit')}:DeribitDataClientConfig", f"{pkg('deribit')}:DeribitDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('deribit')}:DeribitExecutionClientConfig", f"{pkg('deribit')}:DeribitExecutionClientFactory"
    ),
    environment_enum=f"{pkg('deribit')}:DeribitEnvironment",
)
