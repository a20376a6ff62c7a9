"""Routing rules P120-P124: what a component's instruments, and a client's URLs, will meet at the node.

NautilusTrader routes a subscription by the instrument's venue to the data
client of that venue, and an order to the exec client of that venue; nothing
checks before the node runs that such a client exists, or that it can trade
the product (a ``-PERP`` on a spot account). These rules read the adapters'
traits (``venue_field``, ``product_problem``, ``hosts``) and never an adapter's
name. No NautilusTrader import.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, NamedTuple
from urllib.parse import urlsplit

from ntprofile.adapters import ADAPTERS, Adapter, adapter_of, client_venue, clients_of
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.diagnostics.rules import Finding, rule
from ntprofile.language import placeholders
from ntprofile.language.tree import Path_, walk_leaves
from ntprofile.language.vocabulary import CLIENT_KINDS, COMPONENTS
from ntprofile.layers import Merged, enabled_entries

__all__ = ["Client", "Instrument", "clients", "instruments"]

SANDBOX_ENVIRONMENTS = ("testnet", "demo")


class Client(NamedTuple):
    """One data or exec client the node will build: its section, adapter, venue and effective options."""

    client_id: str
    kind: str
    adapter: Adapter
    venue: str
    options: Mapping[str, Any]
    own: frozenset[str]
    """The option names set in the client's own ``data``/``exec`` mapping (not the section's)."""

    def option_path(self, key: str) -> Path_:
        """Where the option ``key`` of this client is written."""
        base = ("exchanges", self.client_id)
        return base + (self.kind, key) if key in self.own else base + (key,)


class Instrument(NamedTuple):
    """An instrument id (or the instrument of a bar type) written in a component's config."""

    path: Path_
    text: str
    symbol: str
    venue: str
    section: str
    is_bar: bool


def clients(merged: Merged) -> list[Client]:
    """Every enabled client of the target, with the options NautilusTrader's config of it receives."""
    out = []
    for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
        adapter = adapter_of(client_id, section)
        if adapter is None:
            continue
        shared = {k: v for k, v in section.items() if k not in CLIENT_KINDS}
        for kind in clients_of(adapter, section):
            sub = section.get(kind, {})
            options = {**shared, **(sub if isinstance(sub, dict) else {})}
            venue = client_venue(section, adapter, kind)
            if venue is None:
                continue  # no venue of its own (a sandbox without one is P115's)
            own = frozenset(sub) if isinstance(sub, dict) else frozenset()
            out.append(Client(str(client_id), kind, adapter, venue, options, own))
    return out


def _key_kind(key: str) -> str | None:
    """``instrument`` for instrument-id fields, ``bar`` for bar-type fields, by NautilusTrader's field names."""
    lowered = key.lower()
    if lowered == "external_order_claims":
        return None
    if lowered.endswith(("instrument_id", "instrument_ids")):
        return "instrument"
    if lowered.endswith(("bar_type", "bar_types")):
        return "bar"
    return None


def _parse(text: str, is_bar: bool) -> tuple[str, str] | None:
    """``(symbol, venue)`` of ``BTCUSDT-PERP.BINANCE`` or of ``BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL``."""
    if is_bar:
        text = text.split("@", 1)[0]
        parts = text.rsplit("-", 4)
        if len(parts) != 5:
            return None
        text = parts[0]
    symbol, dot, venue = text.rpartition(".")
    if not dot or not symbol or not venue:
        return None
    return symbol, venue


def instruments(merged: Merged, sections: tuple[str, ...] = tuple(COMPONENTS)) -> Iterator[Instrument]:
    """Every instrument id and bar type in the configs of the enabled components of ``sections``."""
    for section in sections:
        for name, entry in enabled_entries(merged.tree.get(section)).items():
            config = entry.get("config") if isinstance(entry, dict) else None
            if not isinstance(config, dict):
                continue
            for sub, value in walk_leaves(config):
                keys = [p for p in sub if isinstance(p, str)]
                kind = _key_kind(keys[-1]) if keys else None
                if kind is None or not isinstance(value, str) or "$" in value or not value.isascii():
                    continue  # a non-ASCII id is compile's V003 (NautilusTrader takes ASCII only)
                parsed = _parse(value.strip(), kind == "bar")
                if parsed is not None:
                    path = (section, name, "config", *sub)
                    yield Instrument(path, value, parsed[0], parsed[1], section, kind == "bar")


def _served(found: list[Client]) -> str:
    return ", ".join(sorted({c.venue for c in found})) or "none"


def _venue_hint(item: Instrument, found: list[Client]) -> str:
    venues = sorted({c.venue for c in found})
    guess = did_you_mean(item.venue, venues)
    if guess is not None:
        return guess
    return f"add a client for venue {item.venue}, or write {item.symbol}.<venue>" if venues else "add an exchange"


@rule("P120", None, every_venue=True)
def data_routing(merged: Merged) -> Iterator[Finding]:
    """Every instrument and bar type of a component names a venue a data client of the node serves."""
    data = [c for c in clients(merged) if c.kind == "data"]
    for item in instruments(merged):
        if not any(c.venue == item.venue for c in data):
            yield Finding(
                item.path,
                f"{item.text}: no data client serves venue {item.venue} (data clients serve: {_served(data)}); "
                "its subscriptions would go nowhere",
                _venue_hint(item, data),
            )


