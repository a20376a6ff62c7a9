"""``ntprofile render compose|kubernetes [TARGET ...] --output DIR``: deployment files for a fleet of targets.

Without targets, every target of a deployed stage (``production``, ``paper``).
Every target is compiled first; any finding fails the run and nothing is
written. Files ntprofile did not write are never replaced (exit 2, listed).
See ``ntprofile.tools.deploy``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ntprofile.cli import UsageError, add_profiles_option, err, out
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "render"
HELP = "write Compose or Kubernetes files for targets (default: every production and paper target)"


def configure(parser: argparse.ArgumentParser) -> None:
    # the names only: importing tools.deploy (Jinja2) here would slow every command down
    parser.add_argument(
        "kind",
        choices=("compose", "kubernetes"),
        help="compose: one compose.yaml; kubernetes: manifests + kustomization",
    )
    parser.add_argument("targets", metavar="TARGET", nargs="*", help="target names (default: every deployed target)")
    parser.add_argument("--output", "-o", metavar="DIR", required=True, help="directory to write the files into")
    parser.add_argument("--image", metavar="IMAGE", default=None, help="the node image (default: ntprofile:latest)")
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import display_path, render
    from ntprofile.layers import Workspace
    from ntprofile.tools import deploy

    require_node()  # every target is compiled first
    workspace = Workspace(args.profiles)
    names = [workspace.select(arg) for arg in args.targets] if args.targets else deploy.default_targets(workspace)
    if not names:
        raise UsageError(f"no production or paper target in {workspace.root}; name the targets to render")
    fleet, diags = deploy.plan(workspace, names, args.image or deploy.IMAGE)
    if diags:
        out(render(diags))
    if fleet is None:
        errors = sum(d.is_error for d in diags)
        err(f"ntprofile {NAME}: failed with {errors} error(s); nothing written")
        return Exit.INVALID
    result = deploy.write_rendered(Path(args.output), deploy.render(fleet, args.kind))
    if result.foreign:
        shown = ", ".join(display_path(str(p)) for p in result.foreign)
        raise UsageError(f"{shown}: not written by ntprofile; nothing written (move it, or choose another --output)")
    changed = [display_path(str(p)) for p in result.written]
    out(
        f"{args.kind} for {', '.join(fleet_names(fleet))}: "
        + (f"wrote {', '.join(changed)}" if changed else "unchanged")
    )
    for path in result.removed:
        out(f"removed {display_path(str(path))} (no longer rendered)")
    if fleet.secrets:
        if args.kind == "compose":
            where = display_path(str(Path(args.output) / "secrets"))
            out(f"secrets, one file each in {where}/ (may be empty where optional):")
        else:
            out("Secrets to create, each with one key of its variable's name (may be empty where optional):")
        for name in fleet.secrets:
            users = ", ".join(n.target for n in fleet.nodes if name in n.secrets)
            shown = name if args.kind == "compose" else f"{deploy.secret_name(name)} ({name})"
            out(f"  {shown}: {users}")
    return Exit.OK


def fleet_names(fleet: Any) -> list[str]:
    return [node.target for node in fleet.nodes]
