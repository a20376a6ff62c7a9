"""Values NautilusTrader checks only in Rust (or only at node construction): check them first.

A ``trader_id`` without a hyphen, or any identifier (``Venue``, ``ClientId``,
``InstrumentId``, ...) with a non-ASCII character, aborts the whole process
with a Rust panic that Python cannot catch; a rate limit such as
``"100 per second"`` passes config parsing and fails only when the node is
built, and so does an integer too large for 64 bits; an infinite or NaN
number has no JSON form at all. All are checked here, on
plain values, before any NautilusTrader object is constructed. Pure Python:
the validate path may use it too.

The schema refuses such values when they are written literally; a value that
arrives through a placeholder (``port: ${REDIS_PORT}``) is only known once
resolved, so the checks here run again on every resolved value (``fill`` and
``compile``), before anything is built: a port of 0 would
otherwise reach NautilusTrader's Rust connect and hang the process.
"""

from __future__ import annotations

import math
import re
from typing import Any

TRADER_ID = re.compile(r"^[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)+$")
RATE_LIMIT = re.compile(r"^(\d+)/(\d{2}):(\d{2}):(\d{2})$")
RATE_LIMIT_FIELDS = ("max_order_submit_rate", "max_order_modify_rate")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
PORT_MIN, PORT_MAX = 1, 65535
LOG_LEVELS = frozenset({"OFF", "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR"})
LOG_LEVEL_FIELDS = ("log_level", "log_level_file")
DATABASE_MINIMUMS = {"number_of_retries": 0, "exponent_base": 1, "max_delay": 0, "factor": 0}
"""``DatabaseConfig`` fields and their least value (the schema's ``minimum``)."""
COMPONENT_SECTIONS = ("strategies", "actors", "exec_algorithms")
"""Node sections whose ``config`` belongs to the user's own config classes, not NautilusTrader's."""


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
    """Why a number cannot reach NautilusTrader at all (not finite, beyond 64 bits), or ``None``.

    One rule for ``validate`` (each file, the pre-commit hook) and for
    ``compile`` (the resolved tree).
    """
    return finite_problem(value) or int_problem(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def port_problem(value: Any) -> str | None:
    """Why ``value`` is not a TCP port (1-65535), or ``None`` (``None`` itself is fine: the default)."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not PORT_MIN <= value <= PORT_MAX:
        return f"{value!r} is not a port (1-65535)"
    return None


def positive_problem(value: Any) -> str | None:
    """Why the number ``value`` is not positive (a timeout or an interval), or ``None``."""
    if _is_number(value) and not value > 0:
        return f"{value!r} must be positive (a zero interval busy-loops, a zero timeout fails at once)"
    return None


def log_level_problem(value: Any) -> str | None:
    """Why ``value`` is not a log level NautilusTrader's Rust parser accepts (it aborts otherwise), or ``None``."""
    if value is None or (isinstance(value, str) and value.upper() in LOG_LEVELS):
        return None
    return f"{value!r} is not a log level ({', '.join(sorted(LOG_LEVELS))})"


def resolved_value_problem(path: tuple, value: Any, bounded: bool = False) -> str | None:
    """Why a value resolved from a variable breaks a constraint the schema states for its field, or ``None``.

    The constraints here are the ones nothing else checks on resolved values:
    ports (1-65535), positive timeouts and intervals, ``DatabaseConfig``
    minimums, log levels. ``trader_id``, identifiers, rate limits and 64-bit
    integers are checked on the whole resolved tree by ``compile`` (V003)
    before anything is constructed, with the functions above.

    Parameters
    ----------
    path : tuple
        The node path of the value (``("cache", "database", "port")``).
    value : Any
        The value converted to the field's type.
    bounded : bool
        The field's type has its own lower bound (``inflight_check_interval_ms``
        may be 0): it is enforced on conversion, and a timeout or interval is
        then not held to "positive".

    """
    name = path[-1] if path else None
    if not isinstance(name, str):
        return None
    if name == "port":
        return port_problem(value)
    if len(path) >= 3 and path[0] in COMPONENT_SECTIONS and path[2] == "config":
        return None  # the user's own config class validates the rest
    if path[:1] == ("logging",) and (name in LOG_LEVEL_FIELDS or path[-2:-1] == ("log_component_levels",)):
        return log_level_problem(value)
    if len(path) >= 2 and path[-2] == "database" and name in DATABASE_MINIMUMS and _is_number(value):
        least = DATABASE_MINIMUMS[name]
        if value < least:
            return f"{value!r} is below the least allowed value {least}"
    if ("timeout" in name or "interval" in name) and not bounded:
        return positive_problem(value)
    return None
