"""Stage 4, ``compile``: a merged profile becomes NautilusTrader's own ``TradingNodeConfig``.

Every value is decoded by NautilusTrader's msgspec structs with its own
decoding hook (``ImportableConfig``-style for clients), so an upgrade that
adds a field needs no change here. Errors from that decoding are V101
diagnostics at the line that set the value; nothing here raises for a bad
profile. Values NautilusTrader checks only in Rust are checked before any
object is constructed (``language.constraints``, through ``fields.Fields``).
"""

from __future__ import annotations

import re
import typing
from typing import Any, Callable

import msgspec
from msgspec import inspect as mi
from nautilus_trader.common.config import ImportableConfig
from nautilus_trader.config import TradingNodeConfig

from ntprofile.compile import components, nt_types
from ntprofile.compile.fields import Fields
from ntprofile.compile.fill import Filled, Lookup, fill
from ntprofile.compile.importing import component_class
from ntprofile.compile.node_tree import NodeTree, build
from ntprofile.compile.result import Client, Compiled
from ntprofile.diagnostics import Diagnostic, Position, key_path, ordered
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.language.secrets import MASK, REDACTOR, is_secret_path
from ntprofile.language.tree import Path_, walk_leaves
from ntprofile.language.vocabulary import CLIENT_KINDS, COMPONENTS, ComponentKind, import_class
from ntprofile.layers import Merged
from ntprofile.tools.variables import collect

__all__ = ["Client", "Compiled", "compile_merged"]


def compile_merged(merged: Merged, lookup: Lookup | None = None) -> Compiled:
    """Compile ``merged`` onto NautilusTrader's config classes; never raises for bad input.

    With ``lookup`` (variable name -> value or ``None``) every placeholder is
    resolved; without it (``ntprofile compile``) placeholders stay verbatim in
    ``node_json`` and stand-ins of the field's type check the rest.
    """
    plan = build(merged)
    diags = list(plan.diagnostics)
    typer = Fields(plan)

    def where(node_path: Path_) -> tuple[Path_, Position | None]:
        profile_path = plan.profile_path(node_path)
        return profile_path, merged.origin(profile_path)

    secret_names = frozenset(v.name for v in collect(merged) if v.secret)
    filled = fill(plan.tree, typer, where, lookup, secret_names)
    diags += filled.diagnostics
    diags += _credential_forms(filled, plan, where, resolved=lookup is not None)
    pre = _prechecks(filled.tree, typer, where, filled.secret)
    diags += pre
    if pre:  # a bad identifier would abort the process inside Rust: construct nothing
        return Compiled(None, None, plan.clients, ordered(diags))
    tree = _normalise_enums(filled.tree, typer)
    config, decode_diags = _decode(tree, plan, typer, where, check_imports=lookup is None)
    reported = {d.key for d in filled.diagnostics if d.is_error}  # a value that did not convert: said once
    diags += [d for d in decode_diags if d.key not in reported]
    if config is None or any(d.is_error for d in diags):
        return Compiled(None, None, plan.clients, ordered(diags))
    node_json, unportable = _node_json(config, plan)
    for path, text in filled.verbatim.items():
        _put_existing(node_json, path, text)
    diags += _secret_literals(node_json, plan, where)
    diags += _unportable_warnings(unportable, where)
    ok = not any(d.is_error for d in diags)
    return Compiled(
        config if ok else None,
        node_json if ok else None,
        plan.clients,
        ordered(diags),
        [key_path(path[:2] + path[3:]) for path in unportable],
    )


def _normalise_enums(tree: dict[str, Any], typer: Fields) -> dict[str, Any]:
    """Enum values in their exact spelling (Binance decodes upper case only), typed keys.

    Keys of a ``str`` subclass type (``BinanceSymbol``) are built with it, which
    msgspec does not do for keys that are already strings.
    """
    _typed_keys(tree, (), typer)
    for path, value in list(walk_leaves(tree)):
        if isinstance(value, str):
            exact = nt_types.normalise_enum(value, typer.type_of(path))
            if exact != value:
                target: Any = tree
                for part in path[:-1]:
                    target = target[part]
                target[path[-1]] = exact
    return tree


