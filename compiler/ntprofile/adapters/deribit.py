"""Deribit: ``adapter: deribit`` -> ``DeribitDataClientConfig`` / ``DeribitExecClientConfig``."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="deribit",
    data=ClientSpec(
        "nautilus_trader.adapters.deribit.config:DeribitDataClientConfig",
        "nautilus_trader.adapters.deribit.factories:DeribitLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.deribit.config:DeribitExecClientConfig",
        "nautilus_trader.adapters.deribit.factories:DeribitLiveExecClientFactory",
    ),
    venue="DERIBIT",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:DeribitEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "DERIBIT_API_KEY", "testnet": "DERIBIT_TESTNET_API_KEY"}),
        Credential("api_secret", fallback={"mainnet": "DERIBIT_API_SECRET", "testnet": "DERIBIT_TESTNET_API_SECRET"}),
    ),
    starter=Starter(
        "Deribit", "perpetuals and futures (BTC-PERPETUAL)", {"product_types": ["FUTURE"]}, paper_balance="1 BTC"
    ),
)


# ---------------------------------------------------------------- instruments
# NautilusTrader's Deribit symbol is Deribit's instrument_name, whose shape tells its kind
# (crates/adapters/deribit/test_data/http_get_instruments*.json): BTC-PERPETUAL and
# BTC-27DEC24 futures, BTC-27DEC24-100000-C options, BTC_USDC spot, BTC-FS-27DEC24_PERP
# future combos. Unset ``product_types`` asks Deribit for every kind.

import re  # noqa: E402
from typing import Any, Mapping  # noqa: E402

from ntprofile.adapters import chosen_products, listed  # noqa: E402

_DATE = re.compile(r"\d{1,2}[A-Z]{3}\d{2}")
KIND_NAMES = {"FUTURE": "future", "OPTION": "option", "SPOT": "spot", "FUTURE_COMBO": "future combo"}


def kind_of(symbol: str) -> str | None:
    """The ``DeribitProductType`` of ``symbol``; ``None`` when its shape tells nothing (option combos...)."""
    parts = symbol.split("-")
    if len(parts) == 1:
        return "SPOT" if "_" in symbol else None
    if parts[-1] == "PERPETUAL" and len(parts) == 2:
        return "FUTURE"
    if len(parts) == 2 and _DATE.fullmatch(parts[1]):
        return "FUTURE"
    if len(parts) == 4 and _DATE.fullmatch(parts[1]) and parts[3] in ("C", "P"):
        return "OPTION"
    if len(parts) == 3 and parts[1] == "FS":
        return "FUTURE_COMBO"
    return None


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Deribit client with ``options`` cannot serve ``symbol``: its ``product_types`` leave its kind out."""
    kind = kind_of(symbol)
    types = chosen_products(options, "product_types", None)
    if kind is None or types is None or kind in types:
        return None
    return (
        f"{symbol} is a Deribit {KIND_NAMES[kind]} and the client's product_types are {listed(types)}",
        f"add {kind} to the client's product_types",
    )


ADAPTER = ADAPTER._replace(product_problem=product_problem)
