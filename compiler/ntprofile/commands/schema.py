"""``ntprofile schema [--check]``: write or verify ``schemas/profile.schema.json``.

The schema is generated from the installed NautilusTrader; ``--check`` (CI and
a test) fails when the committed file no longer matches, so an upgrade that
changes a config class is noticed before ``validate`` starts lying.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ntprofile.cli import add_profiles_option, err, out
from ntprofile.exits import Exit

NAME = "schema"
HELP = "write (or with --check verify) schemas/profile.schema.json from the installed NautilusTrader"
DEFAULT_OUTPUT = Path("schemas") / "profile.schema.json"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 when the file differs from what the installed NautilusTrader generates",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"schema file (default: {DEFAULT_OUTPUT})",
    )
    add_profiles_option(parser)


def component_paths(profiles: str | None) -> list[str]:
    """The ``config_path`` of every strategy, actor and exec algorithm the root's files name."""
    from ntprofile.language.vocabulary import COMPONENTS
    from ntprofile.layers import Workspace

    workspace = Workspace(profiles)
    if not workspace.root.is_dir():
        return []
    found = set()
    for name in workspace.files:
        doc, _ = workspace.document(name)
        for section in COMPONENTS:
            entries = doc.tree.get(section) if doc is not None else None
            for entry in entries.values() if isinstance(entries, dict) else ():
                path = entry.get("config_path") if isinstance(entry, dict) else None
                if isinstance(path, str) and ":" in path and "$" not in path:
                    found.add(path)
    return sorted(found)


def run(args: argparse.Namespace) -> int:
    from ntprofile.schema.generate import generated_text, nautilus_version

    text = generated_text(component_paths(args.profiles))
    path: Path = args.output
    if args.check:
        return _check(path, text, nautilus_version())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)
    out(f"wrote {path} (nautilus_trader {nautilus_version()})")
    return Exit.OK


def _check(path: Path, text: str, version: str) -> int:
    try:
        current = path.read_text(encoding="utf-8")
    except OSError as exc:
        err(f"{path}: cannot read the schema ({exc.strerror or exc}); run `ntprofile schema` to write it")
        return Exit.INVALID
    if current == text:
        out(f"{path} is up to date (nautilus_trader {version})")
        return Exit.OK
    try:
        committed: Any = json.loads(current)
    except ValueError:
        committed = None
    was = committed.get("x-nautilus-trader-version", "unknown") if isinstance(committed, dict) else "unknown"
    where = ", ".join(differences(committed, json.loads(text))[:5]) or "formatting"
    err(
        f"{path} is out of date: it was generated from nautilus_trader {was}, the installed one is {version} "
        f"(differs at {where}); run `ntprofile schema` and commit the result"
    )
    return Exit.INVALID


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """JSON pointers where two documents differ, shallowest first."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b)):
            if a.get(key, _MISSING) != b.get(key, _MISSING):
                sub = f"{path}/{key}"
                if key in a and key in b:
                    found.extend(differences(a[key], b[key], sub))
                else:
                    found.append(sub)
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in differences(x, y, f"{path}/{i}")]
    return [path or "/"] if a != b else []


_MISSING = object()
