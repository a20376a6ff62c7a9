"""The merged profile rearranged into the shape of NautilusTrader's ``TradingNodeConfig`` JSON.

The profile language groups things for operators (``node:`` scalars, an
``exchanges:`` map with shared options, strategy maps an overlay can patch);
NautilusTrader wants ``TradingNodeConfig`` fields, client configs in
``ImportableConfig`` form and ``Importable*Config`` lists. This module does
that rearrangement on plain values only (placeholders untouched) and records,
for every value, the profile key it came from, so later errors point at the
line that set it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import msgspec
from nautilus_trader.common.config import msgspec_encoding_hook
from nautilus_trader.config import TradingNodeConfig

from ntprofile.adapters import ADAPTERS, UNSUPPORTED, Adapter, adapter_of, unsupported_hint, unsupported_message
from ntprofile.compile import nt_types
from ntprofile.compile.result import Client
from ntprofile.diagnostics import Diagnostic, key_path
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.language.placeholders import has_placeholder
from ntprofile.language.tree import Path_, nearest
from ntprofile.language.vocabulary import (
    CLIENT_KINDS,
    COMPONENTS,
    ENVIRONMENTS,
    EXCHANGE_KEYS,
    NODE_SECTIONS,
    PROFILE_ONLY,
    SIMULATED_STAGES,
    import_class,
)
from ntprofile.layers import Merged, enabled_entries


def node_scalars() -> list[str]:
    """``TradingNodeConfig`` fields a ``node:`` section may set (everything not a section)."""
    skip = set(NODE_SECTIONS) | set(COMPONENTS) | {"controller", "data_clients", "exec_clients"}
    return [name for name in nt_types.struct_fields(TradingNodeConfig) if name not in skip]


@dataclass(slots=True)
class NodeTree:
    """``TradingNodeConfig`` JSON layout of a profile, before any decoding.

    Parameters
    ----------
    tree : dict
        Plain values, placeholders verbatim; clients as ``ImportableConfig`` dicts.
    origins : dict
        Node path -> the profile key path that set it.
    clients : list[Client]
        Exchange clients in profile order.
    diagnostics : list[Diagnostic]
        Problems found while rearranging (unknown keys, adapters, environments).

    """

    tree: dict[str, Any] = field(default_factory=dict)
    origins: dict[Path_, Path_] = field(default_factory=dict)
    clients: list[Client] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def profile_path(self, node_path: Path_) -> Path_:
        """The profile key that set ``node_path`` (or its nearest ancestor)."""
        return nearest(self.origins, node_path) or ()

    def put(self, node_path: Path_, value: Any, profile_path: Path_) -> None:
        """Set a value (a copy) and record where every part of it came from."""
        target = self.tree
        for part in node_path[:-1]:
            target = target.setdefault(part, {}) if isinstance(target, dict) else target[part]
        target[node_path[-1]] = copy.deepcopy(value)
        self._record(node_path, value, profile_path)

    def _record(self, node_path: Path_, value: Any, profile_path: Path_) -> None:
        self.origins[node_path] = profile_path
        if isinstance(value, dict):
            for key, sub in value.items():
                self._record(node_path + (key,), sub, profile_path + (key,))
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                self._record(node_path + (index,), sub, profile_path + (index,))


def client_class(adapter: Adapter, kind: str) -> type | None:
    """The adapter's data (``kind="data"``) or exec client config class; ``None`` when it has no such client."""
    spec = adapter.client(kind)
    return import_class(spec.config) if spec is not None else None


def build(merged: Merged) -> NodeTree:
    """Rearrange ``merged`` into the ``TradingNodeConfig`` layout; never raises."""
    out = NodeTree()
    tree = merged.tree
    known = set(PROFILE_ONLY) | set(NODE_SECTIONS) | set(COMPONENTS)
    for key in tree:
        if key not in known:
            _error(out, merged, "V001", f"unknown top-level key '{key}'", (key,), did_you_mean(key, sorted(known)))
    _node(out, merged)
    for section in NODE_SECTIONS:
        if section in tree:
            _section(out, merged, section)
    for section in COMPONENTS:
        _importables(out, merged, section)
    _exchanges(out, merged)
    return out


