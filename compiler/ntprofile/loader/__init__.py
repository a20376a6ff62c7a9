"""Stage 1, ``load``: files in, ``Document`` (plain tree + file:line:col of every key) out.

YAML through libyaml's composer (no object construction, bounded aliases and
depth), TOML through ``tomllib`` plus a key-position scanner (``toml_scan``).
"""

from ntprofile.loader.document import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    PROFILE,
    Document,
    FileTooLarge,
    LoadError,
    load_bytes,
    load_file,
    read_profile_bytes,
    unreadable,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "PROFILE",
    "Document",
    "FileTooLarge",
    "LoadError",
    "load_bytes",
    "load_file",
    "read_profile_bytes",
    "unreadable",
]
