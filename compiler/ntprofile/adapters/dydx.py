"""dYdX v4: ``adapter: dydx`` -> ``DydxDataClientConfig`` / ``DydxExecClientConfig``.

The exec client trades as ``wallet_address`` (public) and signs with its
``private_key`` (secret); NautilusTrader reads ``DYDX_WALLET_ADDRESS`` and
``DYDX_PRIVATE_KEY`` (``DYDX_TESTNET_*`` on testnet) when they are unset. The
key is 64 hexadecimal digits (``0x`` optional), held to that once resolved.
"""

from ntprofile.adapters import HEX_PRIVATE_KEY, Adapter, ClientSpec, Credential, CredentialForm, Starter

ADAPTER = Adapter(
    name="dydx",
    data=ClientSpec(
        "nautilus_trader.adapters.dydx.config:DydxDataClientConfig",
        "nautilus_trader.adapters.dydx.factories:DydxLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.dydx.config:DydxExecClientConfig",
        "nautilus_trader.adapters.dydx.factories:DydxLiveExecClientFactory",
    ),
    venue="DYDX",
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:DydxNetwork",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET"},
    credentials=(
        Credential(
            "wallet_address",
            secret=False,
            fallback={"mainnet": "DYDX_WALLET_ADDRESS", "testnet": "DYDX_TESTNET_WALLET_ADDRESS"},
        ),
        Credential(
            "private_key",
            fallback={"mainnet": "DYDX_PRIVATE_KEY", "testnet": "DYDX_TESTNET_PRIVATE_KEY"},
            # NautilusTrader's wallet takes fewer digits, as another key: orders would be signed by a stranger
            form=CredentialForm(
                HEX_PRIVATE_KEY,
                "a dYdX private key",
                "64 hexadecimal digits",
                prefix="0x",
                hint="is the variable truncated or quoted, or is it a mnemonic?",
            ),
        ),
    ),
    starter=Starter("dYdX", "perpetuals (BTC-USD-PERP), the only product dYdX v4 lists", paper_balance="10000 USDC"),
)


# ---------------------------------------------------------------- instruments
# dYdX v4 lists perpetual markets only; NautilusTrader names each by its ticker with
# -PERP (``BTC-USD-PERP``, crates/adapters/dydx/src/common/instrument_cache.rs).

from typing import Any, Mapping  # noqa: E402


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a dYdX client cannot serve ``symbol``: every dYdX instrument is a ``-PERP``."""
    if symbol.endswith("-PERP"):
        return None
    perp = f"{symbol}-PERP" if "-" in symbol else f"{symbol}-USD-PERP"
    return f"{symbol} is not a dYdX perpetual; dYdX v4 lists perpetuals only (such as BTC-USD-PERP)", f"write {perp}"


ADAPTER = ADAPTER._replace(product_problem=product_problem)
