"""``ntprofile compile PROFILE ...`` / ``--all``: validate, compile, write ``build/PROFILE/`` atomically.

Several targets compile in one process with one ``Workspace`` (each file parsed
once, NautilusTrader imported once); every target's findings are reported, a
failing one does not stop the others, and one summary line ends the run.
"""

from __future__ import annotations

import argparse
import errno
import json
from pathlib import Path

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, err, out
from ntprofile.exits import Exit
from ntprofile.files import PART_IS_A_FILE, writable_directory
from ntprofile.node.requirements import require_node

NAME = "compile"
HELP = "validate profiles, compile them onto NautilusTrader's config classes, write build/PROFILE/ for each"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", metavar="PROFILE", nargs="*", help="target names (prod-bybit) or their files")
    parser.add_argument("--all", action="store_true", help="every target of the profiles root")
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        default=None,
        help="output root (default: ./build, or build/ beside a profiles root found in a folder above)",
    )
    add_format_option(parser)
    add_profiles_option(parser)


def selected(workspace, names: list[str], every: bool) -> list[str]:
    """The targets of the command line, in order and once each; ``--all``: every target of the root."""
    if every and names:
        raise UsageError("give target names or --all, not both")
    if every:
        workspace.require_root()
        return list(workspace.targets())
    if not names:
        raise UsageError("give one or more targets, or --all (see 'ntprofile list')")
    return list(dict.fromkeys(workspace.select(arg) for arg in names))


def run(args: argparse.Namespace) -> int:
    from ntprofile.layers import Workspace, output_base

    require_node(profiles=args.profiles)

    workspace = Workspace(args.profiles)
    names = selected(workspace, args.targets, args.all)
    build_dir = Path(args.build_dir) if args.build_dir else output_base(args.profiles) / "build"
    problem = writable_directory(str(build_dir), create=False)
    if problem is not None:  # one usage error, not one failure per target
        raise UsageError(f"--build-dir {build_dir}: {problem}")
    reports = [_compile_one(workspace, name, build_dir) for name in names]
    if len(reports) == 1 and not args.all:
        _report(args.format, *reports[0])
    else:
        if args.format == "json":
            out(
                json.dumps(
                    {"ok": all(r[-1] is None for r in reports), "targets": [_json(*r) for r in reports]}, indent=2
                )
            )
        else:
            for report in reports:
                _report(args.format, *report)
        failed = [r[0] for r in reports if r[-1] is not None]
        err(
            f"Compiled {len(reports) - len(failed)} of {len(reports)} target{'' if len(reports) == 1 else 's'}"
            + (f"; failed: {', '.join(failed)}." if failed else ".")
        )
    return Exit.INVALID if any(r[-1] is not None for r in reports) else Exit.OK


def _compile_one(workspace, name: str, build_dir: Path) -> tuple[str, list, list[Path], list, str | None]:
    """One target through the pipeline and onto disk: name, findings, files written, variables, why it failed.

    A build directory that cannot be written, or whose target holds what
    ntprofile did not write, fails this target only; its previous output is kept.
    """
    from ntprofile.compile import output
    from ntprofile.pipeline import prepare

    try:
        output.recover(build_dir, name)  # what a compile of it killed midway left
    except OSError as exc:
        return name, [], [], [], _cannot_write(exc, build_dir, name)
    prepared = prepare(workspace, name)
    if not prepared.ok:
        errors = sum(d.is_error for d in prepared.diagnostics)
        return name, prepared.diagnostics, [], [], f"{errors} error(s); nothing written"
    from ntprofile.tools import variables as variables_mod

    assert prepared.merged is not None and prepared.compiled is not None
    variables = variables_mod.collect(prepared.merged)
    try:
        target = output.write_build(
            build_dir,
            name,
            {
                "node.json": output.render_node_json(prepared.compiled.node_json),
                "env.example": variables_mod.render_env_example(name, variables),
            },
        )
    except output.OutputError as exc:
        return name, prepared.diagnostics, [], variables, str(exc)
    except OSError as exc:
        return name, prepared.diagnostics, [], variables, _cannot_write(exc, build_dir, name)
    return name, prepared.diagnostics, [target / "node.json", target / "env.example"], variables, None


def _cannot_write(exc: OSError, build_dir: Path, name: str) -> str:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        reason = PART_IS_A_FILE
    return f"cannot write {build_dir / name}: {reason} (check --build-dir {build_dir})"


def _json(name: str, diags: list, written: list[Path], variables: list, failure: str | None) -> dict:
    from ntprofile.diagnostics import Diagnostic, display_path
    from ntprofile.diagnostics.reporters import json_record

    return {
        "profile": name,
        "ok": failure is None,
        "diagnostics": [json_record(d) for d in sorted(diags, key=Diagnostic.sort_key)],
        "files": [display_path(str(p)) for p in written],
        "variables": [v.to_json() for v in variables],
        **({"error": failure} if failure else {}),
    }


def _report(fmt: str, name: str, diags: list, written: list[Path], variables: list, failure: str | None) -> None:
    from ntprofile.diagnostics import Diagnostic, display_path, render

    if fmt == "json":
        out(json.dumps(_json(name, diags, written, variables, failure), indent=2))
        return
    ordered = sorted(diags, key=Diagnostic.sort_key)
    if ordered:
        out(render(ordered))
    if failure:
        out(f"{name}: {failure}")
        return
    out(f"{name}: wrote " + ", ".join(display_path(str(p)) for p in written))
    if variables:
        out("variables needed (see env.example):")
        for var in variables:
            kind = "secret" if var.secret else "value"
            if var.required:
                need = "required"
            elif not var.default:
                need = "optional"
            else:
                need = f"default {'***' if var.secret else repr(var.default)}"
            out(f"  {var.name} ({kind}, {need})")
