"""OKX on 2.0: ``OKXDataClientConfig`` / ``OKXExecutionClientConfig`` (exec requires ``account_id``)."""

from ntprofile.adapters import ClientSpec, okx
from ntprofile.adapters.v2 import pkg

ADAPTER = okx.ADAPTER._replace(
    data=ClientSpec(f"{pkg('okx')}:OKXDataClientConfig", f"{pkg('okx')}:OKXDataClientFactory"),
    exec=ClientSpec(f"{pkg('okx')}:OKXExecutionClientConfig", f"{pkg('okx')}:OKXExecutionClientFactory"),
    environment_enum=f"{pkg('okx')}:OKXEnvironment",
)