def _typed_keys(node: Any, path: Path_, typer: Fields) -> None:
    if isinstance(node, dict):
        if path:
            kt = nt_types.key_type(typer.type_of(path))
            cls = getattr(kt, "cls", None)
            if isinstance(cls, type) and issubclass(cls, str) and cls is not str:
                try:
                    rebuilt = {cls(k): v for k, v in node.items()}
                except (TypeError, ValueError):
                    rebuilt = None
                if rebuilt is not None:
                    node.clear()
                    node.update(rebuilt)
        for key, value in node.items():
            _typed_keys(value, path + (key,), typer)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _typed_keys(value, path + (index,), typer)


# ------------------------------------------------------------------ checks


def _prechecks(tree: dict[str, Any], typer: Fields, where: Callable, secret: set[Path_]) -> list[Diagnostic]:
    """Values that would abort the process in Rust or fail only at node construction (``Fields.problem``).

    ``secret`` holds the paths whose value is secret: their finding never quotes it.
    """
    out = []
    for path, value in walk_leaves(tree):
        problem = typer.problem(path, value)
        if problem:
            profile_path, pos = where(path)
            if path in secret or is_secret_path(profile_path):
                problem = "invalid value (not shown: secret)"
            out.append(Diagnostic("V003", problem, pos, key=key_path(profile_path)))
    return out


def _credential_forms(filled: Filled, plan: NodeTree, where: Callable, resolved: bool) -> list[Diagnostic]:
    """S014: a credential whose form is wrong for its venue, by its adapter's declaration (``CredentialForm``).

    Seen once the value is known (resolved, or a literal), with no venue asked:
    a dYdX key of 62 digits is another key, not a typo NautilusTrader reports.
    The message gives the value's length, never the value.
    """
    reported = {d.key for d in filled.diagnostics if d.is_error}  # a missing variable is said once
    out = []
    for client in plan.clients:
        for credential in client.adapter.credentials:
            if credential.form is None:
                continue
            for kind in CLIENT_KINDS:
                path = (f"{kind}_clients", client.client_id, "config", credential.field)
                value = _get(filled.tree, path)
                if not isinstance(value, str) or (not resolved and path in filled.verbatim):
                    continue
                problem = credential.form.problem(value)
                profile_path, pos = where(path)
                if problem is not None and key_path(profile_path) not in reported:
                    out.append(
                        Diagnostic(
                            "S014",
                            f"{credential.field} {problem}",
                            pos,
                            key=key_path(profile_path),
                            hint=credential.form.hint,
                        )
                    )
    return out


def _get(tree: Any, path: Path_) -> Any:
    """The value at ``path`` of a plain tree, or ``None`` where there is none."""
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _secret_literals(node_json: dict[str, Any], plan: NodeTree, where: Callable) -> list[Diagnostic]:
    """A literal secret never reaches node.json: mask it and fail (S001)."""
    out = []
    for path, value in list(walk_leaves(node_json)):
        if path not in plan.origins or not is_secret_path(path) or value is None or value == MASK:
            continue
        if isinstance(value, str) and "$" in value:
            continue
        _put_existing(node_json, path, MASK)
        profile_path, pos = where(path)
        out.append(
            Diagnostic(
                "S001",
                "a secret must be a placeholder such as ${NAME}, not a literal value",
                pos,
                key=key_path(profile_path),
            )
        )
    return out


# ------------------------------------------------------------------ decoding

_AT = re.compile(r"\s*-\s*at\s+`(?:key` in `)?(\$[^`]*)`\s*$")
_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


