"""P122 for every venue whose symbols tell the product: a wrong-product symbol at its file:line, a right one clean.

The symbol forms are NautilusTrader's own, read from its adapters, not from memory:
- Binance: ``BinanceSymbol.parse_as_nautilus`` of the installed 1.231 adapter (checked below against the
  installed code): ``BTCUSDT-PERP`` (USDT-margined), ``BTCUSD-PERP`` (coin-margined), deliveries
  ``BTCUSDT_250328`` / ``BTCUSD_250328``; ``BTCUSD_PERP`` is Binance's own spelling.
- OKX: the instId (crates/adapters/okx/test_data/http_get_instruments_{spot,margin,swap,futures,option}.json:
  ``BTC-USDT``, ``BTC-USDT-SWAP``, ``BTC-USD-250328``, ``BTC-USD-241217-92000-C``), typed by
  ``okx_instrument_type_from_symbol`` (crates/adapters/okx/src/common/parse.rs).
- Kraken: ``PF_ETHUSD``/``PI_XBTUSD`` (test_data/http_futures_instruments.json), spot ``BTC/USD``
  (``normalize_spot_symbol`` tests), told apart by ``product_type_from_symbol``.
- Hyperliquid: ``BTC-USD-PERP``, ``HYPE-USDC-SPOT`` (``HyperliquidProductType::from_symbol`` tests); HIP-3
  perpetuals carry ``dex:`` (the installed provider's ``_instrument_product_type``).
- dYdX: ``BTC-USD-PERP`` (crates/adapters/dydx/src/common/instrument_cache.rs).
- Deribit: instrument_name (test_data/http_get_instruments.json: ``BTC-PERPETUAL``, ``BTC-27DEC24``,
  ``BTC-27DEC24-100000-C``).
- Bybit: the product suffix (``BTCUSDT-LINEAR``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from ntprofile.adapters import ADAPTERS

TARGET = """\
extends: [env/testnet]
profile: {{description: product routing}}
node: {{trader_id: TEST-ROUTE-001}}
exchanges:
  {client}:
    adapter: {adapter}
{options}
strategies:
  s:
    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
    config:
      instrument_id: {symbol}.{venue}
      bar_type: {symbol}.{venue}-1-MINUTE-LAST-EXTERNAL
      trade_size: "0.01"
