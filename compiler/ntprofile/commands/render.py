"""``ntprofile render compose|kubernetes [TARGET ...] --output DIR``: deployment files for a fleet of targets.

Without targets, every target of a deployed stage (``production``, ``paper``).
Every target is compiled first; any finding fails the run and nothing is
written. Files ntprofile did not write are never replaced (exit 2, listed), and
an output path that cannot be a directory is a usage error before anything is
compiled. See ``ntprofile.tools.deploy``.
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
    parser.add_argument(
        "--image",
        metavar="IMAGE",
        default=None,
        help="the node image, NAME:TAG or NAME@DIGEST (default: ntprofile:latest; production targets need a pin)",
    )
    parser.add_argument("--namespace", metavar="NAME", default=None, help="kubernetes: the namespace of every object")
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import display_path, render
    from ntprofile.layers import Workspace
    from ntprofile.tools import deploy

    require_node()  # every target is compiled first
    if args.namespace is not None and (args.kind != "kubernetes" or not deploy.is_dns_label(args.namespace)):
        raise UsageError(
            f"--namespace {args.namespace}: "
            + ("only for kubernetes" if args.kind != "kubernetes" else "not a DNS label (a-z, 0-9, '-', at most 63)")
        )
    out_dir = Path(args.output)
    problem = deploy.output_problem(out_dir)
    if problem:
        raise UsageError(f"--output {args.output}: {problem}; nothing written")
    workspace = Workspace(args.profiles)
    names = [workspace.select(arg) for arg in args.targets] if args.targets else deploy.default_targets(workspace)
    if not names:
        raise UsageError(f"no production or paper target in {workspace.root}; name the targets to render")
    fleet, diags = deploy.plan(workspace, names, args.kind, args.image or deploy.IMAGE, args.namespace)
    if diags:
        out(render(diags))
    if fleet is None:
        errors = sum(d.is_error for d in diags)
        err(f"ntprofile {NAME}: failed with {errors} error(s); nothing written")
        return Exit.INVALID
    try:
        result = deploy.write_rendered(out_dir, deploy.render(fleet, args.kind), fleet.secrets)
    except OSError as exc:
        raise UsageError(f"--output {args.output}: cannot write: {exc.strerror or exc}") from None
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
        where = display_path(str(out_dir / deploy.SECRETS_DIR))
        if args.kind == "compose":
            out(f"secrets, one file each in {where}/ (may be empty where optional; never committed):")
        else:
            out(
                "Secrets to create, each with one key of its variable's name (may be empty where optional), "
                f"from the files in {where}/ (never committed):"
            )
        for name in fleet.secrets:
            users = ", ".join(n.target for n in fleet.nodes if name in n.secrets)
            shown = name if args.kind == "compose" else f"{deploy.secret_name(name)} ({name})"
            out(f"  {shown}: {users}")
    for path in result.unreadable if args.kind == "compose" else []:
        err(
            f"warning: {display_path(str(path))} cannot be read by the node's user (uid {deploy.NODE_UID}) in the "
            f"container: chmod {deploy.SECRET_MODE:o} it (its folder is 0700: only you reach it here)"
        )
    return Exit.OK


def fleet_names(fleet: Any) -> list[str]:
    return [node.target for node in fleet.nodes]
