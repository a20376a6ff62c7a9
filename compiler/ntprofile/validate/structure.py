"""Rules about the shape of the node a target builds: L007 (a switch that disables nothing), V005 (two exec clients on one venue).

They read the merged tree and the adapters' traits; no NautilusTrader import.
"""

from __future__ import annotations

from ntprofile.adapters import adapter_of, client_venue
from ntprofile.diagnostics import Diagnostic, key_path
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.language.vocabulary import TOGGLED_SECTIONS
from ntprofile.layers import Merged, enabled_entries
from ntprofile.validate import policy

__all__ = ["disabled_nothing", "client_venue", "shared_exec_venues"]


def disabled_nothing(merged: Merged) -> list[Diagnostic]:
    """L007: an ``enabled: false`` entry that no layer defines (a typo that switches nothing off).

    The merged entry is exactly ``{enabled: false}``: nothing but the switch was
    ever written for it, so the entry the author meant (``ema_btc`` for
    ``ema_bt``) keeps running. Reported at the line that set the switch.
    """
    diags = []
    for section in TOGGLED_SECTIONS:
        entries = merged.tree.get(section)
        if not isinstance(entries, dict):
            continue
        for name, entry in entries.items():
            if entry != {"enabled": False}:
                continue
            path = (section, name)
            others = [str(other) for other in entries if other != name and entries[other] != {"enabled": False}]
            hint = did_you_mean(str(name), others)
            if hint is None:
                hint = f"no layer defines it; the {section} are {', '.join(others)}" if others else "remove it"
            diags.append(
                Diagnostic(
                    "L007",
                    f"'{name}' is disabled but no layer defines it, so this disables nothing",
                    merged.origin(path + ("enabled",)),
                    key_path(path),
                    hint,
                )
            )
    return diags


def shared_exec_venues(merged: Merged) -> list[Diagnostic]:
    """V005: a second enabled exec client on a venue another client already uses.

    NautilusTrader registers one execution client per venue and refuses to build
    the node otherwise. Binance clients default to venue ``BINANCE`` (set ``venue``
    per client); every Bybit exec client registers ``BYBIT`` (its config has no venue).
    """
    diags = []
    first: dict[str, str] = {}
    simulated: set[str] = set()
    for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
        adapter = adapter_of(client_id, section)
        if adapter is None:
            continue  # the schema reports an unknown adapter
        venue = client_venue(section, adapter)
        if venue is None:
            continue
        if adapter.simulated:
            simulated.add(client_id)
        if venue not in first:
            first[venue] = client_id
            continue
        base = ("exchanges", client_id)
        if adapter.simulated or first[venue] in simulated:
            # paper: the simulated client's venue is the data client's, and stays
            path = base
            real = [c for c in (first[venue], client_id) if c not in simulated]
            hint = (
                f"keep venue: {venue}, the market data it fills against, and set exec: false on {real[0]}"
                if real
                else f"one simulated exec client per venue: remove {client_id} or disable it with enabled: false"
            )
        elif adapter.venue_field is not None:
            written = (base + ("exec", adapter.venue_field), base + (adapter.venue_field,))
            set_venue = [p for p in written if p in merged.provenance]
            path = set_venue[0] if set_venue else base
            hint = f"set venue: {client_id}" if venue != client_id else f"set another venue on {first[venue]}"
        else:
            path = base
            hint = (
                f"the {adapter.name} adapter has no venue option: list the product types in "
                f"{first[venue]}, or set exec: false here"
            )
        pos, note = policy.locate(merged, path)
        diags.append(
            Diagnostic(
                "V005",
                f"its exec client registers venue {venue} like {first[venue]}'s; NautilusTrader builds "
                f"no node with two exec clients on one venue{note}",
                pos,
                key_path(path),
                hint,
            )
        )
    return diags
