"""Generate ``schemas/profile.schema.json`` from the installed NautilusTrader.

The schema is derived, never hand-written: each section is NautilusTrader's own
``msgspec`` JSON schema of the config class of that name, so a NautilusTrader
upgrade that renames or retypes a field shows up as schema drift
(``ntprofile schema --check``) instead of as a node that fails at start.
On top of that come the profile vocabulary (``extends``, ``profile``,
``exchanges``, ``strategies``...), placeholders in every scalar position,
``writeOnly`` on secret fields, field descriptions from NautilusTrader's
docstrings and the constraints NautilusTrader only checks in Rust or at node
construction (``refinements``).

This module imports ``nautilus_trader``; the validate path never imports it.
"""

from __future__ import annotations

import copy
import json
from importlib import metadata
from typing import Any, Callable, Iterable

from ntprofile.adapters import Adapter
from ntprofile.diagnostics.codes import CODES
from ntprofile.language.secrets import credential_variable, is_secret_key
from ntprofile.language.vocabulary import (
    CATALOGS,
    COMPONENT_CLASSES,
    COMPONENTS,
    NODE_CLASS,
    SECTIONS,
    STAGES,
    class_name,
    import_class,
)
from ntprofile.schema import CLIENT_REQUIRED, SECRET_INDEX, write_only_names
from ntprofile.schema.docs import class_parameters, summary
from ntprofile.schema.refine import (
    NODE_REFINEMENTS,
    PLACEHOLDER_PATTERN,
    refine_component,
)

PLACEHOLDER_REF = "#/$defs/placeholder"


# ----------------------------------------------------------------- helpers


def adapters() -> dict[str, Adapter]:
    """Adapter name -> its record, from ``ntprofile.adapters``."""
    from ntprofile.adapters import ADAPTERS

    if not ADAPTERS:
        raise RuntimeError("ntprofile.adapters registers no adapter; the exchanges schema would be empty")
    return dict(sorted(ADAPTERS.items()))


def _schema_hook(type_: type) -> dict[str, Any]:
    """NautilusTrader's hook, plus the member names of Rust (pyo3) enums.

    NautilusTrader's hook maps a pyo3 enum to a bare string; its decoder takes
    the member name (``getattr(enum, value.upper())``), so listing the names
    gives editors completion and turns a typo into a validation error instead
    of an exception at node construction.
    """
    from nautilus_trader.common.config import _is_pyo3_enum_type, nautilus_schema_hook

    if _is_pyo3_enum_type(type_):
        names = sorted(a for a in dir(type_) if a.isupper() and not a.startswith("_"))
        return {"type": "string", "enum": names}
    return nautilus_schema_hook(type_)


def _encodable_shadow(cls: type) -> type:
    """``cls`` itself, or a look-alike struct whose defaults msgspec can encode.

    ``msgspec.json.schema`` writes each field default with ``to_builtins``,
    which knows no NautilusTrader type: ``BinanceDataClientConfig`` (default
    ``venue=Venue('BINANCE')``) raises ``TypeError``. The shadow has the same
    name, fields and types, with such defaults in NautilusTrader's own JSON
    encoding (``'BINANCE'``), so Binance is described, not skipped.
    """
    import msgspec
    from nautilus_trader.common.config import msgspec_encoding_hook

    fields = []
    changed = False
    for f in msgspec.structs.fields(cls):
        if f.required:
            fields.append((f.name, f.type))
            continue
        if f.default_factory is not msgspec.NODEFAULT:
            fields.append((f.name, f.type, msgspec.field(default_factory=f.default_factory)))
            continue
        default = f.default
        try:
            msgspec.to_builtins(default, str_keys=True)
        except TypeError:
            default = msgspec.to_builtins(default, str_keys=True, enc_hook=msgspec_encoding_hook)
            changed = True
        fields.append((f.name, f.type, default))
    if not changed:
        return cls
    info = cls.__struct_config__
    shadow = msgspec.defstruct(
        cls.__name__,
        fields,
        kw_only=True,
        forbid_unknown_fields=info.forbid_unknown_fields,
        frozen=info.frozen,
        module=cls.__module__,
    )
    shadow.__doc__ = cls.__doc__
    return shadow


