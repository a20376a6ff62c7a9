"""Bybit: ``exchanges.<ID>`` with ``adapter: bybit`` -> Bybit data/exec client configs, and Bybit's own rules.

P106 (hedge mode) and P112 (``position_mode`` symbols) only make sense for Bybit,
so they live here and register with the policy like every other rule.
"""

from __future__ import annotations

from typing import Any, Iterator

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter, sections_of
from ntprofile.diagnostics.rules import Finding, rule
from ntprofile.language.tree import Path_
from ntprofile.layers import Merged

ADAPTER = Adapter(
    name="bybit",
    data=ClientSpec(
        "nautilus_trader.adapters.bybit.config:BybitDataClientConfig",
        "nautilus_trader.adapters.bybit.factories:BybitLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.bybit.config:BybitExecClientConfig",
        "nautilus_trader.adapters.bybit.factories:BybitLiveExecClientFactory",
    ),
    venue="BYBIT",  # BybitExecutionClient always registers BYBIT_VENUE; its config has no venue
    environment_field="environment",
    environment_enum="nautilus_trader.core.nautilus_pyo3:BybitEnvironment",
    environments={"mainnet": "MAINNET", "testnet": "TESTNET", "demo": "DEMO"},
    credentials=(
        Credential(
            "api_key",
            fallback={"mainnet": "BYBIT_API_KEY", "testnet": "BYBIT_TESTNET_API_KEY", "demo": "BYBIT_DEMO_API_KEY"},
        ),
        Credential(
            "api_secret",
            fallback={
                "mainnet": "BYBIT_API_SECRET",
                "testnet": "BYBIT_TESTNET_API_SECRET",
                "demo": "BYBIT_DEMO_API_SECRET",
            },
        ),
    ),
    starter=Starter(
        "Bybit",
        "USDT linear perpetuals in netting mode (MERGED_SINGLE, see P106)",
        {"product_types": ["LINEAR"], "instrument_provider": {"load_all": True}},
        {"position_mode": {"ETHUSDT-LINEAR": "MERGED_SINGLE", "BTCUSDT-LINEAR": "MERGED_SINGLE"}, "max_retries": 3},
    ),
)

SUFFIXES = ("-SPOT", "-LINEAR", "-INVERSE", "-OPTION")
"""NautilusTrader's Bybit symbols carry the product type (``BybitProductType``)."""

POSITION_MODE_SUFFIXES = ("-LINEAR", "-INVERSE")
"""The product types the Bybit exec client applies ``position_mode`` to (1.231
``_apply_position_mode_settings`` and ``_resolve_position_idx``); it skips the others."""


def _position_modes(merged: Merged) -> Iterator[tuple[Path_, str, Any]]:
    """``(path, symbol, mode)`` of every Bybit ``position_mode`` entry, as an option or under ``exec``."""
    for client_id, section in sections_of(merged, ADAPTER):
        places: list[tuple[Path_, Any]] = [(("exchanges", client_id, "position_mode"), section.get("position_mode"))]
        exec_section = section.get("exec")
        if isinstance(exec_section, dict):
            places.append((("exchanges", client_id, "exec", "position_mode"), exec_section.get("position_mode")))
        for base, modes in places:
            if isinstance(modes, dict):
                for symbol, mode in modes.items():
                    yield base + (symbol,), str(symbol), mode


def symbol_key(key: Any) -> str:
    """A ``position_mode`` key as the Bybit adapter matches it: the instrument symbol, upper case, no whitespace.

    The adapter looks the mode up by the exact ``InstrumentId.symbol`` (``XRPUSDT-LINEAR``):
    ``XRPUSDT-linear`` switches the account's mode but orders never find it, and a
    trailing space makes NautilusTrader's symbol parser panic.
    """
    return "".join(str(key).split()).upper()


def _mode_name(mode: Any) -> str:
    """``BOTH_SIDES`` for any spelling NautilusTrader accepts (name, any case, or the value 3)."""
    if isinstance(mode, int) and not isinstance(mode, bool):
        return {0: "MERGED_SINGLE", 3: "BOTH_SIDES"}.get(mode, str(mode))
    return str(mode).upper()


