"""Read NautilusTrader 2.0's ``.pyi`` stubs: constructor fields of a config class, members of an enum.

2.0's config classes are PyO3 objects: no msgspec schema, no dataclass fields,
and ``inspect.signature`` sees ``*args, **kwargs``. The stubs its wheel ships
(``nautilus_trader/**/__init__.pyi``, generated from the Rust bindings) are the
one place that names every constructor parameter with its type and default,
so the 2.0 schema generator and the 2.0 compile backend both read them here.

Parsing a stub imports nothing: only the location of the installed
``nautilus_trader`` package is looked up (``importlib.util.find_spec`` of a
top-level package does not execute it).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "MISSING",
    "Field",
    "StubError",
    "annotation_names",
    "class_node",
    "enum_members",
    "fields",
    "is_enum",
    "is_text_value",
    "properties",
    "resolve",
    "static_methods",
    "stub_dir",
]


class StubError(LookupError):
    """A class or module the installed stubs do not declare."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The default of a required parameter."""


@dataclass(frozen=True, slots=True)
class Field:
    """One constructor parameter of a 2.0 class, as its stub declares it.

    Parameters
    ----------
    name : str
        The keyword the constructor takes.
    annotation : str
        The stub's annotation text (``BinanceProductType | None``), names as the stub module spells them.
    default : Any
        The stub's literal default (``None``, ``True``, ``60``), the text of a non-literal one
        (``model.TimeInForce.GTC``), or ``MISSING`` when the parameter is required.
    keyword_only : bool
        The parameter follows ``*`` in the signature.
    """

    name: str
    annotation: str
    default: Any
    keyword_only: bool = False

    @property
    def required(self) -> bool:
        return self.default is MISSING


@cache
def stub_dir() -> Path:
    """The installed ``nautilus_trader`` package directory (its stubs live below it)."""
    spec = importlib.util.find_spec("nautilus_trader")
    if spec is None or not spec.submodule_search_locations:
        raise StubError("nautilus_trader is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _module(module: str) -> ast.Module:
    parts = module.split(".")
    if parts[0] != "nautilus_trader":
        raise StubError(f"{module} is not a nautilus_trader module")
    base = stub_dir().joinpath(*parts[1:])
    for path in (base / "__init__.pyi", base.with_suffix(".pyi")):
        if path.is_file():
            return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    raise StubError(f"no stub for {module}")


@cache
def _imports(module: str) -> dict[str, str]:
    """Name bound by an import in ``module``'s stub -> what it names (``model`` -> ``nautilus_trader.model``,
    ``PortfolioConfig`` -> ``nautilus_trader.portfolio:PortfolioConfig``)."""
    out: dict[str, str] = {}
    for node in _module(module).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                target = f"{node.module}.{alias.name}"
                try:
                    _module(target)
                    out[local] = target  # a module (from nautilus_trader import model)
                except StubError:
                    out[local] = f"{node.module}:{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = alias.name
    return out


def _split(path: str) -> tuple[str, str]:
    module, _, name = path.partition(":")
    if not name:
        raise StubError(f"'{path}' is not module:Class")
    return module, name


@cache
def class_node(path: str) -> tuple[str, ast.ClassDef]:
    """The stub class ``module:Class`` and the module that defines it (re-exports followed)."""
    module, name = _split(path)
    for node in _module(module).body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return module, node
    target = _imports(module).get(name)
    if target is not None and ":" in target:
        return class_node(target)
    raise StubError(f"the stubs of {module} declare no class {name}")


def resolve(module: str, name: str) -> str:
    """``module:Class`` of an annotation name as written in ``module``'s stub (``model.OmsType``,
    ``BinanceProductType``), or the name unchanged for a builtin or a ``typing``/stdlib name."""
    head, _, rest = name.partition(".")
    imports = _imports(module)
    if head in imports:
        target = imports[head]
        if ":" in target:
            return target if not rest else f"{target}.{rest}"
        if target.startswith("nautilus_trader") and rest:
            return resolve(target, rest) if "." in rest else _follow(target, rest)
        return name
    if not rest and any(isinstance(n, ast.ClassDef) and n.name == name for n in _module(module).body):
        return f"{module}:{name}"
    return name


def _follow(module: str, name: str) -> str:
    try:
        found, _ = class_node(f"{module}:{name}")
    except StubError:
        return f"{module}:{name}"
    return f"{found}:{name}"


def _default(node: ast.expr | None) -> Any:
    if node is None:
        return MISSING
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def _constructor(cls: ast.ClassDef) -> ast.FunctionDef | None:
    found = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name in ("__new__", "__init__")}
    return found.get("__new__") or found.get("__init__")


