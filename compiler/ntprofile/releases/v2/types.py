"""Profile values -> NautilusTrader 2.0 constructor arguments, typed by the wheel's ``.pyi`` stubs.

2.0's config classes are PyO3 objects: no msgspec schema to decode with, and a
refusal does not say which argument it refused (``must be real number, not
str``). So every value is converted here, field by field, to the type its
constructor parameter declares in the stubs (``releases.stubs``): enums from
member names in any case, identifiers (``TraderId``, ``AccountId``, ``Money``,
``UUID4``) through their ``from_str``, nested configs (``file_config``)
recursively, and a refusal is raised with the relative path it happened at.
A NautilusTrader upgrade that adds or retypes a parameter changes its stub,
not this module.
"""

from __future__ import annotations

import ast
import decimal
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from ntprofile.language import constraints
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import import_class
from ntprofile.releases import stubs

__all__ = [
    "NoValue",
    "Refusal",
    "Type",
    "convert",
    "convert_text",
    "needed_fields",
    "of_annotation",
    "of_class",
    "sample",
]


class Refusal(ValueError):
    """A value that does not convert to its parameter's type; ``rel`` is where below the converted value."""

    def __init__(self, message: str, rel: Path_ = ()):
        super().__init__(message)
        self.message = message
        self.rel = rel


class NoValue(Exception):
    """No stand-in value can be derived for a type."""


@dataclass(frozen=True, slots=True)
class Type:
    """A constructor parameter's type, as its stub annotation says.

    ``kind`` is one of ``any none bool int float str decimal enum value config list tuple dict union``;
    ``cls`` is ``module:Class`` for ``enum`` (a PyO3 enum), ``value`` (a model value such as
    ``TraderId``, built from text) and ``config`` (a config class, built from a mapping).
    """

    kind: str
    cls: str | None = None
    args: tuple[Type, ...] = ()

    @property
    def members(self) -> tuple[Type, ...]:
        return self.args if self.kind == "union" else (self,)

    @property
    def allows_none(self) -> bool:
        return any(m.kind in ("none", "any") for m in self.members)

    @property
    def name(self) -> str:
        """A short name for messages (``int``, ``BinanceEnvironment``)."""
        names = [m.cls.rpartition(":")[2] if m.cls else m.kind for m in self.members if m.kind != "none"]
        return " or ".join(names) or "null"

    def child(self, key: str | int) -> Type | None:
        """The type of ``value[key]``; ``None`` when unknown."""
        for m in self.members:
            if m.kind == "config" and isinstance(key, str):
                return fields_of(m.cls).get(key)  # type: ignore[arg-type]
            if m.kind == "dict":
                return m.args[1]
            if m.kind == "list" and isinstance(key, int):
                return m.args[0]
            if m.kind == "tuple" and isinstance(key, int) and key < len(m.args):
                return m.args[key]
        return None

    def at(self, path: Path_) -> Type | None:
        t: Type | None = self
        for key in path:
            t = t.child(key) if t is not None else None
        return t

    def config_member(self) -> str | None:
        """``module:Class`` of the config member of this type, if it has one."""
        return next((m.cls for m in self.members if m.kind == "config"), None)

    def value_member(self) -> str | None:
        return next((m.cls for m in self.members if m.kind == "value"), None)


ANY = Type("any")
_SCALARS = {
    "None": Type("none"),
    "bool": Type("bool"),
    "int": Type("int"),
    "float": Type("float"),
    "str": Type("str"),
    "decimal.Decimal": Type("decimal"),
    "typing.Any": ANY,
    "object": ANY,
    "pathlib.Path": Type("str"),
    "os.PathLike": Type("str"),
}
_LISTS = {"list", "typing.Sequence", "typing.List", "collections.abc.Sequence", "set", "frozenset"}
_DICTS = {"dict", "typing.Mapping", "typing.Dict", "collections.abc.Mapping"}


@cache
def of_annotation(annotation: str, module: str) -> Type:
    """The ``Type`` of a stub annotation written in ``module``'s stub."""
    return _of_node(ast.parse(annotation, mode="eval").body, module)


