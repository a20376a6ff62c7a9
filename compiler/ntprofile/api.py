"""The Python API: ``load``, ``compile_profile`` and ``build_node``, over the one pipeline (``ntprofile.pipeline``).

The command line prints a pipeline's findings; the API raises ``ProfileError``
with all of them and issues warnings as ``ProfileWarning``. Nothing here is
imported by ``import ntprofile`` until first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ntprofile.diagnostics import ProfileError, warn
from ntprofile.layers import PYTHON_REMEDY, Merged, Workspace
from ntprofile.pipeline import prepare

if TYPE_CHECKING:  # pragma: no cover
    from nautilus_trader.config import TradingNodeConfig
    from nautilus_trader.live.node import TradingNode

__all__ = ["build_node", "compile_profile", "load"]


def load(name: str, profiles: Path | str | None = None) -> Merged:
    """The merged profile of target ``name``, validated.

    Raises
    ------
    ProfileError
        With every finding, when the profile has errors.
    ntprofile.layers.UnknownProfileError
        A ``LookupError``: the profiles root has no such target (a layer is not a target).

    """
    workspace = _workspace(profiles)
    prepared = prepare(workspace, workspace.select(name), compile=False)
    if not prepared.ok or prepared.merged is None:
        raise ProfileError(prepared.diagnostics)
    warn(prepared.diagnostics)
    return prepared.merged


def compile_profile(
    name: str,
    profiles: Path | str | None = None,
    env_file: Path | str | None = None,
) -> TradingNodeConfig:
    """The ``TradingNodeConfig`` of target ``name`` with every placeholder resolved.

    Variables come from the environment, then ``env_file`` (default ``./.env``).
    Raises ``ProfileError`` with all findings (missing variables included).
    The result is NautilusTrader's own class: its ``repr()`` and ``json()``
    contain the resolved credentials, so never print or log it.
    """
    from ntprofile.node.requirements import require_node
    from ntprofile.resolve import environment_lookup

    require_node("ntprofile.compile_profile()")
    workspace = _workspace(profiles)
    prepared = prepare(workspace, workspace.select(name), lookup=environment_lookup(env_file))
    config = prepared.config
    warn(prepared.diagnostics)
    return config


def build_node(
    name: str,
    profiles: Path | str | None = None,
    env_file: Path | str | None = None,
) -> TradingNode:
    """A built ``TradingNode`` for target ``name``: resolved, preflighted, factories registered.

    Nothing is connected until ``node.run()``; dispose it with
    ``ntprofile.node.dispose_node(node)`` (or ``node.dispose()``) when done.
    Raises ``ProfileError`` with all findings, preflight ones (Redis, directories,
    strategy imports) included.
    """
    from ntprofile.node.requirements import require_node
    from ntprofile.releases import backend
    from ntprofile.resolve import environment_lookup

    require_node("ntprofile.build_node()")
    workspace = _workspace(profiles)
    prepared = prepare(workspace, workspace.select(name), lookup=environment_lookup(env_file), preflight=True)
    config = prepared.config
    warn(prepared.diagnostics)
    return backend(workspace.release).build_node(config)


def _workspace(profiles: Path | str | None) -> Workspace:
    """The profiles root the caller names, or ``UnknownProfileError`` saying how to name one from Python."""
    workspace = Workspace(profiles)
    workspace.require_root(PYTHON_REMEDY)
    return workspace
