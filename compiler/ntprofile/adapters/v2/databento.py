"""Databento on 2.0: ``DatabentoDataClientConfig`` (data only).

2.0's config requires ``api_key`` and ``publishers_filepath`` as constructor
arguments: ``DATABENTO_API_KEY`` no longer stands in for the key.
"""

from ntprofile.adapters import ClientSpec, Credential, databento
from ntprofile.adapters.v2 import pkg

ADAPTER = databento.ADAPTER._replace(
    data=ClientSpec(
        f"{pkg('databento')}:DatabentoDataClientConfig", f"{pkg('databento')}:DatabentoDataClientFactory"
    ),
    credentials=(Credential("api_key", required=("data",)),),
)
