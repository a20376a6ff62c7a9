"""Binance on 2.0: ``BinanceDataClientConfig`` / ``BinanceExecutionClientConfig``.

2.0 names the market a client trades ``product_type`` (``BinanceProductType``:
``SPOT``, ``MARGIN``, ``USD_M``, ``COIN_M``, ``OPTIONS``) where 1.x had
``account_type``; its exec config has no ``venue`` field and requires ``account_id``.
"""

from __future__ import annotations

from typing import Any, Mapping

from ntprofile.adapters import ClientSpec, binance
from ntprofile.adapters.v2 import pkg

ACCOUNT_OF = {"SPOT": "SPOT", "MARGIN": "MARGIN", "USD_M": "USDT_FUTURES", "COIN_M": "COIN_FUTURES"}
"""2.0's ``BinanceProductType`` -> the 1.x account type of the same market (OPTIONS has none)."""
DEFAULT_PRODUCT = "SPOT"  # what BinanceDataClientConfig().product_type reads

HOSTS: dict[str, frozenset[str]] = {
    "mainnet": binance.HOSTS["mainnet"]
    | {"eapi.binance.com", "stream-sbe.binance.com", "nbstream.binance.com", "ws-fapi.binance.com"},
    "testnet": binance.HOSTS["testnet"] | {"fstream.binancefuture.com"},
    "demo": binance.HOSTS["demo"],
}
"""1.x's hosts plus those 2.0's Rust URL helpers add (options, SBE and futures streams)."""


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a 2.0 Binance client with ``options`` cannot serve ``symbol`` (its ``product_type`` decides)."""
    product = options.get("product_type", DEFAULT_PRODUCT)
    if not isinstance(product, str) or "$" in product:
        return None
    account = ACCOUNT_OF.get(product.upper())
    if account is None:
        return None
    spelled = {old: new for new, old in ACCOUNT_OF.items()}
    return binance.account_problem(symbol, account, "product_type", spelled)


ADAPTER = binance.ADAPTER._replace(
    data=ClientSpec(f"{pkg('binance')}:BinanceDataClientConfig", f"{pkg('binance')}:BinanceDataClientFactory"),
    exec=ClientSpec(
        f"{pkg('binance')}:BinanceExecutionClientConfig", f"{pkg('binance')}:BinanceExecutionClientFactory"
    ),
    venue_field=None,
    environment_enum=f"{pkg('binance')}:BinanceEnvironment",
    nested={"instrument_provider": f"{pkg('binance')}:BinanceInstrumentProviderConfig"},
    hosts=HOSTS,
    product_problem=product_problem,
)
