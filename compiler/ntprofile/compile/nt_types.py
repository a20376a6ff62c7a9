"""Field types of NautilusTrader's msgspec config structs, found by introspection.

The compiler needs to know what type a profile value becomes (to convert a
resolved ``${REDIS_PORT}`` to ``int``, to pick a stand-in for a placeholder
that ``compile`` keeps verbatim, to normalise enum case). Reading it from
``msgspec.inspect`` instead of a hand-written table means a NautilusTrader
upgrade that adds or retypes a field needs no change here.
"""

from __future__ import annotations

import enum
import functools
import math
from typing import Any

import msgspec
from msgspec import inspect as mi
from nautilus_trader.common.config import msgspec_decoding_hook

from ntprofile.compile.fill import NoValue  # noqa: F401 - raised by sample(), caught by fill

Path_ = tuple[str | int, ...]


def dec_hook(obj_type: type, obj: Any) -> Any:
    """NautilusTrader's decoding hook, plus ``str`` subclasses such as ``BinanceSymbol``."""
    if isinstance(obj_type, type) and issubclass(obj_type, str) and isinstance(obj, str):
        return obj if isinstance(obj, obj_type) else obj_type(str.__str__(obj))
    return msgspec_decoding_hook(obj_type, obj)


@functools.cache
def info(cls: type) -> mi.Type:
    """``msgspec.inspect.type_info`` of a class, computed once."""
    return mi.type_info(cls)


def struct_fields(cls: type) -> dict[str, mi.Field]:
    """The fields of a msgspec struct class by name."""
    t = info(cls)
    assert isinstance(t, mi.StructType)
    return {f.name: f for f in t.fields}


def _members(t: mi.Type) -> tuple[mi.Type, ...]:
    return t.types if isinstance(t, mi.UnionType) else (t,)


def allows_none(t: mi.Type | None) -> bool:
    """True when ``None`` is a valid value for the type."""
    return t is None or any(isinstance(m, (mi.NoneType, mi.AnyType)) for m in _members(t))


def child(t: mi.Type | None, key: str | int) -> mi.Type | None:
    """The type of ``value[key]`` for a value of type ``t``; ``None`` when unknown."""
    if t is None:
        return None
    for m in _members(t):
        if isinstance(m, mi.StructType) and isinstance(key, str):
            for f in m.fields:
                if f.name == key:
                    return f.type
        elif isinstance(m, mi.DictType):
            return m.value_type
        elif isinstance(m, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)) and isinstance(key, int):
            return m.item_type
        elif isinstance(m, mi.TupleType) and isinstance(key, int) and key < len(m.item_types):
            return m.item_types[key]
    return None


def type_at(t: mi.Type | None, path: Path_) -> mi.Type | None:
    """The type at ``path`` below ``t`` (``None`` when the path leaves the typed tree)."""
    for key in path:
        t = child(t, key)
    return t


def key_type(t: mi.Type | None) -> mi.Type | None:
    """The key type of a dict type (or of the dict member of a union)."""
    for m in _members(t) if t is not None else ():
        if isinstance(m, mi.DictType):
            return m.key_type
    return None


def accepts_text(t: mi.Type | None) -> bool:
    """True when a string is decoded as is (str, enums, decimals, identifiers, unknown types)."""
    if t is None:
        return True
    text_types = (mi.StrType, mi.EnumType, mi.CustomType, mi.AnyType, mi.LiteralType, mi.DecimalType)
    return any(isinstance(m, text_types) for m in _members(t))


def model_class(t: mi.Type | None) -> type | None:
    """The NautilusTrader model class (``TraderId``, ``Venue``, ``BarType``) a field takes, if any.

    Those are built in Rust, which aborts the process on input it rejects
    (a non-ASCII character, a ``trader_id`` without a hyphen).
    """
    for m in _members(t) if t is not None else ():
        cls = getattr(m, "cls", None)
        if isinstance(m, mi.CustomType) and cls.__module__.startswith("nautilus_trader.model."):
            return cls
    return None


def describe(t: mi.Type | None) -> str:
    """A short human name of a type for messages (``int``, ``BinanceAccountType``)."""
    if t is None:
        return "any"
    names = []
    for m in _members(t):
        if isinstance(m, mi.NoneType):
            continue
        cls = getattr(m, "cls", None)
        if cls is not None:
            names.append(cls.__name__)
        else:
            names.append(type(m).__name__.removesuffix("Type").lower())
    return " or ".join(names) or "null"


