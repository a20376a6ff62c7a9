"""Shell completion (bash, zsh) by argcomplete: commands, options, and the profile names of the root.

``ntprofile.cli`` imports this module only when the shell asks for completions
(argcomplete's ``_ARGCOMPLETE`` protocol), so an ordinary run pays nothing for
it. Profile arguments complete to the names in the profiles root that
``--profiles`` (or ``$NTPROFILE_PROFILES``, or ``./profiles``) names: targets
only where a command deploys (``compile``, ``check``, ``run``, ``render``), targets and
layers where it reads (``validate``, ``explain``, ``env``, ``diff``).
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

DEPLOYING = frozenset({"compile", "check", "run", "render"})
PROFILE_ARGUMENTS = frozenset({"profile", "targets", "items", "a", "b"})
"""``dest`` of every positional argument that names a profile."""


def _profiles(targets_only: bool) -> Callable[..., list[str]]:
    def complete(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        from ntprofile.layers import Workspace

        try:
            workspace = Workspace(getattr(parsed_args, "profiles", None))
            return list(workspace.targets()) if targets_only else sorted(workspace.files)
        except Exception:  # noqa: BLE001 - a broken root completes to nothing, never to a traceback
            return []

    return complete


def _comma_list(known: Callable[[], list[str]]) -> Callable[..., list[str]]:
    """Complete the last item of ``a,b,c`` from ``known()``, keeping the items before it."""

    def complete(prefix: str, **_: Any) -> list[str]:
        done, _sep, last = prefix.rpartition(",")
        head = f"{done}," if done else ""
        taken = set(done.split(","))
        return [head + name for name in known() if name.startswith(last) and name not in taken]

    return complete


def attach_completers(parser: argparse.ArgumentParser) -> None:
    """Give the arguments that name profiles, directories or lists their completers."""
    from argcomplete.completers import DirectoriesCompleter

    from ntprofile.tools import scaffold

    lists = {"exchanges": scaffold.exchanges, "stages": scaffold.stages}
    for action in parser._actions:  # argparse keeps no public list of them
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, sub in action.choices.items():
            for arg in sub._actions:
                if arg.dest in PROFILE_ARGUMENTS:
                    arg.completer = _profiles(targets_only=name in DEPLOYING)  # type: ignore[attr-defined]
                elif arg.dest in ("profiles", "dir") or (arg.dest == "build_dir"):
                    arg.completer = DirectoriesCompleter()  # type: ignore[attr-defined]
                elif arg.dest in lists:
                    arg.completer = _comma_list(lists[arg.dest])  # type: ignore[attr-defined]


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit (argcomplete does)."""
    import argcomplete

    attach_completers(parser)
    argcomplete.autocomplete(parser)
