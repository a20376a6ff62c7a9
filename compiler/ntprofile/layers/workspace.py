"""Stage 2, ``layers``: resolve ``extends`` and deep-merge the chain.

The result, ``Merged``, is the tree a target stands for plus, for every key,
the list of layers that set it (provenance): ``explain`` prints it, diagnostics
point with it at the line that set a bad value.

Merge rule (DESIGN.md): mappings merge key by key, recursively; anything else
(scalar, list, ``null``) replaces what it inherits. Layers are linearised
parents first, each layer once (the first time it is reached), so a diamond
``[env/testnet, exchanges/binance]`` that both extend ``base`` applies ``base``
once, before both.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping, NamedTuple, Protocol

from ntprofile.diagnostics import Diagnostic, Position
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.language.tree import EMPTY, Path_, nearest
from ntprofile.loader import Document, load_bytes, read_profile_bytes, unreadable

EXTENSIONS = (".yaml", ".yml", ".toml")


class Setting(NamedTuple):
    """One layer assigning one value to one key."""

    value: Any
    pos: Position
    layer: str


class Merged(NamedTuple):
    """A target after merging its layer chain.

    Parameters
    ----------
    name : str
        The target (or layer) name.
    chain : list[Document]
        The documents in merge order; the last is the target itself.
    tree : dict
        The merged profile, ``extends`` removed.
    provenance : dict[tuple, list[Setting]]
        For every key path, each assignment in merge order; the last one is in
        effect, the earlier ones were overridden.

    """

    name: str
    chain: list[Document]
    tree: dict[str, Any]
    provenance: Mapping[Path_, list[Setting]] = EMPTY

    def origin(self, path: Path_) -> Position | None:
        """Where the value at ``path`` (or its nearest set ancestor) was set."""
        settings = nearest(self.provenance, path)
        return settings[-1].pos if settings else None

    def get(self, path: Path_, default: Any = None) -> Any:
        node: Any = self.tree
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return default
        return node

    @property
    def stage(self) -> str | None:
        profile = self.tree.get("profile")
        stage = profile.get("stage") if isinstance(profile, dict) else None
        return stage if isinstance(stage, str) else None

    @property
    def layer_names(self) -> list[str]:
        return [doc.name for doc in self.chain]


# ------------------------------------------------------------------ merging


def deep_merge(base: Any, overlay: Any) -> Any:
    """The pure merge rule, without provenance: a new value, inputs untouched."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = {
            key: deep_merge(value, overlay[key]) if key in overlay else copy.deepcopy(value)
            for key, value in base.items()
        }
        out.update((key, copy.deepcopy(value)) for key, value in overlay.items() if key not in base)
        return out
    return copy.deepcopy(overlay)


def _apply(
    dst: dict[str, Any],
    src: dict[str, Any],
    doc: Document,
    path: Path_,
    provenance: dict[Path_, list[Setting]],
) -> None:
    for key, value in src.items():
        here = path + (key,)
        if isinstance(value, dict) and isinstance(dst.get(key), dict):
            provenance.setdefault(here, []).append(Setting(value, doc.position(here), doc.name))
            _apply(dst[key], value, doc, here, provenance)
            continue
        if isinstance(dst.get(key), (dict, list)):  # only a container has provenance below it
            _forget_below(provenance, here)
        dst[key] = _copy(value)
        _record(value, doc, here, provenance)


def _copy(value: Any) -> Any:
    """A copy of a loaded value: its mappings and lists new, its scalars shared (they are immutable).

    Several times faster than ``copy.deepcopy`` on the merge's hot path; the
    loader has already expanded aliases into separate trees and refused cycles.
    """
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _record(value: Any, doc: Document, path: Path_, provenance: dict[Path_, list[Setting]]) -> None:
    provenance.setdefault(path, []).append(Setting(value, doc.position(path), doc.name))
    if isinstance(value, dict):
        for key, sub in value.items():
            _record(sub, doc, path + (key,), provenance)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _record(sub, doc, path + (index,), provenance)


def _forget_below(provenance: dict[Path_, list[Setting]], path: Path_) -> None:
    """Drop provenance of keys under ``path``: a replaced value takes its children along."""
    depth = len(path)
    for stale in [p for p in provenance if len(p) > depth and p[:depth] == path]:
        del provenance[stale]


def merge_documents(name: str, chain: list[Document]) -> Merged:
    """Merge documents in order, each body (without ``extends``) over the last."""
    tree: dict[str, Any] = {}
    provenance: dict[Path_, list[Setting]] = {}
    for doc in chain:
        body = {k: v for k, v in doc.tree.items() if k != "extends"}
        _apply(tree, body, doc, (), provenance)
    return Merged(name, chain, tree, provenance)


# ------------------------------------------------------------------ sources