def _error_path(message: str) -> tuple[str, Path_]:
    """Split a msgspec error into its text and the path it names (``$.a.b[0]``)."""
    match = _AT.search(message)
    if not match:
        return message, ()
    path: list[str | int] = []
    for name, index in _SEGMENT.findall(match.group(1)[1:]):
        if name:
            path.append(name)
        elif index.isdigit():
            path.append(int(index))
        else:
            break
    return message[: match.start()], tuple(path)


def _rejected(exc: Exception, base: Path_, t: mi.Type | None, where: Callable, subject: str) -> Diagnostic:
    text, rel = _error_path(str(exc))
    path = base + rel
    profile_path, pos = where(path)
    unknown = re.search(r"unknown field `([^`]+)`", text)
    if unknown:
        name = unknown.group(1)
        profile_path, pos = where(path + (name,))
        profile_path = profile_path if profile_path[-1:] == (name,) else profile_path + (name,)
        choices = [
            f.name
            for m in (nt_types.type_at(t, rel),)
            if m is not None
            for s in (m.types if isinstance(m, mi.UnionType) else (m,))
            if isinstance(s, mi.StructType)
            for f in s.fields
        ]
        return Diagnostic(
            "V001",
            f"'{name}' is not a field of {subject}",
            pos,
            key=key_path(profile_path),
            hint=did_you_mean(name, choices),
        )
    missing = re.search(r"missing required field `([^`]+)`", text)
    if missing:
        name = missing.group(1)
        profile_path, pos = where(path + (name,))
        profile_path = profile_path if profile_path[-1:] == (name,) else profile_path + (name,)
        return Diagnostic("V004", f"missing required key '{name}' of {subject}", pos, key=key_path(profile_path))
    if is_secret_path(profile_path) or is_secret_path(path):
        text = "invalid value (not shown: secret)"
    return Diagnostic("V101", f"rejected by NautilusTrader: {REDACTOR.withhold(text)}", pos, key=key_path(profile_path))


def _decode(
    tree: dict[str, Any], plan: NodeTree, typer: Fields, where: Callable, check_imports: bool = False
) -> tuple[TradingNodeConfig | None, list[Diagnostic]]:
    """Decode each field separately (all errors at once), then the clients, then assemble."""
    hints = typing.get_type_hints(TradingNodeConfig)
    fields = nt_types.struct_fields(TradingNodeConfig)
    diags: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for name, value in tree.items():
        if name in ("data_clients", "exec_clients"):
            continue
        try:
            values[name] = msgspec.convert(value, type=hints[name], dec_hook=nt_types.dec_hook)
        except (msgspec.ValidationError, ValueError, TypeError) as exc:
            diags.append(_rejected(exc, (name,), fields[name].type, where, _subject(hints[name])))
    for section in COMPONENTS:
        for index, entry in enumerate(tree.get(section) or []):
            if isinstance(entry, dict):
                diags += _component_config(entry, COMPONENTS[section], index, where, check_imports)
    clients: dict[str, dict[str, Any]] = {"data_clients": {}, "exec_clients": {}}
    for kind in CLIENT_KINDS:
        for client_id, importable in tree.get(f"{kind}_clients", {}).items():
            made = _client(kind, client_id, importable["config"], plan, typer, where, diags)
            if made is not None:
                clients[f"{kind}_clients"][client_id] = made
    if any(d.is_error for d in diags):
        return None, diags
    try:
        config = TradingNodeConfig(**values, **clients)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        return None, [_rejected(exc, (), None, where, "TradingNodeConfig")]
    return config, diags


