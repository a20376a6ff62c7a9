"""Build, run, stop and dispose a ``TradingNode`` from a compiled ``TradingNodeConfig``.

The client factories come from the adapter registry (``ntprofile.adapters``),
matched by each client config's class, and are registered before ``build()``:
NautilusTrader 1.231 crashes on an exec client's ``factory.path`` (DESIGN.md), and
a hard-coded list would miss the next adapter. Building creates the clients but
connects nothing; only ``run`` starts the node and so talks to a venue.

Signals: ``TradingNode`` installs its own SIGINT/SIGTERM handlers on the event
loop it is given; they call ``node.stop()``, after which ``node.run()`` returns.
``run_node`` then disposes the node, which closes the cache database (flushing
buffered Redis writes) and the loop.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import TYPE_CHECKING, Any

from ntprofile.adapters import ADAPTERS, Adapter

if TYPE_CHECKING:  # pragma: no cover - typing only; importing them costs a second
    from nautilus_trader.config import TradingNodeConfig
    from nautilus_trader.live.node import TradingNode


def class_path(obj: Any) -> str:
    """``module:Class`` of an adapter client config (or the ``path`` of an ``ImportableConfig``)."""
    path = getattr(obj, "path", None)
    if isinstance(path, str) and ":" in path and hasattr(obj, "factory"):
        return path
    cls = type(obj)
    return f"{cls.__module__}:{cls.__qualname__}"


def adapter_for(client_config: Any, kind: str) -> Adapter | None:
    """The registered adapter whose ``kind`` (``data``/``exec``) config class is that of ``client_config``."""
    path = class_path(client_config)
    for adapter in ADAPTERS.values():
        if getattr(adapter, f"{kind}_config") == path:
            return adapter
    return None


def load_class(path: str) -> type:
    """The class named ``module:Class``."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def factory_name(client_id: str) -> str:
    """The name NautilusTrader's builder looks a factory up by: the client id up to a ``-``."""
    return client_id.partition("-")[0]


def register_factories(node: TradingNode, config: TradingNodeConfig) -> list[tuple[str, str, str]]:
    """Register the data and exec client factory of every configured client.

    Returns
    -------
    list[tuple[str, str, str]]
        ``(kind, client id, adapter name)`` for each registration.

    Raises
    ------
    ValueError
        For a client whose config class no registered adapter knows.

    """
    done = []
    for kind, clients, add in (
        ("data", config.data_clients, node.add_data_client_factory),
        ("exec", config.exec_clients, node.add_exec_client_factory),
    ):
        for client_id, client_config in (clients or {}).items():
            adapter = adapter_for(client_config, kind)
            if adapter is None:
                raise ValueError(f"no adapter registered for {kind} client {client_id} ({class_path(client_config)})")
            add(factory_name(client_id), load_class(getattr(adapter, f"{kind}_factory")))
            done.append((kind, client_id, adapter.name))
    return done


def build_node(config: TradingNodeConfig) -> TradingNode:
    """A built ``TradingNode`` on a fresh event loop, factories registered, nothing connected.

    Run ``preflight`` first: handed an unreachable Redis, the constructor blocks
    for hours with SIGTERM ignored.
    """
    from nautilus_trader.live.node import TradingNode

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    node = TradingNode(config=config, loop=loop)
    try:
        register_factories(node, config)
        node.build()
    except BaseException:
        dispose_node(node)
        raise
    return node


def dispose_node(node: TradingNode) -> None:
    """Stop the node if it runs, dispose it (closing Redis after its buffer is written) and the loop."""
    try:
        if node.kernel.is_running():
            node.stop()
        loop = node.get_event_loop()
        if loop is not None and not loop.is_closed() and not loop.is_running():
            node.kernel.cancel_all_tasks()  # clients start tasks at construction (Bybit's repay queue)
    finally:
        node.dispose()
        loop = node.get_event_loop()
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.close()
        asyncio.set_event_loop(None)


def run_node(node: TradingNode) -> None:
    """Run the node until SIGINT or SIGTERM (NautilusTrader's handlers stop it), then dispose it.

    ``node.run()`` returns once the stop has completed (``timeout_post_stop``
    included); disposing afterwards closes the cache database, which writes the
    buffered Redis operations before closing.
    """
    try:
        node.run()
    finally:
        dispose_node(node)
