"""What NautilusTrader leaves implicit about values, stated once for the schema and for resolved values.

NautilusTrader types many fields as plain ``str`` or ``int`` and checks them
later: in Rust (a ``trader_id`` without a hyphen, an unknown log level or a
non-ASCII identifier abort the whole process), at node construction
(``"100 per second"`` as a rate limit) or not at all (port 70000). Each
``Constraint`` below is one such fact, with two faces:

- ``schema``: JSON Schema keywords the generated schema adds to the field, so
  the editor and ``ntprofile validate`` refuse a literal value;
- ``problem``: why a value breaks it, run on every value that arrives through a
  placeholder once it is resolved (``compile.fill``) and on the whole tree
  before any NautilusTrader object is constructed (``compile``).

Both faces come from the same entry, so a new constraint cannot reach one side
only (a test feeds a breaking value of every entry to both). Pure Python: the
validate path may use it.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, NamedTuple

from ntprofile.releases import active

__all__ = [
    "Constraint",
    "FIELD_CONSTRAINTS",
    "INT64_MAX",
    "INT64_MIN",
    "LOG_LEVELS",
    "RATE_LIMIT",
    "TRADER_ID",
    "constraint_for",
    "field_problem",
    "finite_problem",
    "int_problem",
    "is_duration",
    "model_value_problem",
    "number_problem",
    "positive_problem",
    "rate_limit_problem",
    "trader_id_problem",
]

TRADER_ID = re.compile(r"^[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)+$")
RATE_LIMIT = re.compile(r"^(\d+)/(\d{2}):(\d{2}):(\d{2})$")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
LOG_LEVELS = ("OFF", "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR")
"""Log levels NautilusTrader's Rust parser accepts (any case); anything else panics."""

_NONZERO_2 = "(?:0[1-9]|[1-9][0-9])"
_NONZERO_59 = "(?:0[1-9]|[1-5][0-9])"
_MS = "[0-5][0-9]"
RATE_LIMIT_PATTERN = rf"^0*[1-9][0-9]*/(?:{_NONZERO_2}:{_MS}:{_MS}|00:{_NONZERO_59}:{_MS}|00:00:{_NONZERO_59})$"
"""``<int>/<HH:MM:SS>`` with a positive count and a non-zero interval (``rate_limit_problem``). No
lookahead: editors' schema engines include Rust's ``regex`` (Taplo), which has none."""

LOG_FILE_FORMAT_PATTERN = r"^[Jj][Ss][Oo][Nn]$"
"""NautilusTrader writes JSON log files for ``json`` in any case and plain text for ``null``;
any other text falls back to plain text with a warning on stderr."""

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
"""``instance_id`` is a UUID4."""


class Constraint(NamedTuple):
    """One fact about a NautilusTrader field's values.

    Parameters
    ----------
    schema : dict
        JSON Schema keywords for the field's non-null branch (or, with
        ``replace``, the field's whole schema).
    problem : callable
        Value -> why it breaks the constraint, or ``None``; never called with ``None``.
    example : Any
        A value that meets it: the stand-in ``compile`` checks the rest of the
        config with while a placeholder keeps the real value unknown.
    replace : bool
        The schema replaces the field's own (``node`` fields NautilusTrader types as plain ``str``).
    each_value : bool
        The constraint holds for every value of a mapping field (``log_component_levels``).
    lines : frozenset[str], optional
        The NautilusTrader release lines (``"1"``, ``"2"``) whose class of that name it describes;
        ``None``: every line that has the class. 2.0 keeps some 1.x class names but types a field
        differently (``CacheConfig.encoding`` is an enum there, held by its member names).

    """

    schema: dict[str, Any]
    problem: Callable[[Any], str | None]
    example: Any
    replace: bool = False
    each_value: bool = False
    lines: frozenset[str] | None = None


