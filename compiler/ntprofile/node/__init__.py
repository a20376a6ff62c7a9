"""Stage 5, ``node``: a resolved ``TradingNodeConfig`` in, a built (and run) ``TradingNode`` out.

``preflight`` checks what NautilusTrader would hang or fail on (Redis,
directories, component classes) within seconds; ``runtime`` registers the
adapters' factories, builds, runs and stops the node under signal control.
"""

from ntprofile.node.runtime import (
    Interrupted,
    StopSignals,
    build_node,
    dispose_node,
    run_node,
    stop_bound,
)

__all__ = ["Interrupted", "StopSignals", "build_node", "dispose_node", "run_node", "stop_bound"]
