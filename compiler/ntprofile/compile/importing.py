"""Importing a user's component class by its ``module:Class`` path: release-neutral, so every backend uses it.

Importing user code may raise anything; that is a finding (why it does not
import), never a traceback.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

__all__ = ["import_class"]


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