class Source(Protocol):
    """Where profile files come from: the working tree, or a git revision."""

    root: Path

    def files(self) -> list[str]:
        """Every profile file, as a POSIX path relative to ``root``."""

    def read(self, rel: str) -> bytes:
        """The content of one file (``OSError`` when unreadable)."""


class DirectorySource:
    """Profile files in a directory on disk."""

    def __init__(self, root: Path):
        self.root = root

    def files(self) -> list[str]:
        """Symlinked folders are followed (once each): a Kubernetes ConfigMap mounts ``env/`` as a link into
        ``..data/``."""
        out = []
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:  # a link back up the tree
                dirnames[:] = []
                continue
            seen.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.endswith(EXTENSIONS) and not filename.startswith("."):
                    out.append(Path(dirpath, filename).relative_to(self.root).as_posix())
        return out

    def read(self, rel: str) -> bytes:
        return read_profile_bytes(self.root / rel)


class MemorySource:
    """Profile files held in memory, optionally over another source (whose files they add to or replace).

    The facade composes a target in memory over the shipped profiles with it;
    tests and fuzzers use it on its own.
    """

    def __init__(
        self,
        files: Mapping[str, bytes],
        root: Path | None = None,
        base: Source | None = None,
        hidden: Iterable[str] = (),
    ):
        self._files = dict(files)
        self._base = base
        self._hidden = set(hidden)
        self.root = root if root is not None else (base.root if base is not None else Path("/memory/profiles"))

    def files(self) -> list[str]:
        below = self._base.files() if self._base is not None else []
        return sorted(self._files) + [rel for rel in below if rel not in self._hidden and rel not in self._files]

    def read(self, rel: str) -> bytes:
        if rel in self._files:
            return self._files[rel]
        if self._base is None or rel in self._hidden:
            raise FileNotFoundError(rel)
        return self._base.read(rel)


# ---------------------------------------------------------------- workspace


def _extension_rank(rel: str) -> int:
    """``.yaml`` before ``.yml`` before ``.toml`` (and anything else last)."""
    suffix = "." + rel.rsplit(".", 1)[-1]
    return EXTENSIONS.index(suffix) if suffix in EXTENSIONS else len(EXTENSIONS)


ROOT_NAME = "profiles"


def default_root(cli_value: str | None = None) -> Path:
    """``--profiles DIR``, else ``$NTPROFILE_PROFILES``, else the nearest ``profiles/`` upward.

    As git finds ``.git``: ``./profiles``, else ``../profiles`` and so on, so a
    command run inside ``profiles/env/`` finds its root. The search stops at the
    top of a git repository (a folder holding ``.git``) and at the file system's
    root; found nowhere, it is ``./profiles`` (and ``require_root`` says so).
    """
    given = cli_value or os.environ.get("NTPROFILE_PROFILES")
    if given:
        return Path(given)
    if Path(ROOT_NAME).is_dir():
        return Path(ROOT_NAME)
    here = Path.cwd()
    if (here / ".git").exists():  # the top of a repository that has none
        return Path(ROOT_NAME)
    for folder in here.parents:
        if (folder / ROOT_NAME).is_dir():
            return folder / ROOT_NAME
        if (folder / ".git").exists():
            break
    return Path(ROOT_NAME)


def output_base(cli_value: str | None = None) -> Path:
    """Where default outputs (``build/``, ``schemas/``) go: beside a root found above the working
    directory, as if run from there; else the working directory."""
    root = default_root(cli_value)
    return root.parent if root.is_absolute() and not (cli_value or os.environ.get("NTPROFILE_PROFILES")) else Path()


PYTHON_REMEDY = "pass profiles=DIR or set NTPROFILE_PROFILES"
"""How a caller of the Python API names a profiles root (``require_root``)."""


class UnknownProfileError(LookupError):
    """A name or file that is no profile of the root, or a layer where a target is needed (a usage error)."""