def _component_config(
    entry: dict[str, Any], kind: ComponentKind, index: int, where: Callable, check_imports: bool
) -> list[Diagnostic]:
    """A strategy's (actor's, exec algorithm's) classes imported, and its ``config`` decoded as its class does it.

    Exactly NautilusTrader's own decoding (``NautilusConfig.parse`` of the
    JSON), so a misspelt or wrongly typed key fails here, at its own line, and
    not when the trader starts. ``compile`` (``check_imports``) also refuses a
    class that does not import or is not of its kind (V103, with the names the
    module has), since the node would not start with it; with variables
    resolved (``check``, ``run``, the API) the preflight reports that where the
    node runs (R004), and a config class that does not import is left to it.
    """
    base: Path_ = (kind.section, index)
    config_path = entry.get("config_path")
    if check_imports:
        refused = [
            _unimportable(entry.get(field), wanted, label, base + (field,), where)
            for field, wanted, label in (
                (kind.path_field, kind.base, kind.noun),
                ("config_path", kind.config_base, f"{kind.noun} config class"),
            )
        ]
        if any(refused):
            return [d for d in refused if d is not None]
    cls, problem = components.config_class(config_path)
    if cls is None:
        if problem is None or not check_imports:
            return []
        profile_path, pos = where(base + ("config_path",))
        return [Diagnostic("V103", f"{kind.noun} config class '{config_path}': {problem}", pos, key_path(profile_path))]
    config = entry.get("config")
    if not isinstance(config, dict):
        return []  # not a mapping: the ImportableConfig decoding says so
    base += ("config",)
    fields = nt_types.struct_fields(cls)
    hints = typing.get_type_hints(cls)
    out = []
    for name, value in config.items():  # every key on its own, so all problems show at once
        if name not in fields:
            profile_path, pos = where(base + (name,))
            out.append(
                Diagnostic(
                    "V001",
                    f"'{name}' is not a field of {cls.__name__}",
                    pos,
                    key=key_path(profile_path),
                    hint=did_you_mean(str(name), fields),
                )
            )
            continue
        problem = components.parse_problem(value, hints[fields[name].name])
        if problem is not None:
            out.append(_rejected(problem, base + (name,), fields[name].type, where, cls.__name__))
    if not out:  # the whole: required fields, the class's own __post_init__ checks
        problem = components.parse_problem(config, cls)
        if problem is not None:
            out.append(_rejected(problem, base, nt_types.info(cls), where, cls.__name__))
    return out


def _unimportable(class_path: Any, base_path: str, label: str, path: Path_, where: Callable) -> Diagnostic | None:
    """V103 for a component class (or config class) that does not import here or is not of its kind."""
    _, problem, hint = component_class(class_path, base_path)
    if problem is None:
        return None
    profile_path, pos = where(path)
    return Diagnostic("V103", f"{label} '{class_path}' cannot be used: {problem}", pos, key_path(profile_path), hint)


def _subject(t: Any) -> str:
    for arg in typing.get_args(t) or (t,):
        if isinstance(arg, type):
            return arg.__name__
    return str(t)


def _client(
    kind: str,
    client_id: str,
    body: dict[str, Any],
    plan: NodeTree,
    typer: Fields,
    where: Callable,
    diags: list[Diagnostic],
) -> Any:
    """One adapter client config, nested adapter-specific configs included."""
    cls = typer.client_cls(kind, client_id)
    assert cls is not None
    adapter = typer.clients[client_id].adapter
    base: Path_ = (f"{kind}_clients", client_id, "config")
    body = dict(body)
    nested_values: dict[str, Any] = {}
    hints = typing.get_type_hints(cls)
    for name, specific_path in adapter.nested.items():
        value = body.get(name)
        if not isinstance(value, dict):
            continue
        del body[name]
        general = typing.get_args(hints[name]) or (hints[name],)
        general_cls = next(a for a in general if isinstance(a, type))
        general_fields = set(nt_types.struct_fields(general_cls))
        target = import_class(specific_path) if set(value) - general_fields else general_cls
        try:
            nested_values[name] = msgspec.convert(value, type=target, dec_hook=nt_types.dec_hook)
        except (msgspec.ValidationError, ValueError, TypeError) as exc:
            diags.append(_rejected(exc, base + (name,), nt_types.info(target), where, target.__name__))
    try:
        config = msgspec.convert(body, type=cls, dec_hook=nt_types.dec_hook)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        diags.append(_rejected(exc, base, nt_types.info(cls), where, cls.__name__))
        return None
    return msgspec.structs.replace(config, **nested_values) if nested_values else config


