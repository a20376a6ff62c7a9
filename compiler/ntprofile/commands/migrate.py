"""``ntprofile migrate --to RELEASE [--write]``: carry a repository's profiles to another NautilusTrader release.

Without ``--write`` it prints the plan as a unified diff per file and changes
nothing. With ``--write`` it writes every changed file and the repository's
``schemas/profile.schema.json`` (the target release's packaged schema, so the
repository states its release) all at once or not at all. Settings with no
equivalent in the target release are listed at their file:line (M001, M002):
exit 1 until none is left.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from ntprofile.cli import UsageError, add_profiles_option, err, out
from ntprofile.exits import Exit

NAME = "migrate"
HELP = "rewrite the profiles for another NautilusTrader release (a diff; --write applies it)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", metavar="RELEASE", required=True, help="the NautilusTrader release to migrate to")
    parser.add_argument("--write", action="store_true", help="write the files (default: print the plan as a diff)")
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import render
    from ntprofile.layers import Workspace
    from ntprofile.migrate import plan_repository, write_all
    from ntprofile.migrate.plan import TARGETS
    from ntprofile.releases import DEFAULT, for_version, line_of, repository_release, supported

    target = for_version(args.to)
    if target is None:
        raise UsageError(f"unknown release '{args.to}'; this ntprofile supports {supported()}")
    workspace = Workspace(args.profiles)
    workspace.require_root()
    current = repository_release(Path(workspace.root))[1]
    if line_of(current) == target.line:
        out(f"{workspace.root}: the profiles already target NautilusTrader {current}; nothing to migrate")
        return Exit.OK
    if args.to not in TARGETS:
        raise UsageError(
            f"migrating from NautilusTrader {current} to {args.to} is not supported; "
            f"migrate goes from 1.x to {', '.join(TARGETS)}"
        )

    migration = plan_repository(workspace)
    if not migration.loaded:
        err(render(migration.diagnostics))
        err("migrate: nothing planned: fix the files that do not load first")
        return Exit.INVALID
    for change in migration.changes if not args.write else ():
        diff = difflib.unified_diff(
            change.before.splitlines(keepends=True),
            change.after.splitlines(keepends=True),
            fromfile=f"a/{change.rel}",
            tofile=f"b/{change.rel}",
        )
        text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
        out(change.masked(text).rstrip("\n"))
    if migration.diagnostics:
        err(render(migration.diagnostics))

    schema_file = workspace.root.parent / "schemas" / "profile.schema.json"
    packaged = target.schema_path(args.to)
    summary = (
        f"{len(migration.changes)} of {migration.files} files change for NautilusTrader {args.to}"
        + (f"; {len(migration.diagnostics)} settings need your decision (listed above)" if migration.diagnostics else "")
    )
    if not args.write:
        err(f"migrate: {summary}; nothing written (--write applies it)")
        return Exit.INVALID if migration.diagnostics else Exit.OK
    had_components = _read(schema_file) not in (None, _read(DEFAULT.schema_path()))
    contents = {change.path: change.after for change in migration.changes}
    if packaged.is_file():
        contents[schema_file] = packaged.read_text(encoding="utf-8")
    try:
        write_all(contents)
    except OSError as exc:
        err(f"migrate: cannot write {exc.filename or 'the files'} ({exc.strerror or exc}); nothing written")
        return Exit.INVALID
    err(f"migrate: {summary}; written")
    if packaged.is_file():
        err(f"migrate: wrote {schema_file}: the repository now targets NautilusTrader {args.to}")
        if had_components:
            err(
                f"migrate: the previous {schema_file.name} also described your strategies' configs; run "
                f"`ntprofile schema` with NautilusTrader {args.to} installed to describe them again"
            )
    else:
        err(
            f"migrate: this ntprofile ships no schema for {args.to} yet ({packaged.name}); "
            f"{schema_file} still states {current}"
        )
    return Exit.INVALID if migration.diagnostics else Exit.OK


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
