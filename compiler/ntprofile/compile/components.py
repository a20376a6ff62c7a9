"""The user's own component classes (strategies, actors, exec algorithms): imported and checked in one place.

``compile`` checks a component's ``config`` against its config class where that
imports (V001/V101/V004 at the profile line); the node's preflight imports the
component class itself and its config class where the node runs (R004/R005).
Both import through ``import_class``: importing user code may raise anything,
and that is a finding, never a traceback.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import inspect as mi
from nautilus_trader.common.config import NautilusConfig, msgspec_decoding_hook

from ntprofile.compile import nt_types
from ntprofile.compile.importing import import_class

__all__ = ["config_class", "import_class", "parse_problem"]


def config_class(config_path: Any) -> tuple[type | None, str | None]:
    """A component's config class (a ``NautilusConfig`` struct), or ``None`` and why it cannot be used."""
    cls, problem = import_class(config_path)
    if cls is not None and not (issubclass(cls, NautilusConfig) and isinstance(nt_types.info(cls), mi.StructType)):
        return None, f"'{cls.__name__}' is not a NautilusTrader config class (a NautilusConfig subclass)"
    return cls, problem


def parse_problem(value: Any, t: Any) -> Exception | None:
    """What ``NautilusConfig.parse`` raises for ``value`` as JSON of type ``t``, or ``None``."""
    try:
        msgspec.json.decode(msgspec.json.encode(value), type=t, dec_hook=msgspec_decoding_hook)
    except Exception as exc:  # noqa: BLE001 - a config class's own checks may raise anything
        return exc
    return None