"""

CASES = [
    # adapter, options, wrong symbol, right symbol, words of the message, hint
    (
        "okx",
        {"instrument_types": "[SWAP]"},
        "BTC-USDT",
        "BTC-USDT-SWAP",
        "BTC-USDT is an OKX spot instrument and the client's instrument_types are [SWAP]; its perpetual swap is "
        "BTC-USDT-SWAP",
        "add SPOT to the client's instrument_types",
    ),
    (
        "okx",
        {},
        "BTC-USDT-SWAP",
        "BTC-USDT",
        "OKX perpetual swap instrument and the client's instrument_types are [SPOT] (unset: NautilusTrader's default)",
        "add SWAP to the client's instrument_types",
    ),
    (
        "okx",
        {"instrument_types": "[SWAP]"},
        "BTC-USD-250328",
        "ETH-USDT-SWAP",
        "OKX futures instrument",
        "add FUTURES to the client's instrument_types",
    ),
    (
        "okx",
        {"instrument_types": "[SWAP, FUTURES]"},
        "BTC-USD-250328-50000-C",
        "BTC-USD-250328",
        "OKX option instrument",
        "add OPTION to the client's instrument_types",
    ),
    (
        "okx",
        {"instrument_types": "[MARGIN]"},
        "BTC-USDT-SWAP",
        "BTC-USDT",
        "perpetual swap",
        "add SWAP to the client's instrument_types",
    ),
    (
        "kraken",
        {"product_types": "[FUTURES]"},
        "BTC/USD",
        "PF_XBTUSD",
        "BTC/USD is a Kraken spot symbol and the client's product_types are [FUTURES]",
        "add SPOT to the client's product_types",
    ),
    (
        "kraken",
        {},
        "PI_XBTUSD",
        "BTC/USD",
        "Kraken Futures symbol and the client's product_types are [SPOT] (unset",
        "add FUTURES to the client's product_types",
    ),
    (
        "hyperliquid",
        {"product_types": "[PERP]"},
        "HYPE-USDC-SPOT",
        "BTC-USD-PERP",
        "HYPE-USDC-SPOT is a SPOT product and the client's product_types are [PERP]",
        "add SPOT to the client's product_types",
    ),
    ("hyperliquid", {}, "BTC-USD", "HYPE-USDC-SPOT", "BTC-USD has no Hyperliquid product suffix", "write BTC-USD-PERP"),
    (
        "hyperliquid",
        {},
        "xyz:TSLA-USD-PERP",
        "BTC-USD-PERP",
        "PERP_HIP3 product",
        "add PERP_HIP3 to the client's product_types",
    ),
    (
        "dydx",
        {},
        "ETH-USD",
        "ETH-USD-PERP",
        "ETH-USD is not a dYdX perpetual; dYdX v4 lists perpetuals only",
        "write ETH-USD-PERP",
    ),
    (
        "deribit",
        {"product_types": "[FUTURE]"},
        "BTC-27DEC24-100000-C",
        "BTC-PERPETUAL",
        "BTC-27DEC24-100000-C is a Deribit option and the client's product_types are [FUTURE]",
        "add OPTION to the client's product_types",
    ),
    (
        "deribit",
        {"product_types": "[OPTION]"},
        "BTC-27DEC24",
        "BTC-27DEC24-100000-P",
        "Deribit future",
        "add FUTURE to the client's product_types",
    ),
    (
        "binance",
        {"account_type": "USDT_FUTURES"},
        "BTCUSD-PERP",
        "BTCUSDT-PERP",
        "BTCUSD-PERP is a coin-margined futures symbol and the client's account_type USDT_FUTURES trades "
        "USDT-margined futures (there its perpetual is BTCUSDT-PERP)",
        "use a client with account_type: COIN_FUTURES",
    ),
    (
        "binance",
        {"account_type": "COIN_FUTURES"},
        "ETHUSDT-PERP",
        "ETHUSD-PERP",
        "USDT-margined futures symbol and the client's account_type COIN_FUTURES trades coin-margined futures "
        "(there its perpetual is ETHUSD-PERP)",
        "use a client with account_type: USDT_FUTURES",
    ),
    (
        "binance",
        {"account_type": "COIN_FUTURES"},
        "BTCUSD_PERP",
        "BTCUSD_250328",
        "BTCUSD_PERP is Binance's own symbol; NautilusTrader names that perpetual BTCUSD-PERP",
        "write BTCUSD-PERP",
    ),
    (
        "binance",
        {"account_type": "USDT_FUTURES"},
        "BTCUSDT",
        "BTCUSDT_250328",
        "BTCUSDT is a spot symbol",
        "use a spot client",
    ),
    (
        "binance",
        {},
        "BTCUSD_250328",
        "BTCUSDT",
        "coin-margined futures symbol and the client's account_type SPOT",
        "use a client with account_type: COIN_FUTURES",
    ),
    (
        "bybit",
        {"product_types": "[LINEAR]"},
        "BTCUSDT-SPOT",
        "BTCUSDT-LINEAR",
        "SPOT product",
        "add SPOT to the client's product_types",
    ),
    ("bybit", {}, "BTCUSDT", "BTCUSDT-INVERSE", "no Bybit product suffix", "write BTCUSDT-LINEAR"),
]

SILENT = {"bitmex", "architect_ax", "databento", "tardis"}
"""Venues whose clients serve every product (BitMEX loads all its instruments; AX lists one kind) or that
serve other venues' instruments (Databento, Tardis): the venues guide says product routing leaves them silent."""


def target(adapter: str, options: dict[str, str], symbol: str) -> str:
    record = ADAPTERS[adapter]
    lines = "\n".join(f"    {k}: {v}" for k, v in options.items()) or "    enabled: true"
    return TARGET.format(
        client=adapter.upper(), adapter=adapter, options=lines, symbol=symbol, venue=record.venue or "X"
    )