def _of_node(node: ast.expr, module: str) -> Type:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[Type] = []
        for side in (node.left, node.right):
            members += _of_node(side, module).members
        return Type("union", args=tuple(dict.fromkeys(members)))
    if isinstance(node, ast.Constant) and node.value is None:
        return _SCALARS["None"]
    if isinstance(node, ast.Subscript):
        base = ast.unparse(node.value)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base in _LISTS:
            return Type("list", args=(_of_node(args[0], module),))
        if base == "tuple":  # tuple[int, int]: a list of that length in a profile
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                return Type("list", args=(_of_node(args[0], module),))
            return Type("tuple", args=tuple(_of_node(a, module) for a in args))
        if base in _DICTS and len(args) == 2:
            return Type("dict", args=(_of_node(args[0], module), _of_node(args[1], module)))
        if base == "typing.Optional":
            return Type("union", args=(_of_node(args[0], module), _SCALARS["None"]))
        return ANY
    name = ast.unparse(node)
    if name in _SCALARS:
        return _SCALARS[name]
    if name in _LISTS:
        return Type("list", args=(ANY,))
    if name in _DICTS:
        return Type("dict", args=(ANY, ANY))
    try:
        path = stubs.resolve(module, name)
        if ":" not in path:
            return ANY
        if stubs.is_enum(path):
            return Type("enum", path)
        if path.rpartition(":")[2].endswith("Config") and stubs.fields(path):
            return Type("config", path)
    except stubs.StubError:
        return ANY
    return Type("value", path)


@cache
def needed_fields(cls: str) -> tuple[str, ...]:
    """The parameters of ``module:Class`` with no default and no ``None`` in their type: unset, it refuses."""
    typed = fields_of(cls)
    return tuple(f.name for f in stubs.fields(cls) if f.required and not typed[f.name].allows_none)


@cache
def fields_of(cls: str) -> dict[str, Type]:
    """Constructor parameter -> its ``Type``, for the class ``module:Class``."""
    module, _ = stubs.class_node(cls)
    return {f.name: of_annotation(f.annotation, module) for f in stubs.fields(cls)}


def of_class(cls: str) -> Type:
    """The ``Type`` of a mapping that constructs ``cls``."""
    return Type("config", cls)


@cache
def _class(path: str) -> Any:
    return import_class(path)


# ------------------------------------------------------------------ conversion


