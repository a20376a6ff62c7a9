"""``ntprofile rules``: every diagnostic code with its family, title and why it exists.

The catalogue is ``ntprofile.diagnostics.codes`` (one source of truth); policy rules add
the stages they guard, from ``ntprofile.validate.policy``.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import add_format_option, out
from ntprofile.exits import Exit

NAME = "rules"
HELP = "list every diagnostic code: family, title, rationale (and the stages a policy rule guards)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_format_option(parser)


def rows() -> list[dict[str, str | None]]:
    """One row per code, in catalogue order."""
    from ntprofile.diagnostics.codes import CODES
    from ntprofile.validate.policy import RULES

    out_rows = []
    for code in CODES:  # catalogue order: Y, L, V, S, P, ...
        entry = CODES[code]
        rule = RULES.get(code)
        out_rows.append(
            {
                "code": code,
                "family": entry.family,
                "title": entry.title,
                "stages": rule.stage_text if rule else None,
                "waivable": rule is not None,
                "rationale": entry.rationale,
            }
        )
    return out_rows


def run(args: argparse.Namespace) -> int:
    table = rows()
    if args.format == "json":
        from ntprofile.tools.render import to_json

        out(to_json(table))
        return Exit.OK
    family = None
    lines = []
    for row in table:
        if row["family"] != family:
            family = row["family"]
            lines.append(("" if not lines else "\n") + f"{row['code'][0]}: {family}")
        stages = f" [{row['stages']}]" if row["stages"] else ""
        lines.append(f"  {row['code']}  {row['title']}{stages}: {row['rationale']}")
    out("\n".join(lines))
    return Exit.OK
