"""OKX: ``adapter: okx`` -> ``OKXDataClientConfig`` / ``OKXExecClientConfig``.

OKX signs with a third credential, ``api_passphrase``; NautilusTrader reads
``OKX_API_KEY``, ``OKX_API_SECRET`` and ``OKX_API_PASSPHRASE`` when they are unset
(one set of names for live and demo).
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

_NAMES = {"mainnet": "OKX_{}", "demo": "OKX_{}"}

ADAPTER = Adapter(
    name="okx",
    data=ClientSpec(
        "nautilus_trader.adapters.okx.config:OKXDataClientConfig",
        "nautilus_trader.adapters.okx.factories:OKXLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.okx.config:OKXExecClientConfig",
        "nautilus_trader.adapters.okx.factories:OKXLiveExecClientFactory",
    ),
    venue="OKX",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:OKXEnvironment",
    environments={"mainnet": "LIVE", "demo": "DEMO"},
    credentials=tuple(
        Credential(name, fallback={env: form.format(name.upper()) for env, form in _NAMES.items()})
        for name in ("api_key", "api_secret", "api_passphrase")
    ),
    starter=Starter("OKX", "perpetual swaps (BTC-USDT-SWAP)", {"instrument_types": ["SWAP"]}),
)