def _got(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def convert(value: Any, t: Type | None) -> Any:
    """``value`` (a plain profile value) as an argument of type ``t``; ``Refusal`` when it is not one.

    ``None`` is passed on as is (the constructor decides whether the parameter takes it);
    nested configs are converted but not constructed (``build`` does, field by field).
    """
    if t is None or value is None:
        return value
    problems: list[Refusal] = []
    for m in t.members:
        if m.kind == "none":
            continue
        try:
            return _convert_one(value, m)
        except Refusal as exc:
            problems.append(exc)
    if not problems:
        return value
    deepest = max(problems, key=lambda p: len(p.rel))
    if len(problems) > 1 and not deepest.rel:
        raise Refusal(f"expected {t.name}, got {_got(value)}")
    raise deepest


def _convert_one(value: Any, t: Type) -> Any:
    kind = t.kind
    if kind == "any":
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "decimal":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            try:
                return decimal.Decimal(str(value))
            except decimal.InvalidOperation:
                raise Refusal(f"{value!r} is not a decimal number") from None
    elif kind == "enum":
        return enum_member(value, t.cls)  # type: ignore[arg-type]
    elif kind == "value":
        return model_value(value, t.cls)  # type: ignore[arg-type]
    elif kind == "config":
        if isinstance(value, dict):
            return value  # built by ``build.construct``, which knows the profile paths
    elif kind == "list":
        if isinstance(value, list):
            out = []
            for index, item in enumerate(value):
                try:
                    out.append(convert(item, t.args[0]))
                except Refusal as exc:
                    raise Refusal(exc.message, (index, *exc.rel)) from None
            return out
    elif kind == "tuple":
        if isinstance(value, list) and len(value) == len(t.args):
            out = []
            for index, (item, item_type) in enumerate(zip(value, t.args)):
                try:
                    out.append(convert(item, item_type))
                except Refusal as exc:
                    raise Refusal(exc.message, (index, *exc.rel)) from None
            return tuple(out)
        if isinstance(value, list):
            raise Refusal(f"expected a list of {len(t.args)} values, got {len(value)}")
    elif kind == "dict":
        if isinstance(value, dict):
            converted = {}
            for key, item in value.items():
                try:
                    converted[convert(key, t.args[0])] = convert(item, t.args[1])
                except Refusal as exc:
                    raise Refusal(exc.message, (key, *exc.rel)) from None
            return converted
    raise Refusal(f"expected {t.name}, got {_got(value)}")


def enum_member(value: Any, path: str) -> Any:
    """The member of the PyO3 enum ``path`` named ``value`` (any case, ``-`` for ``_``), or through its ``from_str``."""
    cls = _class(path)
    if isinstance(value, cls):
        return value
    names = stubs.enum_members(path)
    if isinstance(value, str):
        wanted = value.strip().upper().replace("-", "_")
        for name in names:
            if name.upper() == wanted:
                return getattr(cls, name)
        parse = getattr(cls, "from_str", None)
        if parse is not None:
            try:
                return parse(value)
            except (ValueError, TypeError):
                pass
    raise Refusal(f"{value!r} is not a {path.rpartition(':')[2]} ({', '.join(names)})")


def model_value(value: Any, path: str) -> Any:
    """A NautilusTrader value (``TraderId``, ``Venue``, ``Money``, ``UUID4``) from its text."""
    cls = _class(path)
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise Refusal(f"expected {path.rpartition(':')[2]} text, got {_got(value)}")
    problem = constraints.model_value_problem(value, path.rpartition(":")[2])
    if problem:
        raise Refusal(problem)
    parse = getattr(cls, "from_str", None) or cls
    try:
        return parse(value)
    except (ValueError, TypeError) as exc:
        raise Refusal(str(exc)) from None


def convert_text(text: str, t: Type | None, optional_empty: bool = False) -> Any:
    """A resolved placeholder's text as a plain value of ``t`` (``"6379"`` -> ``6379``).

    Raises ``ValueError`` saying why, without quoting the text (it may be secret).
    ``optional_empty`` turns ``""`` into ``None`` where the type takes ``None``.
    """
    if optional_empty and text == "" and (t is None or t.allows_none):
        return None
    if t is None:
        return text
    kinds = {m.kind for m in t.members}
    if kinds & {"str", "any", "enum", "value", "decimal"}:
        return text
    if "int" in kinds:
        try:
            return int(text.strip())
        except ValueError:
            pass
    if "float" in kinds:
        try:
            number = float(text.strip())
        except ValueError:
            pass
        else:
            if not math.isfinite(number):
                raise ValueError("not a finite number")
            return number
    if "bool" in kinds:
        lowered = text.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    raise ValueError(f"not a valid {t.name}")


_STAND_INS = ("PLACEHOLDER-001.SIM", "10 USD", "USD", "00000000-0000-4000-8000-000000000000")
"""Texts one of which each model value class accepts (identifiers, ``Money``, ``Currency``, ``UUID4``)."""


def sample(t: Type | None) -> Any:
    """A plain value of ``t``: the stand-in for a placeholder ``compile`` keeps verbatim.

    Raises ``NoValue`` when none can be derived.
    """
    if t is None:
        return "placeholder"
    members = [m for m in t.members if m.kind != "none"]
    if not members:
        return None
    m = members[0]
    simple = {"any": "placeholder", "str": "placeholder", "bool": False, "int": 1, "float": 1.0, "decimal": "1"}
    if m.kind in simple:
        return simple[m.kind]
    if m.kind == "enum":
        return stubs.enum_members(m.cls)[0]  # type: ignore[arg-type]
    if m.kind == "value":
        for text in _STAND_INS:
            try:
                model_value(text, m.cls)  # type: ignore[arg-type]
            except Refusal:
                continue
            return text
    if m.kind == "list":
        return []
    if m.kind == "tuple":
        return [sample(a) for a in m.args]
    if m.kind in ("dict", "config"):
        return {}
    if t.allows_none:
        return None
    raise NoValue(t.name)
