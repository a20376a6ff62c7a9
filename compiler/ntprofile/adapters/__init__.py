"""One module per exchange adapter; ``ADAPTERS`` maps an adapter name to it.

An adapter module knows how an ``exchanges:`` section becomes that adapter's
data and exec client configs and which factories to register. It names
NautilusTrader classes by import path only, so importing the registry never
imports ``nautilus_trader`` (the schema generator and the compiler do that).
Adding OKX later is one new module defining ``ADAPTER``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from ntprofile.layers import enabled_entries

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.layers import Merged


@dataclass(frozen=True, slots=True)
class Adapter:
    """What ntprofile needs to know about one NautilusTrader exchange adapter.

    Parameters
    ----------
    name : str
        The ``adapter:`` value (``binance``).
    data_config, exec_config : str
        ``module:Class`` of the adapter's data and exec client configs.
    data_factory, exec_factory : str
        ``module:Class`` of the live client factories to register.
    environment_field : str
        The config field that selects the venue environment.
    environment_enum : str
        ``module:Class`` of that field's enum.
    environments : dict[str, str]
        Profile value (``mainnet``/``testnet``/``demo``) -> enum member name.
    default_venue : str
        The venue the exec client registers with when the profile sets none
        (NautilusTrader allows one exec client per venue on a node).
    venue_field : str, optional
        The config field that changes the venue; ``None`` when the adapter has
        none and every client of it trades on ``default_venue``.
    nested : dict[str, str]
        Field name -> ``module:Class`` of an adapter-specific config to use for
        that field when the profile sets fields only that class has (Binance's
        ``instrument_provider`` -> ``BinanceInstrumentProviderConfig``).
    hosts : dict[str, frozenset[str]]
        Profile environment (``mainnet``/``testnet``/``demo``) -> every host name
        NautilusTrader's own URL helpers give that environment (HTTP and
        WebSocket), for the cross-environment URL rule.
    product_problem : callable, optional
        ``(symbol, options) -> (message, hint) or None``: why a client with these
        effective options (section options under its ``data``/``exec`` ones)
        cannot serve an instrument symbol; ``None`` when it can, or cannot tell.

    """

    name: str
    data_config: str
    exec_config: str
    data_factory: str
    exec_factory: str
    environment_field: str
    environment_enum: str
    environments: dict[str, str]
    default_venue: str
    venue_field: str | None = None
    nested: dict[str, str] = field(default_factory=dict)
    hosts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    product_problem: Callable[[str, Mapping[str, Any]], tuple[str, str] | None] | None = None


def adapter_of(client_id: str, section: Mapping[str, Any]) -> Adapter | None:
    """The adapter an exchange section uses: its ``adapter`` exactly as written, else the lower-cased client id.

    Every stage asks this one function, so ``adapter: Bybit`` is the same unknown
    adapter to the schema, the policy and the compiler.
    """
    name = section.get("adapter", str(client_id).lower())
    return ADAPTERS.get(name) if isinstance(name, str) else None


def sections_of(merged: Merged, adapter: Adapter) -> Iterator[tuple[str, dict[str, Any]]]:
    """The enabled exchange sections of ``merged`` that use ``adapter`` (for an adapter's own rules)."""
    for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
        if adapter_of(client_id, section) == adapter:
            yield client_id, section


def _discover() -> dict[str, Adapter]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, Adapter):
            found[adapter.name] = adapter
    return found


ADAPTERS: dict[str, Adapter] = _discover()
