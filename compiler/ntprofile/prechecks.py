"""Values NautilusTrader checks only in Rust (or only at node construction): check them first.

A ``trader_id`` without a hyphen, or any identifier (``Venue``, ``ClientId``,
``InstrumentId``, ...) with a non-ASCII character, aborts the whole process
with a Rust panic that Python cannot catch; a rate limit such as
``"100 per second"`` passes config parsing and fails only when the node is
built, and so does an integer too large for 64 bits. All are checked here, on
plain values, before any NautilusTrader object is constructed. Pure Python:
the validate path may use it too.
"""

from __future__ import annotations

import re
from typing import Any

TRADER_ID = re.compile(r"^[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)+$")
RATE_LIMIT = re.compile(r"^(\d+)/(\d{2}):(\d{2}):(\d{2})$")
RATE_LIMIT_FIELDS = ("max_order_submit_rate", "max_order_modify_rate")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


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
