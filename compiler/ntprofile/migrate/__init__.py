"""``ntprofile migrate``: carry a repository's profiles from NautilusTrader 1.x to 2.0.

The renames and removals are data (``plan``), applied file by file on
round-trip trees (``rewrite``, ``yaml_edit``, ``toml_edit``), so comments, key
order, quoting and the YAML/TOML split survive. Nothing here imports
NautilusTrader: ``migrate`` is a validate-path command.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ntprofile.diagnostics import Diagnostic
from ntprofile.language.placeholders import PlaceholderError, has_placeholder, names, walk_strings
from ntprofile.language.secrets import MASK, is_secret_path
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
    secrets: frozenset[str] = frozenset()
    """Credential values the file spells (literals, placeholder defaults): never printed (``masked``)."""

    def masked(self, text: str) -> str:
        """``text`` with every credential value of the file as ``***`` (a short one only as a whole word)."""
        for value in sorted(self.secrets, key=len, reverse=True):
            text = re.sub(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", MASK, text)
        return text


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
            rel = str(shown_root / workspace.files[name])
            migration.changes.append(Change(path, rel, before, result.text, _secrets(doc.tree)))
    return migration


def _secrets(tree: dict) -> frozenset[str]:
    """Every credential value a profile file spells: a literal at a secret key, a placeholder's default there."""
    found = set()
    for path, value in walk_strings(tree):
        if not is_secret_path(path):
            continue
        if not has_placeholder(value):
            found.add(value)
            continue
        try:
            found.update(p.default for p in names(value) if p.default)
        except PlaceholderError:  # malformed: every character may be the secret
            found.add(value)
    return frozenset(v for v in found if v.strip())


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
