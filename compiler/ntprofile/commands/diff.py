"""``ntprofile diff A B``: what changes between two merged profiles, or one profile across git revisions."""

from __future__ import annotations

import argparse

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, err, out, select_target

NAME = "diff"
HELP = "semantic diff of two merged profiles; PROFILE@REV reads every layer from a git revision"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="profile, or PROFILE@REV (prod-bybit@HEAD~1, prod-bybit@main)")
    parser.add_argument("b", metavar="B", help="profile, or PROFILE@REV")
    add_format_option(parser)
    add_profiles_option(parser)


def _load(arg: str, profiles: str | None, cache: dict):
    """The merged profile for ``arg`` (``NAME`` or ``NAME@REV``) and its label."""
    from ntprofile.diagnostics import render as render_diagnostics
    from ntprofile.git_source import GitError, GitSource, locate, split_revision
    from ntprofile.layers import Workspace, default_root

    name, rev = split_revision(arg)
    if rev is not None and not rev:
        raise UsageError(f"'{arg}': give a git revision after '@' (prod-bybit@HEAD~1)")
    if rev not in cache:
        root = default_root(profiles)
        if rev is None:
            cache[rev] = Workspace(root)
        else:
            try:
                top, prefix = locate(root)
                cache[rev] = Workspace(source=GitSource(top, rev, prefix))
            except GitError as exc:
                raise UsageError(str(exc)) from None
    workspace = cache[rev]
    try:
        if rev is not None and name not in workspace.files:
            known = ", ".join(workspace.targets()) or "none"
            raise UsageError(f"profile '{name}' does not exist at revision '{rev}' (targets there: {known})")
        target = select_target(workspace, name)
        merged, diags = workspace.merge(target)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if merged is None:
        err(render_diagnostics(diags))
        return None, arg
    return merged, arg


def run(args: argparse.Namespace) -> int:
    from ntprofile import diff, render

    cache: dict = {}
    a, a_label = _load(args.a, args.profiles, cache)
    b, b_label = _load(args.b, args.profiles, cache)
    if a is None or b is None:
        return 2
    changes = diff.compare(a, b)
    if args.format == "json":
        out(render.to_json(diff.to_json(a_label, b_label, changes)))
    else:
        out(diff.render_text(a_label, b_label, changes, render.Painter()))
    return 1 if changes else 0
