"""``ntprofile run PROFILE``: everything ``check`` does, then run the node until SIGINT/SIGTERM.

The first SIGINT/SIGTERM stops the node; ``run`` then disposes it, which
closes the Redis cache after writing its buffer, and exits 0. A repeated signal
during the stop is logged and ignored; a stop that outlives its bound (the
node's post-stop and disconnection timeouts plus a margin) exits with status 4.
A signal before the node runs (preflight, build) exits 130 (SIGINT) or 143
(SIGTERM) with nothing started. A node that stops without a signal (a failed
start, a shutdown after an error) exits 1. See ``ntprofile.node``.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import err, out
from ntprofile.commands.check import add_node_options, interrupted, prepared_node, print_summary
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "run"
HELP = "check a profile, then run its TradingNode until SIGINT/SIGTERM and stop it cleanly"


def configure(parser: argparse.ArgumentParser) -> None:
    add_node_options(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.node import Interrupted, StopSignals, run_node

    require_node()

    signals = StopSignals()
    signals.start()
    try:
        made = prepared_node(args, NAME, quiet=False, signals=signals)
        if made is None:
            return Exit.INVALID
        prepared, node, _ = made
        print_summary(prepared, "starting (stop with SIGINT or SIGTERM)")
        received = run_node(node, prepared.config, signals)
    except Interrupted as exc:
        return interrupted(exc, NAME, "before the node started; nothing was run")
    if not received:
        err(f"ntprofile {NAME} {prepared.name}: the node stopped without a signal (see its log above); disposed")
        return Exit.INVALID
    out(f"{prepared.name}: stopped cleanly after {received[0]} (node stopped and disposed, cache closed)")
    return Exit.OK
