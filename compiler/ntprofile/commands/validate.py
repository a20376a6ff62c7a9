"""``ntprofile validate [TARGET or FILE ...]``: every finding, one line each; the pre-commit hook.

Findings go to stdout (text, JSON or GitHub annotations), the one-line
summary to stderr, so ``--format json`` output stays parseable. Exit 0 when
there is no error (warnings allowed), 1 with an error, 2 for a usage error.
"""

from __future__ import annotations

import argparse

from ntprofile.cli import add_format_option, add_profiles_option, err, out
from ntprofile.diagnostics.reporters import FORMATS
from ntprofile.exits import Exit

NAME = "validate"
HELP = "validate profiles: schema, secrets and trading-safety policy (default: every file of the root)"
QUICK_EXIT = True
"""It reads files and writes only its output, so it ends without the interpreter's teardown (``cli.quick_exit``)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "items",
        metavar="TARGET or FILE",
        nargs="*",
        help="target or layer names (prod-bybit, env/production) or profile files; default: all of the root",
    )
    parser.add_argument(
        "--staged",
        action="store_true",
        help="the arguments are the files a commit stages, as pre-commit passes them: refuse any from a folder "
        "ntprofile fills with secrets (S015), validate the profile files, pass over the rest",
    )
    parser.add_argument(
        "--no-dependents",
        dest="dependents",
        action="store_false",
        help="validate a layer on its own only, not also the targets that use it",
    )
    add_format_option(parser, FORMATS)
    add_profiles_option(parser)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: list, files_checked: int, targets_checked: int = 0) -> str:
    """``Found 3 errors, 1 warning in 2 files.``, ``1 target valid (5 files).`` or ``All 3 files valid.``

    A target counts once however many layer files it reads; the files are said too.
    """
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    notes = sum(1 for d in diagnostics if d.severity == "note")
    files = len({d.pos.file for d in diagnostics if d.pos and d.severity != "note"})
    noted = f", {_plural(notes, 'waived rule')}" if notes else ""
    if errors:
        found = _plural(errors, "error") + (f", {_plural(warnings, 'warning')}" if warnings else "")
        return f"Found {found} in {_plural(files, 'file')}{noted}."
    if not files_checked and not targets_checked:
        return "No profile file among them; nothing to validate."
    details = []
    if targets_checked:
        valid = f"{'All ' if targets_checked > 1 else ''}{_plural(targets_checked, 'target')} valid"
        details.append(_plural(files_checked, "file"))
    else:
        valid = f"All {_plural(files_checked, 'file')} valid" if files_checked != 1 else "The file is valid"
    if warnings:
        details.append(f"{_plural(warnings, 'warning')} in {_plural(files, 'file')}{noted}")
    elif notes:
        details.append(_plural(notes, "waived rule"))
    return valid + (f" ({'; '.join(details)})." if details else ".")


def is_profile_file(workspace, item: str) -> bool:
    """Whether a staged file is a profile: a YAML or TOML file of the root or of any folder named like it
    (the hook's old ``files:`` pattern, ``(^|/)profiles/.+\\.(ya?ml|toml)$``, in one place)."""
    from pathlib import Path

    from ntprofile.layers import EXTENSIONS

    path = Path(item)
    if not item.endswith(EXTENSIONS) or not path.is_file():
        return False
    root = Path(workspace.root).resolve()
    name = root.name or "profiles"
    return any(parent == root or parent.name == name for parent in path.resolve().parents)


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import render
    from ntprofile.layers import Workspace
    from ntprofile.validate import Validation

    workspace = Workspace(args.profiles)
    items, diagnostics = args.items, []
    if args.staged:
        from ntprofile.validate.secrets import secrets_folder_files

        diagnostics = secrets_folder_files(items)
        refused = {d.pos.file for d in diagnostics}
        items = [i for i in items if i not in refused and is_profile_file(workspace, i)]
    elif not items:
        workspace.require_root()
    run_ = Validation(workspace, dependents=args.dependents)
    if items or not args.staged:
        diagnostics += run_.paths(items)  # an unknown profile is a usage error (exit 2)
    if args.format == "json":
        out(render(diagnostics, "json"))
    elif diagnostics:
        out(render(diagnostics, args.format))
    err(summary(diagnostics, len(run_.checked), len(run_.checked_targets)))
    return Exit.INVALID if any(d.is_error for d in diagnostics) else Exit.OK
