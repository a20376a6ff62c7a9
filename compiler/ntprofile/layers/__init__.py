"""Stage 2, ``layers``: ``Document``s in, ``Merged`` (tree + provenance of every key) out.

``workspace`` finds the targets and layers of a profiles root and resolves
``extends``; ``git`` reads the same files from a git revision.
"""

from ntprofile.language.tree import enabled_entries  # the language's; re-exported where stages look
from ntprofile.layers.workspace import (
    EXTENSIONS,
    DirectorySource,
    PYTHON_REMEDY,
    MemorySource,
    Merged,
    Setting,
    Source,
    UnknownProfileError,
    Workspace,
    deep_merge,
    default_root,
    merge_documents,
    output_base,
)

__all__ = [
    "EXTENSIONS",
    "DirectorySource",
    "MemorySource",
    "PYTHON_REMEDY",
    "Merged",
    "Setting",
    "Source",
    "UnknownProfileError",
    "Workspace",
    "deep_merge",
    "default_root",
    "enabled_entries",
    "merge_documents",
    "output_base",
]
