"""Stage 4, ``compile``: ``Merged`` in, NautilusTrader's own ``TradingNodeConfig`` out.

``node_tree`` rearranges the profile into ``TradingNodeConfig``'s layout,
``fill`` puts placeholders' values (or stand-ins) in, ``nt_types`` reads field
types from NautilusTrader's structs, ``compiler`` decodes and assembles,
``output`` writes ``build/PROFILE/``.

The names below are imported on first use (PEP 562): ``output`` renders
``env.example`` for ``ntprofile env --format dotenv`` too, which is on the
validate path and must work without NautilusTrader installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.compile.compiler import compile_merged
    from ntprofile.compile.result import Client, Compiled

__all__ = ["Client", "Compiled", "compile_merged"]

_LAZY = {
    "Compiled": "ntprofile.compile.result",
    "compile_merged": "ntprofile.compile.compiler",
    "Client": "ntprofile.compile.result",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ntprofile.compile' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
