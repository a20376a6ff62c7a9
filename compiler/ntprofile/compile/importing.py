"""Importing a user's component class by its ``module:Class`` path: release-neutral, so every backend uses it.

Importing user code may raise anything; that is a finding (why it does not
import), never a traceback.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from typing import Any

from ntprofile.diagnostics.hints import closest

__all__ = ["component_class", "import_class", "public_classes"]


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


@functools.cache
def import_class(class_path: Any) -> tuple[type | None, str | None]:
    """The class a ``module:Class`` path names, or ``None`` and why it does not import.

    The reason is ``None`` too when ``class_path`` is not a ``module:Class``
    string at all (a placeholder, or a malformed path ``node_tree`` reports).
    """
    if not isinstance(class_path, str) or "$" in class_path or ":" not in class_path:
        return None, None
    module_name, _, attr = class_path.rpartition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        return None, f"no module named '{exc.name}'"
    except Exception as exc:  # noqa: BLE001 - any error while importing user code is the finding
        detail = _first_line(str(exc))
        return None, f"importing '{module_name}' raised {type(exc).__name__}" + (f": {detail}" if detail else "")
    cls = getattr(module, attr, None)
    if cls is None:
        return None, f"module '{module_name}' has no '{attr}'"
    if not isinstance(cls, type):
        return None, f"'{attr}' is not a class"
    return cls, None


@functools.cache
def component_class(class_path: Any, base_path: str) -> tuple[type | None, str | None, str | None]:
    """The class ``class_path`` names when it imports and subclasses ``base_path``; else ``None``, why, and a hint.

    NautilusTrader's factories import the class only when the node starts, and
    instantiate it with its config (a ``Strategy`` takes a ``StrategyConfig``):
    a typo or a class of the wrong kind stops the node there. The hint is the
    nearest class of that kind the module has (``EMACros`` -> ``EMACross``) or,
    when the module itself is not there, the nearest module of its package.
    ``None`` for all three when ``class_path`` is no ``module:Class`` (a
    placeholder, or what ``node_tree`` reports as malformed). An empty
    ``base_path`` (a release record that names none) checks the import only.
    """
    if not isinstance(class_path, str) or "$" in class_path or ":" not in class_path:
        return None, None, None
    base, _ = import_class(base_path)
    cls, problem = import_class(class_path)
    module_name, _, attr = class_path.rpartition(":")
    if cls is not None and base is not None and not issubclass(cls, base):
        cls, problem = None, f"'{attr}' is not a {base.__name__} subclass"
    if cls is not None:
        return cls, None, None
    module = sys.modules.get(module_name)  # present only when the module itself imported
    if module is not None:
        match = closest(attr, [n for n in public_classes(module, base) if n != attr])
        return None, problem, f"did you mean '{module_name}:{match}'?" if match else None
    return None, problem, _module_hint(module_name, attr)


def public_classes(module: Any, base: type | None) -> list[str]:
    """The public classes of ``module`` that subclass ``base`` (the base itself left out)."""
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and isinstance(value, type)
        and (base is None or (issubclass(value, base) and value is not base))
    ]


def _module_hint(module_name: str, attr: str) -> str | None:
    """``did you mean 'pkg.ema_cross:EMACross'?`` for ``pkg.ema_cros``: the nearest module of the package."""
    parent, _, _ = module_name.rpartition(".")
    try:
        package = importlib.import_module(parent) if parent else None
    except Exception:  # noqa: BLE001 - importing user code may raise anything; then there is no hint
        return None
    paths = getattr(package, "__path__", None)
    if paths is None:
        return None
    match = closest(module_name, [f"{parent}.{m.name}" for m in pkgutil.iter_modules(paths)])
    return f"did you mean '{match}:{attr}'?" if match else None
