"""A merged 2.0 profile becomes NautilusTrader 2.0's own config objects (``LiveNodeConfig`` and friends).

The 2.0 profile language is NautilusTrader 2.0's names (RELEASES.md): ``node:``
holds ``LiveNodeConfig``'s scalars, each config section is the
``LiveNodeConfig`` field of its name, ``cache.database`` is a
``RedisCacheConfig`` (given to the node builder, not to ``CacheConfig``),
exchange sections become data and exec client configs, and component entries
become ``Importable*Config``. Every value is converted to its constructor
parameter's type (``types``, from the stubs) and every object is constructed
here, so whatever NautilusTrader refuses is a V101 at the profile line that set
it, never a traceback. Placeholders are the 1.x machinery (``compile.fill``):
resolved with a lookup, stood in for without one.
"""

from __future__ import annotations

import copy
import types as types_
import typing
from dataclasses import dataclass, field
from typing import Any

from ntprofile.adapters import (
    ADAPTERS,
    UNSUPPORTED,
    Adapter,
    ClientSpec,
    adapter_of,
    unsupported_hint,
    unsupported_message,
)
from ntprofile.compile.fill import Lookup, NoValue, fill
from ntprofile.compile.result import Client, Compiled
from ntprofile.compile.importing import import_class as import_user_class
from ntprofile.diagnostics import Diagnostic, key_path, ordered
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.language import constraints
from ntprofile.language.placeholders import has_placeholder
from ntprofile.language.secrets import MASK, REDACTOR, is_secret_path
from ntprofile.language.tree import Path_, walk_leaves
from ntprofile.language.vocabulary import (
    CLIENT_KINDS,
    COMPONENTS,
    ENVIRONMENTS,
    EXCHANGE_KEYS,
    PROFILE_ONLY,
    SIMULATED_STAGES,
    TOGGLED_SECTIONS,
    class_name,
    import_class,
)
from ntprofile.layers import Merged, enabled_entries
from ntprofile.releases import V2, activate
from ntprofile.releases.v2 import types
from ntprofile.releases.v2.types import Refusal, Type
from ntprofile.tools.variables import collect

__all__ = ["Client", "Compiled", "NodeConfig", "compile_merged"]

NODE = V2.node_class
REDIS = V2.redis_class
SECTIONS = V2.sections
CATALOGS = V2.catalogs
NOT_NODE_SCALARS = frozenset({"data_clients", "exec_clients", "controller", "plugins", "queue_monitor"})
"""``LiveNodeConfig`` parameters ``node:`` does not set: clients come from ``exchanges``, the rest has no
profile form yet (``controller``, ``plugins``) or is a section (``queue_monitor`` is not in ``SECTIONS``)."""


