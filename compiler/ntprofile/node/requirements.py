"""What the node commands need installed, said in one line instead of a traceback.

``pip install ntprofile`` is the validate path only; ``compile``, ``check``,
``run``, ``schema``, ``explain --defaults`` and the Python API's node functions
need ``ntprofile[node]`` (NautilusTrader, redis-py, python-dotenv), and
``compile``/``check``/``run`` need the very NautilusTrader release the schema
was generated from: another release can decode a profile differently from what
``validate`` checked (earlier ones fail on the Bybit and Binance configs).
Nothing here imports NautilusTrader: the checks read installed metadata only.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib import metadata

__all__ = ["INSTALL_NODE", "InstallError", "require_node"]

INSTALL_NODE = "pip install 'ntprofile[node]'"

NODE_MODULES = {"nautilus_trader": "nautilus_trader", "redis": "redis", "dotenv": "python-dotenv"}
"""Top-level module -> distribution of ``ntprofile[node]``."""

NODE_PYTHON = (3, 12)
"""NautilusTrader 1.231 needs Python >= 3.12 (the core runs on 3.11)."""


class InstallError(ImportError):
    """``ntprofile[node]`` is missing, or NautilusTrader is not the schema's release: a set-up problem, not a bug."""


def missing_node_extra(what: str) -> str | None:
    """Why ``what`` cannot run in this environment, or ``None`` when ``ntprofile[node]`` is installed."""
    missing = [dist for module, dist in NODE_MODULES.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return None
    if sys.version_info < NODE_PYTHON:
        python = ".".join(map(str, sys.version_info[:3]))
        wanted = ".".join(map(str, NODE_PYTHON))
        return (
            f"{what} needs NautilusTrader, which needs Python >= {wanted} (this is Python {python}): "
            f"{INSTALL_NODE} under Python >= {wanted}"
        )
    return f"{what} needs ntprofile's node extra ({', '.join(missing)} not installed): {INSTALL_NODE}"


def nautilus_mismatch(what: str) -> str | None:
    """Why the installed NautilusTrader is not the one the schema ``validate`` uses was generated from, or ``None``."""
    from ntprofile.diagnostics import display_path
    from ntprofile.validate.schema import SCHEMA_PATH, schema

    wanted = schema().get("x-nautilus-trader-version")
    try:
        installed = metadata.version("nautilus_trader")
    except metadata.PackageNotFoundError:  # importable without metadata: nothing to compare
        return None
    if not wanted or installed == wanted:
        return None
    return (
        f"{what} needs NautilusTrader {wanted}, the release its schema ({display_path(str(SCHEMA_PATH))}) was "
        f"generated from, but {installed} is installed: pip install 'nautilus_trader=={wanted}'"
    )


def require_node(what: str = "this command", same_as_schema: bool = True) -> None:
    """Raise ``InstallError`` (one line saying what to install) unless ``what`` can run here.

    ``same_as_schema`` also requires the installed NautilusTrader to be the
    schema's release (``compile``, ``check``, ``run``, the API); ``schema`` and
    ``explain --defaults`` read the installed release, whichever it is.
    """
    problem = missing_node_extra(what) or (nautilus_mismatch(what) if same_as_schema else None)
    if problem:
        raise InstallError(problem)
