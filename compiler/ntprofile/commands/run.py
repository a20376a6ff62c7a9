"""``ntprofile run PROFILE``: everything ``check`` does, then run the node until SIGINT/SIGTERM.

The first SIGINT/SIGTERM stops the node; ``run`` then disposes it, which
closes the Redis cache after writing its buffer, and exits 0. A repeated signal
during the stop is logged and ignored; a stop that outlives its bound (the
node's post-stop and disconnection timeouts plus a margin) exits with status 4.
A signal before the node runs (preflight, build) exits 130 (SIGINT) or 143
(SIGTERM) with nothing started. A start that fails (clients not all connected
within ``timeout_connection``, the start-up reconciliation failed) stops the
node and exits 5, so an orchestrator restarts it; any other stop without a
signal exits 1. ``--health-file`` keeps a file that probes read with
``ntprofile health``. See ``ntprofile.node``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ntprofile.cli import UsageError, err, out
from ntprofile.commands.check import add_node_options, interrupted, prepared_node, print_summary
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "run"
HELP = "check a profile, then run its TradingNode until SIGINT/SIGTERM and stop it cleanly"


def configure(parser: argparse.ArgumentParser) -> None:
    from ntprofile.node.health import HEALTH_FILE_VARIABLE

    add_node_options(parser)
    parser.add_argument(
        "--health-file",
        metavar="PATH",
        default=os.environ.get(HEALTH_FILE_VARIABLE) or None,
        help=f"keep the node's health in PATH for 'ntprofile health' (default: ${HEALTH_FILE_VARIABLE})",
    )


def identity(prepared: Any, root: Any) -> list[tuple[str, str]]:
    """``(label, text)``: the revision of the target's profiles and the digest of its config (no secret goes in).

    The revision is the last commit that changed the target's layer files
    (``layers.git.revision``), else ``$NTPROFILE_REVISION`` (rendered
    deployments set it: a container has no git), else ``unknown``.
    """
    from ntprofile.compile.output import config_digest
    from ntprofile.layers.git import REVISION_VARIABLE, revision

    files = [doc.path for doc in prepared.merged.chain]
    rev = revision(root, files) or os.environ.get(REVISION_VARIABLE) or "unknown"
    return [("revision", rev), ("config", f"{config_digest(prepared.compiled.node_json)} (node.json)")]


def _clear_health_file(path: str) -> None:
    """Refuse a health file that could not be written (exit 2, before anything starts); remove an old one.

    A node whose probe file cannot be kept would run with every probe failing,
    like a log directory that cannot be written (R003). A file left by an
    earlier process must not speak for this one.
    """
    from ntprofile.files import file_slot_problem
    from ntprofile.node.health import HEALTH_FILE_VARIABLE

    problem = file_slot_problem(path)
    if problem is None:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError as exc:
            problem = f"cannot remove the old one: {exc.strerror or exc}"
    if problem is not None:
        raise UsageError(f"health file {path} (--health-file or ${HEALTH_FILE_VARIABLE}) is not usable: {problem}")


def run(args: argparse.Namespace) -> int:
    from ntprofile.layers import default_root
    from ntprofile.node import Interrupted, StopSignals
    from ntprofile.node.health import HealthFile
    from ntprofile.releases import backend

    require_node(profiles=args.profiles)
    if args.health_file:
        _clear_health_file(args.health_file)
    signals = StopSignals()
    signals.start()
    watch = None
    try:
        made = prepared_node(args, NAME, quiet=False, signals=signals)
        if made is None:
            return Exit.INVALID
        prepared, node, _ = made
        rows = identity(prepared, default_root(args.profiles))
        print_summary(prepared, "starting (stop with SIGINT or SIGTERM)", rows)
        banner = f"ntprofile run {prepared.name}: " + ", ".join(f"{label} {text}" for label, text in rows)
        health = HealthFile(args.health_file, prepared.name) if args.health_file else None
        node_backend = backend()
        watch = node_backend.start_watch(prepared.config, health, banner)
        received = node_backend.run_node(node, prepared.config, signals, watch)
    except Interrupted as exc:
        return interrupted(exc, NAME, "before the node started; nothing was run")
    finally:
        if watch is not None:
            watch.finish("failed" if watch.failure else "stopped")
    if received:
        out(f"{prepared.name}: stopped cleanly after {received[0]} (node stopped and disposed, cache closed)")
        return Exit.OK
    if watch.failure:
        err(f"ntprofile {NAME} {prepared.name}: {watch.failure}; stopped and disposed")
        return Exit.START_FAILED
    err(f"ntprofile {NAME} {prepared.name}: the node stopped without a signal (see its log above); disposed")
    return Exit.INVALID