@rule("P106", None)
def bybit_hedge_mode(merged: Merged) -> Iterator[Finding]:
    """No Bybit hedge mode (``BOTH_SIDES``) in production; never for a symbol that is not ``-LINEAR``.

    Symbols are read as P112 reads them (``symbol_key``); keys the adapter skips
    (no suffix, ``-SPOT``, ``-OPTION``) are P112's alone.
    """
    for path, symbol, mode in _position_modes(merged):
        canonical = symbol_key(symbol)
        if _mode_name(mode) != "BOTH_SIDES" or not canonical.endswith(POSITION_MODE_SUFFIXES):
            continue
        if not canonical.endswith("-LINEAR"):
            yield Finding(
                path,
                "hedge mode (BOTH_SIDES) works only for USDT linear perpetuals",
                "use MERGED_SINGLE",
                any_target=True,
            )
        elif merged.stage == "production":
            yield Finding(
                path,
                "hedge mode (BOTH_SIDES) in production; these deployments run netting and strategies "
                "would have to set position_idx",
                "use MERGED_SINGLE",
            )
        else:
            yield Finding(
                path,
                "hedge mode (BOTH_SIDES) is an error in production; strategies must set position_idx",
                "use MERGED_SINGLE",
                severity="warning",
            )


@rule("P112", None)
def bybit_symbol_suffix(merged: Merged) -> Iterator[Finding]:
    """Bybit ``position_mode`` keys are exactly what the adapter matches, or it ignores them.

    That is the instrument symbol with its product suffix, upper case, without
    whitespace (``ETHUSDT-LINEAR``), of a ``-LINEAR`` or ``-INVERSE`` product.
    """
    for path, symbol, _mode in _position_modes(merged):
        canonical = symbol_key(symbol)
        if not canonical.endswith(SUFFIXES):
            yield Finding(
                path,
                f"'{symbol}' has no product suffix; the Bybit adapter silently ignores it",
                f"did you mean '{canonical}-LINEAR'?",
                any_target=True,
            )
        elif symbol != canonical:
            yield Finding(
                path,
                f"'{symbol}' is not an instrument symbol as the Bybit adapter matches it "
                "(upper case, no whitespace); orders would never find its mode",
                f"did you mean '{canonical}'?",
                any_target=True,
            )
        elif not canonical.endswith(POSITION_MODE_SUFFIXES):
            suffix = canonical.rsplit("-", 1)[-1]
            yield Finding(
                path,
                f"the Bybit adapter skips -{suffix} keys: position_mode applies to -LINEAR and -INVERSE symbols only",
                "remove it",
                any_target=True,
            )


# ---------------------------------------------------------------- instruments and hosts
# What the Bybit adapter knows of its symbols and hosts, read by the general
# routing and URL rules through ``ADAPTER.product_problem`` and ``ADAPTER.hosts``.

from typing import Mapping  # noqa: E402

PRODUCT_TYPES = tuple(s[1:] for s in SUFFIXES)
"""``BybitProductType`` members; a client without ``product_types`` serves all of them (``BYBIT_ALL_PRODUCTS``)."""

HOSTS: dict[str, frozenset[str]] = {
    "mainnet": frozenset({"api.bybit.com", "stream.bybit.com"}),
    "testnet": frozenset({"api-testnet.bybit.com", "stream-testnet.bybit.com"}),
    "demo": frozenset({"api-demo.bybit.com", "stream-demo.bybit.com", "stream.bybit.com"}),
}
"""Environment -> the hosts of NautilusTrader's ``get_bybit_http_base_url`` and ``get_bybit_ws_url_*``
(demo streams public and trade data from the mainnet host); tests/test_routing.py checks this table."""


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Bybit client with ``options`` cannot serve ``symbol``: no product suffix, or a product
    its ``product_types`` leave out."""
    if not symbol.upper().endswith(SUFFIXES):
        return f"{symbol} has no Bybit product suffix, so no instrument matches it", f"write {symbol}-LINEAR"
    product = symbol.rsplit("-", 1)[-1].upper()
    types = options.get("product_types")
    if not isinstance(types, list) or any(not isinstance(t, str) or "$" in t for t in types):
        return None  # unset: every product; a placeholder cannot be told
    if product not in {t.upper() for t in types}:
        listed = ", ".join(str(t) for t in types) or "none"
        return (
            f"{symbol} is a {product} product and the client's product_types are [{listed}]",
            f"add {product} to the client's product_types",
        )
    return None


ADAPTER = ADAPTER._replace(hosts=HOSTS, product_problem=product_problem)
