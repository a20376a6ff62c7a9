"""Generate the profile schema of NautilusTrader 2.0 from its ``.pyi`` stubs and its enums.

2.0's config classes are PyO3 objects with no msgspec schema: the stubs its
wheel ships name each constructor parameter with its type (``releases.stubs``),
and the enums list their members there. Each section of the 2.0 profile is the
class of that name of ``releases.V2``, with 2.0's own field names; the profile
vocabulary on top (``extends``, ``profile``, exchanges, components,
placeholders, ``writeOnly`` secrets, constraints) is the 1.x generator's
(``schema.generate``), so both releases speak the same language.

Conventions (what the 2.0 compile backend converts back):

- an enum field takes the member *name* (``LIVE``, ``MSG_PACK``): ``getattr(Enum, NAME)``;
- an identifier or ``from_str`` class (``TraderId``, ``AccountId``, ``Money``) takes one string;
- a config class takes a mapping of its own fields, recursively;
- ``cache.database`` is ``RedisCacheConfig`` (or ``null``: in memory);
- a field whose type no profile value can express (a class built only by
  factory methods, such as ``StreamingConfig.rotation_config``) is left out.

Defaults are read from the objects themselves (``Class()``, then each
property), because the stubs write ``None`` for a default set in Rust.

This module imports ``nautilus_trader`` (2.0); the validate path never imports it.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from ntprofile import releases
from ntprofile.adapters import Adapter
from ntprofile.language.secrets import is_secret_key
from ntprofile.language.vocabulary import import_class
from ntprofile.releases import V2, stubs
from ntprofile.schema import CLIENT_REQUIRED
from ntprofile.schema.generate import (
    _META,
    _exchange_schemas,
    _importable_schema,
    _node_schema,
    _profile_schema,
    _prune,
    _target_schema,
    accept_placeholders,
    client_required,
    envelope,
    profile_properties,
    render,
)
from ntprofile.schema.refine import PLACEHOLDER_PATTERN, node_refinements, refine_component

__all__ = ["Builder", "generate", "generated_text"]

_SEQUENCES = {"list", "set", "frozenset", "typing.Sequence", "collections.abc.Sequence", "typing.List", "typing.Set"}
_MAPPINGS = {"dict", "typing.Mapping", "collections.abc.Mapping", "typing.Dict"}
_TEXT = {"str", "os.PathLike", "pathlib.Path"}
_SCALARS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "decimal.Decimal": {"type": "string", "format": "decimal"},
}


class Builder:
    """Turns stub annotations into JSON Schema, collecting the ``$defs`` they reference (by class name)."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.paths: dict[str, str] = {}  # def name -> module:Class
        self.enums: set[str] = set()  # def names that are enums

    # ---------------------------------------------------------------- types

    def annotation(self, module: str, text: str) -> dict[str, Any] | None:
        """The schema of an annotation written in ``module``'s stub, or ``None`` when no value expresses it."""
        return self._node(module, ast.parse(text, mode="eval").body)

    def _node(self, module: str, node: ast.expr) -> dict[str, Any] | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            branches: list[dict[str, Any]] = []
            for part in _union(node):
                schema = self._node(module, part)
                if schema is not None and schema not in branches:
                    branches.append(schema)
            if not [b for b in branches if b != {"type": "null"}]:
                return None
            if {} in branches:
                return {}
            return branches[0] if len(branches) == 1 else {"anyOf": branches}
        if isinstance(node, ast.Constant) and node.value is None:
            return {"type": "null"}
        if isinstance(node, ast.Subscript):
            base = ast.unparse(node.value)
            args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if base in _SEQUENCES:
                items = self._node(module, args[0])
                return None if items is None else {"type": "array", "items": items}
            if base == "tuple":
                items = [self._node(module, a) for a in args]
                if any(i is None for i in items):
                    return None
                return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
            if base in _MAPPINGS:
                values = self._node(module, args[-1])
                return None if values is None else {"type": "object", "additionalProperties": values}
            return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self._named(module, ast.unparse(node))
        return None

    def _named(self, module: str, name: str) -> dict[str, Any] | None:
        if name in _TEXT:
            return {"type": "string"}
        if name in _SCALARS:
            return dict(_SCALARS[name])
        if name in ("typing.Any", "object"):
            return {}
        if name in _MAPPINGS:
            return {"type": "object"}
        if name in _SEQUENCES:
            return {"type": "array"}
        path = stubs.resolve(module, name)
        if ":" not in path:
            return None
        return self.class_schema(path)

    def class_schema(self, path: str) -> dict[str, Any] | None:
        """An enum or config class as a ``$ref`` to its def; a text value class as a string."""
        try:
            found, _ = stubs.class_node(path)
        except stubs.StubError:
            return None
        path = f"{found}:{path.rpartition(':')[2]}"
        if stubs.is_enum(path):
            return self._ref(path, self._enum)
        if stubs.is_text_value(path):
            return {"type": "string", "description": f"A NautilusTrader {path.rpartition(':')[2]}, as text."}
        if stubs.fields(path):
            return self._ref(path, self._object)
        return None  # built by factory methods only

    def _ref(self, path: str, make: Any) -> dict[str, Any]:
        name = path.rpartition(":")[2]
        known = self.paths.get(name)
        if known is not None and known != path:
            raise RuntimeError(f"two 2.0 classes named {name}: {known} and {path}")
        if known is None:
            self.paths[name] = path
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = make(path)
        return {"$ref": f"#/$defs/{name}"}

    def _enum(self, path: str) -> dict[str, Any]:
        self.enums.add(path.rpartition(":")[2])
        return {
            "type": "string",
            "enum": list(stubs.enum_members(path)),
            "description": f"{path.replace(':', '.')}: a member name.",
        }

    def _object(self, path: str) -> dict[str, Any]:
        module, name = path.split(":")
        props_text = stubs.properties(path)
        defaults = _defaults(path)
        props: dict[str, Any] = {}
        for field in stubs.fields(path):
            text = field.annotation
            held = props_text.get(field.name, "typing.Any")
            if set(stubs.annotation_names(text)) == {"typing.Any"} and "typing.Any" not in held:
                # the parameter is untyped, what it holds is not
                text = f"{held} | None" if "None" in (p.strip() for p in text.split("|")) else held
            schema = self.annotation(module, text)
            if schema is None:
                continue
            if field.name in defaults:
                schema["default"] = defaults[field.name]
            if is_secret_key(field.name):
                schema["writeOnly"] = True
            props[field.name] = schema
        component = {
            "type": "object",
            "description": f"NautilusTrader {path.replace(':', '.')}.",
            "additionalProperties": False,
            "properties": props,
        }
        refine_component(name, component)  # the constraint table's facts of the 2.0 line
        return component

    def finish(self) -> None:
        """Accept placeholders in every scalar position of every object def (after all defs exist)."""
        for component in self.defs.values():
            if component.get("type") == "object":
                component["properties"] = {
                    k: accept_placeholders(v, self.defs) for k, v in component["properties"].items()
                }


