"""``ntprofile health [PATH]``: is the node that ``run --health-file PATH`` keeps ready (or, with ``--alive``, alive)?

For probes: the Dockerfile's HEALTHCHECK and the rendered Compose health
checks and Kubernetes probes. Exit 0 when it is, 1 when not, one line saying
why; 2 for a path that can never be a health file (a directory, a FIFO) or a
bad ``--max-age``. Fails closed: only a well-formed, recent record whose
booleans are really ``true`` is healthy (``node.health.parse_record``). Reads a
small JSON file only, bounded: it never imports NautilusTrader.
"""

from __future__ import annotations

import argparse
import math
import os

from ntprofile.cli import UsageError, out
from ntprofile.exits import Exit

NAME = "health"
HELP = "exit 0 when the node 'run --health-file' keeps is ready (connected, reconciled; --alive: running at all)"


def configure(parser: argparse.ArgumentParser) -> None:
    from ntprofile.node.health import HEALTH_FILE_VARIABLE, MAX_AGE_SECS

    parser.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        default=None,
        help=f"the health file (default: ${HEALTH_FILE_VARIABLE})",
    )
    parser.add_argument(
        "--alive",
        action="store_true",
        help="only ask whether the node is running (a fresh file that does not say failed): for liveness probes",
    )
    parser.add_argument(
        "--max-age",
        metavar="SECS",
        type=seconds,
        default=MAX_AGE_SECS,
        help=f"an older file means a stuck or gone node (default: {MAX_AGE_SECS:g})",
    )


def seconds(text: str) -> float:
    """``--max-age``: a finite number of seconds above zero (``inf`` or ``nan`` would make every file fresh or none)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds above 0, not {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from ntprofile.node.health import HEALTH_FILE_VARIABLE, HealthPathError, read_health

    path = args.path or os.environ.get(HEALTH_FILE_VARIABLE)
    if not path:
        raise UsageError(f"no health file given (an argument, or ${HEALTH_FILE_VARIABLE})")
    try:
        ready, alive, text = read_health(path, args.max_age)
    except HealthPathError as exc:
        raise UsageError(str(exc)) from None
    out(text)
    return Exit.OK if (alive if args.alive else ready) else Exit.INVALID