def p122(tmp_path: Path, cli, text: str) -> list[dict]:
    (tmp_path / "profiles").mkdir(exist_ok=True)
    (tmp_path / "profiles" / "route.yaml").write_text(text)
    if not (tmp_path / "profiles" / "env").exists():
        import shutil

        shutil.copytree(REPO / "profiles" / "env", tmp_path / "profiles" / "env")
        (tmp_path / "profiles" / "base.yaml").write_text((REPO / "profiles" / "base.yaml").read_text())
    result = cli("validate", "route", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.output
    return [d for d in json.loads(result.stdout) if d["code"] == "P122"]


@pytest.mark.parametrize(("adapter", "options", "wrong", "right", "words", "hint"), CASES)
def test_wrong_product_is_p122_at_its_line_and_the_right_one_is_clean(
    tmp_path: Path, cli, adapter: str, options: dict, wrong: str, right: str, words: str, hint: str
) -> None:
    text = target(adapter, options, wrong)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.strip().startswith("instrument_id:"))
    found = p122(tmp_path, cli, text)
    assert [(d["key"], d["line"], d["col"]) for d in found] == [
        ("strategies.s.config.instrument_id", line, 7),
        ("strategies.s.config.bar_type", line + 1, 7),
    ], found
    first = found[0]
    assert first["file"] == "profiles/route.yaml" and first["severity"] == "error"
    assert f"routes to the data client {adapter.upper()}" in first["message"]
    assert words in first["message"], first["message"]
    assert first["hint"] == hint
    assert p122(tmp_path, cli, target(adapter, options, right)) == []


def test_a_second_client_that_has_the_product_is_named_in_the_hint(tmp_path: Path, cli) -> None:
    text = target("binance", {"account_type": "USDT_FUTURES", "venue": "BINANCE"}, "BTCUSD-PERP").replace(
        "strategies:",
        "  BINANCE_COIN:\n    adapter: binance\n    account_type: COIN_FUTURES\n    venue: BINANCE_COIN\nstrategies:",
    )
    [first, _bar] = p122(tmp_path, cli, text)
    assert first["hint"] == "write BTCUSD-PERP.BINANCE_COIN, the venue of client BINANCE_COIN"


def test_the_binance_forms_are_the_installed_adapters_own() -> None:
    """Our reading of a symbol agrees with NautilusTrader 1.231's ``BinanceSymbol.parse_as_nautilus``."""
    from nautilus_trader.adapters.binance.common.enums import BinanceAccountType
    from nautilus_trader.adapters.binance.common.symbol import BinanceSymbol

    from ntprofile.adapters.binance import product_of

    cases = {
        ("BTCUSDT", BinanceAccountType.USDT_FUTURES): "USDT_FUTURES",
        ("BTCUSD_PERP", BinanceAccountType.COIN_FUTURES): "COIN_FUTURES",
        ("BNBUSD_PERP", BinanceAccountType.COIN_FUTURES): "COIN_FUTURES",
        ("BTCUSDT_250328", BinanceAccountType.USDT_FUTURES): "USDT_FUTURES",
        ("BTCUSD_250328", BinanceAccountType.COIN_FUTURES): "COIN_FUTURES",
        ("ETHBUSD", BinanceAccountType.USDT_FUTURES): "USDT_FUTURES",
        ("BTCUSDT", BinanceAccountType.SPOT): "spot",
    }
    for (venue_symbol, account), product in cases.items():
        nautilus = BinanceSymbol(venue_symbol).parse_as_nautilus(account)
        assert product_of(nautilus) == product, (venue_symbol, nautilus)
        assert BinanceSymbol(nautilus) == venue_symbol  # and back, as the adapter sends it


def test_venues_whose_symbols_cannot_tell_stay_silent_and_the_docs_say_which(tmp_path: Path, cli) -> None:
    with_clients = {n for n, a in ADAPTERS.items() if not a.simulated}
    assert {n for n in with_clients if ADAPTERS[n].product_problem is None} == SILENT
    assert p122(tmp_path, cli, target("bitmex", {}, "XBTUSD")) == []
    guide = (REPO / "docs" / "guides" / "venues.md").read_text()
    section = guide.split("\n## Product routing\n", 1)[1].split("\n## ", 1)[0]
    silent = section.split("\nSilent, because", 1)[1].split("\n\n", 1)[0]
    for name in ("BitMEX", "Architect AX", "Databento", "Tardis"):
        assert name in silent, name
