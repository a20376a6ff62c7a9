"""Hyperliquid: ``adapter: hyperliquid`` -> ``HyperliquidDataClientConfig`` / ``HyperliquidExecClientConfig``.

Market data is public; the exec client signs with the wallet's ``private_key``
(a secret like ``api_secret``; 64 hexadecimal digits, ``0x`` optional), read
from ``HYPERLIQUID_PK`` (testnet: ``HYPERLIQUID_TESTNET_PK``) when unset. ``product_types`` is a Python enum decoded
by value (``perp``); profiles write the member name (``PERP``).
"""

from ntprofile.adapters import HEX_PRIVATE_KEY, Adapter, ClientSpec, Credential, CredentialForm, Starter

ADAPTER = Adapter(
    name="hyperliquid",
    data=ClientSpec(
        "nautilus_trader.adapters.hyperliquid.config:HyperliquidDataClientConfig",
        "nautilus_trader.adapters.hyperliquid.factories:HyperliquidLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.hyperliquid.config:HyperliquidExecClientConfig",
        "nautilus_trader.adapters.hyperliquid.factories:HyperliquidLiveExecClientFactory",
    ),
    venue="HYPERLIQUID",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:HyperliquidEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential(
            "private_key",
            fallback={"mainnet": "HYPERLIQUID_PK", "testnet": "HYPERLIQUID_TESTNET_PK"},
            # NautilusTrader's signer refuses anything else ("EVM private key must be 32 bytes (64 hex chars)")
            form=CredentialForm(HEX_PRIVATE_KEY, "an EVM private key", "64 hexadecimal digits", prefix="0x"),
        ),
        Credential(
            "vault_address",
            secret=False,
            required=(),
            fallback={"mainnet": "HYPERLIQUID_VAULT", "testnet": "HYPERLIQUID_TESTNET_VAULT"},
        ),
    ),
    enum_values={"product_types": "nautilus_trader.adapters.hyperliquid.enums:HyperliquidProductType"},
    starter=Starter(
        "Hyperliquid", "perpetuals (BTC-USD-PERP)", {"product_types": ["PERP"]}, paper_balance="10000 USDC"
    ),
)


# ---------------------------------------------------------------- instruments
# NautilusTrader's Hyperliquid symbols carry the product (``HyperliquidProductType::from_symbol``):
# BTC-USD-PERP, HYPE-USDC-SPOT, 25-YES-OUTCOME; a builder-deployed (HIP-3) perpetual has the
# dex before a colon (the provider's ``_instrument_product_type``). Unset ``product_types`` loads
# ``DEFAULT_PRODUCT_TYPES`` (SPOT and PERP).

from typing import Any, Mapping  # noqa: E402

from ntprofile.adapters import chosen_products, listed  # noqa: E402

DEFAULT_TYPES = ("SPOT", "PERP")
SUFFIXES = ("-PERP", "-SPOT", "-OUTCOME")


def product_of(symbol: str) -> str | None:
    """The ``product_types`` member that lists ``symbol``; ``None`` for a symbol of no Hyperliquid form."""
    if symbol.endswith("-PERP"):
        return "PERP_HIP3" if ":" in symbol else "PERP"
    if symbol.endswith("-SPOT"):
        return "SPOT"
    if symbol.endswith("-OUTCOME"):
        return "OUTCOME"
    return None


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Hyperliquid client with ``options`` cannot serve ``symbol``: no product suffix, or a product
    its ``product_types`` leave out."""
    product = product_of(symbol)
    if product is None:
        perp = f"{symbol}-PERP" if "-" in symbol else f"{symbol}-USD-PERP"
        return (
            f"{symbol} has no Hyperliquid product suffix (-PERP, -SPOT), so no instrument matches it",
            f"write {perp}",
        )
    types = chosen_products(options, "product_types", DEFAULT_TYPES)
    if types is None or product in types:
        return None
    unset = " (unset: NautilusTrader's default)" if options.get("product_types") is None else ""
    return (
        f"{symbol} is a {product} product and the client's product_types are {listed(types)}{unset}",
        f"add {product} to the client's product_types",
    )


ADAPTER = ADAPTER._replace(product_problem=product_problem)
