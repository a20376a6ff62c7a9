"""ntprofile: declarative profiles for NautilusTrader live trading nodes.

The public API is imported lazily so that ``import ntprofile`` stays cheap on
the validate path; ``nautilus_trader`` is imported only by the stages after
``validate``.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["TradingNodeConfigFactory", "build_node", "compile_profile", "load"]

_LAZY = {
    "load": "ntprofile.api",
    "compile_profile": "ntprofile.api",
    "build_node": "ntprofile.api",
    "TradingNodeConfigFactory": "ntprofile.facade",
}


def __getattr__(name: str):
    """Import the public API on first use (PEP 562), keeping ``import ntprofile`` light."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ntprofile' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))
