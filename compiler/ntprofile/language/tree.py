"""Plain profile trees (dicts, lists, scalars) and key paths into them: the one walker and the one nearest-key lookup."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterator, Mapping, TypeVar

__all__ = ["EMPTY", "Path_", "enabled_entries", "nearest", "walk_leaves"]

Path_ = tuple[str | int, ...]
"""A key path: ``("exchanges", "BYBIT", "product_types", 0)``."""

V = TypeVar("V")

EMPTY: Mapping[Any, Any] = MappingProxyType({})
"""The default of a record's mapping field: one empty mapping, shared and read-only."""


def walk_leaves(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every scalar of a plain tree (``null`` included) with its key path; empty collections yield nothing."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from walk_leaves(sub, path + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from walk_leaves(sub, path + (index,))
    else:
        yield path, value


def nearest(table: Mapping[Path_, V], path: Path_) -> V | None:
    """``table[path]``, else the entry of its nearest ancestor that has one (a value set as a whole)."""
    while path and path not in table:
        path = path[:-1]
    return table.get(path)


def enabled_entries(section: Any) -> dict[str, dict[str, Any]]:
    """Entries of a toggled section that are mappings and not ``enabled: false``."""
    if not isinstance(section, dict):
        return {}
    return {k: v for k, v in section.items() if isinstance(v, dict) and v.get("enabled", True) is not False}