# ------------------------------------------------------------------ problems


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def trader_id_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid ``trader_id`` (``NAME-TAG``), or ``None``."""
    if not isinstance(value, str):
        return f"must be a string of the form NAME-TAG (such as 'PROD-BINANCE-001'), got {type(value).__name__}"
    if not TRADER_ID.match(value):
        return (
            f"'{value}' is not of the form NAME-TAG (such as 'PROD-BINANCE-001'): a name and a tag "
            "joined by a hyphen, ASCII letters, digits, '_' and '.' only"
        )
    return None


def rate_limit_problem(value: Any) -> str | None:
    """Why ``value`` is not a rate limit ``<int>/<HH:MM:SS>``, or ``None``."""
    match = RATE_LIMIT.match(value) if isinstance(value, str) else None
    if not match:
        return f"{value!r} is not a rate limit of the form '<count>/<HH:MM:SS>' (such as '100/00:00:01')"
    count, hours, minutes, seconds = (int(g) for g in match.groups())
    if count <= 0:
        return f"'{value}': the count must be positive"
    if minutes >= 60 or seconds >= 60:
        return f"'{value}': minutes and seconds must be below 60"
    if hours == minutes == seconds == 0:
        return f"'{value}': the interval must be longer than zero"
    return None


def positive_problem(value: Any) -> str | None:
    """Why the number ``value`` is not positive (a timeout or an interval), or ``None``."""
    if _is_number(value) and not value > 0:
        return f"{value!r} must be positive (a zero interval busy-loops, a zero timeout fails at once)"
    return None


def _port_problem(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
        return f"{value!r} is not a port (1-65535)"
    return None


def _at_least(least: int) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        if _is_number(value) and value < least:
            return f"{value!r} is below the least allowed value {least}"
        return None

    return problem


def _one_of(choices: tuple[str, ...], any_case: bool = False, what: str = "value") -> Callable[[Any], str | None]:
    allowed = {c.upper() for c in choices} if any_case else set(choices)

    def problem(value: Any) -> str | None:
        key = value.upper() if any_case and isinstance(value, str) else value
        if key in allowed:
            return None
        return f"{value!r} is not a {what} ({', '.join(choices)})"

    return problem


def _matches(pattern: str, text: str) -> Callable[[Any], str | None]:
    compiled = re.compile(pattern)

    def problem(value: Any) -> str | None:
        if isinstance(value, str) and compiled.match(value):
            return None
        return f"{value!r} {text}"

    return problem


def model_value_problem(value: Any, class_name: str) -> str | None:
    """Why ``value`` would abort the process when NautilusTrader builds a ``class_name`` from it, or ``None``.

    ``class_name`` names a NautilusTrader model class (``TraderId``, ``Venue``,
    ``InstrumentId``, ``BarType``): Rust builds them and panics on non-ASCII text.
    """
    if class_name == "TraderId":
        return trader_id_problem(value)
    if isinstance(value, str) and not value.isascii():
        return f"{value!r} has a non-ASCII character; a NautilusTrader {class_name} takes ASCII only"
    return None


def int_problem(value: Any) -> str | None:
    """Why the integer ``value`` cannot reach NautilusTrader (beyond 64 bits), or ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        return f"{value} does not fit in 64 bits (NautilusTrader's largest integer is {INT64_MAX})"
    return None


