"""``ntprofile init [DIR]``: start a profiles repository that validates clean, never overwriting a file.

Exit 0 when every file is in place, whether this run created it or it was
there already and was kept (so running it again is harmless); 2 for a usage
error (an unknown exchange or stage, a ``DIR`` that cannot be written). A
``DIR`` outside any git work tree is made one (``git init``), so the next
step, ``pre-commit install``, works; without git, the output says to run it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ntprofile.cli import UsageError, out
from ntprofile.exits import Exit

NAME = "init"
HELP = "start a profiles repository: layered profiles, schema copy, .gitignore, hook config, .env.example"


def configure(parser: argparse.ArgumentParser) -> None:
    from ntprofile.tools.scaffold import DEFAULT_EXCHANGES, DEFAULT_HOOK_REPO, DEFAULT_HOOK_REV, DEFAULT_STAGES

    parser.add_argument("dir", metavar="DIR", nargs="?", default=".", help="the repository (default: .)")
    parser.add_argument(
        "--exchanges",
        metavar="LIST",
        default=",".join(DEFAULT_EXCHANGES),
        help=f"comma-separated venues (adapters) with an overlay each (default: {','.join(DEFAULT_EXCHANGES)})",
    )
    parser.add_argument(
        "--stages",
        metavar="LIST",
        default=",".join(DEFAULT_STAGES),
        help=f"comma-separated stages with a layer each (default: {','.join(DEFAULT_STAGES)})",
    )
    parser.add_argument(
        "--hook-repo",
        metavar="URL",
        default=DEFAULT_HOOK_REPO,
        help="the ntprofile repository .pre-commit-config.yaml takes the hook from",
    )
    parser.add_argument(
        "--hook-rev",
        metavar="REV",
        default=DEFAULT_HOOK_REV,
        help=f"its rev (default: {DEFAULT_HOOK_REV}; `pre-commit autoupdate --freeze` pins a commit)",
    )


def choices(given: str, known: list[str], what: str, refused: dict[str, str] | None = None) -> list[str]:
    """The comma-separated ``given`` names, each one of ``known``, in order and once each.

    A name in ``refused`` is known but cannot be chosen: the error says why.
    """
    from ntprofile.diagnostics.hints import did_you_mean

    chosen: list[str] = []
    for name in (part.strip().lower() for part in given.split(",")):
        if not name:
            continue
        if refused and name in refused:
            raise UsageError(f"{what} '{name}' {refused[name]} (known: {', '.join(known)})")
        if name not in known:
            hint = did_you_mean(name, known)
            listed = f"known: {', '.join(known)}"
            raise UsageError(f"unknown {what} '{name}' ({hint + ' ' + listed if hint else listed})")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UsageError(f"no {what} given (known: {', '.join(known)})")
    return chosen


def run(args: argparse.Namespace) -> int:
    from ntprofile.diagnostics import display_path
    from ntprofile.files import writable_directory
    from ntprofile.tools import scaffold

    chosen_exchanges = choices(args.exchanges, scaffold.exchanges(), "exchange", scaffold.refused())
    chosen_stages = choices(args.stages, scaffold.stages(), "stage")
    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{args.dir} exists and is not a directory")
    problem = writable_directory(root, create=False)
    if problem is not None:  # before a first file is written
        raise UsageError(f"cannot write {args.dir}: {problem}")
    try:
        written = scaffold.scaffold(root, chosen_exchanges, chosen_stages, args.hook_repo, args.hook_rev)
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename or args.dir}: {exc.strerror or exc}") from None
    for item in written:
        note = " (exists; left as it is)" if item.status == "kept" else ""
        out(f"{item.status:<7} {display_path(str(item.path))}{note}")
    created = sum(item.status == "created" for item in written)
    out(f"{created} created, {len(written) - created} kept.")
    git = scaffold.ensure_git(root)
    shown = display_path(str(root))
    if git == "created":
        out(f"initialised a git repository in {shown}")
    steps = [] if root.resolve() == Path.cwd().resolve() else [f"cd {shown}"]
    if git == "no-git":
        steps.append("git init   # git is not installed here: install it, then create the repository")
    elif git == "failed":
        steps.append("git init   # `git init` failed here: create the repository before pre-commit install")
    steps.append("ntprofile validate")
    if args.hook_repo == scaffold.DEFAULT_HOOK_REPO:
        steps.append("set repo: in .pre-commit-config.yaml to the ntprofile repository you use")
    steps.append("pre-commit autoupdate --freeze && pre-commit install")
    out("next:\n" + "\n".join(f"  {step}" for step in steps))
    return Exit.OK
