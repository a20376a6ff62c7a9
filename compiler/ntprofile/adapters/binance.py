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


LINEAR_QUOTES = ("USDT", "BUSD", "TUSD", "FDUSD", "USDC", "DAI")
"""Quotes of USDT-margined (linear) contracts, with NautilusTrader's length guard for ``...USD`` quotes
(``binance.common.symbol._LINEAR_QUOTES``: ``BNBUSD`` is coin-margined, not ``BNB`` + ``BUSD``)."""

PRODUCT_NAMES = {"spot": "spot", "USDT_FUTURES": "USDT-margined futures", "COIN_FUTURES": "coin-margined futures"}


def _base(symbol: str) -> str | None:
    """The contract's base + quote (``BTCUSDT``) of a futures symbol; ``None`` for a spot symbol.

    NautilusTrader (``BinanceSymbol.parse_as_nautilus``) writes perpetuals ``BTCUSDT-PERP`` and
    ``BTCUSD-PERP`` (coin-margined), deliveries as Binance does (``BTCUSDT_250328``, ``BTCUSD_250328``).
    """
    if symbol.endswith("-PERP"):
        return symbol[: -len("-PERP")]
    if "_" in symbol:
        return symbol.split("_", 1)[0]
    return None


def _linear(base: str) -> bool:
    return any(base.endswith(q) and (not q.endswith("USD") or len(base) > len(q) + 2) for q in LINEAR_QUOTES)


def product_of(symbol: str) -> str:
    """``spot``, ``USDT_FUTURES`` or ``COIN_FUTURES``: the account type whose client has ``symbol``."""
    base = _base(symbol)
    if base is None:
        return "spot"
    return "USDT_FUTURES" if _linear(base) else "COIN_FUTURES"


def _perpetual(symbol: str, account: str) -> str:
    """``symbol``'s perpetual as a client of ``account`` names it (``BTCUSD-PERP`` -> ``BTCUSDT-PERP``)."""
    base = _base(symbol) or symbol
    if account == "COIN_FUTURES":
        quote = next((q for q in LINEAR_QUOTES if base.endswith(q)), None)
        base = base[: -len(quote)] + "USD" if quote else base
    elif account == "USDT_FUTURES" and not _linear(base):
        base = base + "T" if base.endswith("USD") else base
    return f"{base}-PERP"


def product_problem(symbol: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a Binance client with ``options`` cannot serve ``symbol`` (its ``account_type`` decides)."""
    account = options.get("account_type", DEFAULT_ACCOUNT)
    if not isinstance(account, str) or "$" in account:
        return None
    return account_problem(symbol, account.upper(), "account_type", {})


def account_problem(
    symbol: str, account: str, field: str, spelled: Mapping[str, str]
) -> tuple[str, str] | None:
    """Why a client whose market is ``account`` (1.x's ``BinanceAccountType`` member) cannot serve ``symbol``.

    ``field`` and ``spelled`` (account type -> the profile's word for it) say it in the
    release's own names: 2.0 calls the option ``product_type`` and USDT futures ``USD_M``.
    """
    if symbol.endswith("_PERP"):  # Binance's own coin-margined perpetual, which NautilusTrader renames
        fixed = symbol.replace("_PERP", "-PERP")
        return f"{symbol} is Binance's own symbol; NautilusTrader names that perpetual {fixed}", f"write {fixed}"
    shown = spelled.get(account, account)
    product = product_of(symbol)
    if account in SPOT_ACCOUNTS:
        if product == "spot":
            return None
        return (
            f"{symbol} is a {PRODUCT_NAMES[product]} symbol and the client's {field} {shown} trades spot",
            f"use a client with {field}: {spelled.get(product, product)}",
        )
    if account not in FUTURES_ACCOUNTS or product == account:
        return None
    if product == "spot":
        return (
            f"{symbol} is a spot symbol and the client's {field} {shown} trades {PRODUCT_NAMES[account]} "
            f"(its perpetual is {_perpetual(symbol, account)})",
            "use a spot client",
        )
    return (
        f"{symbol} is a {PRODUCT_NAMES[product]} symbol and the client's {field} {shown} trades "
        f"{PRODUCT_NAMES[account]} (there its perpetual is {_perpetual(symbol, account)})",
        f"use a client with {field}: {spelled.get(product, product)}",
    )


ADAPTER = ADAPTER._replace(hosts=HOSTS, product_problem=product_problem)
