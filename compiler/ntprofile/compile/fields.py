"""Node path -> the NautilusTrader field there: its type, its constraints, a stand-in value.

``fill`` converts a resolved ``${VAR}`` to the field's type and holds it to the
field's constraints; ``compiler`` checks the whole tree against the same
constraints before anything is constructed. Both ask this one ``Fields``.
Clients are typed by their adapter's config classes; a strategy's, actor's or
exec algorithm's ``config`` by its ``config_path`` class when that imports
(otherwise its values stay untyped, as NautilusTrader sees them until the node
is built).
"""

from __future__ import annotations

from typing import Any

from msgspec import inspect as mi
from nautilus_trader.common.config import resolve_path
from nautilus_trader.config import TradingNodeConfig

from ntprofile.compile import components, nt_types
from ntprofile.compile.node_tree import NodeTree, client_class
from ntprofile.language import constraints
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import COMPONENTS

__all__ = ["Fields"]


class Fields:
    """The typed view of one ``NodeTree``."""

    def __init__(self, plan: NodeTree):
        self.root = nt_types.info(TradingNodeConfig)
        self.tree = plan.tree
        self.clients = {c.client_id: c for c in plan.clients}

    def client_cls(self, kind: str, client_id: str) -> type | None:
        client = self.clients.get(client_id)
        return client_class(client.adapter, kind) if client else None

    def type_of(self, path: Path_) -> mi.Type | None:
        """The msgspec type of the field at ``path``; ``None`` when unknown (untyped user config)."""
        if len(path) >= 3 and path[0] in ("data_clients", "exec_clients") and path[2] == "config":
            cls = self.client_cls(str(path[0]).removesuffix("_clients"), str(path[1]))
            if cls is None:
                return None
            rest = path[3:]
            nested = self.clients[str(path[1])].adapter.nested
            if len(rest) > 1 and rest[0] in nested:
                return nt_types.type_at(nt_types.info(resolve_path(nested[rest[0]])), rest[1:])
            return nt_types.type_at(nt_types.info(cls), rest)
        if len(path) >= 4 and path[0] in COMPONENTS and path[2] == "config":
            entry = self.tree[path[0]][path[1]]
            cls, _ = components.config_class(entry.get("config_path"))
            return nt_types.type_at(nt_types.info(cls) if cls is not None else None, path[3:])
        return nt_types.type_at(self.root, path)

    def convert_text(self, path: Path_, text: str, optional_empty: bool) -> Any:
        """A resolved placeholder's text as a value of the field's type (``nt_types.convert_text``)."""
        return nt_types.convert_text(text, self.type_of(path), optional_empty=optional_empty)

    def _owner(self, path: Path_) -> tuple[str, str, bool] | None:
        """``(NautilusTrader class, field, is a mapping value)`` of the value at ``path``, if it has one.

        The user's own component configs have none: their classes validate themselves.
        """
        if len(path) >= 3 and path[0] in COMPONENTS and path[2] == "config":
            return None
        if path and isinstance(path[-1], str):
            for member in _struct_members(self.type_of(path[:-1])):
                return member.cls.__name__, path[-1], False
        if len(path) >= 2 and isinstance(path[-2], str) and _is_dict(self.type_of(path[:-1])):
            for member in _struct_members(self.type_of(path[:-2])):
                return member.cls.__name__, path[-2], True
        return None

    def problem(self, path: Path_, value: Any) -> str | None:
        """Why ``value`` at ``path`` breaks a constraint NautilusTrader leaves implicit, or ``None``.

        Finite numbers, 64-bit integers and ASCII identifiers by the field's type, the rest by
        ``language.constraints.FIELD_CONSTRAINTS``.
        """
        t = self.type_of(path)
        model = nt_types.model_class(t)
        problem = constraints.number_problem(value) or (
            model is not None and constraints.model_value_problem(value, model.__name__)
        )
        if problem:
            return problem
        owner = self._owner(path)
        if owner is None:
            return None
        component, field, each_value = owner
        return constraints.field_problem(component, field, value, bounded=_bounded(t), each_value=each_value)

    def stand_in(self, path: Path_) -> Any:
        """A value of the field's type that meets its constraints, where the real one is not known.

        ``compile`` checks the rest of a config with it while a placeholder stays
        verbatim in ``node.json``, and it replaces a resolved value that broke a
        constraint (that profile has an error, so nothing is built from it).
        Raises ``fill.NoValue`` when the type has no value to offer.
        """
        owner = self._owner(path)
        if owner is not None:
            constraint = constraints.constraint_for(owner[0], owner[1])
            if constraint is not None and constraint.each_value == owner[2]:
                return constraint.example
        return nt_types.sample(self.type_of(path))


def _struct_members(t: mi.Type | None) -> list[mi.StructType]:
    members = t.types if isinstance(t, mi.UnionType) else (t,)
    return [m for m in members if isinstance(m, mi.StructType)]


def _is_dict(t: mi.Type | None) -> bool:
    members = t.types if isinstance(t, mi.UnionType) else (t,)
    return any(isinstance(m, mi.DictType) for m in members)


def _bounded(t: mi.Type | None) -> bool:
    """Whether a numeric member of ``t`` has its own lower bound (enforced on conversion)."""
    if t is None:
        return False
    members = t.types if isinstance(t, mi.UnionType) else (t,)
    return any(getattr(m, "ge", None) is not None or getattr(m, "gt", None) is not None for m in members)
