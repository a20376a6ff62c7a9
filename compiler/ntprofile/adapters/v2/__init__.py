"""NautilusTrader 2.0's adapter records: one module per 2.0 live adapter, ``ADAPTER`` in each.

Where a venue is the same as on 1.x, its record reuses the 1.x module's rules,
hosts and product routing (``dataclasses.replace``); what 2.0 changed (client
classes, environment enums, field names) is stated here.
"""

UNSUPPORTED: dict[str, str] = {}
"""2.0 adapters that need an optional package, and the extra that installs it."""
