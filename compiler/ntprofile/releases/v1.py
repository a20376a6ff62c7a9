"""The NautilusTrader 1.x backend: msgspec config structs, ``TradingNodeConfig``, ``TradingNode``.

The stages behind it (``compile``, ``node``) were written for 1.x and stay where
they are; this module is the one face the general commands see, the same as
``releases.v2``'s. It imports NautilusTrader: only the node commands load it.
"""

from __future__ import annotations

from typing import Any

from ntprofile.compile.compiler import compile_merged
from ntprofile.node.health import StartWatch as start_watch
from ntprofile.node.health import startup_bound
from ntprofile.node.preflight import preflight, written_directories
from ntprofile.node.runtime import build_node, dispose_node, run_node, stop_bound

__all__ = [
    "build_node",
    "compile_merged",
    "defaults",
    "dispose_node",
    "facts",
    "plain",
    "preflight",
    "quiet",
    "run_node",
    "start_watch",
    "startup_bound",
    "stop_bound",
    "written_directories",
]


def quiet(config: Any) -> Any:
    """The config with NautilusTrader's console logging at WARNING; log files unchanged."""
    import msgspec
    from nautilus_trader.config import LoggingConfig

    logging = config.logging or LoggingConfig()
    if logging.log_level.upper() in ("WARNING", "WARN", "ERROR", "OFF"):
        return config
    return msgspec.structs.replace(config, logging=msgspec.structs.replace(logging, log_level="WARNING"))


def defaults(merged: Any, schema_path: Any) -> list[Any]:
    """NautilusTrader's defaults for what the profile leaves unset, read from the msgspec config classes."""
    from ntprofile.tools.explain import nautilus_defaults

    return nautilus_defaults(merged)


def plain(value: Any) -> Any:
    """``value`` (a config given in Python: NautilusTrader identifiers, enums, structs) as profile data."""
    import msgspec
    from nautilus_trader.common.config import msgspec_encoding_hook

    return msgspec.to_builtins(value, enc_hook=msgspec_encoding_hook)


def facts(config: Any) -> Any:
    """What ``check`` and ``run`` print of a ``TradingNodeConfig`` (``node.summary``); no secret."""
    from ntprofile.node.preflight import redis_address
    from ntprofile.node.summary import Database, Facts

    databases = []
    for label, section in (("cache", config.cache), ("message bus", config.message_bus)):
        database = getattr(section, "database", None) if section is not None else None
        if database is not None:
            host, port = redis_address(database)
            databases.append(Database(label, database.type, host, port, bool(database.password)))
    components = {
        "strategies": [s.strategy_path for s in config.strategies or []],
        "actors": [a.actor_path for a in config.actors or []],
        "exec_algorithms": [a.exec_algorithm_path for a in config.exec_algorithms or []],
    }
    logging = config.logging
    log_files = None
    if logging is not None and logging.log_level_file:
        log_files = (logging.log_directory or ".", logging.log_file_format or "text", logging.log_level_file)
    return Facts(str(config.trader_id), databases, components, log_files)
