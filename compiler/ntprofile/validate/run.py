"""Stage 3, ``validate``: every finding for targets, layers and files, before compile.

One ``Validation`` per run holds the caches: each file is parsed once (the
``Workspace`` caches documents and merges), each file's own checks run once
however many targets share it, the schema validators are built once, and the
P109 identity index is built once over every target of the root. Findings are
de-duplicated (a layer shared by five targets is reported once) and sorted.

This module is the pre-commit path: it must never import ``nautilus_trader``
(a test runs it in a fresh interpreter and checks ``sys.modules``).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Iterable

from ntprofile.diagnostics import Diagnostic, Position
from ntprofile.files import kind as file_kind
from ntprofile.layers import EXTENSIONS, Merged, UnknownProfileError, Workspace
from ntprofile.loader import Document, load_file
from ntprofile.validate import policy
from ntprofile.validate import schema as schema_check
from ntprofile.validate import secrets as secrets_check
from ntprofile.validate import values as values_check
from ntprofile.validate.structure import disabled_nothing, shared_exec_venues


class Validation:
    """One validate run over one profiles root; results cached per file and per target.

    Parameters
    ----------
    workspace : Workspace
        The profiles root, with its document and merge caches.
    dependents : bool
        Whether validating a layer also validates every target that uses it
        (so a pre-commit run on a changed layer catches what it breaks).

    """

    def __init__(self, workspace: Workspace, dependents: bool = True):
        self.workspace = workspace
        self.dependents = dependents
        self.schema_path = schema_check.repository_schema(workspace.root)
        """The repository's schema beside the root when it has one (covering its components), else the packaged one."""
        self._secret_keys = schema_check.secret_fields(self.schema_path)
        self._files: dict[str, list[Diagnostic]] = {}
        self._layers: dict[str, list[Diagnostic]] = {}
        self._targets: dict[str, list[Diagnostic]] = {}
        self._identities: policy.IdentityIndex | None = None
        self._extended: set[str] | None = None
        self._foreign: dict[Path, Validation] = {}
        self.checked: set[str] = set()
        """Paths of every file whose own checks ran (for the summary line)."""
        self.checked_targets: set[str] = set()
        """Every target validated as a whole (for the summary line), by path."""

    # per file ----------------------------------------------------------------

    def document_findings(self, doc: Document) -> list[Diagnostic]:
        """The checks of one file on its own: schema as a partial profile, secrets rules."""
        self.checked.add(str(doc.path))
        return (
            schema_check.check_document(doc, self.schema_path)
            + secrets_check.check_document(doc, self._secret_keys)
            + values_check.check_document(doc)
        )

    def file(self, name: str) -> list[Diagnostic]:
        """Load findings and own checks of the file of layer or target ``name`` (once)."""
        if name not in self._files:
            doc, diags = self.workspace.document(name)
            if doc is None:
                self.checked.add(str(self.workspace.path_of(name)))
            self._files[name] = list(diags) + (self.document_findings(doc) if doc is not None else [])
        return self._files[name]

    def chain_names(self, name: str) -> list[str]:
        """``name`` and every layer it reaches through ``extends`` (cycles and missing names tolerated)."""
        return [n for n in self.workspace.reached(name) if n in self.workspace.files]

    def layer(self, name: str) -> list[Diagnostic]:
        """A file as a partial profile: its chain's files and the ``extends`` resolution."""
        if name not in self._layers:
            diags: list[Diagnostic] = []
            for member in self.chain_names(name):
                diags += self.file(member)
            diags += self.workspace.merge(name)[1]
            self._layers[name] = diags
        return self._layers[name]

    # per target --------------------------------------------------------------

    def identities(self) -> policy.IdentityIndex:
        """Every production target of the root by Redis identity, for P109 (built once)."""
        if self._identities is None:
            merged = (self.workspace.merge(t)[0] for t in self.workspace.targets())
            self._identities = policy.IdentityIndex(m for m in merged if m is not None)
        return self._identities

    def target(self, name: str) -> list[Diagnostic]:
        """Everything for one target: its files, the merged schema pass, policy with waivers, P109."""
        self.checked_targets.add(str(self.workspace.path_of(name)))
        if name not in self._targets:
            diags = list(self.layer(name))
            merged, _ = self.workspace.merge(name)
            if merged is not None:
                diags += self.merged_findings(merged)
            self._targets[name] = diags
        return self._targets[name]

    def merged_findings(self, merged: Merged) -> list[Diagnostic]:
        return (
            schema_check.check_merged(merged, self.schema_path)
            + disabled_nothing(merged)
            + shared_exec_venues(merged)
            + secrets_check.missing_credentials(merged)
            + policy.check_policy(merged, self.identities())
            + policy.waiver_notes(merged)
        )

    # the root ----------------------------------------------------------------

    def extended(self) -> set[str]:
        """Every name some file of the root extends."""
        if self._extended is None:
            self._extended = set()
            for name in self.workspace.files:
                doc, _ = self.workspace.document(name)
                parents = doc.tree.get("extends") if doc is not None else None
                if isinstance(parents, list):
                    self._extended.update(p for p in parents if isinstance(p, str))
        return self._extended

    def orphan(self, name: str) -> list[Diagnostic]:
        """L005 for a root-level file that is neither a target (no stage) nor extended by anything."""
        if "/" in name or self.workspace.is_target(name) or name in self.extended():
            return []
        doc, _ = self.workspace.document(name)
        path = str(self.workspace.path_of(name))
        pos = doc.position(("profile",)) if doc is not None else Position(path)
        return [
            Diagnostic(
                "L005",
                f"'{name}' sets no profile.stage and no profile extends it: it is neither a target nor a layer",
                pos,
                hint="add profile.stage (production, testnet or development), or move it into a sub-folder",
            )
        ]

    def all(self) -> list[Diagnostic]:
        """Every file and every target of the root."""
        diags: list[Diagnostic] = []
        for name in self.workspace.files:
            diags += self.layer(name)
            diags += self.orphan(name)
        for name in self.workspace.targets():
            diags += self.target(name)
        return diags

    def name(self, name: str) -> list[Diagnostic]:
        """A target, or a layer as a partial profile (plus, with ``dependents``, the targets using it)."""
        if self.workspace.is_target(name):
            return self.target(name)
        diags = self.layer(name) + self.orphan(name)
        if self.dependents:
            for target in self.workspace.targets():
                merged, _ = self.workspace.merge(target)
                if merged is not None and name in merged.layer_names:
                    diags += self.target(target)
        return diags

    def outside(self, path: Path) -> list[Diagnostic]:
        """A profile file outside the root: validated in the nearest enclosing folder named like the root
        (``deploy/profiles/`` in another repo), else checked on its own as a partial profile."""
        root = _enclosing_root(path, self.workspace.root.name or "profiles")
        if root is not None:
            run = self._foreign.get(root)
            if run is None:
                run = self._foreign[root] = Validation(Workspace(root), self.dependents)
            name = run.workspace.name_for_file(path)
            if name is not None:
                diags = run.name(name)
                self.checked |= run.checked
                self.checked_targets |= run.checked_targets
                return diags
        doc, diags = load_file(path)
        if doc is None:
            self.checked.add(str(path))
            return diags
        return diags + self.document_findings(doc)

    def paths(self, args: Iterable[str]) -> list[Diagnostic]:
        """The CLI's arguments (names or files; none: the whole root), de-duplicated and sorted."""
        args = list(args)
        diags: list[Diagnostic] = []
        if not args:
            diags = self.all()
        for arg in args:
            resolved = self.resolve(arg)
            diags += self.name(resolved) if isinstance(resolved, str) else self.outside(resolved)
        return one_per_place(diags)

    def resolve(self, arg: str) -> str | Path:
        """A layer or target name, or the path of a profile file outside the root."""
        files = self.workspace.files
        if arg in files:
            return arg
        path = Path(arg)
        if arg.endswith(EXTENSIONS) or "/" in arg or path.exists():
            if path.is_dir():
                raise UnknownProfileError(f"{arg} is a folder: name profile files, or use --profiles {arg}")
            if not path.is_file():
                if path.exists():
                    raise UnknownProfileError(f"{arg} is not a profile file: it is {file_kind(path)}")
                raise UnknownProfileError(f"no such profile file: {arg}")
            name = self.workspace.name_for_file(path)
            if name is not None:
                return name
            if not arg.endswith(EXTENSIONS):
                raise UnknownProfileError(f"{arg} is not a profile file ({', '.join(EXTENSIONS)})")
            return path
        raise UnknownProfileError(self.workspace.unknown(arg, files))


