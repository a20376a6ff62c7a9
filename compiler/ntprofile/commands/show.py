"""``ntprofile show PROFILE [--format yaml|toml|json]``: the merged profile as one file, secrets masked.

A command of its own rather than an ``explain`` format: ``explain`` annotates
every value with the line that set it, ``show`` prints a file that parses back
with the format's own parser (and validates as a target), to paste into a
review or diff with other tools. Output on stdout; a TOML note on stderr.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import add_profiles_option, err, merge_target, out
from ntprofile.exits import Exit

NAME = "show"
HELP = "print the merged profile as one YAML, TOML or JSON file (secrets masked, placeholders kept)"


def configure(parser: argparse.ArgumentParser) -> None:
    from ntprofile.tools.show import FORMATS

    parser.add_argument("profile", metavar="PROFILE", help="target name (prod-bybit), layer name or its file")
    parser.add_argument("--format", choices=FORMATS, default="yaml", help="output format (default: yaml)")
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.layers import default_root
    from ntprofile.tools import show
    from ntprofile.validate.schema import repository_schema, secret_fields

    _, merged = merge_target(args)
    if merged is None:
        return Exit.INVALID
    tree = show.shown(merged, secret_fields(repository_schema(default_root(args.profiles))))
    try:
        text, nulls = show.render(tree, args.format)
    except show.TomlError as exc:
        err(f"ntprofile show: {exc}")
        return Exit.INVALID
    out(text.rstrip("\n"))
    if nulls:
        err(f"TOML has no null: {', '.join(nulls)} written as comments, read back as unset (yaml and json keep null)")
    return Exit.OK
