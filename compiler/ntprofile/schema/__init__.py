"""The profile JSON Schema: generated from the installed NautilusTrader (``generate``, ``docs``),
refined with what NautilusTrader leaves implicit (``refine``), shipped as ``profile.schema.json``.

Only ``generate`` imports NautilusTrader; ``validate`` reads the JSON file.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent
"""Where the package keeps one schema per supported NautilusTrader release (real files, so a wheel has them)."""

PACKAGED_SCHEMA = SCHEMA_DIR / "profile.schema.json"
"""The schema of the default release line (1.x), which ``validate`` reads for a repository that states none."""

MAX_SCHEMA_BYTES = 16 << 20
"""Largest schema file read (16 MiB; the generated one is about 0.5 MiB), like every file an operator names."""


@cache
def load(path: Path) -> dict[str, Any]:
    """A schema file, parsed once per process and read bounded (``files.read_bounded``): the release
    lookup and ``validate`` share it. Raises ``OSError`` (not a regular file, too large, unreadable)
    or ``ValueError`` (not JSON)."""
    from ntprofile.files import read_bounded

    return json.loads(read_bounded(path, MAX_SCHEMA_BYTES, "a schema").decode("utf-8"))


def checkout_copies() -> list[Path]:
    """The committed copies of a source checkout of ntprofile, when the package runs from one; else none.

    A checkout keeps the schema twice, byte for byte: ``schemas/profile.schema.json``
    for editors and reviewers, and the package's own copy for the wheel.
    ``ntprofile schema`` keeps both equal to what it generates.
    """
    root = PACKAGED_SCHEMA.parents[3]
    if (root / "pyproject.toml").is_file() and PACKAGED_SCHEMA.parents[2].name == "compiler":
        return [root / "schemas" / PACKAGED_SCHEMA.name, PACKAGED_SCHEMA]
    return []


__all__ = ["MAX_SCHEMA_BYTES", "PACKAGED_SCHEMA", "SCHEMA_DIR", "checkout_copies", "load"]