def one_per_place(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings de-duplicated, one error per key and line, sorted.

    A policy rule about a value the schema already rejects says the same thing
    twice (an environment that is a placeholder, a hedge mode written as 3): the
    schema's finding stays. On a waiver, P100 (the reason, the waivable codes)
    stays instead of the schema's unknown key or wrong type.
    """
    unique = set(diags)
    waivers = {(d.pos, d.key) for d in unique if d.code == "P100"}
    rejected = {(d.pos, d.key) for d in unique if d.is_error and d.code[0] == "V"} - waivers
    kept = [
        d
        for d in unique
        if not (d.code[0] == "V" and (d.pos, d.key) in waivers)
        and not (d.code[0] == "P" and d.code != "P100" and (d.pos, d.key) in rejected)
    ]
    return sorted(kept, key=Diagnostic.sort_key)


def _enclosing_root(path: Path, root_name: str) -> Path | None:
    """The nearest ancestor folder of ``path`` called ``root_name``, if any."""
    for parent in path.resolve().parents:
        if parent.name == root_name:
            return parent
    return None


_RUNS: "weakref.WeakKeyDictionary[Workspace, Validation]" = weakref.WeakKeyDictionary()


def validation_for(workspace: Workspace) -> Validation:
    """The run for ``workspace``: one per workspace, so repeated calls share every cache."""
    run = _RUNS.get(workspace)
    if run is None:
        run = _RUNS[workspace] = Validation(workspace)
    return run


def validate_target(workspace: Workspace, name: str) -> list[Diagnostic]:
    """Every finding of one target (or of a layer, as a partial profile), sorted.

    Raises ``UnknownProfileError`` when ``name`` is not a file of the root.
    """
    run = validation_for(workspace)
    if name not in workspace.files:
        run.resolve(name)  # raises with a suggestion
    return one_per_place(run.name(name))


def validate_paths(workspace: Workspace, args: list[str]) -> list[Diagnostic]:
    """Findings for command-line arguments: target names, layer names or files; none: the whole root."""
    return validation_for(workspace).paths(args)