def finite_problem(value: Any) -> str | None:
    """Why the float ``value`` cannot reach NautilusTrader (infinite or NaN), or ``None``.

    YAML ``.inf``/``.nan`` and TOML ``inf``/``nan``/``1e400`` load as floats that
    JSON has no spelling for: ``node.json`` would carry ``null``, which
    NautilusTrader then refuses, and in memory an endless timeout never fires.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number (JSON, and so node.json, has no infinity or NaN)"
    return None


def number_problem(value: Any) -> str | None:
    """Why a number cannot reach any NautilusTrader field (not finite, beyond 64 bits), or ``None``.

    One rule for every field, on every file in ``validate`` (the pre-commit hook)
    and on the resolved tree in ``compile``.
    """
    return finite_problem(value) or int_problem(value)


# ------------------------------------------------------------------ the table

_LOG_LEVEL = Constraint(
    {"enum": [*LOG_LEVELS, *(level.lower() for level in LOG_LEVELS)]},
    _one_of(LOG_LEVELS, any_case=True, what="log level"),
    "INFO",
)
_V1 = frozenset({"1"})
_ENCODING = Constraint(
    {"enum": ["msgpack", "json"]}, _one_of(("msgpack", "json"), what="cache encoding"), "msgpack", lines=_V1
)
_RATE_LIMIT = Constraint({"pattern": RATE_LIMIT_PATTERN}, rate_limit_problem, "100/00:00:01")

_TRADER_ID = Constraint(
    {"type": "string", "pattern": TRADER_ID.pattern}, trader_id_problem, "PLACEHOLDER-001", replace=True
)
_INSTANCE_ID = Constraint(
    {"anyOf": [{"type": "string", "pattern": UUID_PATTERN}, {"type": "null"}]},
    _matches(UUID_PATTERN, "is not a UUID4"),
    "00000000-0000-4000-8000-000000000000",
    replace=True,
)
_LOG_FILE_FORMAT = Constraint(
    {"pattern": LOG_FILE_FORMAT_PATTERN},
    _matches(LOG_FILE_FORMAT_PATTERN, "is not a log file format (json)"),
    "json",
)
_COMPONENT_LEVELS = Constraint(_LOG_LEVEL.schema, _LOG_LEVEL.problem, _LOG_LEVEL.example, each_value=True)
_REDIS = {
    "port": Constraint({"minimum": 1, "maximum": 65535}, _port_problem, 6379),
    "number_of_retries": Constraint({"minimum": 0}, _at_least(0), 1),
    "exponent_base": Constraint({"minimum": 1}, _at_least(1), 1),
    "max_delay": Constraint({"minimum": 0}, _at_least(0), 1),
    "factor": Constraint({"minimum": 0}, _at_least(0), 1),
}

FIELD_CONSTRAINTS: dict[tuple[str, str], Constraint] = {
    ("TradingNodeConfig", "trader_id"): _TRADER_ID,
    ("TradingNodeConfig", "instance_id"): _INSTANCE_ID,
    ("TradingNodeConfig", "environment"): Constraint(
        {"enum": ["live", "sandbox"]}, _one_of(("live", "sandbox"), what="live node environment"), "live", replace=True
    ),
    ("DatabaseConfig", "type"): Constraint({"enum": ["redis"]}, _one_of(("redis",), what="database type"), "redis"),
    **{("DatabaseConfig", field): c for field, c in _REDIS.items()},
    ("CacheConfig", "encoding"): _ENCODING,
    ("MessageBusConfig", "encoding"): _ENCODING,
    ("LiveRiskEngineConfig", "max_order_submit_rate"): _RATE_LIMIT,
    ("LiveRiskEngineConfig", "max_order_modify_rate"): _RATE_LIMIT,
    ("LoggingConfig", "log_level"): _LOG_LEVEL,
    ("LoggingConfig", "log_level_file"): _LOG_LEVEL,
    ("LoggingConfig", "log_file_format"): _LOG_FILE_FORMAT,
    ("LoggingConfig", "log_component_levels"): _COMPONENT_LEVELS,
    ("LiveDataEngineConfig", "time_bars_interval_type"): Constraint(
        {"enum": ["left-open", "right-open"]},
        _one_of(("left-open", "right-open"), what="bar interval type"),
        "left-open",
        lines=_V1,
    ),
    # NautilusTrader 2.0's classes
    ("LiveNodeConfig", "trader_id"): _TRADER_ID,
    ("LiveNodeConfig", "instance_id"): _INSTANCE_ID,
    ("LiveNodeConfig", "environment"): Constraint(
        {"enum": ["LIVE", "SANDBOX"]}, _one_of(("LIVE", "SANDBOX"), what="live node environment"), "LIVE", replace=True
    ),
    **{("RedisCacheConfig", field): c for field, c in _REDIS.items()},
    ("LoggerConfig", "component_levels"): _COMPONENT_LEVELS,
    ("FileWriterConfig", "file_format"): _LOG_FILE_FORMAT,
}
"""(NautilusTrader config class, field) -> its constraint. Besides the table, every
numeric ``*timeout*``/``*interval*`` field without a lower bound of its own must be
positive (``is_duration``)."""


def is_duration(name: str) -> bool:
    """A timeout or interval field, by NautilusTrader's naming: a zero one busy-loops or fails at once."""
    return "timeout" in name or "interval" in name


def constraint_for(component: str, field: str) -> Constraint | None:
    """The table's constraint on ``component.field`` in the active release line, if any."""
    constraint = FIELD_CONSTRAINTS.get((component, field))
    if constraint is not None and constraint.lines is not None and active().line not in constraint.lines:
        return None
    return constraint


def field_problem(
    component: str, field: str, value: Any, *, bounded: bool = False, each_value: bool = False
) -> str | None:
    """Why ``value`` of ``component.field`` (or one value of that mapping field) breaks a constraint, or ``None``.

    Parameters
    ----------
    component, field : str
        The NautilusTrader config class name and the field's name.
    value : Any
        The value, converted to the field's type; ``None`` (the default) is never a problem.
    bounded : bool
        The field's type has its own lower bound, enforced on conversion
        (``inflight_check_interval_ms`` may be 0): a duration is then not held to "positive".
    each_value : bool
        ``value`` is one value of the mapping field ``field``.

    """
    if value is None:
        return None
    constraint = constraint_for(component, field)
    if constraint is not None and constraint.each_value == each_value:
        return constraint.problem(value)
    if not each_value and not bounded and is_duration(field):
        return positive_problem(value)
    return None
