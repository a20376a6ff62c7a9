"""The value constraints (``language.constraints``) written into the generated JSON Schema.

The facts themselves live in ``language.constraints.FIELD_CONSTRAINTS``, where
the resolved-value checks read them too; this module only places each one in
the schema of its field. No NautilusTrader import.
"""

from __future__ import annotations

from typing import Any

from ntprofile.language.constraints import (
    FIELD_CONSTRAINTS,
    constraint_for,
    LOG_FILE_FORMAT_PATTERN,
    RATE_LIMIT_PATTERN,
    TRADER_ID,
    UUID_PATTERN,
    is_duration,
)

__all__ = [
    "LOG_FILE_FORMAT_PATTERN",
    "NODE_REFINEMENTS",
    "PLACEHOLDER_PATTERN",
    "RATE_LIMIT_PATTERN",
    "TRADER_ID_PATTERN",
    "UUID_PATTERN",
    "constrain",
    "node_refinements",
    "refine_component",
]

PLACEHOLDER_PATTERN = r"(?:^|[^$])(?:\$\$)*\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)"
"""A string holding at least one ``${NAME}``, ``${NAME:-default}`` or ``$NAME`` (not ``$$NAME``)."""

TRADER_ID_PATTERN = TRADER_ID.pattern
"""``NAME-TAG``: NautilusTrader panics in Rust (exit 134) on a trader id without a hyphen."""

_POSITIVE = {"exclusiveMinimum": 0}

def node_refinements(node_class: str) -> dict[str, dict[str, Any]]:
    """``node:`` fields of ``node_class`` whose schema a constraint replaces (NautilusTrader types them as
    plain ``str`` or as an identifier class)."""
    return {field: c.schema for (component, field), c in FIELD_CONSTRAINTS.items() if component == node_class}


NODE_REFINEMENTS = node_refinements("TradingNodeConfig")
"""The 1.x ``node:`` refinements."""


def constrain(prop: dict[str, Any], extra: dict[str, Any]) -> None:
    """Add ``extra`` to ``prop``, or to each of its non-null ``anyOf`` branches."""
    if "anyOf" in prop and "anyOf" not in extra:
        for branch in prop["anyOf"]:
            if branch.get("type") != "null":
                branch.update(extra)
    else:
        prop.update(extra)


def _numeric_branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in prop.get("anyOf", [prop]) if b.get("type") in ("integer", "number")]


def refine_component(component_name: str, component: dict[str, Any]) -> None:
    """Apply every constraint of one NautilusTrader component to its schema, in place.

    Besides the table: every numeric field named ``*timeout*`` or ``*interval*``
    without a lower bound must be positive (a zero interval busy-loops, a zero
    timeout fails at once).
    """
    for field, prop in component.get("properties", {}).items():
        constraint = constraint_for(component_name, field)
        if constraint is not None and constraint.each_value:
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "object":
                    branch["additionalProperties"] = {**branch.get("additionalProperties", {}), **constraint.schema}
        elif constraint is not None and not constraint.replace:
            constrain(prop, constraint.schema)
        if is_duration(field):
            for branch in _numeric_branches(prop):
                if not any(k in branch for k in ("minimum", "exclusiveMinimum")):
                    branch.update(_POSITIVE)
