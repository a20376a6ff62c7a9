"""``ntprofile diff A B``: what changes between two merged profiles, or one profile across git revisions."""

from __future__ import annotations

import argparse

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, err, out
from ntprofile.exits import Exit

NAME = "diff"
HELP = "semantic diff of two merged profiles; PROFILE@REV reads every layer from a git revision"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="profile, or PROFILE@REV (prod-bybit@HEAD~1, prod-bybit@main)")
    parser.add_argument("b", metavar="B", help="profile, or PROFILE@REV")
    add_format_option(parser)
    add_profiles_option(parser)


def _load(arg: str, profiles: str | None, workspaces: dict):
    """The merged profile for ``arg`` (``NAME`` or ``NAME@REV``), ``None`` when it does not merge.

    ``workspaces`` holds one workspace per revision (``None``: the working
    tree), so ``diff x@HEAD~1 y@HEAD~1`` reads that revision once.
    """
    from ntprofile.diagnostics import render as render_diagnostics
    from ntprofile.layers import Workspace, default_root
    from ntprofile.layers.git import GitError, GitSource, locate, split_revision

    name, rev = split_revision(arg)
    if rev is not None and not rev:
        raise UsageError(f"'{arg}': give a git revision after '@' (prod-bybit@HEAD~1)")
    try:
        if rev not in workspaces:
            root = default_root(profiles)
            if rev is None:
                workspaces[rev] = Workspace(root)
            else:
                top, prefix = locate(root)
                workspaces[rev] = Workspace(source=GitSource(top, rev, prefix))
        workspace = workspaces[rev]
        if rev is None:
            target = workspace.select(name, layers=True)
        elif name in workspace.files:
            target = name  # the revision is not a directory: a name is all it takes
        else:
            known = ", ".join(workspace.targets()) or "none"
            raise UsageError(f"profile '{name}' does not exist at revision '{rev}' (targets there: {known})")
        merged, diags = workspace.merge(target)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if merged is None:
        err(render_diagnostics(diags))
    return merged


def run(args: argparse.Namespace) -> int:
    from ntprofile.tools import diff, render

    workspaces: dict = {}
    a = _load(args.a, args.profiles, workspaces)
    b = _load(args.b, args.profiles, workspaces)
    if a is None or b is None:
        return Exit.USAGE
    changes = diff.compare(a, b)
    if args.format == "json":
        out(render.to_json(diff.to_json(args.a, args.b, changes)))
    else:
        out(diff.render_text(args.a, args.b, changes, render.Painter()))
    return Exit.INVALID if changes else Exit.OK
