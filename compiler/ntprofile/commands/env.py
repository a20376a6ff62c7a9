"""``ntprofile env PROFILE``: the environment variables a profile needs, or a ``.env`` skeleton."""

from __future__ import annotations

import argparse

from ntprofile.cli import add_format_option, add_profiles_option, merge_target, out
from ntprofile.exits import Exit

NAME = "env"
HELP = "list the environment variables a profile needs (--format dotenv starts a .env)"
QUICK_EXIT = True
"""It reads files and writes only its output, so it ends without the interpreter's teardown (``cli.quick_exit``)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", metavar="PROFILE", help="target name (prod-bybit) or its file")
    add_format_option(parser, ("text", "json", "dotenv"))
    add_profiles_option(parser)


def _default_text(var) -> str:
    """The DEFAULT cell: ``(required)`` when some use has no default, as ``--format dotenv`` says."""
    from ntprofile.language.secrets import MASK

    if var.required:
        return "(required)"
    if var.secret and var.default:
        return MASK
    return repr(var.default) if var.default == "" else var.default


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import where
    from ntprofile.tools import render
    from ntprofile.tools.variables import collect

    name, merged = merge_target(args)
    if merged is None:
        return Exit.INVALID
    variables = collect(merged)
    if args.format == "json":
        out(render.to_json({"profile": name, "variables": [v.to_json() for v in variables]}))
    elif args.format == "dotenv":
        from ntprofile.tools.variables import render_env_example  # the same text compile writes to env.example

        out(render_env_example(name, variables).rstrip("\n"))
    else:
        rows = []
        for var in variables:
            for index, use in enumerate(var.uses):
                first = index == 0
                rows.append(
                    [
                        var.name if first else "",
                        _default_text(var) if first else "",
                        ("secret" if var.secret else "-") if first else "",
                        use.key,
                        where(use.pos),
                    ]
                )
        paint = render.Painter()
        if rows:
            out(render.table(rows, ["VARIABLE", "DEFAULT", "SECRET", "KEY", "SET IN"], paint, styles=[("cyan",)]))
        else:
            out(f"profile '{name}' needs no environment variables")
    return Exit.OK
