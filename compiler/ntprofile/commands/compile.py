"""``ntprofile compile PROFILE``: validate, compile, write ``build/PROFILE/`` atomically."""

from __future__ import annotations

import argparse
import errno
import json
from pathlib import Path

from ntprofile.cli import UsageError, add_format_option, add_profiles_option, out
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "compile"
HELP = "validate a profile, compile it onto NautilusTrader's config classes, write build/PROFILE/"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", metavar="PROFILE", help="target name (prod-bybit) or its file")
    parser.add_argument("--build-dir", metavar="DIR", default="build", help="output root (default: ./build)")
    add_format_option(parser)
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.layers import Workspace
    from ntprofile.pipeline import prepare

    require_node()

    workspace = Workspace(args.profiles)
    name = workspace.select(args.profile)
    build_dir = Path(args.build_dir)
    _writing(build_dir, name, lambda: _output().recover(build_dir, name))  # a compile killed midway
    prepared = prepare(workspace, name)
    written: list[Path] = []
    variables = []
    if prepared.ok:
        from ntprofile.tools import variables as variables_mod

        assert prepared.merged is not None and prepared.compiled is not None
        output = _output()
        variables = variables_mod.collect(prepared.merged)
        files = {
            "node.json": output.render_node_json(prepared.compiled.node_json),
            "env.example": variables_mod.render_env_example(name, variables),
        }
        target = _writing(build_dir, name, lambda: output.write_build(build_dir, name, files))
        written = [target / "node.json", target / "env.example"]
    _report(args.format, name, prepared.diagnostics, written, variables, not prepared.ok)
    return Exit.OK if prepared.ok else Exit.INVALID


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


def _report(fmt: str, name: str, diags: list, written: list[Path], variables: list, failed: bool) -> None:
    from ntprofile.diagnostics import Diagnostic, display_path, render
    from ntprofile.diagnostics.reporters import json_record

    ordered = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        out(
            json.dumps(
                {
                    "profile": name,
                    "ok": not failed,
                    "diagnostics": [json_record(d) for d in ordered],
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