def nautilus_components(classes: list[type]) -> dict[str, dict[str, Any]]:
    """NautilusTrader's JSON schemas of ``classes`` (and what they nest), by class name."""
    import msgspec

    shadows = [_encodable_shadow(c) for c in classes]
    _, components = msgspec.json.schema_components(shadows, schema_hook=_schema_hook, ref_template="#/$defs/{name}")
    return components


# ------------------------------------------------------------- transforms


def _describe(component: dict[str, Any], cls: type | None) -> None:
    """Class summary and per-field docstring texts; secrets marked ``writeOnly``."""
    if cls is not None:
        component["description"] = summary(cls.__doc__)
        docs = class_parameters(cls)
    else:
        docs = {}
    for name, prop in component.get("properties", {}).items():
        if name in docs:
            prop["description"] = docs[name]
        if is_secret_key(name):
            prop["writeOnly"] = True


def _is_scalar(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    if "$ref" in schema:
        target = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return "enum" in target or target.get("type") in ("string", "integer", "number", "boolean")
    if "enum" in schema or "const" in schema:
        return True
    return schema.get("type") in ("integer", "number", "boolean") or (
        schema.get("type") == "string" and any(k in schema for k in ("pattern", "format", "minLength", "maxLength"))
    )


_META = ("description", "default", "writeOnly", "title", "examples")


def accept_placeholders(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts a placeholder string wherever it takes a scalar.

    A plain string already accepts one; a constrained string, a number, a
    boolean or an enum gets ``anyOf [schema, placeholder]``. Lists and maps are
    rewritten item by item, nested config objects keep their own fields.
    """
    if "anyOf" in schema:
        branches = [accept_placeholders(b, defs) for b in schema["anyOf"]]
        flat = []
        for branch in branches:  # lift a nested [x, placeholder] into this anyOf
            if set(branch) == {"anyOf"}:
                flat.extend(b for b in branch["anyOf"] if b not in flat)
            elif branch not in flat:
                flat.append(branch)
        placeholder = {"$ref": PLACEHOLDER_REF}
        if placeholder in flat:  # keep the placeholder last, for readable errors
            flat.remove(placeholder)
            flat.append(placeholder)
        return {**schema, "anyOf": flat}
    out = dict(schema)
    if out.get("type") == "array" and isinstance(out.get("items"), dict):
        out["items"] = accept_placeholders(out["items"], defs)
        return out
    if out.get("type") == "object" and isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = accept_placeholders(out["additionalProperties"], defs)
        return out
    if _is_scalar(out, defs):
        meta = {k: out.pop(k) for k in _META if k in out}
        if out == {"type": "string", "format": "decimal"}:  # msgspec decodes a number as a Decimal too
            return {**meta, "anyOf": [out, {"type": "number"}, {"$ref": PLACEHOLDER_REF}]}
        return {**meta, "anyOf": [out, {"$ref": PLACEHOLDER_REF}]}
    return out


def _finish_component(name: str, component: dict[str, Any], defs: dict[str, Any], cls: type | None) -> None:
    """Describe, refine and placeholder-enable one object component in place."""
    if component.get("type") != "object":
        return
    component.pop("required", None)  # partial profiles: requirements live in $defs/target
    component.pop("title", None)
    _describe(component, cls)
    refine_component(name, component)
    for field, prop in list(component.get("properties", {}).items()):
        component["properties"][field] = accept_placeholders(prop, defs)


# ------------------------------------------------------------- vocabulary


def _profile_schema() -> dict[str, Any]:
    waivers = {
        code: {"type": "string", "description": f"Waive {code} ({c.title}): {c.rationale} Give the reason."}
        for code, c in sorted(CODES.items())
        if code.startswith("P") and code != "P100"
    }
    return {
        "type": "object",
        "description": "What this profile is: its stage drives the trading-safety policy.",
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "description": "One line shown by `ntprofile list`."},
            "stage": {
                "enum": list(STAGES),
                "description": f"{' | '.join(STAGES)}; required on a target once merged. Policy rules key off it.",
            },
            "waivers": {
                "type": "object",
                "description": "Policy rules turned off for this profile: {CODE: reason}. `explain` shows the reason.",
                "additionalProperties": False,
                "properties": waivers,
            },
        },
    }


def _node_schema(
    node_component: dict[str, Any], defs: dict[str, Any], node_class: str = "TradingNodeConfig"
) -> dict[str, Any]:
    """The node config's top-level scalars (sections are separate keys)."""
    props = {}
    for field, prop in node_component["properties"].items():
        if _is_section_valued(prop, defs):
            continue
        props[field] = prop
    return {
        "type": "object",
        "description": f"{node_class} top-level fields: identity, environment, state and timeouts.",
        "additionalProperties": False,
        "properties": props,
    }


def _is_section_valued(prop: dict[str, Any], defs: dict[str, Any]) -> bool:
    branches = prop.get("anyOf", [prop])
    for branch in branches:
        if branch.get("type") in ("array", "object"):
            return True
        ref = branch.get("$ref", "")
        if ref and defs.get(ref.rsplit("/", 1)[-1], {}).get("type") == "object":
            return True
    return False


def _importable_schema(component: dict[str, Any], path_field: str) -> dict[str, Any]:
    entry = copy.deepcopy(component)
    entry["properties"]["enabled"] = {
        "type": "boolean",
        "default": True,
        "description": "false drops an inherited entry.",
    }
    entry["properties"]["config"] = {
        "type": "object",
        "description": "Free-form keyword arguments of the config class at config_path.",
    }
    entry["description"] = (
        f"{path_field} (module:Class), config_path (module:Class) and the config's fields; "
        "compiled to NautilusTrader's importable config."
    )
    return {
        "type": "object",
        "description": "Name -> entry; a map, so an overlay can change one parameter of one entry.",
        "additionalProperties": entry,
    }


def _client_fields(component: dict[str, Any] | None, environment_field: str | None) -> dict[str, Any]:
    if component is None:
        return {}
    return {k: v for k, v in component["properties"].items() if k != environment_field}


def _credential_text(adapter: Adapter, field: str) -> str:
    """What the schema says of a declared credential: placeholder form, who needs it, NautilusTrader's fallback."""
    credential = next((c for c in adapter.credentials if c.field == field), None)
    if credential is None:
        return ""
    parts = []
    if credential.secret:
        parts.append(
            "A placeholder such as ${" + credential_variable(adapter.name, field) + "}; literal values are rejected."
        )
    if credential.required:
        parts.append(f"Required by the {' and '.join(credential.required)} client.")
    if credential.fallback:
        names = ", ".join(sorted(set(credential.fallback.values())))
        parts.append(f"Unset, NautilusTrader reads {names} from the environment.")
    return " ".join(parts)


def _exchange_schemas(defs: dict[str, Any], table: dict[str, Adapter]) -> dict[str, dict[str, Any]]:
    """One complete exchange section per adapter, plus the dispatch on ``adapter``."""
    out: dict[str, dict[str, Any]] = {}
    names = sorted(table)
    common = {
        "adapter": {
            "enum": names,
            "description": "The NautilusTrader adapter; defaults to the lower-cased client id.",
        },
        "enabled": {"type": "boolean", "default": True, "description": "false drops an inherited exchange."},
    }
    union: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        adapter = table[name]
        classes = {kind: import_class(spec.config).__name__ for kind in adapter.kinds if (spec := adapter.client(kind))}
        data_cls, exec_cls = classes.get("data"), classes.get("exec")
        env_field = adapter.environment_field
        data = _client_fields(defs.get(data_cls) if data_cls else None, env_field)
        exec_ = _client_fields(defs.get(exec_cls) if exec_cls else None, env_field)
        for field, path in sorted(adapter.nested.items()):
            ref = {"$ref": f"#/$defs/{import_class(path).__name__}"}
            for props in (data, exec_):
                if field in props:
                    props[field] = {**{k: props[field][k] for k in _META if k in props[field]}, **ref}
        for field, enum_path in sorted(adapter.enum_values.items()):
            enum = import_class(enum_path)
            members = sorted(enum.__members__) + sorted(m.value for m in enum)  # names, and the values it decodes
            for props in (data, exec_):
                if field in props:
                    props[field] = accept_placeholders(_enum_names(props[field], members), defs)
        shared: dict[str, Any] = {}
        for field in sorted(set(data) | set(exec_)):
            both = [s for s in (data.get(field), exec_.get(field)) if s is not None]
            schema = copy.deepcopy(both[-1])
            if len(both) == 2 and _strip_meta(both[0]) != _strip_meta(both[1]):
                schema = {"anyOf": [_strip_meta(both[0]), _strip_meta(both[1])]}
            where = " and ".join(c for c, f in ((data_cls, data), (exec_cls, exec_)) if c and field in f)
            text = " ".join(t for t in (schema.get("description", ""), _credential_text(adapter, field)) if t)
            schema["description"] = f"{where}: {text}" if text else f"Field of {where}."
            shared[field] = schema
        props = {**copy.deepcopy(common), **shared}
        owner = data_cls or exec_cls
        if env_field is not None:
            env_names = adapter.environments
            real = ", ".join(sorted(adapter.real_money)) or "none"
            default = adapter.default_environment or "none"
            props["environment"] = {
                "enum": sorted(env_names),
                "description": f"Maps to {owner}.{env_field}: "
                + ", ".join(f"{k} -> {v}" for k, v in sorted(env_names.items()))
                + f". Unset: {default}. Real money: {real}.",
            }
        props["adapter"] = {**props["adapter"], "const": name}
        props["adapter"].pop("enum")
        for kind, cls, fields in (("data", data_cls, data), ("exec", exec_cls, exec_)):
            if cls is None:
                props[kind] = {"const": False, "description": f"The {name} adapter has no {kind} client."}
                continue
            out[f"{name}.{kind}"] = {
                "type": "object",
                "description": f"{cls} fields for this client only.",
                "additionalProperties": False,
                "properties": fields,
            }
            props[kind] = {
                "anyOf": [{"const": False}, {"$ref": f"#/$defs/{name}.{kind}"}],
                "description": f"{cls} fields for the {kind} client only, or false to run no {kind} client.",
            }
        both_text = " and ".join(c for c in (data_cls, exec_cls) if c)
        out[f"exchange.{name}"] = {
            "type": "object",
            "description": f"A {name} exchange: options apply to each of {both_text} that has the field.",
            "additionalProperties": False,
            "properties": props,
        }
        for field, schema in props.items():
            union.setdefault(field, [])
            if field != "adapter" and schema not in union[field]:
                union[field].append(schema)
    any_props: dict[str, Any] = {}
    for field, schemas in sorted(union.items()):
        if field == "adapter":
            any_props[field] = common["adapter"]
        elif len(schemas) == 1:
            any_props[field] = schemas[0]
        else:
            any_props[field] = {
                "anyOf": [_strip_meta(s) for s in schemas],
                "description": schemas[0].get("description", ""),
            }
    out["exchange.any"] = {
        "type": "object",
        "description": "An exchange whose adapter this file does not say: any adapter's options.",
        "additionalProperties": False,
        "properties": any_props,
    }
    dispatch: dict[str, Any] = {"$ref": "#/$defs/exchange.any"}
    for name in reversed(names):
        dispatch = {
            "if": {"properties": {"adapter": {"const": name}}, "required": ["adapter"]},
            "then": {"$ref": f"#/$defs/exchange.{name}"},
            "else": dispatch,
        }
    out["exchange"] = {
        "type": "object",
        "description": "An exchange section; `adapter` (default: the lower-cased client id) selects its options.",
        "properties": {"adapter": common["adapter"]},
        **dispatch,
    }
    for name in names:
        out[f"exchange.keyed.{name}"] = {
            "type": "object",
            "if": {"required": ["adapter"]},
            "then": {"$ref": "#/$defs/exchange"},
            "else": {"$ref": f"#/$defs/exchange.{name}"},
        }
    return out


def _enum_names(schema: dict[str, Any], members: list[str]) -> dict[str, Any]:
    """``schema`` with a value-decoded enum's strings replaced by ``members`` (its names, what a profile writes)."""
    if isinstance(schema.get("items"), dict):
        return {**schema, "items": _enum_names(schema["items"], members)}
    if "anyOf" in schema:
        return {**schema, "anyOf": [_enum_names(b, members) for b in schema["anyOf"]]}
    if "$ref" in schema or "enum" in schema:
        return {**{k: schema[k] for k in _META if k in schema}, "enum": members}
    return schema


def _strip_meta(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in _META}


def any_case(word: str) -> str:
    """A regex matching ``word`` in any letter case (ECMA regexes have no ``(?i)``)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


# ------------------------------------------------------------------- main


def nautilus_version() -> str:
    return metadata.version("nautilus_trader")


COMPONENT_INDEX = "x-components"
"""Root key of the schema: component ``config_path`` -> its ``$defs`` name (what the schema covers)."""


def _component_defs(config_paths: list[str], defs: dict[str, Any]) -> dict[str, str]:
    """Add the config classes of a repository's components to ``defs``; ``config_path`` -> def name.

    A class that does not import here is left out: ``validate`` warns about it
    (V104) and ``check`` imports it on the machine that runs the node.
    """
    import msgspec

    classes: dict[str, type] = {}
    for path in sorted(set(config_paths)):
        try:
            cls = import_class(path)
        except Exception:  # noqa: BLE001 - any import failure means "not covered here"
            continue
        if isinstance(cls, type) and issubclass(cls, msgspec.Struct):
            classes[path] = cls
    if not classes:
        return {}
    found = nautilus_components(list(classes.values()))
    index = {}
    for path, cls in classes.items():
        name = f"component:{path}"
        component = found.pop(cls.__name__)
        _finish_component(name, component, defs, cls)
        if cls.__struct_config__.forbid_unknown_fields:
            component["additionalProperties"] = False
        defs[name] = component
        index[path] = name
    for name, nested in found.items():  # what the config classes nest (enums, sub-configs)
        if name not in defs:
            _finish_component(name, nested, defs, None)
            defs[name] = nested
    return index


def _component_classes(class_paths: list[str]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """The component classes of each kind in the modules a repository's profiles name (``COMPONENT_CLASSES``).

    A module that does not import here is left out: compile imports it and says why.
    """
    import importlib

    from ntprofile.compile.importing import public_classes

    if not all(kind.base and kind.config_base for kind in COMPONENTS.values()):
        return {}  # the release record names no base classes: nothing to tell the kinds apart by
    bases = {section: (import_class(kind.base), import_class(kind.config_base)) for section, kind in COMPONENTS.items()}
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for module_name in sorted({p.rpartition(":")[0] for p in class_paths}):
        try:
            module = importlib.import_module(module_name)
        except Exception:  # noqa: BLE001 - any import failure means "not covered here"
            continue
        out[module_name] = {
            section: {"class": sorted(public_classes(module, base)), "config": sorted(public_classes(module, config))}
            for section, (base, config) in bases.items()
        }
    return out


def _dispatch_components(entry: dict[str, Any], index: dict[str, str]) -> None:
    """An importable entry whose ``config_path`` the schema covers has its ``config`` checked by that class."""
    if index:
        entry["allOf"] = [
            {
                "if": {"properties": {"config_path": {"const": path}}, "required": ["config_path"]},
                "then": {"properties": {"config": {"$ref": f"#/$defs/{name}"}}},
            }
            for path, name in sorted(index.items())
        ]


def envelope(source: str, version: str, properties: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema document around a release's ``properties`` and ``$defs``; it states the release."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated by `ntprofile schema` from {source}. Do not edit; "
        "regenerate with `ntprofile schema` (`ntprofile schema --check` detects drift).",
        "x-nautilus-trader-version": version,
        "title": "ntprofile profile",
        "description": "A NautilusTrader live node profile (or a layer of one). "
        "$defs/target adds what a merged target must have.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }


def client_required(
    table: dict[str, Adapter], needed: Callable[[str], Iterable[str]]
) -> dict[str, dict[str, list[str]]]:
    """``CLIENT_REQUIRED``: adapter -> client kind -> the fields ``needed(config_path)`` names for its config
    class (the release line's own reading of its classes), with those the record adds (``ClientSpec.requires``)."""
    out: dict[str, dict[str, list[str]]] = {}
    for name, adapter in table.items():
        for kind in adapter.kinds:
            spec = adapter.client(kind)
            if spec is not None and (fields := sorted(set(needed(spec.config)) | spec.requires)):
                out.setdefault(name, {})[kind] = fields
    return out


def _needed_fields(config_path: str) -> list[str]:
    """The fields a 1.x config struct has no default for and no ``None`` in its type: unset, msgspec refuses it."""
    import msgspec

    return [
        f.name
        for f in msgspec.structs.fields(import_class(config_path))
        if f.required and type(None) not in _flatten_type(f.type) and f.type is not None
    ]


def profile_properties(table: dict[str, Adapter]) -> dict[str, Any]:
    """The root properties of the profile language itself (every release line's schema has them)."""
    return {
        "extends": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Layers merged before this file, left to right, relative to profiles/ "
            "and without extension (env/production).",
        },
        "profile": {"$ref": "#/$defs/profile"},
        "node": {"$ref": "#/$defs/node"},
        "exchanges": {
            "type": "object",
            "description": "Client id (BINANCE, BYBIT...) -> exchange section.",
            "patternProperties": {f"^{any_case(n)}$": {"$ref": f"#/$defs/exchange.keyed.{n}"} for n in table},
            "additionalProperties": {"$ref": "#/$defs/exchange"},
        },
    }


def generate(config_paths: list[str] | None = None, class_paths: list[str] | None = None) -> dict[str, Any]:
    """The complete profile schema for the installed NautilusTrader.

    ``config_paths`` are the component config classes (``module:Class``) a
    profiles repository names; their fields join the schema where they import.
    ``class_paths`` are every component and config class path it names: their
    modules' classes of each kind join the schema's ``COMPONENT_CLASSES``.
    """
    table = adapters()
    section_classes = {name: import_class(path) for name, path in SECTIONS.items()}
    node_cls = import_class(NODE_CLASS)
    catalog_cls = import_class(CATALOGS[1])
    importables = {name: import_class(kind.importable) for name, kind in COMPONENTS.items()}
    adapter_classes = []
    for adapter in table.values():
        specs = [adapter.client(kind) for kind in adapter.kinds]
        adapter_classes += [import_class(spec.config) for spec in specs if spec is not None]
        adapter_classes += [import_class(path) for path in adapter.nested.values()]
    classes = [node_cls, *section_classes.values(), catalog_cls, *importables.values(), *adapter_classes]

    defs = nautilus_components(classes)
    by_name = {}
    for cls in classes:
        for klass in cls.__mro__:
            if klass.__name__ in defs:
                by_name.setdefault(klass.__name__, klass)
    # classes nested in those above (DatabaseConfig, InstrumentProviderConfig...)
    for module_cls in _nested_classes(classes):
        by_name.setdefault(module_cls.__name__, module_cls)

    node_component = defs.pop(node_cls.__name__)
    _describe(node_component, node_cls)
    for field, extra in NODE_REFINEMENTS.items():
        prop = node_component["properties"][field]
        node_component["properties"][field] = {**extra, **{k: prop[k] for k in _META if k in prop}}
    node_props = {k: accept_placeholders(v, defs) for k, v in node_component["properties"].items()}
    node_component["properties"] = node_props

    for name, component in defs.items():
        _finish_component(name, component, defs, by_name.get(name))

    defs["placeholder"] = {
        "type": "string",
        "pattern": PLACEHOLDER_PATTERN,
        "description": "A placeholder resolved when the node is built: ${NAME}, ${NAME:-default} or $NAME.",
    }
    defs["profile"] = _profile_schema()
    defs["node"] = _node_schema(node_component, defs)
    index = _component_defs(list(config_paths or ()), defs)
    for section, kind in COMPONENTS.items():
        defs[section] = _importable_schema(defs[class_name(kind.importable)], kind.path_field)
        _dispatch_components(defs[section]["additionalProperties"], index)
    defs.update(_exchange_schemas(defs, table))

    properties: dict[str, Any] = {
        **profile_properties(table),
        "catalogs": {
            "type": "array",
            "description": "TradingNodeConfig.catalogs: a list of DataCatalogConfig.",
            "items": {"$ref": f"#/$defs/{catalog_cls.__name__}"},
        },
    }
    for section, cls in section_classes.items():
        ref = {"$ref": f"#/$defs/{cls.__name__}"}
        optional = node_component["properties"].get(section, {})
        nullable = any(b.get("type") == "null" for b in optional.get("anyOf", []))
        properties[section] = {"anyOf": [ref, {"type": "null"}]} if nullable else ref
    for section in COMPONENTS:
        properties[section] = {"$ref": f"#/$defs/{section}"}
    defs["target"] = _target_schema(table, _nautilus_required(section_classes, catalog_cls, importables))

    version = nautilus_version()
    return _prune(
        envelope(f"nautilus_trader {version}", version, properties, defs)
        | {CLIENT_REQUIRED: client_required(table, _needed_fields)}
        | ({COMPONENT_INDEX: index} if index else {})
        | ({COMPONENT_CLASSES: classes} if (classes := _component_classes(list(class_paths or ()))) else {})
    )


def _prune(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop ``$defs`` nothing refers to (``TradingNodeConfig`` pulls in classes no section uses), then
    index the secret fields of what is left (``SECRET_INDEX``)."""
    defs = schema["$defs"]
    keep: set[str] = {"target"}
    todo = [schema["properties"], defs["target"]]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/") :]
                if name not in keep:
                    keep.add(name)
                    todo.append(defs[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    schema["$defs"] = {k: v for k, v in defs.items() if k in keep}
    schema[SECRET_INDEX] = write_only_names(schema)
    return schema


def _nested_classes(classes: list[type]) -> list[type]:
    """Struct classes referenced by the fields of ``classes`` (one level is enough here)."""
    import msgspec

    found = []
    for cls in classes:
        for f in msgspec.structs.fields(cls):
            for t in _flatten_type(f.type):
                if isinstance(t, type) and issubclass(t, msgspec.Struct):
                    found.append(t)
    return found


def _flatten_type(tp: Any) -> list[Any]:
    import typing

    args = typing.get_args(tp)
    return [tp, *[x for a in args for x in _flatten_type(a)]]


def _target_schema(table: dict[str, Adapter], required: dict[str, Any]) -> dict[str, Any]:
    """What a merged target must have, on top of the partial root ``#``; ``required``: the release's own
    required fields by section (``_nautilus_required``)."""
    props: dict[str, Any] = {
        "profile": {"required": ["stage"]},
        "node": {"required": ["trader_id"]},
        "exchanges": {
            "patternProperties": {f"^{any_case(n)}$": True for n in table},
            "additionalProperties": {
                "if": {"properties": {"enabled": {"const": False}}, "required": ["enabled"]},
                "else": {"required": ["adapter"]},
            },
        },
    }
    return {
        "description": "A merged target: the partial profile plus its required keys.",
        "$ref": "#",
        "required": ["profile", "node", "exchanges"],
        "properties": props | required,
    }


def _nautilus_required(section_classes, catalog_cls, importables) -> dict[str, Any]:
    """Fields NautilusTrader requires (no default), required once merged."""
    import msgspec

    def required(cls: type, skip: tuple[str, ...] = ()) -> list[str]:
        return [f.name for f in msgspec.structs.fields(cls) if f.required and f.name not in skip]

    out: dict[str, Any] = {}
    for section, cls in section_classes.items():
        names = required(cls)
        if names:
            out[section] = {"required": names}
    names = required(catalog_cls)
    if names:
        out["catalogs"] = {"items": {"required": names}}
    for section, cls in importables.items():
        names = required(cls, skip=("config",))
        out[section] = {
            "additionalProperties": {
                "if": {"properties": {"enabled": {"const": False}}, "required": ["enabled"]},
                "else": {"required": names},
            }
        }
    return out


def render(schema: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def generated_text(config_paths: list[str] | None = None, class_paths: list[str] | None = None) -> str:
    return render(generate(config_paths, class_paths))