@cache
def fields(path: str) -> tuple[Field, ...]:
    """The constructor parameters of ``module:Class`` in order (``self``/``cls`` left out)."""
    _, cls = class_node(path)
    ctor = _constructor(cls)
    if ctor is None:
        return ()
    args = ctor.args
    positional = [*args.posonlyargs, *args.args][1:]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = [
        Field(a.arg, ast.unparse(a.annotation) if a.annotation else "typing.Any", _default(d))
        for a, d in zip(positional, defaults)
    ]
    out += [
        Field(a.arg, ast.unparse(a.annotation) if a.annotation else "typing.Any", _default(d), keyword_only=True)
        for a, d in zip(args.kwonlyargs, args.kw_defaults)
    ]
    return tuple(out)


def properties(path: str) -> dict[str, str]:
    """``@property`` name -> return annotation text: what a constructed object holds (the real type of a
    parameter annotated ``X | None = None`` whose default is set in Rust)."""
    _, cls = class_node(path)
    out = {}
    for node in cls.body:
        if (
            isinstance(node, ast.FunctionDef)
            and any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)
            and node.returns is not None
        ):
            out[node.name] = ast.unparse(node.returns)
    return out


def _own_typed_attributes(cls: ast.ClassDef) -> list[str]:
    """Class attributes annotated with the class itself (``Parquet: CatalogBackend``): the members of a
    PyO3 "complex enum", which the stub generator does not write as ``enum.Enum``."""
    return [
        n.target.id
        for n in cls.body
        if isinstance(n, ast.AnnAssign)
        and isinstance(n.target, ast.Name)
        and n.value is None
        and ast.unparse(n.annotation) == cls.name
    ]


def is_enum(path: str) -> bool:
    """Whether ``module:Class`` is an enum: stubbed as an ``enum.Enum`` subclass, or a PyO3 complex enum
    (members as class attributes of its own type)."""
    _, cls = class_node(path)
    if any(ast.unparse(b) in ("enum.Enum", "Enum", "enum.IntEnum", "enum.StrEnum") for b in cls.bases):
        return True
    return bool(_own_typed_attributes(cls))


def enum_members(path: str) -> tuple[str, ...]:
    """The member names of the enum ``module:Class`` in declaration order (what ``getattr(Enum, NAME)``
    returns; every 2.0 enum is constructed from a string that way)."""
    _, cls = class_node(path)
    if not is_enum(path):
        raise StubError(f"{path} is not an enum")
    names = []
    for node in cls.body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return tuple(names) or tuple(_own_typed_attributes(cls))


def static_methods(path: str) -> frozenset[str]:
    """The ``@staticmethod``/``@classmethod`` names of ``module:Class`` (``from_str``: built from text)."""
    _, cls = class_node(path)
    return frozenset(
        n.name
        for n in cls.body
        if isinstance(n, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in n.decorator_list)
    )


def is_text_value(path: str) -> bool:
    """Whether a profile writes a ``module:Class`` value as one string: an identifier whose constructor takes
    one string (``TraderId``, ``Venue``, ``AccountId``), or a class built by ``from_str`` (``Money``, ``Currency``)."""
    if is_enum(path):
        return False
    params = fields(path)
    if len(params) == 1 and params[0].annotation == "str":
        return True
    return "from_str" in static_methods(path)


def annotation_names(annotation: str) -> list[str]:
    """The dotted names an annotation text uses (``dict[str, model.OmsType] | None`` -> ``dict``, ``str``,
    ``model.OmsType``), left to right."""
    out: list[str] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, (ast.Name, ast.Attribute)):
            out.append(ast.unparse(node))
            return
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(ast.parse(annotation, mode="eval").body)
    return out
