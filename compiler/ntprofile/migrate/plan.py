"""What changes between NautilusTrader 1.231 and 2.0 in a profile, as data.

Every 1.231 field of the sections ntprofile compiles that 2.0 does not keep
under the same name is listed here, once: renamed (``Rename``), folded into one
2.0 value (``Combine``) or without a 2.0 equivalent (``Dropped``, with what to
do instead). ``tests/test_migrate.py`` holds this table to both installed
releases: every old path is a 1.231 field, every new path a 2.0 field, and no
1.231 field that 2.0 lacks is missing from it.

Paths are profile key paths; ``*`` stands for any key of a mapping (an exchange,
a strategy) and ``[]`` for any item of a list (a catalog). Adapter rules
(``ADAPTERS``) are relative to a client config: they apply to an exchange
section's shared options and to its ``data`` and ``exec`` mappings alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

Path_ = tuple[str, ...]

ANY = "*"
"""Any key of a mapping."""
ITEM = "[]"
"""Any item of a list."""


@dataclass(frozen=True, slots=True)
class ValueMap:
    """1.231 enum members -> 2.0 members; a member mapped to ``None`` has no 2.0 counterpart."""

    old_enum: str | None
    """``module:Class`` of the 1.231 enum; ``None`` where 1.231 takes a plain string (the keys are its spellings)."""
    new_enum: str
    """``module:Class`` of the 2.0 enum."""
    values: Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class Rename:
    """A 1.231 key that 2.0 calls ``new`` (possibly one mapping deeper), its value kept or mapped."""

    old: Path_
    new: Path_
    values: ValueMap | None = None
    factor: int = 1
    """2.0 counts in another unit: the value is multiplied (minutes -> seconds is 60)."""


@dataclass(frozen=True, slots=True)
class Combine:
    """Several 1.231 keys that 2.0 takes as one list value, in this order."""

    old: tuple[Path_, ...]
    new: Path_
    defaults: tuple[object, ...]
    """1.231's default of each old key, used when a file sets only some of them."""


@dataclass(frozen=True, slots=True)
class Dropped:
    """A 1.231 setting with no 2.0 equivalent: removed, and reported with ``advice``."""

    path: Path_
    advice: str
    implied: object = None
    """A value 2.0 implies (``cache.database.type: redis``): removed without a finding."""


@dataclass(frozen=True, slots=True)
class Required:
    """A value a 2.0 exec client needs that a 1.231 profile never states, because 1.231 chose it itself.

    With a ``template`` it is written into the exchange section as 1.231 made it (an
    ``account_id``, so the node trades and finds in its cache the account of 1.231);
    the template names the client id and 1.231 keys of the section, a key no layer
    sets taking its 1.231 default from ``defaults``. Without one, 1.231's choice has
    no 2.0 spelling and the operator is asked (M002) with ``advice``.
    """

    name: str
    template: str | None = None
    defaults: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    """Where 1.231 makes it (``module``), for a reader checking the template."""
    advice: str = ""


Rule = Rename | Combine | Dropped

_ENGINE = (
    "2.0's engines run in the Rust core without this option; node.shutdown_on_error stops the node on an unhandled error"
)

ENCODINGS = ValueMap(None, "nautilus_trader.common:SerializationEncoding", {"JSON": "JSON", "MSGPACK": "MSG_PACK"})
"""1.231's ``encoding`` strings (any case) -> 2.0's SerializationEncoding members."""

ENVIRONMENTS = ValueMap(
    "nautilus_trader.common:Environment",
    "nautilus_trader.common:Environment",
    {"LIVE": "LIVE", "SANDBOX": "SANDBOX", "BACKTEST": None},
)
"""1.231 spells the node's environment by value (``live``), 2.0's schema by member name (``LIVE``)."""

LOG_LEVELS = ValueMap(
    None,
    "nautilus_trader.common:LogLevel",
    {"OFF": "OFF", "TRACE": "TRACE", "DEBUG": "DEBUG", "INFO": "INFO", "WARN": "WARNING", "WARNING": "WARNING", "ERROR": "ERROR"},
)
"""1.231's log level strings (any case, ``WARN`` too) -> 2.0's LogLevel members."""