def _union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union(node.left), *_union(node.right)]
    return [node]


def _json_value(value: Any) -> Any:
    """``value`` as JSON the profile would write, or ``_SKIP``."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _SKIP
    cls = type(value)
    for member in dir(cls):  # an enum member: its name (a PyO3 enum's members are class attributes)
        attr = getattr(cls, member, None) if not member.startswith("_") else None
        if type(attr) is cls and attr == value:
            return member
    if isinstance(value, (list, tuple)):
        items = [_json_value(v) for v in value]
        return _SKIP if _SKIP in items else items
    if isinstance(value, dict):
        out = {str(k): _json_value(v) for k, v in value.items()}
        return _SKIP if _SKIP in out.values() else out
    return _SKIP


_SKIP = object()


def _defaults(path: str) -> dict[str, Any]:
    """Field -> the value a ``Class()`` holds (what NautilusTrader uses when the profile sets none)."""
    if any(f.required for f in stubs.fields(path)):
        return {}
    try:
        instance = import_class(path)()
    except Exception:  # noqa: BLE001 - a class that cannot be built bare has no readable defaults
        return {}
    out = {}
    for field in stubs.fields(path):
        try:
            value = _json_value(getattr(instance, field.name))
        except Exception:  # noqa: BLE001 - a write-only parameter (api_key) has no property
            continue
        if value is not _SKIP:
            out[field.name] = value
    return out


# ------------------------------------------------------------------ main


def _required(path: str, skip: tuple[str, ...] = ()) -> list[str]:
    return [f.name for f in stubs.fields(path) if f.required and f.name not in skip]


def generate() -> dict[str, Any]:
    """The complete 2.0 profile schema for the installed NautilusTrader 2.0."""
    releases.activate(V2)  # the 2.0 adapter records (and their declared secrets)
    from ntprofile.adapters import ADAPTERS
    from ntprofile.language.vocabulary import COMPONENTS
    from ntprofile.releases.v2.types import needed_fields

    table: dict[str, Adapter] = dict(sorted(ADAPTERS.items()))
    build = Builder()
    node_ref = build.class_schema(V2.node_class)
    section_refs = {section: build.class_schema(path) for section, path in V2.sections.items()}
    catalog_ref = build.class_schema(V2.catalogs[1])
    redis_ref = build.class_schema(V2.redis_class)
    importable_refs = {section: build.class_schema(path) for section, path in V2.components.items()}
    for adapter in table.values():
        for kind in adapter.kinds:
            build.class_schema(adapter.client(kind).config)
    assert node_ref and catalog_ref and redis_ref and all(section_refs.values()) and all(importable_refs.values())
    defs = build.defs

    cache_def = defs[_def_name(section_refs["cache"])]
    cache_def["properties"]["database"] = {
        "anyOf": [redis_ref, {"type": "null"}],
        "description": f"The Redis cache database: {V2.redis_class.replace(':', '.')}'s fields, given to the node "
        "builder (with_cache_database_factory); null or unset: in memory.",
    }
    node_name = _def_name(node_ref)
    node_component = defs.pop(node_name)
    for field, extra in node_refinements(node_name).items():
        prop = node_component["properties"][field]
        node_component["properties"][field] = {**extra, **{k: prop[k] for k in _META if k in prop}}
    build.finish()
    node_component["properties"] = {k: accept_placeholders(v, defs) for k, v in node_component["properties"].items()}

    defs["placeholder"] = {
        "type": "string",
        "pattern": PLACEHOLDER_PATTERN,
        "description": "A placeholder resolved when the node is built: ${NAME}, ${NAME:-default} or $NAME.",
    }
    defs["profile"] = _profile_schema()
    defs["node"] = _node_schema(node_component, defs, node_name)
    for section, kind in COMPONENTS.items():
        defs[section] = _importable_schema(defs[_def_name(importable_refs[section])], kind.path_field)
    defs.update(_exchange_schemas(defs, table))

    properties: dict[str, Any] = {
        **profile_properties(table),
        "catalogs": {
            "type": "array",
            "description": f"{node_name}.catalogs: a list of {_def_name(catalog_ref)}.",
            "items": catalog_ref,
        },
    }
    for section, ref in section_refs.items():
        properties[section] = {"anyOf": [ref, {"type": "null"}]}
    for section in COMPONENTS:
        properties[section] = {"$ref": f"#/$defs/{section}"}

    required: dict[str, Any] = {}
    for section, path in V2.sections.items():
        if names := _required(path):
            required[section] = {"required": names}
    if names := _required(V2.catalogs[1]):
        required["catalogs"] = {"items": {"required": names}}
    for section, path in V2.components.items():
        required[section] = {
            "additionalProperties": {
                "if": {"properties": {"enabled": {"const": False}}, "required": ["enabled"]},
                "else": {"required": _required(path, skip=("config",))},
            }
        }
    defs["target"] = _target_schema(table, required)

    version = releases.installed_version()
    return _prune(
        envelope(f"nautilus_trader {version}'s stubs", version, properties, defs)
        | {CLIENT_REQUIRED: client_required(table, needed_fields)}
    )


def _def_name(ref: dict[str, Any] | None) -> str:
    assert ref is not None and "$ref" in ref
    return ref["$ref"].rsplit("/", 1)[-1]


def generated_text(config_paths: list[str] | None = None, class_paths: list[str] | None = None) -> str:
    """The schema's text. ``config_paths`` and ``class_paths`` (a repository's component classes) are not
    described on 2.0 yet: a component's ``config`` stays a free mapping there, its class names unchecked."""
    del config_paths, class_paths
    return render(generate())
