"""Binance: ``exchanges.<ID>`` with ``adapter: binance`` -> Binance data/exec client configs.

Several Binance clients on one node (spot and futures) are separate sections
with their own client ids and ``venue`` (``BINANCE_SPOT``, ``BINANCE_FUTURES``).
"""

from ntprofile.adapters import Adapter, ClientSpec, Credential, Starter

ADAPTER = Adapter(
    name="binance",
    data=ClientSpec(
        "nautilus_trader.adapters.binance.config:BinanceDataClientConfig",
        "nautilus_trader.adapters.binance.factories:BinanceLiveDataClientFactory",
    ),
    exec=ClientSpec(
        "nautilus_trader.adapters.binance.config:BinanceExecClientConfig",
        "nautilus_trader.adapters.binance.factories:BinanceLiveExecClientFactory",
    ),
    venue="BINANCE",  # BinanceExecClientConfig.venue defaults to BINANCE_VENUE
    venue_field="venue",
    environment_field="environment",
    environment_enum="nautilus_trader.adapters.binance.common.enums:BinanceEnvironment",
    environments={"mainnet": "LIVE", "testnet": "TESTNET", "demo": "DEMO"},
    # binance.common.credentials: spot names (futures testnet reads BINANCE_FUTURES_TESTNET_*)
    credentials=(
        Credential(
            "api_key",
            fallback={
                "mainnet": "BINANCE_API_KEY",
                "testnet": "BINANCE_TESTNET_API_KEY",
                "demo": "BINANCE_DEMO_API_KEY",
            },
        ),
        Credential(
            "api_secret",
            fallback={
                "mainnet": "BINANCE_API_SECRET",
                "testnet": "BINANCE_TESTNET_API_SECRET",
                "demo": "BINANCE_DEMO_API_SECRET",
            },
        ),
    ),
    nested={"instrument_provider": "nautilus_trader.adapters.binance.config:BinanceInstrumentProviderConfig"},
    starter=Starter(
        "Binance",
        "USDT-margined futures",
        {"account_type": "USDT_FUTURES", "instrument_provider": {"load_all": True}},
        {"use_reduce_only": True, "use_position_ids": True, "recv_window_ms": 5000, "max_retries": 3},
    ),
)


# ---------------------------------------------------------------- instruments and hosts
# What the Binance adapter knows of its symbols and hosts, read by the general
# routing and URL rules through ``ADAPTER.product_problem`` and ``ADAPTER.hosts``.

import dataclasses  # noqa: E402
from typing import Any, Mapping  # noqa: E402

SPOT_ACCOUNTS = frozenset({"SPOT", "MARGIN", "ISOLATED_MARGIN"})
"""``BinanceAccountType`` members whose clients trade spot symbols (``is_spot_or_margin``)."""
FUTURES_ACCOUNTS = frozenset({"USDT_FUTURES", "COIN_FUTURES"})
DEFAULT_ACCOUNT = "SPOT"  # BinanceDataClientConfig / BinanceExecClientConfig.account_type default

HOSTS: dict[str, frozenset[str]] = {
    "mainnet": frozenset(
        {
            *(f"{sub}.binance.{tld}" for tld in ("com", "us") for sub in ("api", "sapi", "fapi", "dapi")),
            *(f"{sub}.binance.{tld}" for tld in ("com", "us") for sub in ("stream", "fstream", "dstream")),
            *(f"{sub}.binance.{tld}" for tld in ("com", "us") for sub in ("ws-api", "ws-fapi", "ws-dapi")),
        }
    ),
    "testnet": frozenset(
        {
            "testnet.binance.vision",
            "stream.testnet.binance.vision",
            "ws-api.testnet.binance.vision",
            "demo-fapi.binance.com",
            "testnet.binancefuture.com",
            "stream.binancefuture.com",
            "dstream.binancefuture.com",
        }
    ),
    "demo": frozenset(
        {
            "demo-api.binance.com",
            "demo-fapi.binance.com",
            "demo-dapi.binance.com",
            "demo-stream.binance.com",
            "demo-fstream.binance.com",
            "demo-dstream.binance.com",
            "demo-ws-api.binance.com",
            "testnet.binancefuture.com",
        }
    ),
}
"""Environment -> the hosts of ``nautilus_trader.adapters.binance.common.urls`` (``get_http_base_url``,
``get_ws_base_url``, ``get_ws_api_base_url``, public/private streams) for every account type and ``us``;
tests/test_routing.py checks this table against those helpers."""


def _is_future(symbol: str) -> bool:
    """``BTCUSDT-PERP`` (perpetual) or ``BTCUSDT_250328`` (delivery): NautilusTrader's Binance futures symbols."""
    return symbol.endswith("-PERP") or "_" in symbol


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Binance client with ``options`` cannot serve ``symbol`` (its ``account_type`` decides)."""
    account = options.get("account_type", DEFAULT_ACCOUNT)
    if not isinstance(account, str) or "$" in account:
        return None
    account = account.upper()
    if account in SPOT_ACCOUNTS and _is_future(symbol):
        return f"{symbol} is a futures symbol and the client's account_type {account} trades spot", "a futures client"
    if account in FUTURES_ACCOUNTS and not _is_future(symbol):
        return (
            f"{symbol} is a spot symbol and the client's account_type {account} trades futures "
            f"(perpetuals are {symbol}-PERP)",
            "a spot client",
        )
    return None


ADAPTER = dataclasses.replace(ADAPTER, hosts=HOSTS, product_problem=product_problem)
