"""Kraken: ``adapter: kraken`` -> ``KrakenDataClientConfig`` / ``KrakenExecClientConfig``.

NautilusTrader reads spot keys from ``KRAKEN_SPOT_*`` and futures keys from
``KRAKEN_FUTURES_*`` (``KRAKEN_FUTURES_DEMO_*`` on demo); Kraken Spot has no demo."""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="kraken",
    data=ClientSpec(
        "nautilus_trader.adapters.kraken.config:KrakenDataClientConfig",
        "nautilus_trader.adapters.kraken.factories:KrakenLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.kraken.config:KrakenExecClientConfig",
        "nautilus_trader.adapters.kraken.factories:KrakenLiveExecClientFactory",
    ),
    venue="KRAKEN",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:KrakenEnvironment",
    environments={"mainnet": "LIVE", "demo": "DEMO"},
    credentials=(
        Credential("api_key", fallback={"mainnet": "KRAKEN_SPOT_API_KEY", "demo": "KRAKEN_FUTURES_DEMO_API_KEY"}),
        Credential(
            "api_secret", fallback={"mainnet": "KRAKEN_SPOT_API_SECRET", "demo": "KRAKEN_FUTURES_DEMO_API_SECRET"}
        ),
    ),
    # Kraken Futures, the product with a demo environment to rehearse on (Kraken Spot has none)
    starter=Starter("Kraken", "Futures (PF_XBTUSD)", {"product_types": ["FUTURES"]}, paper_balance="10000 USD"),
)


# ---------------------------------------------------------------- instruments
# NautilusTrader's Kraken symbols: Kraken Futures' own (PF_XBTUSD, PI_XBTUSD,
# FI_XBTUSD_230929) and spot pairs by their WebSocket name (BTC/USD); the adapter tells
# the product by the prefix (``product_type_from_symbol``, crates/adapters/kraken/src/common/enums.rs).

from typing import Any, Mapping  # noqa: E402

from ntprofile.adapters import chosen_products, listed  # noqa: E402

FUTURES_PREFIXES = ("PI_", "PF_", "PV_", "FI_", "FF_")
DEFAULT_TYPES = ("SPOT",)
"""``KrakenDataClientConfig`` / ``KrakenExecClientConfig.product_types``: unset means ``(SPOT,)``."""


def product_of(symbol: str) -> str:
    return "FUTURES" if symbol.startswith(FUTURES_PREFIXES) else "SPOT"


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Kraken client with ``options`` cannot serve ``symbol``: its ``product_types`` leave it out."""
    product = product_of(symbol)
    types = chosen_products(options, "product_types", DEFAULT_TYPES)
    if types is None or product in types:
        return None
    what = "a Kraken Futures" if product == "FUTURES" else "a Kraken spot"
    unset = " (unset: NautilusTrader's default)" if options.get("product_types") is None else ""
    return (
        f"{symbol} is {what} symbol and the client's product_types are {listed(types)}{unset}",
        f"add {product} to the client's product_types",
    )


ADAPTER = ADAPTER._replace(product_problem=product_problem)