def _error(out: NodeTree, merged: Merged, code: str, message: str, path: Path_, hint: str | None = None) -> None:
    out.diagnostics.append(Diagnostic(code, message, merged.origin(path), key=key_path(path), hint=hint))


def _node(out: NodeTree, merged: Merged) -> None:
    node = merged.tree.get("node", {})
    if node is None:
        return
    if not isinstance(node, dict):
        _error(out, merged, "V002", "'node' must be a mapping of TradingNodeConfig fields", ("node",))
        return
    allowed = node_scalars()
    for key, value in node.items():
        if key not in allowed:
            _error(
                out,
                merged,
                "V001",
                f"'{key}' is not a TradingNodeConfig field a node section may set",
                ("node", key),
                did_you_mean(key, allowed),
            )
            continue
        out.put((key,), value, ("node", key))
    if merged.stage in SIMULATED_STAGES and "environment" not in node:
        out.put(("environment",), "sandbox", ("profile", "stage"))  # paper trading: simulated execution


def _section(out: NodeTree, merged: Merged, section: str) -> None:
    out.put((section,), merged.tree[section], (section,))


def _importables(out: NodeTree, merged: Merged, section: str) -> None:
    value = merged.tree.get(section)
    if value is None:
        return
    if not isinstance(value, dict):
        _error(out, merged, "V002", f"'{section}' must be a mapping of a name to an entry", (section,))
        return
    for name, entry in value.items():
        if not isinstance(entry, dict):
            _error(out, merged, "V002", "each entry must be a mapping", (section, name))
    out.tree[section] = []
    for index, (name, entry) in enumerate(enabled_entries(value).items()):
        body = {k: v for k, v in entry.items() if k != "enabled"}
        for key in (COMPONENTS[section].path_field, "config_path"):
            _class_path(out, merged, body.get(key), (section, name, key))
        out.tree[section].append(None)
        out.put((section, index), body, (section, name))


def _class_path(out: NodeTree, merged: Merged, value: Any, path: Path_) -> None:
    """A class path NautilusTrader resolves must read ``module:Class`` (``resolve_path`` splits on ':')."""
    if not isinstance(value, str) or has_placeholder(value):
        return
    module, colon, cls = value.rpartition(":")
    if colon and module and cls and "." not in cls:
        return
    example = value.replace(":", ".").rsplit(".", 1)
    hint = "write it as module:Class" + (f", '{example[0]}:{example[1]}'" if len(example) == 2 and all(example) else "")
    _error(out, merged, "V003", f"'{value}' is not a class path of the form module:Class", path, hint)


def _exchanges(out: NodeTree, merged: Merged) -> None:
    section = merged.tree.get("exchanges")
    if section is None:
        return
    if not isinstance(section, dict):
        _error(out, merged, "V002", "'exchanges' must be a mapping of client id to an exchange section", ("exchanges",))
        return
    for client_id, entry in section.items():
        if not isinstance(entry, dict):
            _error(out, merged, "V002", "an exchange section must be a mapping", ("exchanges", client_id))
    for client_id, entry in enabled_entries(section).items():
        _exchange(out, merged, client_id, entry)