def convert_text(text: str, t: mi.Type | None, optional_empty: bool = False) -> Any:
    """Convert a resolved placeholder value to a JSON primitive of the field's type.

    Raises ``ValueError`` when it does not convert, saying why without quoting
    the value (the caller decides whether it may be shown): a number out of the
    field's range names the bound (``-1`` for a positive timeout is "negative",
    not "not a valid float"), and ``inf``/``nan`` are not numbers a field takes.
    ``optional_empty`` turns an empty value into ``None`` for a field that allows
    it (``${REDIS_PASSWORD:-}``).
    """
    if optional_empty and text == "" and allows_none(t):
        return None
    if accepts_text(t):
        return normalise_enum(text, t)
    reasons = []
    for m in _members(t):
        if isinstance(m, mi.NoneType):
            continue
        try:
            value = msgspec.convert(text, type=_python_type(m), strict=False, dec_hook=dec_hook)
        except (msgspec.ValidationError, NoValue, TypeError, ValueError, OverflowError):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            reasons.append("not a finite number")
            continue
        problem = _bound_problem(value, m)
        if problem is None:
            return value
        reasons.append(problem)
    raise ValueError(reasons[0] if reasons else f"not a valid {describe(t)}")


_BOUNDS = (("gt", ">", lambda v, b: v > b), ("ge", ">=", lambda v, b: v >= b))
_UPPER = (("lt", "<", lambda v, b: v < b), ("le", "<=", lambda v, b: v <= b))


def _bound_problem(value: Any, m: mi.Type) -> str | None:
    """Why a number breaks ``m``'s bounds (``gt``/``ge``/``lt``/``le``), without the number itself."""
    for name, symbol, holds in _BOUNDS + _UPPER:
        bound = getattr(m, name, None)
        if bound is None or isinstance(value, bool) or not isinstance(value, (int, float)) or holds(value, bound):
            continue
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        if (name, bound) in (("gt", 0), ("ge", 0)) and value < 0:
            return f"a negative number; the field takes a number {symbol} {shown}"
        return f"out of range; the field takes a number {symbol} {shown}"
    return None


def _python_type(m: mi.Type) -> Any:
    """The Python type a scalar member converts text to; its bounds are checked by ``_bound_problem``."""
    if isinstance(m, mi.IntType):
        return int
    if isinstance(m, mi.FloatType):
        return float
    if isinstance(m, mi.BoolType):
        return bool
    raise NoValue(type(m).__name__)


def normalise_enum(value: Any, t: mi.Type | None) -> Any:
    """The exact enum value for a case-insensitive value or member name.

    Binance's Python enums decode from their exact (upper-case) values only;
    profiles may write ``usdt_futures``. Other strings are returned unchanged.
    """
    if not isinstance(value, str) or t is None:
        return value
    for m in _members(t):
        if isinstance(m, mi.EnumType) and issubclass(m.cls, enum.Enum):
            lowered = value.lower()
            for member in m.cls:
                if isinstance(member.value, str) and member.value.lower() == lowered:
                    return member.value
            for member in m.cls:
                if member.name.lower() == lowered:
                    return member.value
    return value


def sample(t: mi.Type | None) -> Any:
    """A valid JSON value of the type, the stand-in for a placeholder at ``compile``.

    Raises ``NoValue`` when none can be derived (a custom type without a default).
    """
    if t is None:
        return "placeholder"
    members = [m for m in _members(t) if not isinstance(m, mi.NoneType)]
    if not members:
        return None
    m = members[0]
    if isinstance(m, mi.StrType) or isinstance(m, mi.AnyType):
        return "placeholder"
    if isinstance(m, mi.BoolType):
        return False
    if isinstance(m, (mi.IntType, mi.FloatType)):
        low = m.ge if m.ge is not None else (m.gt + 1 if m.gt is not None else 1)
        return int(low) if isinstance(m, mi.IntType) else float(low)
    if isinstance(m, mi.EnumType):
        return next(iter(m.cls)).value
    if isinstance(m, mi.LiteralType):
        return m.values[0]
    if isinstance(m, mi.DecimalType):
        return "1"
    if isinstance(m, mi.CustomType):
        stand_in = _model_stand_in(m.cls)
        if stand_in is not None:
            return stand_in
        if hasattr(m.cls, "variants"):  # a PyO3 enum
            return str(m.cls.variants()[0]).split(".")[-1] if callable(m.cls.variants) else "placeholder"
        if issubclass(m.cls, str):
            return "PLACEHOLDER"
    if allows_none(t):
        return None
    raise NoValue(describe(t))


_STAND_INS = (
    "PLACEHOLDER-001.SIM",
    "PLACEHOLDER-001.SIM-1-MINUTE-LAST-EXTERNAL",
    "00000000-0000-4000-8000-000000000000",
)
"""ASCII stand-ins, one of which each model class accepts (identifiers, ``BarType``, ``UUID4``)."""


def _model_stand_in(cls: type) -> str | None:
    for text in _STAND_INS:
        try:
            dec_hook(cls, text)
        except (TypeError, ValueError):
            continue
        return text
    return None
