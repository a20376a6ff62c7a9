"""The lines ``check`` and ``run`` print about a prepared node: trader id, clients, cache, components, logs.

Never a secret: the Redis password shows as ``***``, credentials not at all.
"""

from __future__ import annotations

from typing import Any

from ntprofile.adapters import environment_label
from ntprofile.layers import Merged, enabled_entries
from ntprofile.pipeline import Prepared

__all__ = ["summary"]


def summary(prepared: Prepared) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a prepared node; secrets never included."""
    config: Any = prepared.config
    merged = prepared.merged
    assert merged is not None and prepared.compiled is not None
    exchanges = merged.tree.get("exchanges") or {}
    rows = [("trader id", str(config.trader_id)), ("stage", merged.stage or "?")]
    for client in prepared.compiled.clients:
        section = exchanges.get(client.client_id) if isinstance(exchanges, dict) else None
        environment = environment_label(client.adapter, section if isinstance(section, dict) else {})
        kinds = "+".join(k for k, on in (("data", client.has_data), ("exec", client.has_exec)) if on)
        rows.append(("client", f"{client.client_id}: {client.adapter.name} {environment} ({kinds})"))
    rows.append(("cache", _backend(getattr(config.cache, "database", None) if config.cache else None)))
    if config.message_bus is not None and config.message_bus.database is not None:
        rows.append(("message bus", _backend(config.message_bus.database)))
    strategies = _components(merged, "strategies", [s.strategy_path for s in config.strategies or []])
    rows.append(("strategies", strategies or "none"))
    if config.actors:
        rows.append(("actors", _components(merged, "actors", [a.actor_path for a in config.actors])))
    if config.exec_algorithms:
        paths = [a.exec_algorithm_path for a in config.exec_algorithms]
        rows.append(("exec algorithms", _components(merged, "exec_algorithms", paths)))
    logging = config.logging
    if logging is not None and logging.log_level_file:
        rows.append(
            (
                "log files",
                f"{logging.log_directory or '.'} ({logging.log_file_format or 'text'}, {logging.log_level_file})",
            )
        )
    return rows


SHORT_CLASS = 32
"""A component's class name is shown after its name up to this length."""


def _components(merged: Merged, section: str, paths: list[str]) -> str:
    """``name (Class), ...``: the profile's names for the compiled components, in order.

    The names are the keys of the profile's ``strategies:`` (``actors:``,
    ``exec_algorithms:``) mapping, which is what an operator greps for; the
    class follows in parentheses when its name is short and says something
    the name does not.
    """
    names = list(enabled_entries(merged.tree.get(section)))
    if len(names) != len(paths):  # cannot pair them up: the class paths are still exact
        return ", ".join(paths)
    shown = []
    for name, path in zip(names, paths):
        cls = str(path).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        short = cls and len(cls) <= SHORT_CLASS and cls.lower() != str(name).lower()
        shown.append(f"{name} ({cls})" if short else str(name))
    return ", ".join(shown)


def _backend(database: Any) -> str:
    if database is None:
        return "in memory"
    from ntprofile.node.preflight import redis_address

    host, port = redis_address(database)
    auth = ", password ***" if database.password else ""
    return f"{database.type} {host}:{port}{auth}"