def _exchange(out: NodeTree, merged: Merged, client_id: str, entry: dict[str, Any]) -> None:
    base: Path_ = ("exchanges", client_id)
    adapter = adapter_of(client_id, entry)
    if adapter is None:
        name = entry.get("adapter", client_id.lower())
        where = base + ("adapter",) if "adapter" in entry else base
        if isinstance(name, str) and name in UNSUPPORTED:
            _error(out, merged, "V006", unsupported_message(name), where, unsupported_hint())
            return
        message = f"unknown adapter {name!r} (known: {', '.join(sorted(ADAPTERS))})"
        if "adapter" not in entry:
            message += "; 'adapter' defaults to the lower-cased client id, set it explicitly"
        _error(out, merged, "V003", message, where, did_you_mean(str(name), ADAPTERS))
        return
    classes = {kind: client_class(adapter, kind) for kind in CLIENT_KINDS}
    fields = {kind: nt_types.struct_fields(cls) if cls is not None else {} for kind, cls in classes.items()}
    names = " or ".join(cls.__name__ for cls in classes.values() if cls is not None)
    bodies: dict[str, dict[str, Any] | None] = {}
    for kind in CLIENT_KINDS:
        value = entry.get(kind, {})
        if value is False:
            bodies[kind] = None
        elif classes[kind] is None:
            bodies[kind] = None
            if kind in entry and value is not None:
                _error(
                    out,
                    merged,
                    "V003",
                    f"the {adapter.name} adapter has no {kind} client",
                    base + (kind,),
                    f"remove '{kind}' (or write {kind}: false)",
                )
        elif value is None or isinstance(value, dict):
            bodies[kind] = {}
        else:
            _error(
                out,
                merged,
                "V002",
                f"'{kind}' must be a mapping of {classes[kind].__name__} fields or false",  # type: ignore[union-attr]
                base + (kind,),
            )
            bodies[kind] = None
    # shared options first, then the client-specific ones on top
    for key, value in entry.items():
        if key in EXCHANGE_KEYS:
            continue
        targets = [kind for kind in CLIENT_KINDS if key in fields[kind] and bodies[kind] is not None]
        if not any(key in fields[kind] for kind in CLIENT_KINDS):
            choices = sorted(set(fields["data"]) | set(fields["exec"]) | set(EXCHANGE_KEYS))
            _error(
                out,
                merged,
                "V001",
                f"'{key}' is not a field of {names}",
                base + (key,),
                did_you_mean(key, choices),
            )
            continue
        for kind in targets:
            bodies[kind][key] = (value, base + (key,))  # type: ignore[index]
    if "environment" in entry:
        _environment(out, merged, adapter, entry["environment"], base, bodies, fields)
    for kind in CLIENT_KINDS:
        specific = entry.get(kind)
        if bodies[kind] is None or not isinstance(specific, dict) or classes[kind] is None:
            continue
        for key, value in specific.items():
            if key not in fields[kind]:
                _error(
                    out,
                    merged,
                    "V001",
                    f"'{key}' is not a field of {classes[kind].__name__}",  # type: ignore[union-attr]
                    base + (kind, key),
                    did_you_mean(key, fields[kind]),
                )
                continue
            bodies[kind][key] = (value, base + (kind, key))  # type: ignore[index]
    for kind in CLIENT_KINDS:
        body = bodies[kind]
        if body is None:
            continue
        clients = f"{kind}_clients"
        out.tree.setdefault(clients, {})[client_id] = {
            "path": classes[kind].fully_qualified_name(),  # type: ignore[union-attr]
            "config": {},
            "factory": {"path": adapter.client(kind).factory},  # type: ignore[union-attr]
        }
        out.origins[(clients, client_id)] = base
        for key, (value, origin) in body.items():
            out.put((clients, client_id, "config", key), value, origin)
    out.clients.append(Client(client_id, adapter, bodies["data"] is not None, bodies["exec"] is not None))


def _environment(
    out: NodeTree,
    merged: Merged,
    adapter: Adapter,
    value: Any,
    base: Path_,
    bodies: dict[str, dict[str, Any] | None],
    fields: dict[str, dict[str, Any]],
) -> None:
    where = base + ("environment",)
    if value is None:
        return
    if adapter.environment_field is None:
        _error(
            out,
            merged,
            "V003",
            f"the {adapter.name} adapter has one environment only; it takes no 'environment'",
            where,
            "remove it",
        )
        return
    choices = list(adapter.environments)
    if has_placeholder(value) or not isinstance(value, str) or value.lower() not in adapter.environments:
        known = value.lower() in ENVIRONMENTS if isinstance(value, str) and not has_placeholder(value) else False
        _error(
            out,
            merged,
            "V003",
            f"environment must be one of {', '.join(choices)}"
            + ("" if has_placeholder(value) else f", got {value!r}")
            + (f" (the {adapter.name} adapter has no {value.lower()})" if known else ""),
            where,
            None if known else did_you_mean(str(value), choices),
        )
        return
    member = adapter.environments[value.lower()]
    if adapter.environment_enum is not None:
        member = getattr(import_class(adapter.environment_enum), member)
        member = msgspec.json.decode(msgspec.json.encode(member, enc_hook=msgspec_encoding_hook))
    for kind in CLIENT_KINDS:
        if bodies[kind] is not None and adapter.environment_field in fields[kind]:
            bodies[kind][adapter.environment_field] = (member, where)  # type: ignore[index]
