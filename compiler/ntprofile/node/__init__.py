"""Stage 5, ``node``: a resolved ``TradingNodeConfig`` in, a built (and run) ``TradingNode`` out.

``preflight`` checks what NautilusTrader would hang or fail on (Redis,
directories, component classes) within seconds; ``runtime`` registers the
adapters' factories, builds, runs and stops the node under signal control.

The names below are imported on first use (PEP 562): the command line imports
``node.requirements`` for every command, and ``runtime`` brings ``asyncio``,
which the validate path must not pay for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.node.runtime import Interrupted, StopSignals, build_node, dispose_node, run_node, stop_bound

__all__ = ["Interrupted", "StopSignals", "build_node", "dispose_node", "run_node", "stop_bound"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'ntprofile.node' has no attribute {name!r}")
    from ntprofile.node import runtime

    value = getattr(runtime, name)
    globals()[name] = value
    return value
