"""NautilusTrader 2.0's adapter records: one module per 2.0 live adapter, ``ADAPTER`` in each.

Where a venue is the same as on 1.x, its record reuses the 1.x module's rules,
hosts and product routing (``ADAPTER._replace``); what 2.0 changed (client
classes, environment enums, field names) is stated here. Every 2.0 adapter
class lives in its adapter package itself (``nautilus_trader.adapters.X:XDataClientConfig``),
so a record's classes are named ``pkg(X)`` + class below.
"""

UNSUPPORTED: dict[str, str] = {}
"""2.0 adapters that need an optional package, and the extra that installs it: none in 2.0.0rc7
(betfair, interactive_brokers and polymarket import without extras there)."""


def pkg(adapter: str) -> str:
    """The module that holds every class of a 2.0 adapter (``nautilus_trader.adapters.binance``)."""
    return f"nautilus_trader.adapters.{adapter}"
