"""What compiling one merged profile gives, whichever NautilusTrader release compiled it.

Both release backends return a ``Compiled``; the commands (``compile``, ``check``,
``run``, the summary) read it and nothing else of the backend's work. Nothing
here imports NautilusTrader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ntprofile.adapters import Adapter
from ntprofile.diagnostics import Diagnostic

__all__ = ["Client", "Compiled"]


class Client(NamedTuple):
    """One exchange client id on the node and which of its clients are configured."""

    client_id: str
    adapter: Adapter
    has_data: bool
    has_exec: bool


@dataclass(slots=True)
class Compiled:
    """The result of compiling one merged profile.

    Parameters
    ----------
    config : Any
        The release's in-memory node config (1.x: ``TradingNodeConfig`` with real adapter
        config objects; 2.0: ``releases.v2.NodeConfig``); ``None`` when there are errors.
    node_json : dict or None
        The ``node.json`` artifact, placeholders verbatim (1.x: NautilusTrader's own JSON,
        clients as ``ImportableConfig``; 2.0: ntprofile's ``ntprofile-node/1``).
    clients : list[Client]
        ``(client_id, adapter, has_data, has_exec)`` for factory registration.
    diagnostics : list[Diagnostic]
        Errors and warnings.
    unportable : list[str]
        Client fields ``node.json`` cannot carry (``exec_clients.BINANCE.futures_leverages``).

    """

    config: Any
    node_json: dict[str, Any] | None
    clients: list[Client] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unportable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)
