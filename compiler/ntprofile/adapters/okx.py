"""OKX: ``adapter: okx`` -> ``OKXDataClientConfig`` / ``OKXExecClientConfig``.

OKX signs with a third credential, ``api_passphrase``; NautilusTrader reads
``OKX_API_KEY``, ``OKX_API_SECRET`` and ``OKX_API_PASSPHRASE`` when they are unset
(one set of names for live and demo), for the data client as for the exec client.
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
    # 1.231's OKX data client signs too: without the three it does not build ("environment variable
    # 'OKX_API_KEY' must be set"), so market data needs a key (a read-only one will do)
    credentials=tuple(
        Credential(
            name, required=("data", "exec"), fallback={env: form.format(name.upper()) for env, form in _NAMES.items()}
        )
        for name in ("api_key", "api_secret", "api_passphrase")
    ),
    starter=Starter("OKX", "perpetual swaps (BTC-USDT-SWAP)", {"instrument_types": ["SWAP"]}),
)


# ---------------------------------------------------------------- instruments
# NautilusTrader's OKX symbol is OKX's own instId (``parse_instrument_id``), and the
# adapter tells its instrument type by the symbol's shape (``okx_instrument_type_from_symbol``
# in crates/adapters/okx/src/common/parse.rs): BTC-USDT spot or margin, BTC-USDT-SWAP,
# BTC-USD-250328 futures, BTC-USD-250328-50000-C options.

import re  # noqa: E402
from typing import Any, Mapping  # noqa: E402

from ntprofile.adapters import chosen_products, listed  # noqa: E402

DEFAULT_TYPES = ("SPOT",)
"""``OKXDataClientConfig`` / ``OKXExecClientConfig.instrument_types`` default."""

KIND_NAMES = {"SPOT": "spot", "SWAP": "perpetual swap", "FUTURES": "futures", "OPTION": "option"}


def kinds_of(symbol: str) -> tuple[str, ...] | None:
    """The ``instrument_types`` that list ``symbol``; ``None`` when its shape tells nothing."""
    parts = symbol.split("-")
    if len(parts) == 2:
        return ("SPOT", "MARGIN")  # one instId for both (BTC-USDT)
    if len(parts) == 3 and parts[2] == "SWAP":
        return ("SWAP",)
    if len(parts) == 3 and re.fullmatch(r"\d{6}", parts[2]):
        return ("FUTURES",)
    if len(parts) == 5 and parts[4] in ("C", "P"):
        return ("OPTION",)
    return None


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why an OKX client with ``options`` cannot serve ``symbol``: its ``instrument_types`` leave it out."""
    kinds = kinds_of(symbol)
    types = chosen_products(options, "instrument_types", DEFAULT_TYPES)
    if kinds is None or types is None or "ANY" in types or set(kinds) & set(types):
        return None
    kind = KIND_NAMES[kinds[0]]
    unset = " (unset: NautilusTrader's default)" if options.get("instrument_types") is None else ""
    message = f"{symbol} is an OKX {kind} instrument and the client's instrument_types are {listed(types)}{unset}"
    if kinds[0] == "SPOT" and "SWAP" in types:
        message += f"; its perpetual swap is {symbol}-SWAP"
    return message, f"add {kinds[0]} to the client's instrument_types"


ADAPTER = ADAPTER._replace(product_problem=product_problem)
