"""``ntprofile list``: every target with its stage, layer chain and exchanges."""

from __future__ import annotations

import argparse
from typing import Any

from ntprofile.cli import add_format_option, add_profiles_option, err, out
from ntprofile.exits import Exit

NAME = "list"
HELP = "list the targets with their stage, layer chain and enabled exchanges"
QUICK_EXIT = True
"""It reads files and writes only its output, so it ends without the interpreter's teardown (``cli.quick_exit``)."""


def configure(parser: argparse.ArgumentParser) -> None:
    add_format_option(parser)
    add_profiles_option(parser)


def describe(workspace: Any, name: str) -> tuple[dict[str, Any], list]:
    """One target as data: name, file, stage, layers, enabled exchanges with environment."""
    from ntprofile.adapters import adapter_of, environment_label
    from ntprofile.diagnostics import display_path
    from ntprofile.layers import enabled_entries

    merged, diags = workspace.merge(name)
    row: dict[str, Any] = {
        "name": name,
        "file": display_path(str(workspace.path_of(name))),
        "stage": None,
        "layers": [],
        "exchanges": [],
        "merged": merged is not None,  # it merges; validity is `ntprofile validate`'s
    }
    if merged is not None:
        row["stage"] = merged.stage
        row["layers"] = merged.layer_names
        for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
            row["exchanges"].append(
                {
                    "id": client_id,
                    "adapter": section.get("adapter", str(client_id).lower()),
                    "environment": environment_label(adapter_of(client_id, section), section),
                }
            )
    return row, diags


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import render as render_diagnostics
    from ntprofile.layers import Workspace
    from ntprofile.tools import render

    workspace = Workspace(args.profiles)
    workspace.require_root()
    rows, problems = [], []
    for name in workspace.targets():
        row, diags = describe(workspace, name)
        rows.append(row)
        if not row["merged"]:
            problems.extend(diags)
    if args.format == "json":
        out(render.to_json(rows))
    else:
        paint = render.Painter()
        table = [
            [
                r["name"],
                r["stage"] or "(invalid)",
                ", ".join(f"{x['id']} ({x['environment'] or '?'})" for x in r["exchanges"]) or "-",
                " -> ".join(r["layers"]) or "-",
            ]
            for r in rows
        ]
        out(render.table(table, ["TARGET", "STAGE", "EXCHANGES", "LAYERS"], paint, styles=[("cyan",)]))
    if problems:
        err(render_diagnostics(problems))
        return Exit.INVALID
    return Exit.OK
