# PYTHON_ARGCOMPLETE_OK  (argcomplete's marker: this program answers shell completion requests)
"""The ``ntprofile`` command line: a thin shell over the library.

Each command lives in ``ntprofile.commands.<module>`` and is found by
``pkgutil``; a command module defines ``NAME``, ``HELP``, ``configure(parser)``
and ``run(args) -> int``. Command modules import nothing heavy at module level,
so ``ntprofile validate`` never pays for ``nautilus_trader``.

Exit codes: 0 valid/success, 1 invalid profile or failed check, 2 usage error,
3 internal error (a bug in ntprofile; set ``NTPROFILE_DEBUG=1`` for a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path

from ntprofile import __version__, commands
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import EXTENSIONS, Merged, Workspace

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A wrong command line (unknown target, bad option): exit code 2."""


def out(text: str = "") -> None:
    """Print to stdout, scrubbed of every registered secret value."""
    if text:
        print(REDACTOR(text), flush=True)


def err(text: str) -> None:
    """Print to stderr, scrubbed of every registered secret value."""
    print(REDACTOR(text), file=sys.stderr, flush=True)


def add_profiles_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profiles",
        metavar="DIR",
        default=None,
        help="profiles root (default: $NTPROFILE_PROFILES or ./profiles)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="text", help="output format (default: text)")


def check_root(workspace: Workspace) -> Workspace:
    """``workspace`` when its profiles root is a directory, else ``UsageError``."""
    if not Path(workspace.root).is_dir():
        raise UsageError(f"no profiles root at {workspace.root} (use --profiles DIR or NTPROFILE_PROFILES)")
    return workspace


def select_target(workspace: Workspace, arg: str, layers: bool = False) -> str:
    """The target name for a command-line ``PROFILE`` (a name or a file path).

    Only targets are deployable: ``compile``, ``check`` and ``run`` refuse a
    layer (it has no stage, no trader_id of its own, and the target checks
    would not run); the read-only tools pass ``layers=True``.
    Raises ``UsageError`` with a suggestion when there is no such profile.
    """
    check_root(workspace)
    name = arg
    if arg.endswith(EXTENSIONS) or os.sep in arg:
        name = workspace.name_for_file(arg) or arg
    if name in workspace.files and (layers or workspace.is_target(name)):
        return name
    if name in workspace.files:
        known = ", ".join(workspace.targets()) or "none"
        raise UsageError(
            f"'{name}' is a layer, not a target: only a file directly in {workspace.root} with a "
            f"profile.stage is deployable (targets: {known})"
        )
    raise UsageError(workspace.unknown(arg, workspace.targets()))


def require_node(what: str = "this command", same_as_schema: bool = True) -> None:
    """``UsageError`` (exit 2, one line saying what to install) unless ``ntprofile[node]`` can run ``what``.

    Called first by the node commands (compile, check, run, schema, explain
    --defaults); ``same_as_schema`` also requires the schema's NautilusTrader.
    """
    from ntprofile.node.requirements import InstallError
    from ntprofile.node.requirements import require_node as require

    try:
        require(what, same_as_schema)
    except InstallError as exc:
        raise UsageError(str(exc)) from None


def merge_target(args: argparse.Namespace) -> tuple[str, Merged | None]:
    """The profile (target or layer) named by ``args.profile`` merged; its findings on stderr when it fails."""
    from ntprofile.diagnostics import render

    workspace = Workspace(args.profiles)
    name = select_target(workspace, args.profile, layers=True)
    merged, diags = workspace.merge(name)
    if merged is None:
        err(render(diags))
    return name, merged


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ntprofile",
        description="Declarative profile compiler for NautilusTrader live trading nodes.",
    )
    parser.add_argument("--version", action="version", version=f"ntprofile {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(cmd)
        cmd.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions; imported only then
        from ntprofile.commands._completion import complete

        complete(parser)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        err(f"ntprofile {args.command}: error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug, never a bad profile: those are diagnostics
        if os.environ.get("NTPROFILE_DEBUG"):
            raise
        err(
            f"ntprofile {args.command}: internal error: {type(exc).__name__}: {exc} (NTPROFILE_DEBUG=1 shows the traceback)"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
