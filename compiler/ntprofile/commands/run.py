"""``ntprofile run PROFILE``: everything ``check`` does, then run the node until SIGINT/SIGTERM.

NautilusTrader's own signal handlers (installed on the node's event loop) stop
the node; ``run`` then disposes it, which closes the Redis cache after writing
its buffer, and exits 0. A second SIGINT/SIGTERM during the stop is ignored by
NautilusTrader; SIGKILL remains the operator's last resort.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import EXIT_INVALID, EXIT_OK, out
from ntprofile.commands.check import add_node_options, build, prepare_from_args, print_summary

NAME = "run"
HELP = "check a profile, then run its TradingNode until SIGINT/SIGTERM and stop it cleanly"


def configure(parser: argparse.ArgumentParser) -> None:
    add_node_options(parser)


def run(args: argparse.Namespace) -> int:
    prepared = prepare_from_args(args, NAME)
    if prepared is None:
        return EXIT_INVALID
    from ntprofile.node import run_node

    node = build(prepared, quiet=False)
    if node is None:
        return EXIT_INVALID
    print_summary(prepared, "starting (stop with SIGINT or SIGTERM)")
    run_node(node)
    out(f"{prepared.name}: stopped cleanly (node stopped and disposed, cache closed)")
    return EXIT_OK
