"""Databento on 2.0: ``DatabentoDataClientConfig`` (data only).

2.0's config requires ``api_key`` and ``publishers_filepath`` as constructor
arguments: ``DATABENTO_API_KEY`` no longer stands in for the key.
"""

import dataclasses

from ntprofile.adapters import ClientSpec, Credential, databento
from ntprofile.adapters.v2 import pkg

ADAPTER = dataclasses.replace(
    databento.ADAPTER,
    data=ClientSpec(
        f"{pkg('databento')}:DatabentoDataClientConfig", f"{pkg('databento')}:DatabentoDataClientFactory"
    ),
    credentials=(Credential("api_key", required=("data",)),),
)
