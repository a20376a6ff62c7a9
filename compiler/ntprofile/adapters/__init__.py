"""One module per NautilusTrader live adapter; ``ADAPTERS`` maps an adapter name to its record.

An adapter module declares what its venue really has (DESIGN.md, "Adapters as
data"): its data and exec clients (each optional), the environment field and
what ``mainnet``/``testnet``/``demo`` mean for it, its credentials, its venue,
and the rules only it needs. The general stages read these traits and never
branch on an adapter's name. Classes are named by import path only, so
importing the registry never imports ``nautilus_trader`` (the validate path).
Adding a venue is one new module defining ``ADAPTER``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, NamedTuple

from ntprofile.language import placeholders, secrets
from ntprofile.language.tree import EMPTY, enabled_entries

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.layers import Merged

__all__ = [
    "ADAPTERS",
    "Adapter",
    "ClientSpec",
    "Credential",
    "CredentialForm",
    "HEX_PRIVATE_KEY",
    "Starter",
    "UNSUPPORTED",
    "adapter_of",
    "chosen_products",
    "listed",
    "client_venue",
    "unsupported_hint",
    "unsupported_message",
    "clients_of",
    "environment_label",
    "sections_of",
    "use",
]


class ClientSpec(NamedTuple):
    """One client of an adapter: its config class and its live factory, as ``module:Class``."""

    config: str
    factory: str
    requires: frozenset[str] = frozenset()
    """Fields the config class defaults but NautilusTrader refuses to build without (2.0's sandbox
    ``fee_model``): compile asks for them, rather than the build failing later."""


class CredentialForm(NamedTuple):
    """The form a venue requires of a credential's value, seen without asking the venue.

    ``check`` and ``run`` hold a resolved value to it (S014) before anything is
    built, and ``check --online`` before it signs with the value: a key of
    the wrong form either fails at the first signed request or, worse, is
    taken as another key (NautilusTrader's dYdX wallet takes 62 digits).

    Parameters
    ----------
    pattern : str
        A regular expression the whole value matches.
    noun : str
        What such a value is (``a dYdX private key``).
    description : str
        The form in words (``64 hexadecimal digits``).
    prefix : str
        An optional prefix not counted in the length shown (``0x``).
    hint : str
        What usually went wrong.

    """

    pattern: str
    noun: str
    description: str
    prefix: str = ""
    hint: str = "is the variable truncated or quoted?"

    def problem(self, value: str) -> str | None:
        """Why ``value`` is not of this form, showing no byte of it (its length only); ``None`` when it is."""
        if re.fullmatch(self.pattern, value):
            return None
        body = value.removeprefix(self.prefix) if self.prefix else value
        return f"is not {self.noun}: {len(body)} characters, not {self.description}"


HEX_PRIVATE_KEY = r"(?:0x)?[0-9a-fA-F]{64}"
"""A secp256k1 private key as EVM and Cosmos wallets write it: 32 bytes in hexadecimal, ``0x`` optional."""


class Credential(NamedTuple):
    """A credential field of an adapter's client configs.

    Parameters
    ----------
    field : str
        The config field (``api_key``, ``api_passphrase``, ``private_key``).
    secret : bool
        A secret must be a placeholder (S001) and is never shown.
    required : tuple[str, ...]
        The client kinds (``data``/``exec``) that cannot run without it.
    fallback : dict[str, str]
        Profile environment -> the variable NautilusTrader itself reads when the
        field is unset (``HYPERLIQUID_PK`` on mainnet).
    form : CredentialForm, optional
        The form the venue requires of the value, when it has one.

    """

    field: str
    secret: bool = True
    required: tuple[str, ...] = ("exec",)
    fallback: Mapping[str, str] = EMPTY
    form: CredentialForm | None = None


class Starter(NamedTuple):
    """What ``ntprofile init`` writes for a venue: a sensible product choice and the settings that go with it.

    Parameters
    ----------
    title : str
        The venue's name as people write it ("OKX", "dYdX").
    product : str
        What the exchange overlay trades, for its comment ("USDT-margined futures").
    options : dict
        Adapter options of the overlay (Binance ``account_type``, OKX ``instrument_types``).
    exec_options : dict
        Options of the exec client only (under ``exec:``).
    paper_balance : str
        The sandbox's starting balance on paper targets, in the product's settlement currency.

    """

    title: str
    product: str
    options: Mapping[str, Any] = EMPTY
    exec_options: Mapping[str, Any] = EMPTY
    paper_balance: str = "10000 USDT"


class Adapter(NamedTuple):
    """What ntprofile knows about one NautilusTrader live adapter.

    Parameters
    ----------
    name : str
        The ``adapter:`` value (``binance``).
    data, exec : ClientSpec or None
        The data and exec client (config class + live factory); ``None`` when the
        adapter has no such client (Databento and Tardis are data only, ``sandbox``
        is exec only).
    venue : str or None
        The venue the exec client registers with when the profile sets none;
        ``None`` when the profile must name one (``sandbox``).
    venue_field : str, optional
        The config field that changes the venue; ``None`` when there is none.
    environment_field : str, optional
        The config field that selects the venue environment; ``None`` when the
        adapter has one environment only (Databento, Tardis, sandbox).
    environment_enum : str, optional
        ``module:Class`` of that field's enum; ``None`` for a boolean field
        (``environments`` then maps to ``True``/``False``).
    environments : dict[str, str or bool]
        Profile value (``mainnet``/``testnet``/``demo``) -> enum member name (or boolean).
    default_environment : str or None
        The profile environment NautilusTrader uses when the field is unset.
    real_money : frozenset[str]
        The profile environments whose exec client trades real money.
    simulated : bool
        The exec client fills orders in simulation (``sandbox``).
    credentials : tuple[Credential, ...]
        The credential fields of its configs.
    nested : dict[str, str]
        Field name -> ``module:Class`` of an adapter-specific config used for that
        field when the profile sets fields only that class has (Binance's
        ``instrument_provider`` -> ``BinanceInstrumentProviderConfig``).
    hosts : dict[str, frozenset[str]]
        Profile environment (``mainnet``/``testnet``/``demo``) -> every host name
        NautilusTrader's own URL helpers give that environment (HTTP and
        WebSocket), for the cross-environment URL rule.
    product_problem : callable, optional
        ``(symbol, options) -> (message, hint) or None``: why a client with these
        effective options (section options under its ``data``/``exec`` ones)
        cannot serve an instrument symbol; ``None`` when it can, or cannot tell. The hint
        is shown when no other client of the adapter has the product. ``None`` for a venue
        whose symbols cannot tell the product (README, "Product routing").
    enum_values : dict[str, str]
        Field -> ``module:Class`` of a Python enum decoded by *value* whose profile
        spelling is the member name (Hyperliquid ``product_types``: ``PERP`` -> ``perp``).
    starter : Starter, optional
        What ``ntprofile init`` writes for it; ``None`` when it cannot start a
        repository on its own (``sandbox`` only fills orders against another venue).

    """

    name: str
    data: ClientSpec | None
    exec: ClientSpec | None
    venue: str | None
    venue_field: str | None = None
    environment_field: str | None = None
    environment_enum: str | None = None
    environments: Mapping[str, Any] = EMPTY
    default_environment: str | None = "mainnet"
    real_money: frozenset[str] = frozenset({"mainnet"})
    simulated: bool = False
    credentials: tuple[Credential, ...] = ()
    nested: Mapping[str, str] = EMPTY
    hosts: Mapping[str, frozenset[str]] = EMPTY
    product_problem: Callable[[str, Mapping[str, Any]], tuple[str, str] | None] | None = None
    enum_values: Mapping[str, str] = EMPTY
    starter: Starter | None = None

    def client(self, kind: str) -> ClientSpec | None:
        """The ``data`` or ``exec`` client, or ``None`` when the adapter has none."""
        return self.data if kind == "data" else self.exec

    @property
    def kinds(self) -> tuple[str, ...]:
        """The client kinds this adapter has, in ``data``, ``exec`` order."""
        return tuple(kind for kind in ("data", "exec") if self.client(kind) is not None)

    def credential(self, name: str) -> Credential | None:
        """The credential declared for the config field ``name``, if any."""
        return next((c for c in self.credentials if c.field == name), None)

    @property
    def secret_fields(self) -> frozenset[str]:
        """Credential fields that must be placeholders."""
        return frozenset(c.field for c in self.credentials if c.secret)

    def trades_real_money(self, environment: str | None) -> bool:
        """Whether an exec client of this adapter in ``environment`` (unset: the default) trades real money."""
        if self.simulated:
            return False
        env = environment if environment is not None else self.default_environment
        return env is None or env in self.real_money


UNSUPPORTED: dict[str, str] = {
    "betfair": "nautilus_trader[betfair]",
    "interactive_brokers": "nautilus_trader[ib]",
    "polymarket": "nautilus_trader[polymarket]",
}
"""NautilusTrader live adapters that need an optional package, and the extra that installs it."""


def unsupported_message(name: str) -> str:
    """Why ``adapter: <name>`` of an adapter in ``UNSUPPORTED`` cannot be used."""
    return (
        f"the NautilusTrader adapter '{name}' needs an optional package ({UNSUPPORTED[name]}) "
        "that ntprofile does not support yet"
    )


def unsupported_hint() -> str:
    return f"supported adapters: {', '.join(ADAPTERS)}"


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


def clients_of(adapter: Adapter, section: Mapping[str, Any]) -> tuple[str, ...]:
    """The client kinds an exchange section runs: the adapter's, less those set to ``false``."""
    return tuple(kind for kind in adapter.kinds if section.get(kind, {}) is not False)


