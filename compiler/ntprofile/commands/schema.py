"""``ntprofile schema [--check]``: write or verify the profile JSON Schema.

The schema is generated from the installed NautilusTrader, in the language of
its release line (``releases.for_version``: 1.x from msgspec structs, 2.0 from
the ``.pyi`` stubs), and states that release (``x-nautilus-trader-version``):
writing it into a repository is how the repository says which release it
targets. ``--check`` (CI and a test) fails when a schema file no longer matches,
so an upgrade that changes a config class is noticed before ``validate`` starts
lying; by default it checks the very file ``validate`` reads when that
repository targets the installed line, else the packaged schema of the
installed release. Run from a source checkout of ntprofile, writing also keeps
the checkout's committed copies (``schemas/`` for 1.x, the package's for
every release) equal to what was generated.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ntprofile.cli import UsageError, add_profiles_option, err, out
from ntprofile.exits import Exit
from ntprofile.files import PART_IS_A_FILE, NotRegularFile, file_slot_problem, read_bounded
from ntprofile.node.requirements import require_node
from ntprofile.schema import MAX_SCHEMA_BYTES

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
        default=None,
        help=f"schema file to write (default: {DEFAULT_OUTPUT}) or, with --check, to verify "
        "(default: the schema validate reads)",
    )
    add_profiles_option(parser)


def component_paths(profiles: str | None) -> tuple[list[str], list[str]]:
    """The ``config_path`` of every strategy, actor and exec algorithm the root's files name, and every
    class path they name (component and config classes), each ``module:Class``."""
    from ntprofile.language.vocabulary import COMPONENTS
    from ntprofile.layers import Workspace

    workspace = Workspace(profiles)
    if not workspace.root.is_dir():
        return [], []
    found = set()
    classes = set()
    for name in workspace.files:
        doc, _ = workspace.document(name)
        for section in COMPONENTS:
            entries = doc.tree.get(section) if doc is not None else None
            for entry in entries.values() if isinstance(entries, dict) else ():
                for field in (COMPONENTS[section].path_field, "config_path"):
                    path = entry.get(field) if isinstance(entry, dict) else None
                    if isinstance(path, str) and ":" in path and "$" not in path:
                        classes.add(path)
                        if field == "config_path":
                            found.add(path)
    return sorted(found), sorted(classes)


def run(args: argparse.Namespace) -> int:
    require_node(same_as_schema=False)  # it generates the schema from whichever release is installed
    from ntprofile import releases
    from ntprofile.diagnostics import display_path
    from ntprofile.schema import checkout_copies

    version = releases.installed_version() or "unknown"
    release = releases.for_version(version)
    if release is None:
        supported = ", ".join(v for r in releases.RELEASES.values() for v in r.versions)
        err(f"nautilus_trader {version} is installed; ntprofile generates schemas for {supported} only")
        return Exit.USAGE
    components, classes = component_paths(args.profiles)  # read in the repository's own release line
    releases.activate(release)  # generated in the installed one's
    text = importlib.import_module(release.schema_generator).generated_text(components, classes)
    packaged = release.schema_path(version)
    if args.check:
        from ntprofile.layers.workspace import default_root
        from ntprofile.validate.schema import repository_schema

        if args.output is not None:
            return _check(args.output, display_path(str(args.output)), text, version)
        reads = repository_schema(default_root(args.profiles))
        if (releases.release_of_schema(reads)[0] or releases.DEFAULT) is not release:
            # the repository targets another line: check this release's packaged schema
            return _check(packaged, f"{display_path(str(packaged))} (the packaged {version} schema)", text, version)
        return _check(reads, f"{display_path(str(reads))} (the schema validate reads)", text, version)
    from ntprofile.layers import output_base

    targets = [args.output or output_base(args.profiles) / DEFAULT_OUTPUT]
    checkout = checkout_copies()
    if release is not releases.DEFAULT and checkout and targets[0].resolve() == checkout[0].resolve():
        targets = []  # the checkout's own profiles stay on the default line; its packaged copy is written below
    elif args.output is None:
        from ntprofile.layers.workspace import default_root

        own = releases.repository_schema(default_root(args.profiles))
        stated, stated_version = releases.release_of_schema(own)
        if own != releases.PACKAGED_SCHEMA and stated is not None and stated is not release:
            # writing it would move the repository to another line
            raise UsageError(
                f"the repository targets NautilusTrader {stated_version} and {version} is installed: writing its "
                f"schema would carry the profiles to the {release.line}.x line without renaming a key; install "
                f"{stated.install_hint().removeprefix('pip install ')}, "
                "or carry them with 'ntprofile migrate --to RELEASE'"
            )
    if not components and not classes:  # the packaged copies never hold one repository's components
        copies = checkout if release is releases.DEFAULT else [packaged] if checkout else []
        targets += [p for p in copies if not targets or p.resolve() != targets[0].resolve()]
    for path in targets:  # every place checked before any is written
        problem = file_slot_problem(path)
        if problem is not None:
            raise UsageError(f"cannot write the schema to {display_path(str(path))}: {problem}")
    for path in targets:
        shown = display_path(str(path))
        if _current(path) == text:
            out(f"{shown} is up to date (nautilus_trader {version})")
            continue
        _write(path, text)
        out(f"wrote {shown} (nautilus_trader {version})")
    return Exit.OK


def _read(path: Path) -> str:
    """A schema file's text, bounded (``files.read_bounded``): a FIFO or ``/dev/zero`` named as one never hangs."""
    return read_bounded(path, MAX_SCHEMA_BYTES, "a schema").decode("utf-8")


def _current(path: Path) -> str | None:
    """The text of the schema file at ``path``, or ``None`` when there is none to read."""
    try:
        return _read(path)
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, text: str) -> None:
    """Write atomically: a reader never sees half a schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _check(path: Path, shown: str, text: str, version: str) -> int:
    try:
        current = _read(path)
    except NotRegularFile as exc:
        raise UsageError(f"{shown}: not a schema file: {exc.strerror}") from None
    except NotADirectoryError:
        raise UsageError(f"{shown}: not a schema file: {PART_IS_A_FILE}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        err(f"{shown}: cannot read the schema ({reason or exc}); run `ntprofile schema` to write it")
        return Exit.INVALID
    if current == text:
        out(f"{shown} is up to date (nautilus_trader {version})")
        return Exit.OK
    try:
        committed: Any = json.loads(current)
    except ValueError:
        committed = None
    was = committed.get("x-nautilus-trader-version", "unknown") if isinstance(committed, dict) else "unknown"
    where = ", ".join(differences(committed, json.loads(text))[:5]) or "formatting"
    err(
        f"{shown} is out of date: it was generated from nautilus_trader {was}, the installed one is {version} "
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
