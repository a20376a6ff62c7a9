"""``ntprofile explain PROFILE [KEY]``: every value of a merged profile and the line that set it."""

from __future__ import annotations

import argparse

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, merge_target, out
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "explain"
HELP = "show the merged profile, each value with the file:line that set it (secrets masked)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", metavar="PROFILE", help="target name (prod-bybit) or its file")
    parser.add_argument("key", metavar="KEY", nargs="?", help="narrow to a key or subtree (cache.database)")
    parser.add_argument(
        "--defaults", action="store_true", help="also show NautilusTrader's defaults for what nothing sets"
    )
    add_format_option(parser)
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics.hints import did_you_mean
    from ntprofile.tools import explain, render

    if args.defaults:
        require_node("--defaults", profiles=args.profiles)  # reads the repository's release's classes
    name, merged = merge_target(args)
    if merged is None:
        return Exit.INVALID
    items = explain.entries(merged)
    if args.defaults:
        from ntprofile.layers import default_root
        from ntprofile.releases import backend, repository_schema

        items = explain.with_defaults(items, backend().defaults(merged, repository_schema(default_root(args.profiles))))
    if args.key:
        narrowed = explain.narrow(items, args.key)
        if not narrowed:
            hint = did_you_mean(args.key, explain.known_keys(items))
            raise UsageError(f"no key '{args.key}' in profile '{name}'" + (f"; {hint}" if hint else ""))
        items = narrowed
    if args.format == "json":
        out(render.to_json(explain.to_json(merged, items)))
    else:
        out(explain.render_text(merged, items, render.Painter()))
    return Exit.OK
