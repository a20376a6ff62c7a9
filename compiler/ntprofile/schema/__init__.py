"""The profile JSON Schema: generated from the installed NautilusTrader (``generate``, ``docs``),
refined with what NautilusTrader leaves implicit (``refine``), shipped as ``profile.schema.json``.

Only ``generate`` imports NautilusTrader; ``validate`` reads the JSON file.
"""

from pathlib import Path

PACKAGED_SCHEMA = Path(__file__).resolve().parent / "profile.schema.json"
"""The schema the package ships (and ``validate`` reads)."""

__all__ = ["PACKAGED_SCHEMA"]