def client_venue(section: Mapping[str, Any], adapter: Adapter, kind: str = "exec") -> str | None:
    """The venue the ``kind`` client of an exchange section serves; ``None`` when it has none (or no fixed one)."""
    own = section.get(kind, {})
    if own is False or adapter.client(kind) is None:
        return None
    adapter_venue, venue_field = adapter.venue, adapter.venue_field
    value = None
    if venue_field is not None:
        if isinstance(own, dict) and own.get(venue_field) is not None:
            value = own[venue_field]
        elif section.get(venue_field) is not None:
            value = section[venue_field]
    if value is None:
        return adapter_venue
    if isinstance(value, str) and placeholders.has_placeholder(value):
        try:  # as deployed without the variable; one without a default is compared as written
            value = placeholders.substitute(value, lambda ph: ph.default) or value
        except placeholders.PlaceholderError:
            pass
    return str(value)


def environment_label(adapter: Adapter | None, section: Mapping[str, Any]) -> str:
    """What ``list`` and ``check`` show of a section's environment: as written, else the adapter's default."""
    if adapter is not None and adapter.simulated:
        return f"simulated on {client_venue(section, adapter) or '?'}"
    if adapter is not None and adapter.environment_field is None:
        return "live"  # one environment only (Databento, Tardis)
    written = section.get("environment")
    if written is not None:
        return str(written)
    return (adapter.default_environment if adapter is not None else None) or "?"


