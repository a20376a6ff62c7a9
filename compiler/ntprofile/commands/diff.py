"""``ntprofile diff A B``: what changes between two merged profiles, or one profile across git revisions.

``ntprofile diff --all [REV]``: every target whose merged profile differs between
``REV`` (default ``HEAD``) and the working tree; ``--format markdown`` is a
pull-request comment.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, err, out
from ntprofile.exits import Exit

NAME = "diff"
HELP = (
    "semantic diff of two merged profiles (PROFILE@REV reads every layer from a git revision),"
    " or of every target against a revision (--all)"
)
FORMATS = ("text", "json", "markdown")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "a", metavar="A", nargs="?", help="profile, or PROFILE@REV (prod-bybit@HEAD~1, prod-bybit@main)"
    )
    parser.add_argument("b", metavar="B", nargs="?", help="profile, or PROFILE@REV")
    parser.add_argument(
        "--all",
        metavar="REV",
        nargs="?",
        const="HEAD",
        default=None,
        help="every target whose merged profile differs between git revision REV (default HEAD) and the working tree",
    )
    add_format_option(parser, FORMATS)
    add_profiles_option(parser)


def _load(arg: str, profiles: str | None, workspaces: dict):
    """The merged profile for ``arg`` (``NAME`` or ``NAME@REV``), ``None`` when it does not merge.

    ``workspaces`` holds one workspace per revision (``None``: the working
    tree), so ``diff x@HEAD~1 y@HEAD~1`` reads that revision once.
    """
    from ntprofile.diagnostics import render as render_diagnostics
    from ntprofile.layers import Workspace, default_root
    from ntprofile.layers.git import GitError, split_revision

    name, rev = split_revision(arg)
    if rev is not None and not rev:
        raise UsageError(f"'{arg}': give a git revision after '@' (prod-bybit@HEAD~1)")
    try:
        if rev not in workspaces:
            root = default_root(profiles)
            workspaces[rev] = Workspace(root) if rev is None else _revision_workspace(profiles, rev)
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


def _revision_workspace(profiles: str | None, rev: str):
    from ntprofile.layers import Workspace, default_root
    from ntprofile.layers.git import GitSource, locate

    top, prefix = locate(default_root(profiles))
    return Workspace(source=GitSource(top, rev, prefix))


def run_all(args: argparse.Namespace) -> int:
    """``--all REV``: every changed target; exit 1 when any differs, 2 when one does not merge."""
    from ntprofile.layers import Workspace
    from ntprofile.layers.git import GitError
    from ntprofile.tools import diff, render

    if args.a or args.b:
        raise UsageError("--all compares every target: give no profile names with it")
    if not args.all or args.all.startswith("-"):
        raise UsageError(f"'{args.all}' is not a git revision")
    try:
        old = _revision_workspace(args.profiles, args.all)
        items = diff.compare_all(old, Workspace(args.profiles), args.all)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        out(render.to_json(diff.all_to_json(items, args.all)))
    elif args.format == "markdown":
        out(diff.render_all_markdown(items, args.all))
    else:
        out(diff.render_all_text(items, args.all, render.Painter()))
    if any(t.status == "invalid" for t in items):
        return Exit.USAGE
    return Exit.INVALID if items else Exit.OK


def run(args: argparse.Namespace) -> int:
    from ntprofile.tools import diff, render

    if args.all is not None:
        return run_all(args)
    if not (args.a and args.b):
        raise UsageError("give two profiles (diff A B), or --all [REV] for every target")
    workspaces: dict = {}
    a = _load(args.a, args.profiles, workspaces)
    b = _load(args.b, args.profiles, workspaces)
    if a is None or b is None:
        return Exit.USAGE
    changes = diff.compare(a, b)
    if args.format == "json":
        out(render.to_json(diff.to_json(args.a, args.b, changes)))
    elif args.format == "markdown":
        pair = diff.TargetDiff(args.b, "changed", args.a, args.b, changes, [])
        out(diff.render_all_markdown([pair] if changes else [], args.a))
    else:
        out(diff.render_text(args.a, args.b, changes, render.Painter()))
    return Exit.INVALID if changes else Exit.OK
