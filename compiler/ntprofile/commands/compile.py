"""``ntprofile compile PROFILE``: validate, compile, write ``build/PROFILE/`` atomically."""

from __future__ import annotations

import argparse
import errno
import json
from pathlib import Path

from ntprofile.cli import EXIT_INVALID, EXIT_OK, UsageError, add_format_option, add_profiles_option, out, select_target
from ntprofile.diagnostics import combine

NAME = "compile"
HELP = "validate a profile, compile it onto NautilusTrader's config classes, write build/PROFILE/"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", metavar="PROFILE", help="target name (prod-bybit) or its file")
    parser.add_argument("--build-dir", metavar="DIR", default="build", help="output root (default: ./build)")
    add_format_option(parser)
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.layers import Workspace

    workspace = Workspace(args.profiles)
    name = select_target(workspace, args.profile)
    build_dir = Path(args.build_dir)
    _writing(build_dir, name, lambda: _output().recover(build_dir, name))  # a compile killed midway
    diags = _validate(workspace, name)
    merged, merge_diags = workspace.merge(name)
    diags = combine(diags, merge_diags)
    compiled = None
    if merged is not None:
        from ntprofile.compile import compile_merged

        compiled = compile_merged(merged)
        diags = combine(diags, compiled.diagnostics)
    failed = compiled is None or compiled.node_json is None or any(d.is_error for d in diags)
    written: list[Path] = []
    variables = []
    if not failed:
        from ntprofile.tools import variables as variables_mod

        output = _output()
        variables = variables_mod.collect(merged)
        files = {
            "node.json": output.render_node_json(compiled.node_json),
            "env.example": output.render_env_example(name, variables),
        }
        target = _writing(build_dir, name, lambda: output.write_build(build_dir, name, files))
        written = [target / "node.json", target / "env.example"]
    _report(args.format, name, diags, written, variables, failed)
    return EXIT_INVALID if failed else EXIT_OK


def _output():
    from ntprofile.compile import output

    return output


def _writing(build_dir: Path, name: str, action):
    """``action()``; a build directory that cannot be written, or holds what ntprofile did not write, is a usage error."""
    output = _output()
    try:
        return action()
    except output.OutputError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        where = exc.filename or build_dir / name
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            reason = "a part of the path is a file, not a directory"
        raise UsageError(f"cannot write {where}: {reason} (check --build-dir {build_dir})") from None


def _validate(workspace, name: str) -> list:
    """Schema, secrets and policy findings (the ``validate`` command's), imported lazily."""
    from ntprofile.validate import validate_target

    return list(validate_target(workspace, name))


def _report(fmt: str, name: str, diags: list, written: list[Path], variables: list, failed: bool) -> None:
    from ntprofile.diagnostics import Diagnostic, display_path, render

    ordered = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        out(
            json.dumps(
                {
                    "profile": name,
                    "ok": not failed,
                    "diagnostics": [d.to_json() for d in ordered],
                    "files": [display_path(str(p)) for p in written],
                    "variables": [v.to_json() for v in variables],
                },
                indent=2,
            )
        )
        return
    if ordered:
        out(render(ordered))
    if failed:
        errors = sum(d.is_error for d in ordered)
        out(f"{name}: {errors} error(s); nothing written")
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
