"""The lines ``check`` and ``run`` print about a prepared node: trader id, clients, cache, components, logs.

Never a secret: the Redis password shows as ``***``, credentials not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ntprofile.adapters import environment_label
from ntprofile.layers import Merged, enabled_entries
from ntprofile.pipeline import Prepared

__all__ = ["Database", "Facts", "summary"]


@dataclass(frozen=True, slots=True)
class Database:
    """A Redis (or other) database the node opens, as the summary shows it."""

    label: str
    kind: str
    host: str
    port: Any
    password: bool


@dataclass(frozen=True, slots=True)
class Facts:
    """What a release's backend reports of a compiled node config for the summary (never a secret)."""

    trader_id: str
    databases: list[Database] = field(default_factory=list)
    components: dict[str, list[str]] = field(default_factory=dict)
    """Component section -> the class paths, in order."""
    log_files: tuple[str, str, str] | None = None
    """``(directory, format, level)`` when log files are written."""


def summary(prepared: Prepared) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a prepared node; secrets never included."""
    from ntprofile.releases import backend

    facts: Facts = backend().facts(prepared.config)
    merged = prepared.merged
    assert merged is not None and prepared.compiled is not None
    exchanges = merged.tree.get("exchanges") or {}
    rows = [("trader id", facts.trader_id), ("stage", merged.stage or "?")]
    for client in prepared.compiled.clients:
        section = exchanges.get(client.client_id) if isinstance(exchanges, dict) else None
        environment = environment_label(client.adapter, section if isinstance(section, dict) else {})
        kinds = "+".join(k for k, on in (("data", client.has_data), ("exec", client.has_exec)) if on)
        rows.append(("client", f"{client.client_id}: {client.adapter.name} {environment} ({kinds})"))
    databases = {db.label: db for db in facts.databases}
    rows.append(("cache", _backend(databases.get("cache"))))
    if "message bus" in databases:
        rows.append(("message bus", _backend(databases["message bus"])))
    labels = {"strategies": "strategies", "actors": "actors", "exec_algorithms": "exec algorithms"}
    for section, label in labels.items():
        paths = facts.components.get(section, [])
        if paths or section == "strategies":
            rows.append((label, _components(merged, section, paths) or "none"))
    if facts.log_files is not None:
        directory, fmt, level = facts.log_files
        rows.append(("log files", f"{directory} ({fmt}, {level})"))
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


def _backend(database: Database | None) -> str:
    if database is None:
        return "in memory"
    auth = ", password ***" if database.password else ""
    return f"{database.kind} {database.host}:{database.port}{auth}"