@rule("P121", None, every_venue=True)
def exec_routing(merged: Merged) -> Iterator[Finding]:
    """A strategy's instruments name a venue an exec client of the node trades."""
    execs = [c for c in clients(merged) if c.kind == "exec"]
    for item in instruments(merged, ("strategies",)):
        if item.is_bar or any(c.venue == item.venue for c in execs):
            continue
        yield Finding(
            item.path,
            f"{item.text}: no exec client trades venue {item.venue} (exec clients trade: {_served(execs)}); "
            "its orders would be rejected",
            _venue_hint(item, execs),
        )


@rule("P122", None)
def product_routing(merged: Merged) -> Iterator[Finding]:
    """The client an instrument routes to can serve its product (where the adapter can tell)."""
    every = clients(merged)
    for item in instruments(merged):
        kinds = ("data", "exec") if item.section == "strategies" and not item.is_bar else ("data",)
        seen: set[str] = set()
        for client in every:
            if client.kind not in kinds or client.venue != item.venue or client.client_id in seen:
                continue
            check = client.adapter.product_problem
            if check is None:
                continue  # the venue's symbols cannot tell the product (README: product routing)
            problem = check(item.symbol, client.options)
            if problem is None:
                continue
            seen.add(client.client_id)
            message, fallback = problem
            fits = [  # another client of the same venue's adapter that has the product
                c
                for c in every
                if c.kind == client.kind and c.adapter == client.adapter and check(item.symbol, c.options) is None
            ]
            hint = f"write {item.symbol}.{fits[0].venue}, the venue of client {fits[0].client_id}" if fits else fallback
            yield Finding(
                item.path,
                f"{item.text} routes to the {client.kind} client {client.client_id} (venue {client.venue}): {message}",
                hint,
            )


def _environment(options: Mapping[str, Any]) -> str | None:
    """The client's profile environment (unset: the adapters' default, mainnet); ``None`` when unresolved."""
    env = options.get("environment", "mainnet")
    if not isinstance(env, str) or placeholders.has_placeholder(env):
        return None
    return env.lower()


def _url_fields(options: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in options.items():
        if isinstance(key, str) and (key.startswith("base_url") or key == "proxy_url") and isinstance(value, str):
            yield key, value


def host_environment(host: str, environment: str) -> tuple[str, str] | None:
    """``(adapter, environment)`` of a host that belongs to another side of the real-money line than
    ``environment`` (a testnet or demo host on mainnet, a mainnet host on testnet or demo)."""
    for adapter in ADAPTERS.values():
        hosts = adapter.hosts
        if not hosts or host in hosts.get(environment, frozenset()):
            continue
        if environment == "mainnet":
            for other in SANDBOX_ENVIRONMENTS:
                if host in hosts.get(other, frozenset()):
                    return adapter.name, other
        elif host in hosts.get("mainnet", frozenset()):
            return adapter.name, "mainnet"
    return None


@rule("P123", None)
def cross_environment_urls(merged: Merged) -> Iterator[Finding]:
    """No ``base_url_*``/``proxy_url`` names a venue host of the other side of the real-money line."""
    seen: set[Path_] = set()
    for client in clients(merged):
        environment = _environment(client.options)
        if environment is None:
            continue
        for key, value in _url_fields(client.options):
            path = client.option_path(key)
            if path in seen:
                continue
            url = placeholders.as_deployed(value)
            if "$" in url:
                continue
            try:
                host = (urlsplit(url).hostname or "").lower()
            except ValueError:
                continue
            found = host_environment(host, environment) if host else None
            if found is None:
                continue
            seen.add(path)
            adapter_name, other = found
            yield Finding(
                path,
                f"{host} is a {adapter_name} {other} host on a {environment} client"
                + ("; orders meant for the testnet would trade real money" if other == "mainnet" else ""),
                "remove it, NautilusTrader picks the environment's own host; or fix environment",
            )


@rule("P124", frozenset({"production"}))
def restart_claims(merged: Merged) -> Iterator[Finding]:
    """A production strategy claims its own instruments (``external_order_claims``)."""
    for name, entry in enabled_entries(merged.tree.get("strategies")).items():
        config = entry.get("config") if isinstance(entry, dict) else None
        if not isinstance(config, dict):
            continue
        claims = config.get("external_order_claims")
        claimed = {str(c).strip() for c in claims} if isinstance(claims, list) else set()
        for item in instruments(merged, ("strategies",)):
            if item.is_bar or item.path[1] != name or item.text.strip() in claimed:
                continue
            where = ("strategies", name, "config", "external_order_claims") if claims is not None else item.path
            yield Finding(
                where,
                f"{item.text} is not in external_order_claims: after a restart without cache state its open "
                "orders come back as EXTERNAL and no strategy manages them",
                f"add external_order_claims: [{item.text}]",
                severity="warning",
            )