SECTIONS: tuple[Rule, ...] = (
    Rename(("node", "environment"), ("node", "environment"), values=ENVIRONMENTS),
    Rename(("cache", "encoding"), ("cache", "encoding"), values=ENCODINGS),
    Rename(("message_bus", "encoding"), ("message_bus", "encoding"), values=ENCODINGS),
    # LiveNodeConfig: the timeouts name their unit.
    Rename(("node", "timeout_connection"), ("node", "timeout_connection_secs")),
    Rename(("node", "timeout_reconciliation"), ("node", "timeout_reconciliation_secs")),
    Rename(("node", "timeout_portfolio"), ("node", "timeout_portfolio_secs")),
    Rename(("node", "timeout_disconnection"), ("node", "timeout_disconnection_secs")),
    Rename(("node", "timeout_post_stop"), ("node", "delay_post_stop_secs")),
    Rename(("node", "timeout_shutdown"), ("node", "timeout_shutdown_secs")),
    # MessageBusConfig is LiveNodeConfig.msgbus.
    Rename(("message_bus",), ("msgbus",)),
    Dropped(
        ("message_bus", "database"),
        "2.0's MessageBusConfig has no database; the Redis of cache.database is the node's only database",
    ),
    # DatabaseConfig -> RedisCacheConfig: same fields, Redis by its class.
    Dropped(
        ("cache", "database", "type"),
        "2.0's cache database is RedisCacheConfig (Redis only); keep the state in Redis or set cache.database: null",
        implied="redis",
    ),
    Dropped(("data_engine", "qsize"), _ENGINE),
    Dropped(("data_engine", "graceful_shutdown_on_exception"), _ENGINE),
    Dropped(("risk_engine", "qsize"), _ENGINE),
    Dropped(("risk_engine", "graceful_shutdown_on_exception"), _ENGINE),
    Dropped(("exec_engine", "qsize"), _ENGINE),
    Dropped(("exec_engine", "graceful_shutdown_on_exception"), _ENGINE),
    Dropped(
        ("exec_engine", "purge_from_database"),
        "2.0 purges closed orders and positions from memory only",
    ),
    Dropped(
        ("emulator",),
        "2.0's LiveNodeConfig has no order emulator; emulated orders (emulation_trigger) are not available",
    ),
    # LoggingConfig -> LoggerConfig, its file output a FileWriterConfig.
    Rename(("logging", "log_level"), ("logging", "stdout_level"), values=LOG_LEVELS),
    Rename(("logging", "log_level_file"), ("logging", "fileout_level"), values=LOG_LEVELS),
    Rename(("logging", "log_colors"), ("logging", "is_colored")),
    Rename(("logging", "log_component_levels"), ("logging", "component_levels")),
    Rename(("logging", "log_directory"), ("logging", "file_config", "directory")),
    Rename(("logging", "log_file_name"), ("logging", "file_config", "file_name")),
    Rename(("logging", "log_file_format"), ("logging", "file_config", "file_format")),
    Combine(
        (("logging", "log_file_max_size"), ("logging", "log_file_max_backup_count")),
        ("logging", "file_config", "file_rotate"),
        defaults=(None, 5),
    ),
    Dropped(("logging", "use_tracing"), "2.0 has no tracing subscriber option in LoggerConfig"),
    Dropped(("logging", "use_pyo3"), "2.0's logging is always the Rust logger"),
    # StreamingConfig was rewritten around a feather writer and a catalog.
    *(
        Dropped(
            ("streaming", name),
            "2.0's StreamingConfig takes writer_path, catalog and rotation_config instead; rewrite the section by hand",
        )
        for name in (
            "catalog_path",
            "fs_protocol",
            "fs_storage_options",
            "fs_rust_storage_options",
            "include_types",
            "rotation_mode",
            "max_file_size",
            "rotation_interval",
            "rotation_time",
            "rotation_timezone",
        )
    ),
    Dropped(
        ("catalogs", ITEM, "fs_storage_options"),
        "2.0's DataCatalogConfig reads fs_rust_storage_options (object store options) instead",
    ),
)
"""Rules for the node's sections, by profile path."""


_NO_PROVIDER = "2.0's {name} clients load their instruments themselves and take no instrument_provider"
_NO_ROUTING = "2.0 routes orders by venue and has no RoutingConfig"
_NO_REVISED = "2.0's data clients have no handle_revised_bars"


def _common(name: str, provider: bool = False, data: bool = True) -> tuple[Rule, ...]:
    """What every 1.231 live client config had and 2.0's lack (``provider``: the instrument provider too)."""
    rules: tuple[Rule, ...] = (Dropped(("routing",), _NO_ROUTING),)
    if data:
        rules += (Dropped(("handle_revised_bars",), _NO_REVISED),)
    return rules + ((Dropped(("instrument_provider",), _NO_PROVIDER.format(name=name)),) if provider else ())