# ------------------------------------------------------------------ node.json


def _node_json(config: TradingNodeConfig, plan: NodeTree) -> tuple[dict[str, Any], list[Path_]]:
    """NautilusTrader's JSON of ``config``, clients in ``ImportableConfig`` form.

    Also returns the node paths of client fields dropped because
    ``ImportableConfig.create()`` cannot decode them back.
    """
    bare = msgspec.structs.replace(config, data_clients={}, exec_clients={})
    out = bare.json_primitives()
    unportable: list[Path_] = []
    by_id = {c.client_id: c for c in plan.clients}
    for kind in CLIENT_KINDS:
        clients = getattr(config, f"{kind}_clients")
        out[f"{kind}_clients"] = {}
        for client_id, client in clients.items():
            adapter = by_id[client_id].adapter
            body = client.json_primitives()
            base: Path_ = (f"{kind}_clients", client_id, "config")
            unportable += [base + rel for rel in _strip_unportable(type(client), body)]
            out[f"{kind}_clients"][client_id] = {
                "path": type(client).fully_qualified_name(),
                "config": body,
                "factory": {"path": adapter.client(kind).factory},  # type: ignore[union-attr]
            }
    return out, unportable


def _strip_unportable(cls: type, body: dict[str, Any]) -> list[Path_]:
    """Drop fields that ``ImportableConfig.create()`` cannot decode back; return their paths."""
    dropped: list[Path_] = []
    for _ in range(64):
        try:
            ImportableConfig(path=cls.fully_qualified_name(), config=body).create()
            return dropped
        except (msgspec.ValidationError, ValueError, TypeError) as exc:
            text, rel = _error_path(str(exc))
            unknown = re.search(r"unknown field `([^`]+)`", text)
            target = rel + (unknown.group(1),) if unknown else rel[:1]
            if not target or not _pop(body, target):
                return dropped
            dropped.append(target)
    return dropped


def _unportable_warnings(unportable: list[Path_], where: Callable) -> list[Diagnostic]:
    """One V102 warning per profile key whose value ``node.json`` cannot carry."""
    found: dict[Path_, tuple[Position | None, list[str]]] = {}
    for path in unportable:
        profile_path, pos = where(path)
        found.setdefault(profile_path, (pos, []))[1].append(str(path[0]).removesuffix("_clients"))
    out = []
    for profile_path, (pos, kinds) in found.items():
        clients = f"{' and '.join(kinds)} client" + ("s" if len(kinds) > 1 else "")
        out.append(
            Diagnostic(
                "V102",
                f"node.json cannot carry this value of the {clients} (NautilusTrader has no JSON form for it); "
                "it applies in memory only (check, run, the Python API)",
                pos,
                key=key_path(profile_path),
                severity="warning",
            )
        )
    return out


def _pop(tree: Any, path: Path_) -> bool:
    for part in path[:-1]:
        if not isinstance(tree, dict) or part not in tree:
            return False
        tree = tree[part]
    if isinstance(tree, dict) and path[-1] in tree:
        del tree[path[-1]]
        return True
    return False


def _put_existing(tree: Any, path: Path_, value: Any) -> None:
    """Set ``path`` in ``tree`` only where it exists (a stripped field stays stripped)."""
    for part in path[:-1]:
        if isinstance(tree, dict) and part in tree:
            tree = tree[part]
        elif isinstance(tree, list) and isinstance(part, int) and part < len(tree):
            tree = tree[part]
        else:
            return
    last = path[-1]
    if (isinstance(tree, dict) and last in tree) or (
        isinstance(tree, list) and isinstance(last, int) and last < len(tree)
    ):
        tree[last] = value
