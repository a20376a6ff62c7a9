"""The one pipeline every entry point runs: validate, merge, compile (with or without variables), preflight.

``ntprofile compile`` stops after compile with placeholders kept; ``check``,
``run``, the Python API and the facade resolve variables and (for a node) run
the preflight. Nothing here raises for a bad profile or environment: every
finding of every stage the target reached is in ``Prepared.diagnostics``.
Stages are imported lazily, so a caller that stops at ``merge`` never imports
NautilusTrader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ntprofile.diagnostics import Diagnostic, ProfileError, combine
from ntprofile.layers import Merged, Workspace

if TYPE_CHECKING:  # pragma: no cover
    from nautilus_trader.config import TradingNodeConfig

    from ntprofile.compile import Compiled
    from ntprofile.resolve import Lookup

__all__ = ["Prepared", "prepare"]


@dataclass(slots=True)
class Prepared:
    """A target taken as far as the pipeline got: merged, compiled, preflighted.

    Its repr leaves the compiled config out: NautilusTrader's config repr shows
    resolved ``api_key`` and ``api_secret`` values.
    """

    name: str
    merged: Merged | None = None
    compiled: Compiled | None = field(default=None, repr=False)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every stage that ran succeeded (a merge-only run is ok with no compiled config)."""
        if self.merged is None or any(d.is_error for d in self.diagnostics):
            return False
        return self.compiled is None or self.compiled.config is not None

    @property
    def config(self) -> TradingNodeConfig | Any:
        """The compiled config; ``ProfileError`` with every finding when there is none."""
        if not self.ok or self.compiled is None or self.compiled.config is None:
            raise ProfileError(self.diagnostics)
        return self.compiled.config


HOOK_ONLY = frozenset({"V104"})
"""Findings about what ``validate`` alone cannot see (a component config the schema does not cover):
compile imports the component classes and checks their configs itself, so it does not repeat them."""


def prepare(
    workspace: Workspace,
    name: str,
    *,
    compile: bool = True,
    lookup: Lookup | None = None,
    preflight: bool = False,
) -> Prepared:
    """Take target (or layer) ``name`` of ``workspace`` down the stages.

    Parameters
    ----------
    compile : bool
        Compile onto NautilusTrader's classes; ``False`` stops after the merge.
    lookup : callable, optional
        Variable name -> value; every placeholder is resolved with it. Without
        it placeholders stay verbatim (``ntprofile compile``).
    preflight : bool
        Run the preflight (Redis, directories, component classes) on a config
        that compiled cleanly: what ``check``, ``run`` and ``build_node`` need.

    """
    from ntprofile.validate import validate_target

    result = Prepared(name)
    result.diagnostics = [d for d in validate_target(workspace, name) if not (compile and d.code in HOOK_ONLY)]
    merged, merge_diags = workspace.merge(name)
    result.diagnostics = combine(result.diagnostics, merge_diags)
    result.merged = merged
    if merged is None or not compile:
        return result
    if lookup is not None:
        from ntprofile.resolve import register_secrets

        register_secrets(merged, lookup)  # before anything can print a value
    from ntprofile.releases import backend

    node_backend = backend(workspace.release)
    result.compiled = node_backend.compile_merged(merged, lookup)
    result.diagnostics = combine(result.diagnostics, result.compiled.diagnostics)
    if preflight and result.ok:
        result.diagnostics += node_backend.preflight(result.config, merged)
    return result
