"""Compile, preflight, build and (with ``--run``) run a 2.0 target the way ``ntprofile run`` does, through the backend.

``python v2_driver.py PROFILES_ROOT TARGET [--run] [--health PATH] [--no-preflight]``: variables come
from the environment. The last line of stdout is a JSON report; the exit status is
``run``'s: 0 stopped by a signal (or built, without ``--run``), 1 invalid or stopped
on its own, 5 a failed start.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from ntprofile.node.runtime import Interrupted, StopSignals

signals = StopSignals()
signals.start()  # before NautilusTrader is imported: its threads inherit the blocked signals

from ntprofile.exits import Exit  # noqa: E402
from ntprofile.layers import Workspace  # noqa: E402
from ntprofile.node.health import HealthFile  # noqa: E402
from ntprofile.releases import V2, activate, backend  # noqa: E402


def report(code: int, **facts: object) -> int:
    print(json.dumps(facts))
    return code


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("target")
    parser.add_argument("--run", action="store_true")
    parser.add_argument("--health")
    parser.add_argument("--no-preflight", action="store_true")
    args = parser.parse_args()
    activate(V2)
    nodes = backend(V2)
    merged, diags = Workspace(args.root).merge(args.target)
    compiled = nodes.compile_merged(merged, os.environ.get)
    findings = [d.render() for d in [*diags, *compiled.diagnostics]]
    if compiled.config is None:
        return report(Exit.INVALID, stage="compile", findings=findings)
    found = [] if args.no_preflight else nodes.preflight(compiled.config, merged)
    if found:
        return report(Exit.INVALID, stage="preflight", findings=[d.render() for d in found])
    started = time.perf_counter()
    try:
        node = nodes.build_node(nodes.quiet(compiled.config), signals)
    except Interrupted as exc:
        return report(exc.exit_code, stage="build", interrupted=exc.name)
    built = time.perf_counter() - started
    if not args.run:
        nodes.dispose_node(node)
        return report(Exit.OK, stage="built", seconds=built)
    watch = nodes.StartWatch(compiled.config, HealthFile(args.health, args.target) if args.health else None)
    try:
        received = nodes.run_node(node, compiled.config, signals, watch)
    except Interrupted as exc:
        return report(exc.exit_code, stage="run", interrupted=exc.name)
    finally:
        watch.finish("failed" if watch.failure else "stopped")
    if received:
        return report(Exit.OK, stage="stopped", received=received, started=watch.started)
    if watch.failure:
        return report(Exit.START_FAILED, stage="failed", failure=watch.failure)
    return report(Exit.INVALID, stage="stopped on its own")


if __name__ == "__main__":
    sys.exit(main())
