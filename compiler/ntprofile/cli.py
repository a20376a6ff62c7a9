# PYTHON_ARGCOMPLETE_OK  (argcomplete's marker: this program answers shell completion requests)
"""The ``ntprofile`` command line: a thin shell over the library.

Each command lives in ``ntprofile.commands.<module>`` and is found by
``pkgutil``; a command module defines ``NAME``, ``HELP``, ``configure(parser)``
and ``run(args) -> int``. Command modules import nothing heavy at module level,
so ``ntprofile validate`` never pays for ``nautilus_trader``.

Exit codes are ``ntprofile.exits.Exit``: 0 valid/success, 1 invalid profile or
failed check, 2 usage error, 3 internal error (a bug in ntprofile; set
``NTPROFILE_DEBUG=1`` for a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from typing import NoReturn

from ntprofile import __version__, commands
from ntprofile.exits import Exit
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import Merged, UnknownProfileError, Workspace
from ntprofile.node.requirements import InstallError


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
        help="profiles root (default: $NTPROFILE_PROFILES, ./profiles, or the nearest profiles/ in a folder above)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="text", help="output format (default: text)")


def merge_target(args: argparse.Namespace) -> tuple[str, Merged | None]:
    """The profile (target or layer) named by ``args.profile`` merged; its findings on stderr when it fails."""
    from ntprofile.diagnostics import render

    workspace = Workspace(args.profiles)
    name = workspace.select(args.profile, layers=True)
    merged, diags = workspace.merge(name)
    if merged is None:
        err(render(diags))
    return name, merged


def command_names() -> list[str]:
    """Every command, by module name (a command module is named as its command)."""
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of command ``only`` alone.

    A command line that names its command is parsed by that command's parser
    only: importing and configuring all the others is most of the command
    line's own start-up time, which ``validate`` in the pre-commit hook pays.
    """
    parser = argparse.ArgumentParser(
        prog="ntprofile",
        description="Declarative profile compiler for NautilusTrader live trading nodes.",
    )
    parser.add_argument("--version", action="version", version=f"ntprofile {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in command_names() if only is None else [only]:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(cmd)
        cmd.set_defaults(handler=module.run, quick_exit=getattr(module, "QUICK_EXIT", False))
    return parser


def main(argv: list[str] | None = None) -> int:
    """The ``ntprofile`` program (``argv`` unset: the command line) or one command line of it, in process."""
    program = argv is None
    argv = sys.argv[1:] if argv is None else argv
    named = argv[0] if argv and "_ARGCOMPLETE" not in os.environ else None
    parser = build_parser(named if named in command_names() else None)
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions; imported only then
        from ntprofile.commands._completion import complete

        complete(parser)
    args = parser.parse_args(argv)
    code = _run(args)
    if program and args.quick_exit:
        quick_exit(code)
    return code


def quick_exit(code: int) -> NoReturn:
    """Flush the output and end the process now, without the interpreter's teardown.

    A command that holds nothing open when it returns (its module sets
    ``QUICK_EXIT``) has no use for the teardown, which frees every module one
    by one and costs ``validate`` in the pre-commit hook more than its own checks.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said there
            pass
    os._exit(code)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.handler(args) or 0)
    except (UsageError, UnknownProfileError, InstallError) as exc:
        err(f"ntprofile {args.command}: error: {exc}")
        return Exit.USAGE
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # a bug, never a bad profile: those are diagnostics
        if os.environ.get("NTPROFILE_DEBUG"):
            raise
        err(
            f"ntprofile {args.command}: internal error: {type(exc).__name__}: {exc} (NTPROFILE_DEBUG=1 shows the traceback)"
        )
        return Exit.INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