class Workspace:
    """A profiles root: its files, loaded once each, and merged targets.

    Every file is parsed at most once per run however many targets share it,
    and every name is merged at most once.
    """

    def __init__(self, root: Path | str | None = None, source: Source | None = None):
        self.source: Source = source or DirectorySource(Path(root) if root else default_root())
        self.root = self.source.root
        from ntprofile.releases import open_root

        self.release = open_root(Path(self.root))
        """The NautilusTrader release line the root's repository targets; its names are the ones in force."""
        self._files: dict[str, str] | None = None
        self._ambiguous: dict[str, list[str]] = {}
        self._targets: list[str] | None = None
        self._target_set: frozenset[str] | None = None
        self._documents: dict[str, tuple[Document | None, list[Diagnostic]]] = {}
        self._merged: dict[str, tuple[Merged | None, list[Diagnostic]]] = {}

    # names -----------------------------------------------------------------

    @property
    def files(self) -> dict[str, str]:
        """Layer name (no extension) -> relative file path."""
        if self._files is None:
            by_name: dict[str, list[str]] = {}
            for rel in self.source.files():
                by_name.setdefault(rel.rsplit(".", 1)[0], []).append(rel)
            self._files = {}
            for name, rels in by_name.items():
                rels.sort(key=_extension_rank)
                self._files[name] = rels[0]
                if len(rels) > 1:
                    self._ambiguous[name] = rels
        return self._files

    def targets(self) -> list[str]:
        """The deployable targets: files directly in the root that have a stage.

        A root-level file that sets no ``profile.stage`` once merged (``base``)
        is a shared layer like those in sub-folders. A file that fails to load
        or merge counts as a target, so its errors are reported as such.
        """
        if self._targets is None:
            self._targets = [
                name for name in sorted(n for n in self.files if "/" not in n) if self.counts_as_target(name)
            ]
        return self._targets

    def counts_as_target(self, name: str) -> bool:
        """The rule of ``targets`` for one name, merging only that name (``diff --all`` asks it of a few)."""
        if "/" in name or name not in self.files:
            return False
        merged, _ = self.merge(name)
        return merged is None or merged.stage is not None

    def require_root(self, remedy: str = "give --profiles DIR or set NTPROFILE_PROFILES") -> None:
        """Raise ``UnknownProfileError`` when the profiles root is not a directory.

        ``remedy`` is how the caller's user names a root: the command line's
        option by default, ``PYTHON_REMEDY`` from the Python API.
        """
        if not Path(self.root).is_dir():
            where = " or in a folder above" if Path(self.root) == Path(ROOT_NAME) else ""
            raise UnknownProfileError(f"no profiles root at {self.root}{where} ({remedy})")

    def select(self, arg: str, layers: bool = False) -> str:
        """The profile name a user means by ``arg`` (a name, or the path of a file in the root).

        Only targets are deployable: ``compile``, ``check``, ``run`` and the Python
        API refuse a layer (it has no stage or trader_id of its own, and the
        target checks would not run); the read-only tools pass ``layers=True``.
        Raises ``UnknownProfileError``, with the targets and a suggestion, for
        anything else: the one error every caller reports for this mistake.
        """
        self.require_root()
        name = arg
        if arg.endswith(EXTENSIONS) or os.sep in arg:
            name = self.name_for_file(arg) or arg
        if name in self.files and (layers or self.is_target(name)):
            return name
        if name in self.files:
            known = ", ".join(self.targets()) or "none"
            raise UnknownProfileError(
                f"'{name}' is a layer, not a target: only a file directly in {self.root} with a "
                f"profile.stage is deployable (targets: {known})"
            )
        raise UnknownProfileError(self.unknown(arg, self.targets()))

    def unknown(self, name: str, candidates: Iterable[str] | None = None) -> str:
        """The message for a profile name the root does not have, with the targets and a suggestion."""
        hint = did_you_mean(name, self.files if candidates is None else candidates)
        known = ", ".join(self.targets()) or "none"
        return f"no profile '{name}' in {self.root} (targets: {known})" + (f"; {hint}" if hint else "")

    def is_target(self, name: str) -> bool:
        if self._target_set is None:
            self._target_set = frozenset(self.targets())
        return name in self._target_set

    def layers(self) -> list[str]:
        """Every file that is not a target."""
        return sorted(n for n in self.files if not self.is_target(n))

    def path_of(self, name: str) -> Path:
        return self.root / self.files[name]

    def name_for_file(self, file: Path | str) -> str | None:
        """The layer name of a file inside the root, ``None`` outside it."""
        try:
            rel = Path(file).resolve().relative_to(Path(self.root).resolve()).as_posix()
        except ValueError:
            return None
        name = rel.rsplit(".", 1)[0]
        return name if self.files.get(name) == rel else None

    def reached(self, name: str) -> list[str]:
        """``name`` and every name it reaches through ``extends``, unresolved ones included.

        Cycles, missing layers and files that do not load are tolerated: this
        is which files a merge of ``name`` reads, not whether it succeeds.
        """
        seen: list[str] = []
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.append(current)
            if current not in self.files:
                continue
            doc, _ = self.document(current)
            parents = doc.tree.get("extends") if doc is not None else None
            if isinstance(parents, list):
                stack.extend(p for p in parents if isinstance(p, str))
        return seen

    # loading ---------------------------------------------------------------

    def document(self, name: str) -> tuple[Document | None, list[Diagnostic]]:
        """The loaded file of layer ``name`` (parsed once per workspace) and its findings."""
        if name not in self._documents:
            self._documents[name] = self._load(name)
        return self._documents[name]

    def _load(self, name: str) -> tuple[Document | None, list[Diagnostic]]:
        rels = self.ambiguous().get(name)
        if rels:
            shown = " and ".join(rels)
            message = f"'{name}' is defined by {shown}; which one is meant is a guess, keep one"
            return None, [Diagnostic("L006", message, Position(str(self.root / rels[1]), 1, 1))]
        rel = self.files[name]
        try:
            raw = self.source.read(rel)
        except OSError as exc:
            return None, [unreadable(self.root / rel, exc)]
        return load_bytes(raw, self.root / rel, name)

    def ambiguous(self) -> dict[str, list[str]]:
        """Names written as more than one file (``x.yaml`` and ``x.toml``): L006 when used."""
        self.files  # noqa: B018 - scanning the files fills the table
        return self._ambiguous

    def merge(self, name: str) -> tuple[Merged | None, list[Diagnostic]]:
        """Resolve ``extends`` for ``name`` and merge its chain."""
        if name not in self._merged:
            diags: list[Diagnostic] = []
            chain: list[Document] = []
            ok = self._linearize(name, chain, diags)
            merged = merge_documents(name, chain) if ok and chain else None
            self._merged[name] = (merged, diags)
        return self._merged[name]

    def _linearize(self, name: str, out: list[Document], diags: list[Diagnostic]) -> bool:
        """Append ``name``'s chain to ``out``, parents first, each layer once; False on any problem.

        A depth-first walk with an explicit stack, not recursion: a chain of
        thousands of layers is merged (or reported) like a short one.
        """
        path: list[str] = []  # the names from ``name`` down to the layer being entered
        seen: set[str] = set()
        frames: list[list[Any]] = []  # [name, document, parents, next parent, ok so far]

        def enter(layer: str, via: Position | None) -> bool | None:
            """Push ``layer``'s frame (``None``), or its outcome when there is nothing to walk."""
            if layer in path:
                cycle = " -> ".join(path[path.index(layer) :] + [layer])
                diags.append(Diagnostic("L002", f"extends cycle: {cycle}", via, key="extends"))
                return False
            if layer in seen:
                return True
            doc, load_diags = self.document(layer)
            diags.extend(load_diags)
            if doc is None:
                return False
            parents, ok = self._extends(doc, diags)
            frames.append([layer, doc, parents, 0, ok])
            path.append(layer)
            return None

        outcome = enter(name, None)
        if outcome is not None:
            return outcome
        while True:
            frame = frames[-1]
            layer, doc, parents, index, ok = frame
            if index < len(parents):
                frame[3] = index + 1
                item, parent = parents[index]
                pos = doc.position(("extends", item))
                problem = self._check_name(parent, pos)
                if problem:
                    diags.append(problem)
                    frame[4] = False
                    continue
                outcome = enter(parent, pos)
                if outcome is not None:
                    frame[4] = outcome and frame[4]
                continue
            frames.pop()
            path.pop()
            seen.add(layer)
            out.append(doc)
            if not frames:
                return ok
            frames[-1][4] = ok and frames[-1][4]

    @staticmethod
    def _extends(doc: Document, diags: list[Diagnostic]) -> tuple[list[tuple[int, str]], bool]:
        """The ``(index, name)`` items of ``extends`` that are names, and whether all are."""
        value = doc.tree.get("extends", [])
        if not isinstance(value, list):
            hint = f"write [{value}]" if isinstance(value, str) and value else None
            diags.append(
                Diagnostic(
                    "L004",
                    f"'extends' must be a list of layer names, such as [env/production, exchanges/bybit], "
                    f"not {type(value).__name__ if value is not None else 'null'}",
                    doc.position(("extends",)),
                    key="extends",
                    hint=hint,
                )
            )
            return [], False
        names: list[tuple[int, str]] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                names.append((index, item))
                continue
            diags.append(
                Diagnostic(
                    "L004",
                    f"'extends' item {item!r} is not a layer name",
                    doc.position(("extends", index)),
                    key=f"extends[{index}]",
                )
            )
        return names, len(names) == len(value)

    def _check_name(self, parent: str, pos: Position) -> Diagnostic | None:
        pure = PurePosixPath(parent)
        if pure.is_absolute() or ".." in pure.parts or "\\" in parent or parent != pure.as_posix():
            return Diagnostic(
                "L003",
                f"layer '{parent}' is not a name inside the profiles root (no '..', no absolute paths)",
                pos,
                key="extends",
            )
        if parent.endswith(EXTENSIONS):
            stem = parent.rsplit(".", 1)[0]
            return Diagnostic(
                "L001",
                f"layer '{parent}' must be named without its extension",
                pos,
                key="extends",
                hint=f"write '{stem}'",
            )
        if parent not in self.files:
            available = ", ".join(sorted(self.files)) or "none"
            hint = did_you_mean(parent, self.files)
            return Diagnostic(
                "L001",
                f"layer '{parent}' not found in {self.root} (available: {available})",
                pos,
                key="extends",
                hint=hint,
            )
        return None
