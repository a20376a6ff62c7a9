"""What NautilusTrader leaves implicit, stated as JSON Schema constraints.

NautilusTrader types many fields as plain ``str`` or ``int`` and checks them
later: in Rust (a ``trader_id`` without a hyphen or an unknown log level abort
the process), at node construction (``"100 per second"`` as a rate limit) or
not at all (port 70000). Each refinement here makes such a value a validation
error in the editor and in ``ntprofile validate`` instead. No NautilusTrader
import: these are facts checked on 1.231 and pinned by tests.
"""

from __future__ import annotations

from typing import Any

from ntprofile.language import constraints as prechecks

PLACEHOLDER_PATTERN = r"(?:^|[^$])(?:\$\$)*\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)"
"""A string holding at least one ``${NAME}``, ``${NAME:-default}`` or ``$NAME`` (not ``$$NAME``)."""

TRADER_ID_PATTERN = prechecks.TRADER_ID.pattern
"""``NAME-TAG``: NautilusTrader panics in Rust (exit 134) on a trader id without a hyphen."""

_NONZERO_2 = "(?:0[1-9]|[1-9][0-9])"
_NONZERO_59 = "(?:0[1-9]|[1-5][0-9])"
_MS = "[0-5][0-9]"
RATE_LIMIT_PATTERN = rf"^0*[1-9][0-9]*/(?:{_NONZERO_2}:{_MS}:{_MS}|00:{_NONZERO_59}:{_MS}|00:00:{_NONZERO_59})$"
"""``<int>/<HH:MM:SS>`` with a positive count and a non-zero interval (as ``prechecks.rate_limit_problem``);
``"100 per second"`` parses but fails at node construction, ``"0/00:00:01"`` at compile. No lookahead:
editors' schema engines include Rust's ``regex`` (Taplo), which has none."""

LOG_FILE_FORMAT_PATTERN = r"^[Jj][Ss][Oo][Nn]$"
"""NautilusTrader writes JSON log files for ``json`` in any case and plain text for ``null``;
any other text falls back to plain text with a warning on stderr."""

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
"""``instance_id`` is a UUID4."""

LOG_LEVELS = ["OFF", "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR"]
"""Log levels NautilusTrader's Rust parser accepts (any case); anything else panics."""

_LOG_LEVEL = {"enum": LOG_LEVELS + [lvl.lower() for lvl in LOG_LEVELS]}
_POSITIVE = {"exclusiveMinimum": 0}

NODE_REFINEMENTS: dict[str, dict[str, Any]] = {
    "trader_id": {"type": "string", "pattern": TRADER_ID_PATTERN},
    "instance_id": {"anyOf": [{"type": "string", "pattern": UUID_PATTERN}, {"type": "null"}]},
    "environment": {"enum": ["live", "sandbox"]},
}
"""``node:`` fields; ``backtest`` is not an environment for a live node."""

FIELD_REFINEMENTS: dict[tuple[str, str], dict[str, Any]] = {
    ("DatabaseConfig", "type"): {"enum": ["redis"]},
    ("DatabaseConfig", "port"): {"minimum": 1, "maximum": 65535},
    ("DatabaseConfig", "number_of_retries"): {"minimum": 0},
    ("DatabaseConfig", "exponent_base"): {"minimum": 1},
    ("DatabaseConfig", "max_delay"): {"minimum": 0},
    ("DatabaseConfig", "factor"): {"minimum": 0},
    ("CacheConfig", "encoding"): {"enum": ["msgpack", "json"]},
    ("MessageBusConfig", "encoding"): {"enum": ["msgpack", "json"]},
    ("LiveRiskEngineConfig", "max_order_submit_rate"): {"pattern": RATE_LIMIT_PATTERN},
    ("LiveRiskEngineConfig", "max_order_modify_rate"): {"pattern": RATE_LIMIT_PATTERN},
    ("LoggingConfig", "log_level"): _LOG_LEVEL,
    ("LoggingConfig", "log_level_file"): _LOG_LEVEL,
    ("LoggingConfig", "log_file_format"): {"pattern": LOG_FILE_FORMAT_PATTERN},
    ("LiveDataEngineConfig", "time_bars_interval_type"): {"enum": ["left-open", "right-open"]},
}
"""(component, field) -> constraints added to the field's non-null branch."""

_MAP_VALUE_REFINEMENTS: dict[tuple[str, str], dict[str, Any]] = {
    ("LoggingConfig", "log_component_levels"): _LOG_LEVEL,
}
"""(component, field) -> constraints on every value of a mapping field."""


def constrain(prop: dict[str, Any], extra: dict[str, Any]) -> None:
    """Add ``extra`` to ``prop``, or to each of its non-null ``anyOf`` branches."""
    if "anyOf" in prop and "anyOf" not in extra:
        for branch in prop["anyOf"]:
            if branch.get("type") != "null":
                branch.update(extra)
    else:
        prop.update(extra)


def _is_duration(name: str) -> bool:
    return "timeout" in name or "interval" in name


def _numeric_branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in prop.get("anyOf", [prop]) if b.get("type") in ("integer", "number")]


def refine_component(component_name: str, component: dict[str, Any]) -> None:
    """Apply every refinement for one NautilusTrader component, in place.

    Besides the table: every numeric field named ``*timeout*`` or ``*interval*``
    without a lower bound must be positive (a zero interval busy-loops, a zero
    timeout fails at once).
    """
    for field, prop in component.get("properties", {}).items():
        extra = FIELD_REFINEMENTS.get((component_name, field))
        if extra:
            constrain(prop, extra)
        values = _MAP_VALUE_REFINEMENTS.get((component_name, field))
        if values:
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "object":
                    branch["additionalProperties"] = {**branch.get("additionalProperties", {}), **values}
        if _is_duration(field):
            for branch in _numeric_branches(prop):
                if not any(k in branch for k in ("minimum", "exclusiveMinimum")):
                    branch.update(_POSITIVE)
