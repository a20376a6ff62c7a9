"""Kraken on 2.0: ``KrakenDataClientConfig`` / ``KrakenExecutionClientConfig``.

2.0's exec config requires ``api_key`` and ``api_secret`` as constructor
arguments: no environment variable stands in for them there.
"""

from ntprofile.adapters import ClientSpec, Credential, kraken
from ntprofile.adapters.v2 import pkg

ADAPTER = kraken.ADAPTER._replace(
    data=ClientSpec(f"{pkg('kraken')}:KrakenDataClientConfig", f"{pkg('kraken')}:KrakenDataClientFactory"),
    exec=ClientSpec(f"{pkg('kraken')}:KrakenExecutionClientConfig", f"{pkg('kraken')}:KrakenExecutionClientFactory"),
    environment_enum=f"{pkg('kraken')}:KrakenEnvironment",
    credentials=(Credential("api_key"), Credential("api_secret")),
)
