"""The NautilusTrader 2.0 backend: ``LiveNodeConfig``, ``LiveNode``, PyO3 config classes typed by their stubs.

The same face as ``releases.v1`` (RELEASES.md, "Backend module interface"):
``compile`` turns a merged 2.0 profile into NautilusTrader 2.0's config
objects, ``artifact`` is the ``node.json`` check and run rebuild them from, and
``node`` preflights, builds, runs and disposes a ``LiveNode``. Importing it
imports NautilusTrader 2.0: only the node commands load it.
"""

from __future__ import annotations

from typing import Any

from ntprofile.releases.v2.artifact import load_artifact
from ntprofile.releases.v2.compile import Client, Compiled, NodeConfig, compile_merged
from ntprofile.releases.v2.node import (
    StartWatch,
    build_node,
    dispose_node,
    facts,
    plain,
    preflight,
    quiet,
    run_node,
    start_watch,
    startup_bound,
    stop_bound,
    written_directories,
)

__all__ = [
    "Client",
    "Compiled",
    "defaults",
    "NodeConfig",
    "StartWatch",
    "build_node",
    "compile_merged",
    "dispose_node",
    "facts",
    "load_artifact",
    "plain",
    "preflight",
    "quiet",
    "run_node",
    "start_watch",
    "startup_bound",
    "stop_bound",
    "written_directories",
]


def defaults(merged: Any, schema_path: Any) -> list[Any]:
    """NautilusTrader 2.0's defaults for what the profile leaves unset: 2.0's PyO3 classes have no schema of
    their own, so the generated one carries the defaults read from the classes."""
    from ntprofile.tools.explain import schema_defaults
    from ntprofile.validate.schema import schema

    return schema_defaults(merged, schema(schema_path))
