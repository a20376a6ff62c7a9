"""The 2.0 adapter records against the installed NautilusTrader 2.0: every live adapter that imports has
a record whose classes import, whose environment members exist and whose credentials are constructor
parameters. Runs under .venv-2 (Python 3.13, nautilus_trader 2.0.0rc7)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

nautilus_trader = pytest.importorskip("nautilus_trader")
if not nautilus_trader.__version__.startswith("2."):  # pragma: no cover - the 1.x venv
    pytest.skip("NautilusTrader 2.0 tests", allow_module_level=True)

import nautilus_trader.adapters  # noqa: E402

from ntprofile.adapters import Adapter, _discover  # noqa: E402
from ntprofile.adapters.v2 import UNSUPPORTED  # noqa: E402
from ntprofile.language.vocabulary import import_class  # noqa: E402
from ntprofile.releases import V2, stubs  # noqa: E402

RECORDS: dict[str, Adapter] = _discover(V2.adapters)


def _live_adapters() -> dict[str, list[str]]:
    """Adapter package -> the client factories it exports (an adapter with none is not a live adapter)."""
    found = {}
    for info in pkgutil.iter_modules(nautilus_trader.adapters.__path__):
        try:
            module = importlib.import_module(f"nautilus_trader.adapters.{info.name}")
        except ImportError:
            found[info.name] = ["<does not import>"]
            continue
        factories = [n for n in dir(module) if n.endswith(("DataClientFactory", "ExecutionClientFactory"))]
        if factories:
            found[info.name] = factories
    return found


LIVE = _live_adapters()


def test_every_live_adapter_has_a_record_or_is_refused() -> None:
    importable = {name for name, factories in LIVE.items() if factories != ["<does not import>"]}
    assert importable - set(RECORDS) - set(UNSUPPORTED) == set()
    assert set(RECORDS) <= set(LIVE), "a record for an adapter 2.0 does not ship"
    for name in UNSUPPORTED:  # refused only when it really does not import here
        assert LIVE.get(name) == ["<does not import>"], name
    assert "bitmex" not in RECORDS and "bitmex" not in LIVE


def test_the_records_are_the_ones_this_release_names() -> None:
    assert set(RECORDS) == {
        "architect_ax", "betfair", "binance", "blockchain", "bybit", "coinapi", "coinbase", "databento",
        "deribit", "derive", "dydx", "hyperliquid", "interactive_brokers", "kraken", "lighter", "okx",
        "polymarket", "sandbox", "tardis",
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_record_classes_import_and_match_the_package_factories(name: str) -> None:
    adapter = RECORDS[name]
    assert adapter.name == name
    for kind in adapter.kinds:
        spec = adapter.client(kind)
        config, factory = import_class(spec.config), import_class(spec.factory)
        assert isinstance(config, type) and isinstance(factory, type)
        assert spec.factory.rsplit(":", 1)[1] in LIVE[name]
        stubs.fields(spec.config)  # the stub declares the class (the schema reads it there)
    # a client kind the package has a factory for is not left out
    for kind, suffix in (("data", "DataClientFactory"), ("exec", "ExecutionClientFactory")):
        has_factory = any(f.endswith(suffix) for f in LIVE[name])
        assert (adapter.client(kind) is not None) == has_factory, (name, kind)
    for path in (*adapter.nested.values(), *adapter.enum_values.values()):
        import_class(path)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_environment_field_and_members_exist(name: str) -> None:
    adapter = RECORDS[name]
    if adapter.environment_field is None:
        assert adapter.environment_enum is None and not adapter.environments
        for kind in adapter.kinds:  # no field of that name is left unmapped
            names = {f.name for f in stubs.fields(adapter.client(kind).config)}
            assert "environment" not in names and "network" not in names, (name, kind)
        return
    enum = import_class(adapter.environment_enum)
    for kind in adapter.kinds:
        fields = {f.name: f for f in stubs.fields(adapter.client(kind).config)}
        assert adapter.environment_field in fields, (name, kind)
        assert adapter.environment_enum.rsplit(":", 1)[1] in fields[adapter.environment_field].annotation
    assert set(adapter.environments) <= {"mainnet", "testnet", "demo"}
    for member in adapter.environments.values():
        assert isinstance(getattr(enum, member), enum), member  # Enum.NAME is how the compiler converts it
    assert set(adapter.environments.values()) == set(stubs.enum_members(adapter.environment_enum))
    # the unset default is what NautilusTrader really uses
    if adapter.data is not None:
        default = getattr(import_class(adapter.data.config)(), adapter.environment_field)
        assert default == getattr(enum, adapter.environments[adapter.default_environment])


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_credentials_and_venue_field_are_constructor_parameters(name: str) -> None:
    adapter = RECORDS[name]
    per_kind = {kind: {f.name for f in stubs.fields(adapter.client(kind).config)} for kind in adapter.kinds}
    for credential in adapter.credentials:
        assert any(credential.field in fields for fields in per_kind.values()), (name, credential.field)
        for kind in credential.required:
            assert credential.field in per_kind[kind], (name, credential.field, kind)
    if adapter.venue_field is not None:
        assert any(adapter.venue_field in fields for fields in per_kind.values())
    for field in adapter.nested:
        assert any(field in fields for fields in per_kind.values())


def test_a_field_the_constructor_requires_has_no_environment_fallback() -> None:
    """Kraken's and Databento's 2.0 configs take their keys only as arguments: no variable stands in."""
    for adapter in RECORDS.values():
        for credential in adapter.credentials:
            for kind in adapter.kinds:
                fields = {f.name: f for f in stubs.fields(adapter.client(kind).config)}
                if credential.field in fields and fields[credential.field].required:
                    assert not credential.fallback, (adapter.name, credential.field)


def test_binance_routes_by_product_type() -> None:
    binance = RECORDS["binance"]
    assert binance.product_problem("BTCUSDT-PERP", {}) is not None  # SPOT by default
    assert binance.product_problem("BTCUSDT-PERP", {"product_type": "USD_M"}) is None
    assert "product_type USD_M" in binance.product_problem("BTCUSDT", {"product_type": "USD_M"})[0]
    coin = binance.product_problem("BTCUSDT-PERP", {"product_type": "COIN_M"})
    assert coin is not None and coin[1] == "use a client with product_type: USD_M", coin
    assert binance.product_problem("BTCUSDT", {"account_type": "USDT_FUTURES"}) is None  # 1.x's field: not read
    products = set(stubs.enum_members("nautilus_trader.adapters.binance:BinanceProductType"))
    from ntprofile.adapters.v2 import binance as module

    assert set(module.ACCOUNT_OF) <= products


def test_enum_members_from_stubs_match_introspection() -> None:
    for adapter in RECORDS.values():
        if adapter.environment_enum:
            enum = import_class(adapter.environment_enum)
            live = {a for a in dir(enum) if a.isupper() and not a.startswith("_")}
            assert set(stubs.enum_members(adapter.environment_enum)) == live