@dataclass(slots=True)
class NodeConfig:
    """Everything a 2.0 ``LiveNode`` is built from: what ``LiveNodeConfig`` holds and what the builder takes.

    Parameters
    ----------
    name : str
        The target's name (the node's name).
    node : dict
        ``LiveNodeConfig`` keyword arguments, config objects included, clients left out.
    logging : dict
        ``LoggerConfig`` keyword arguments (``quiet`` rebuilds it with another console level).
    redis : RedisCacheConfig or None
        The cache database, given to the builder (``with_cache_database_factory``).
    redis_args : dict
        Its keyword arguments (preflight reads host, port and credentials from them: 2.0 cannot).
    data, exec : dict[str, tuple[Any, str]]
        Client id -> (client config, ``module:Class`` of its factory). Simulated (sandbox) exec clients are
        in ``simulated`` instead: the builder adds those with ``add_simulated_exec_client``.
    components : list[tuple[str, Any]]
        ``(section, Importable*Config)`` in profile order.

    """

    name: str
    node: dict[str, Any] = field(default_factory=dict)
    logging: dict[str, Any] = field(default_factory=dict)
    redis: Any = None
    redis_args: dict[str, Any] = field(default_factory=dict)
    data: dict[str, tuple[Any, str]] = field(default_factory=dict)
    exec: dict[str, tuple[Any, str]] = field(default_factory=dict)
    simulated: dict[str, tuple[Any, str]] = field(default_factory=dict)
    components: list[tuple[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:  # client configs and the Redis config hold resolved credentials
        return f"NodeConfig(name={self.name!r}, clients={sorted({*self.data, *self.exec, *self.simulated})})"

    @property
    def live(self) -> Any:
        """The ``LiveNodeConfig`` (clients included), constructed anew: PyO3 configs are immutable."""
        cls = import_class(NODE)
        logger = import_class(SECTIONS["logging"])(**self.logging)
        return cls(
            **self.node,
            logging=logger,
            data_clients={cid: config for cid, (config, _) in self.data.items()},
            exec_clients={cid: config for cid, (config, _) in self.exec.items()},
        )

    def value(self, name: str, default: Any = None) -> Any:
        """A ``LiveNodeConfig`` scalar as the node sees it (its own default when the profile sets none)."""
        return getattr(self.live, name, default)


# ------------------------------------------------------------------ typing the profile


class Typer:
    """Profile path -> the 2.0 parameter type there, for ``fill`` and the checks (``fill.Fields``)."""

    def __init__(self, tree: dict[str, Any]):
        self.tree = tree

    def type_of(self, path: Path_) -> Type | None:
        if not path:
            return None
        head, rest = path[0], path[1:]
        if head == "node" and rest:
            return types.fields_of(NODE).get(str(rest[0])) if rest[0] not in NOT_NODE_SCALARS else None
        if head == "cache" and rest[:1] == ("database",):
            return types.of_class(REDIS).at(rest[1:])
        if head in SECTIONS:
            return types.of_class(SECTIONS[head]).at(rest)
        if head == CATALOGS[0] and rest:
            return types.of_class(CATALOGS[1]).at(rest[1:])
        if head == "exchanges" and len(rest) >= 2:
            return self._exchange_type(str(rest[0]), rest[1:])
        if head in COMPONENTS and len(rest) == 3 and rest[1] == "config":
            return self._component_type(head, rest[0], str(rest[2]))
        return None

    def _component_type(self, section: str, name: Any, key: str) -> Type | None:
        """A component config value's type, from its config class's ``__init__`` annotation (a plain scalar).

        2.0 sets each key as given (``setattr``), so ``trade_size: ${TRADE_SIZE}`` would reach the
        strategy as text; typed here, the resolved value is converted as for NautilusTrader's own fields.
        """
        entry = (self.tree.get(section) or {}).get(name)
        cls, _ = import_user_class(entry.get("config_path")) if isinstance(entry, dict) else (None, None)
        try:
            hint = typing.get_type_hints(cls.__init__).get(key) if cls is not None else None
        except Exception:  # noqa: BLE001 - user code: an annotation that does not resolve types nothing
            return None
        members = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types_.UnionType) else (hint,)
        scalars = {bool: "bool", int: "int", float: "float", str: "str", type(None): "none"}
        found = tuple(Type(scalars[m]) for m in members if m in scalars)
        return (found[0] if len(found) == 1 else Type("union", args=found)) if found else None

    def _exchange_type(self, client_id: str, rest: Path_) -> Type | None:
        section = (self.tree.get("exchanges") or {}).get(client_id)
        adapter = adapter_of(client_id, section) if isinstance(section, dict) else None
        if adapter is None or rest[0] in EXCHANGE_KEYS and rest[0] not in CLIENT_KINDS:
            return None
        if rest[0] in CLIENT_KINDS:
            spec = adapter.client(str(rest[0]))
            return types.of_class(spec.config).at(rest[1:]) if spec is not None and len(rest) > 1 else None
        for kind in CLIENT_KINDS:  # a shared option: typed as the first client that has it
            spec = adapter.client(kind)
            if spec is not None and rest[0] in types.fields_of(spec.config):
                return types.of_class(spec.config).at(rest)
        return None

    def _owner(self, path: Path_) -> str | None:
        """The class name of the config that holds the field at ``path`` (for ``constraints``)."""
        parent = self.type_of(path[:-1]) if len(path) > 1 else None
        if path[:1] == ("node",) and len(path) == 2:
            return class_name(NODE)
        member = parent.config_member() if parent is not None else None
        return class_name(member) if member else None

    def convert_text(self, path: Path_, text: str, optional_empty: bool) -> Any:
        return types.convert_text(text, self.type_of(path), optional_empty)

    def problem(self, path: Path_, value: Any) -> str | None:
        """What ``language.constraints`` says of a value NautilusTrader checks late or not at all."""
        if path[0] in COMPONENTS:  # the user's own classes check their configs (``_component_config``)
            return None
        t = self.type_of(path)
        model = t.value_member() if t is not None else None
        problem = constraints.number_problem(value) or (
            isinstance(value, str) and model is not None and constraints.model_value_problem(value, class_name(model))
        )
        if problem:
            return problem
        owner = self._owner(path)
        if owner is None or not isinstance(path[-1], str):
            return None
        return constraints.field_problem(owner, path[-1], value)

    def stand_in(self, path: Path_) -> Any:
        owner = self._owner(path)
        constraint = constraints.constraint_for(owner, str(path[-1])) if owner else None
        if constraint is not None and not constraint.each_value:
            return constraint.example
        try:
            return types.sample(self.type_of(path))
        except types.NoValue:
            raise NoValue(str(path[-1])) from None


# ------------------------------------------------------------------ compiling


class _Build:
    """One compilation: the filled tree, where each value came from, the findings."""

    def __init__(self, merged: Merged, tree: dict[str, Any], secret: set[Path_]):
        self.merged = merged
        self.tree = tree
        self.secret = secret
        self.diags: list[Diagnostic] = []

    def error(self, code: str, message: str, path: Path_, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(code, message, self.merged.origin(path), key=key_path(path), hint=hint))

    def refused(self, path: Path_, message: str, subject: str) -> None:
        """A V101: NautilusTrader (or the conversion to its type) refused the value at ``path``.

        Once per key: a shared exchange option refused by the data and the exec client is one finding.
        """
        if any(d.code == "V101" and d.key == key_path(path) for d in self.diags):
            return
        if path in self.secret or is_secret_path(path):
            message = "invalid value (not shown: secret)"
        self.error("V101", f"rejected by NautilusTrader ({subject}): {REDACTOR.withhold(message)}", path)

    def construct(self, cls_path: str, values: Any, base: Path_, skip: frozenset[str] = frozenset()) -> Any:
        """``cls(**values)`` with each value converted to its parameter's type; ``None`` after a finding."""
        if not isinstance(values, dict):
            self.error("V002", f"expected a mapping of {class_name(cls_path)} fields", base)
            return None
        located = {name: (value, base + (name,)) for name, value in values.items() if name not in skip}
        kwargs = self.arguments(cls_path, located, base)
        return self.call(cls_path, kwargs, base, located) if kwargs is not None else None

    def arguments(
        self, cls_path: str, values: dict[str, tuple[Any, Path_]], base: Path_, required: frozenset[str] = frozenset()
    ) -> dict[str, Any] | None:
        """The converted keyword arguments of ``cls_path`` (nested configs and models constructed), or ``None``.

        ``values`` maps each parameter to its value and the profile path that set it (an exchange
        section's shared option and a client's own one differ).
        """
        subject = class_name(cls_path)
        fields = types.fields_of(cls_path)
        kwargs: dict[str, Any] = {}
        ok = True
        for name, (value, path) in values.items():
            if name not in fields:
                self.error("V001", f"'{name}' is not a field of {subject}", path, did_you_mean(str(name), fields))
                ok = False
                continue
            try:
                converted = types.convert(value, fields[name])
            except Refusal as exc:
                self.refused(path + exc.rel, exc.message, subject)
                ok = False
                continue
            nested = fields[name].config_member() or _model_class(fields[name], converted)
            if isinstance(converted, dict) and nested is not None:
                if nested.startswith(MODELS):  # {MakerTakerFeeModel: {...}}: the class is the only key
                    path, converted = path + (next(iter(converted)),), next(iter(converted.values()))
                converted = self.construct(nested, converted, path)
                ok = ok and converted is not None
            kwargs[name] = converted
        needed = required | frozenset(types.needed_fields(cls_path))
        for f in types.stubs.fields(cls_path):
            if f.name in needed and values.get(f.name, (None,))[0] is None:
                path = values[f.name][1] if f.name in values else base + (f.name,)
                self.error("V004", f"missing required key '{f.name}' of {subject}", path)
                ok = False
        return kwargs if ok else None

    def call(self, cls_path: str, kwargs: dict[str, Any], base: Path_, located: dict[str, tuple[Any, Path_]]) -> Any:
        """Construct; a refusal is pinned on the argument that alone makes the constructor refuse."""
        cls = import_class(cls_path)
        subject = class_name(cls_path)
        problem = _refusal(cls, kwargs)
        if problem is None:
            return cls(**kwargs)
        required = {f.name for f in types.stubs.fields(cls_path) if f.required}
        base_args = {k: v for k, v in kwargs.items() if k in required}
        if _refusal(cls, base_args) is not None:  # the required arguments alone
            suspects = [(name, base_args) for name in base_args if len(base_args) == 1]
        else:
            suspects = [(name, {**base_args, name: value}) for name, value in kwargs.items() if name not in required]
        for name, args in suspects:
            alone = _refusal(cls, args)
            if alone is not None:
                self.refused(located[name][1] if name in located else base + (name,), alone, subject)
                return None
        self.refused(base, problem, subject)
        return None


MODELS = "nautilus_trader.execution"
"""Where 2.0's execution models live (fee, fill, latency): what a ``typing.Any`` ``*_model`` parameter takes."""


def _model_class(t: Type, value: Any) -> str | None:
    """``module:Class`` of the execution model a ``{ClassName: {arguments}}`` value names, for an untyped parameter.

    2.0's sandbox takes ``fee_model`` (required in practice), ``fill_model`` and
    ``latency_model`` as objects; a profile names NautilusTrader's class and its
    constructor arguments: ``fee_model: {MakerTakerFeeModel: {maker_rate: "0", taker_rate: "0"}}``.
    """
    if t.kind != "any" and not (t.kind == "union" and all(m.kind in ("any", "none") for m in t.members)):
        return None
    if not isinstance(value, dict) or len(value) != 1:
        return None
    name = next(iter(value))
    if not isinstance(name, str) or not name.endswith("Model") or not isinstance(value[name], (dict, type(None))):
        return None
    try:
        types.stubs.class_node(f"{MODELS}:{name}")
    except types.stubs.StubError:
        return None
    return f"{MODELS}:{name}"


def _refusal(cls: Any, kwargs: dict[str, Any]) -> str | None:
    """What constructing ``cls(**kwargs)`` raises, as text; ``None`` when it constructs."""
    try:
        cls(**kwargs)
    except (TypeError, ValueError, OverflowError, RuntimeError) as exc:
        return str(exc) or type(exc).__name__
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException (a BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        return str(exc) or "NautilusTrader panicked"
    return None


def compile_merged(merged: Merged, lookup: Lookup | None = None) -> Compiled:
    """Compile ``merged`` onto NautilusTrader 2.0's config classes; never raises for bad input.

    With ``lookup`` every placeholder is resolved; without it (``ntprofile compile``)
    placeholders stay verbatim in ``node_json`` and stand-ins of each field's type check the rest.
    """
    from ntprofile.releases.v2 import artifact

    activate(V2)  # the adapter records and vocabulary this backend compiles with
    typer = Typer(merged.tree)
    secret_names = frozenset(v.name for v in collect(merged) if v.secret)
    enabled = {  # a disabled exchange or component needs no variables
        k: enabled_entries(v) if k in TOGGLED_SECTIONS and isinstance(v, dict) else v for k, v in merged.tree.items()
    }
    filled = fill(enabled, typer, lambda path: (path, merged.origin(path)), lookup, secret_names)
    build = _Build(merged, filled.tree, filled.secret)
    build.diags += filled.diagnostics
    _prechecks(build, typer)
    reported = {d.key for d in build.diags if d.is_error}  # a value that broke a constraint: said once
    before = len(build.diags)
    config, clients = _assemble(build)  # 2.0 refuses in Python, not by aborting: every finding at once
    build.diags[before:] = [d for d in build.diags[before:] if d.key not in reported]
    profile, secret_findings = _artifact_profile(merged)
    build.diags += secret_findings
    diags = ordered(build.diags)
    ok = config is not None and not any(d.is_error for d in diags)
    node_json = artifact.node_json(merged.name, profile) if ok else None
    return Compiled(config if ok else None, node_json, clients, diags)


def _prechecks(build: _Build, typer: Typer) -> None:
    """Constraint findings (V003) for every literal value, before anything is constructed."""
    reported = {d.key for d in build.diags}
    for path, value in walk_leaves(build.tree):
        if key_path(path) in reported or typer.type_of(path) is None:
            continue
        problem = typer.problem(path, value)
        if problem:
            if path in build.secret or is_secret_path(path):
                problem = "invalid value (not shown: secret)"
            build.error("V003", problem, path)


def _assemble(build: _Build) -> tuple[NodeConfig | None, list[Client]]:
    tree = build.tree
    known = set(PROFILE_ONLY) | set(SECTIONS) | {CATALOGS[0]} | set(COMPONENTS)
    for key in tree:
        if key not in known:
            build.error("V001", f"unknown top-level key '{key}'", (key,), did_you_mean(str(key), sorted(known)))
    config = NodeConfig(build.merged.name)
    _node(build, config)
    for section in SECTIONS:
        value = tree.get(section)
        if value is None:
            continue
        if section == "logging":
            if isinstance(value, dict):
                located = {k: (v, (section, k)) for k, v in value.items()}
                args = build.arguments(SECTIONS[section], located, (section,))
                config.logging = args if args is not None else {}
            else:
                build.error("V002", "expected a mapping of LoggerConfig fields", (section,))
            continue
        made = build.construct(SECTIONS[section], value, (section,), skip=frozenset({"database"}))
        if made is not None:
            config.node[section] = made
    _redis(build, config)
    catalogs = tree.get(CATALOGS[0])
    if catalogs is not None:
        if not isinstance(catalogs, list):
            build.error("V002", f"'{CATALOGS[0]}' must be a list of {class_name(CATALOGS[1])} mappings", (CATALOGS[0],))
        else:
            made = [build.construct(CATALOGS[1], entry, (CATALOGS[0], i)) for i, entry in enumerate(catalogs)]
            config.node[CATALOGS[0]] = made
    clients = _exchanges(build, config)
    _components(build, config)
    if any(d.is_error for d in build.diags):
        return None, clients
    try:  # the whole, as the builder will see it: cross-field checks
        config.live
    except Exception as exc:  # noqa: BLE001 - whatever LiveNodeConfig raises is the finding
        build.refused(("node",), str(exc), class_name(NODE))
        return None, clients
    return config, clients


def _node(build: _Build, config: NodeConfig) -> None:
    node = build.tree.get("node") or {}
    if not isinstance(node, dict):
        build.error("V002", f"'node' must be a mapping of {class_name(NODE)} fields", ("node",))
        return
    fields = types.fields_of(NODE)
    allowed = [name for name in fields if name not in NOT_NODE_SCALARS and name not in SECTIONS and name != "catalogs"]
    values = dict(node)
    if build.merged.stage in SIMULATED_STAGES and "environment" not in node:
        values["environment"] = "sandbox"  # paper trading: simulated execution
    for key in values:
        if key not in allowed:
            build.error(
                "V001",
                f"'{key}' is not a {class_name(NODE)} field a node section may set",
                ("node", key),
                did_you_mean(str(key), allowed),
            )
    located = {k: (v, ("node", k)) for k, v in values.items() if k in allowed}
    if "environment" not in node and "environment" in values:
        located["environment"] = (values["environment"], ("profile", "stage"))
    args = build.arguments(NODE, located, ("node",))
    if args is not None:
        config.node.update(args)


def _redis(build: _Build, config: NodeConfig) -> None:
    cache = build.tree.get("cache")
    database = cache.get("database") if isinstance(cache, dict) else None
    if database is None:
        return
    base: Path_ = ("cache", "database")
    if not isinstance(database, dict):
        build.error("V002", f"'cache.database' must be a mapping of {class_name(REDIS)} fields or null", base)
        return
    located = {k: (v, base + (k,)) for k, v in database.items()}
    args = build.arguments(REDIS, located, base)
    if args is None:
        return
    made = build.call(REDIS, args, base, located)
    if made is not None:
        config.redis, config.redis_args = made, args


# ------------------------------------------------------------------ exchanges


def _exchanges(build: _Build, config: NodeConfig) -> list[Client]:
    section = build.tree.get("exchanges")
    if section is None:
        return []
    if not isinstance(section, dict):
        build.error("V002", "'exchanges' must be a mapping of client id to an exchange section", ("exchanges",))
        return []
    for client_id, entry in build.merged.tree["exchanges"].items():  # disabled ones are not in build.tree
        if not isinstance(entry, dict):
            build.error("V002", "an exchange section must be a mapping", ("exchanges", client_id))
    out = []
    for client_id, entry in enabled_entries(section).items():
        client = _exchange(build, config, str(client_id), entry)
        if client is not None:
            out.append(client)
    return out


def _exchange(build: _Build, config: NodeConfig, client_id: str, entry: dict[str, Any]) -> Client | None:
    base: Path_ = ("exchanges", client_id)
    adapter = adapter_of(client_id, entry)
    if adapter is None:
        name = entry.get("adapter", client_id.lower())
        where = base + ("adapter",) if "adapter" in entry else base
        if isinstance(name, str) and name in UNSUPPORTED:
            build.error("V006", unsupported_message(name), where, unsupported_hint())
            return None
        message = f"unknown adapter {name!r} (known: {', '.join(sorted(ADAPTERS))})"
        build.error("V003", message, where, did_you_mean(str(name), ADAPTERS))
        return None
    specs = {kind: adapter.client(kind) for kind in CLIENT_KINDS}
    fields = {kind: types.fields_of(spec.config) if spec else {} for kind, spec in specs.items()}
    names = " or ".join(class_name(spec.config) for spec in specs.values() if spec is not None)
    bodies: dict[str, dict[str, tuple[Any, Path_]] | None] = {}
    for kind in CLIENT_KINDS:
        value = entry.get(kind, {})
        if value is False or specs[kind] is None:
            bodies[kind] = None
            if specs[kind] is None and kind in entry and value not in (None, False):
                build.error("V003", f"the {adapter.name} adapter has no {kind} client", base + (kind,))
        elif value is None or isinstance(value, dict):
            bodies[kind] = {}
        else:
            build.error("V002", f"'{kind}' must be a mapping of client fields or false", base + (kind,))
            bodies[kind] = None
    for key, value in entry.items():  # shared options first, the client's own on top
        if key in EXCHANGE_KEYS:
            continue
        if not any(key in fields[kind] for kind in CLIENT_KINDS):
            choices = sorted(set(fields["data"]) | set(fields["exec"]) | set(EXCHANGE_KEYS))
            build.error("V001", f"'{key}' is not a field of {names}", base + (key,), did_you_mean(str(key), choices))
            continue
        for kind in CLIENT_KINDS:
            if bodies[kind] is not None and key in fields[kind]:
                bodies[kind][key] = (value, base + (key,))  # type: ignore[index]
    if entry.get("environment") is not None:
        _environment(build, adapter, entry["environment"], base, bodies, fields)
    for kind in CLIENT_KINDS:
        own = entry.get(kind)
        if bodies[kind] is not None and isinstance(own, dict):
            for key, value in own.items():
                bodies[kind][key] = (value, base + (kind, key))  # type: ignore[index]
    for kind in CLIENT_KINDS:
        body = bodies[kind]
        spec = specs[kind]
        if body is None or spec is None:
            continue
        made = _client(build, spec, body, base + (kind,))
        if made is None:
            continue
        target = config.simulated if adapter.simulated and kind == "exec" else getattr(config, kind)
        target[client_id] = (made, spec.factory)
    return Client(client_id, adapter, bodies["data"] is not None, bodies["exec"] is not None)


def _client(build: _Build, spec: ClientSpec, body: dict[str, tuple[Any, Path_]], where: Path_) -> Any:
    """One client config from values each with its own profile path (shared or client-specific)."""
    kwargs = build.arguments(spec.config, body, where[:-1], spec.requires)
    return build.call(spec.config, kwargs, where[:-1], body) if kwargs is not None else None


def _environment(
    build: _Build,
    adapter: Adapter,
    value: Any,
    base: Path_,
    bodies: dict[str, dict[str, tuple[Any, Path_]] | None],
    fields: dict[str, dict[str, Type]],
) -> None:
    """``environment: mainnet|testnet|demo`` -> the adapter's own enum member on each client that has the field."""
    where = base + ("environment",)
    if adapter.environment_field is None:
        build.error("V003", f"the {adapter.name} adapter has one environment only; it takes no 'environment'", where)
        return
    choices = list(adapter.environments)
    if not isinstance(value, str) or has_placeholder(value) or value.lower() not in adapter.environments:
        known = isinstance(value, str) and value.lower() in ENVIRONMENTS
        build.error(
            "V003",
            f"environment must be one of {', '.join(choices)}"
            + ("" if isinstance(value, str) and has_placeholder(value) else f", got {value!r}")
            + (f" (the {adapter.name} adapter has no {value.lower()})" if known else ""),
            where,
            None if known else did_you_mean(str(value), choices),
        )
        return
    member = adapter.environments[value.lower()]
    for kind in CLIENT_KINDS:
        body = bodies[kind]
        if body is not None and adapter.environment_field in fields[kind]:
            body[adapter.environment_field] = (member, where)


# ------------------------------------------------------------------ components


def _components(build: _Build, config: NodeConfig) -> None:
    for section, kind in COMPONENTS.items():
        value = build.tree.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            build.error("V002", f"'{section}' must be a mapping of a name to an entry", (section,))
            continue
        for name, entry in build.merged.tree[section].items():
            if not isinstance(entry, dict):
                build.error("V002", "each entry must be a mapping", (section, name))
        for name, entry in enabled_entries(value).items():
            base: Path_ = (section, name)
            body = {k: v for k, v in entry.items() if k != "enabled"}
            for key in (kind.path_field, "config_path"):
                _class_path(build, body.get(key), base + (key,))
            body.setdefault("config", {})
            made = build.construct(V2.components[section], body, base)
            if made is not None:
                _component_config(build, body.get("config_path"), body["config"], base + ("config",))
                config.components.append((section, made))


def _class_path(build: _Build, value: Any, path: Path_) -> None:
    """A class path NautilusTrader resolves must read ``module:Class``."""
    if not isinstance(value, str) or has_placeholder(value):
        return
    module, colon, cls = value.rpartition(":")
    if colon and module and cls and "." not in cls:
        return
    build.error("V003", f"'{value}' is not a class path of the form module:Class", path, "write it as module:Class")


def _component_config(build: _Build, config_path: Any, config: Any, base: Path_) -> None:
    """A component's ``config`` applied as NautilusTrader 2.0 applies it: ``cls()``, then one attribute per key.

    2.0 sets each key on a default instance and accepts any name; a key the class
    does not declare at all (no attribute, no annotation) is a misspelling here (V001),
    and a key its class refuses to set (``order_id_tag`` of ``StrategyConfig``) a V101.
    A class that does not import here is left to ``check``'s preflight (R004).
    """
    cls, _ = import_user_class(config_path)
    if cls is None or not isinstance(config, dict):
        return
    try:
        instance = cls()
    except Exception as exc:  # noqa: BLE001 - user code
        build.refused(base, f"{cls.__name__}() raised {type(exc).__name__}: {exc}", cls.__name__)
        return
    declared = set(getattr(cls, "__annotations__", {})) | {n for n in dir(instance) if not n.startswith("_")}
    for key, value in config.items():
        path = base + (key,)
        if key not in declared:
            build.error("V001", f"'{key}' is not a field of {cls.__name__}", path, did_you_mean(str(key), declared))
            continue
        try:
            setattr(instance, key, copy.deepcopy(value))
        except Exception as exc:  # noqa: BLE001 - user code and PyO3 descriptors
            build.refused(path, f"{type(exc).__name__}: {exc}", cls.__name__)


# ------------------------------------------------------------------ the artifact's profile


def _artifact_profile(merged: Merged) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The merged tree for ``node.json``: placeholders verbatim, a literal secret masked and refused (S001)."""
    profile = copy.deepcopy(merged.tree)
    diags = []
    for path, value in list(walk_leaves(profile)):
        if not is_secret_path(path) or value is None or value == MASK:
            continue
        if isinstance(value, str) and has_placeholder(value):
            continue
        target: Any = profile
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = MASK
        diags.append(
            Diagnostic(
                "S001",
                "a secret must be a placeholder such as ${NAME}, not a literal value",
                merged.origin(path),
                key=key_path(path),
            )
        )
    return profile, diags