def chosen_products(options: Mapping[str, Any], field: str, default: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The product kinds a client serves by its ``field`` option (``instrument_types: [SWAP]``), upper case;
    ``default`` when unset (the config class's own default; ``None``: every kind); ``None`` when a
    placeholder or a value of another shape leaves it untold. For the adapters' ``product_problem``."""
    value = options.get(field)
    if value is None:
        return default
    if not isinstance(value, list) or any(not isinstance(v, str) or "$" in v for v in value):
        return None
    return tuple(v.upper() for v in value)


def listed(kinds: tuple[str, ...]) -> str:
    """``[SPOT, MARGIN]``, as a message quotes a client's product kinds."""
    return "[" + ", ".join(kinds) + "]"


def _discover(package: str = __name__) -> dict[str, Adapter]:
    """The ``ADAPTER`` of every module of ``package`` (sub-packages, such as another release's records, skipped)."""
    found = {}
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        if info.ispkg:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, Adapter):
            found[adapter.name] = adapter
    return dict(sorted(found.items()))


def _declare(adapters: Mapping[str, Adapter]) -> None:
    """Tell the secrets rule which credential fields the adapters in force declare secret."""
    secrets.declare(frozenset(name for adapter in adapters.values() for name in adapter.secret_fields))


ADAPTERS: dict[str, Adapter] = _discover()
_declare(ADAPTERS)
_UNSUPPORTED_V1 = dict(UNSUPPORTED)
"""This package's own table: ``UNSUPPORTED`` holds the table of the release in force."""


def use(release: Any) -> None:
    """Serve ``release``'s adapter records from now on (``ntprofile.releases.activate``), in place."""
    found = _discover(release.adapters)
    ADAPTERS.clear()
    ADAPTERS.update(found)
    _declare(found)
    UNSUPPORTED.clear()
    own = _UNSUPPORTED_V1 if release.adapters == __name__ else importlib.import_module(release.adapters).UNSUPPORTED
    UNSUPPORTED.update(own)