def _drop(advice: str, *names: str) -> tuple[Dropped, ...]:
    return tuple(Dropped((name,), advice) for name in names)


BINANCE_PRODUCTS = ValueMap(
    "nautilus_trader.adapters.binance.common.enums:BinanceAccountType",
    "nautilus_trader.adapters.binance:BinanceProductType",
    {
        "SPOT": "SPOT",
        "MARGIN": "MARGIN",
        "ISOLATED_MARGIN": None,
        "USDT_FUTURES": "USD_M",
        "COIN_FUTURES": "COIN_M",
    },
)

ADAPTERS: dict[str, tuple[Rule, ...]] = {
    "architect_ax": _common("AX", provider=True)
    + _drop(
        "2.0 splits it into base_url_ws_public (data) and base_url_ws_private (exec); set those",
        "base_url_ws",
    ),
    "binance": _common("Binance")
    + (
        Rename(("account_type",), ("product_type",), values=BINANCE_PRODUCTS),
        Rename(("update_instruments_interval_mins",), ("instrument_refresh_interval_secs",), factor=60),
    )
    + _drop(
        "2.0's Binance client serves the BINANCE venue of its product_type; one section per product_type",
        "venue",
    )
    + _drop("2.0's Binance configs take no key_type (the key's kind is read from the key)", "key_type")
    + _drop("2.0's Binance data client has no aggregated-trade switch", "use_agg_trade_ticks")
    + (Dropped(("instrument_provider", "use_gamma_markets"), "a Polymarket option 2.0's Binance provider lacks"),)
    + _drop(
        "2.0's Binance exec client streams user data on base_url_ws (trading on base_url_ws_trading); set those",
        "base_url_ws_stream",
    )
    + _drop(
        "2.0's Binance exec client sends reduce_only as each order states it",
        "use_reduce_only",
    )
    + _drop("2.0 logs post-only rejections its own way", "log_rejected_due_post_only_as_warning"),
    "bybit": _common("Bybit", provider=True)
    + (Rename(("ws_auth_timeout_secs",), ("auth_timeout_secs",)),)
    + _drop(
        "2.0's Bybit exec client has no position_mode: set the position mode (one-way, MERGED_SINGLE) on the Bybit "
        "account itself before the node starts",
        "position_mode",
    )
    + _drop("2.0's Bybit exec client sets no leverage: set it per symbol on the Bybit account", "futures_leverages")
    + _drop(
        "2.0's Bybit exec client has no such option",
        "use_gtd",
        "use_ws_execution_fast",
        "use_http_batch_api",
        "ignore_uncached_instrument_executions",
        "repay_queue_interval_secs",
        "ws_trade_timeout_secs",
    ),
    "databento": _common("Databento", provider=True)
    + (
        Rename(("http_gateway",), ("historical_base_url",)),
        Rename(("live_gateway",), ("live_gateway_addr",)),
    )
    + _drop(
        "2.0's Databento data client has no such option",
        "timeout_initial_load",
        "mbo_subscriptions_delay",
        "instrument_ids",
        "parent_symbols",
        "reconnect_timeout_mins",
    ),
    "deribit": _common("Deribit", provider=True),
    "dydx": _common("dYdX", provider=True)
    + (Rename(("subaccount",), ("subaccount_number",)),)
    + _drop(
        "2.0's dYdX configs take the network (mainnet/testnet) from the exchange's environment and have no URL "
        "overrides",
        "base_url_http",
        "base_url_ws",
        "base_url_grpc",
    )
    + _drop(
        "2.0's dYdX client has no such option",
        "bars_timestamp_on_close",
        "max_retries",
        "retry_delay_initial_ms",
        "retry_delay_max_ms",
        "authenticator_ids",
        "grpc_rate_limit_per_second",
    ),
    "hyperliquid": _common("Hyperliquid", provider=True)
    + _drop("2.0's Hyperliquid clients serve every product", "product_types"),
    "kraken": _common("Kraken", provider=True)
    + (
        Rename(("http_timeout_secs",), ("timeout_secs",)),
        Rename(("ws_heartbeat_secs",), ("heartbeat_interval_secs",)),
    )
    + _drop(
        "2.0's Kraken clients take one product_type (SPOT or FUTURES): one exchange section per product",
        "product_types",
    )
    + _drop(
        "2.0's Kraken clients take one base_url (HTTP) and ws_public_url / ws_private_url (data) or ws_url (exec) "
        "for their product_type; set those",
        "base_url_http_spot",
        "base_url_http_futures",
        "base_url_ws_spot",
        "base_url_ws_futures",
        "base_url_ws_l3_spot",
    )
    + _drop(
        "2.0's Kraken client has no such option",
        "update_instruments_interval_mins",
        "retry_delay_initial_ms",
        "retry_delay_max_ms",
    ),
    "okx": _common("OKX", provider=True)
    + (Rename(("ws_auth_timeout_secs",), ("auth_timeout_secs",)),)
    + _drop(
        "2.0's OKX clients split it into base_url_ws_public / base_url_ws_private and base_url_ws_business; set those",
        "base_url_ws",
    )
    + _drop("2.0's OKX clients take instrument_types and instrument_families", "contract_types")
    + _drop(
        "2.0's OKX exec client has no such option",
        "use_spot_margin",
        "use_fills_channel",
        "use_mm_mass_cancel",
        "use_spot_cash_position_reports",
    ),
    "sandbox": _common("sandbox", provider=True, data=False)
    + _drop("2.0's SandboxExecutionClientConfig has one default_leverage for every instrument; set it", "leverages"),
    "tardis": _common("Tardis", provider=True)
    + (
        Rename(("base_url_http",), ("tardis_http_url",)),
        Rename(("base_url_ws",), ("tardis_ws_url",)),
    )
    + _drop(
        "2.0's Tardis data client has no such option",
        "update_instruments_interval_mins",
        "ws_connection_delay_secs",
    ),
}
"""Rules for each 1.231 adapter 2.0 still has, relative to its client configs."""

