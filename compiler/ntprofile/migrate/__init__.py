"""``ntprofile migrate``: carry a repository's profiles from NautilusTrader 1.x to 2.0.

The renames and removals are data (``plan``), applied file by file on
round-trip trees (``rewrite``, ``yaml_edit``, ``toml_edit``), so comments, key
order, quoting and the YAML/TOML split survive. Nothing here imports
NautilusTrader: ``migrate`` is a validate-path command.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ntprofile.diagnostics import Diagnostic
from ntprofile.layers import Workspace
from ntprofile.migrate.edit import editor_for
from ntprofile.migrate.rewrite import adapter_names, additions, migrate_document

__all__ = ["Change", "Migration", "plan_repository", "write_all"]


@dataclass(frozen=True, slots=True)
class Change:
    """One file and its text before and after."""

    path: Path
    rel: str
    """The path shown in the diff (``profiles/base.yaml``)."""
    before: str
    after: str


@dataclass(slots=True)
class Migration:
    """A repository's plan: the files that change and the settings that could not be carried."""

    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    """How many profile files were read."""

    @property
    def loaded(self) -> bool:
        """No file failed to load (then nothing is planned or written)."""
        return not any(not d.code.startswith("M") and d.is_error for d in self.diagnostics)


def plan_repository(workspace: Workspace) -> Migration:
    """Every profile file of the root migrated in memory; nothing written."""
    migration = Migration()
    documents = []
    for name in sorted(workspace.files):
        doc, diags = workspace.document(name)
        migration.diagnostics.extend(d for d in diags if d.is_error)
        if doc is not None:
            documents.append((name, doc))
    migration.files = len(documents)
    if not migration.loaded:
        return migration
    adapters = adapter_names([doc for _, doc in documents])
    required = additions(dict(documents), adapters)
    shown_root = Path(workspace.root.name)
    for name, doc in documents:
        path = workspace.path_of(name)
        before = path.read_text(encoding="utf-8")
        result = migrate_document(doc, editor_for(path.suffix, before), adapters, required.get(name, []))
        migration.diagnostics.extend(result.diagnostics)
        if result.text is not None and result.text != before:
            migration.changes.append(Change(path, str(shown_root / workspace.files[name]), before, result.text))
    return migration


def write_all(contents: dict[Path, str]) -> None:
    """Write every file or none: all temporary files first, then one rename each."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