REQUIRED: dict[str, Required] = {
    "binance": Required(
        "account_id",
        "{client_id}-{account_type}-master",
        {"account_type": "SPOT"},
        "nautilus_trader.adapters.binance.execution",
    ),
    "deribit": Required("account_id", "{client_id}-master", source="nautilus_trader.adapters.deribit.execution"),
    "dydx": Required(
        "account_id",
        "DYDX-{wallet_address}-{subaccount}",
        {"subaccount": "0"},
        "nautilus_trader.adapters.dydx.execution",
    ),
    "kraken": Required("account_id", "{client_id}-UNIFIED", source="nautilus_trader.adapters.kraken.execution"),
    "okx": Required("account_id", "{client_id}-master", source="nautilus_trader.adapters.okx.execution"),
    "sandbox": Required(
        "fee_model",
        source="nautilus_trader.adapters.sandbox.execution",
        advice="1.231 charged each instrument's own maker/taker fees; set fee_model: "
        "{MakerTakerFeeModel: {maker_rate: ..., taker_rate: ...}} with the venue's rates",
    ),
}
"""Per adapter: the value its 2.0 exec config requires that 1.231 made up itself (``name`` is the client id)."""

GONE_ADAPTERS: dict[str, str] = {
    "bitmex": "NautilusTrader 2.0 has no BitMEX adapter: keep this exchange on a 1.x repository, or remove it",
}
"""1.231 adapters 2.0 does not ship: the exchange section stays and is reported."""

TARGETS = ("2.0.0rc7",)
"""Releases these tables migrate to (from the 1.231 line)."""


def _matches(pattern: Path_, path: Path_) -> bool:
    return len(pattern) == len(path) and all(p in (ANY, ITEM) or p == str(k) for p, k in zip(pattern, path))


def earlier_name(path: Path_) -> str | None:
    """What to say of ``path`` when a 2.0 repository uses it and 2.0 has no such key: it is 1.231's name.

    The hint names 2.0's key (or why there is none), so a 1.x habit in a 2.0
    repository reads as what it is rather than as a typo.
    """
    for rule in SECTIONS:
        if isinstance(rule, Rename) and rule.old != rule.new and _matches(rule.old, path):
            return f"'{path[-1]}' is NautilusTrader 1.x's name; 2.0 calls it {'.'.join(rule.new)}"
        if isinstance(rule, Combine) and any(_matches(old, path) for old in rule.old):
            return f"NautilusTrader 2.0 takes it in {'.'.join(rule.new)}"
        if isinstance(rule, Dropped) and _matches(rule.path, path):
            return f"NautilusTrader 1.x only: {rule.advice}"
    return None
