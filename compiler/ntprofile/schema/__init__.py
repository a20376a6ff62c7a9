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

SECRET_INDEX = "x-secret-fields"
"""The schema's index of every property name it marks ``writeOnly`` (``generate`` writes it), so
``validate`` need not walk half a megabyte of schema to find them."""

CLIENT_REQUIRED = "x-client-required"
"""The schema's index, adapter -> client kind -> the fields NautilusTrader cannot build that client without
(``generate`` writes it from the release's config classes), so ``validate`` finds a missing one as ``compile``
would."""

MAX_SCHEMA_BYTES = 16 << 20
"""Largest schema file read (16 MiB; the generated one is about 0.5 MiB), like every file an operator names."""


@cache
def load(path: Path) -> dict[str, Any]:
    """A schema file, parsed once per process and read bounded (``files.read_bounded``): the release
    lookup and ``validate`` share it. Raises ``OSError`` (not a regular file, too large, unreadable)
    or ``ValueError`` (not JSON)."""
    from ntprofile.files import read_bounded

    return json.loads(read_bounded(path, MAX_SCHEMA_BYTES, "a schema").decode("utf-8"))


_NOT_SCHEMAS = frozenset({"enum", "const", "default", "examples", "description", "title", "required", "pattern"})
"""Keywords whose values are data, never subschemas: the walk skips them (enum lists are long)."""


def write_only_names(schema: Any) -> list[str]:
    """Every property name ``schema`` marks ``writeOnly`` (secret beyond the name rule), sorted."""
    names: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                names.update(name for name, prop in props.items() if isinstance(prop, dict) and prop.get("writeOnly"))
            stack.extend(v for k, v in node.items() if k not in _NOT_SCHEMAS and isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return sorted(names)


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


__all__ = [
    "CLIENT_REQUIRED",
    "MAX_SCHEMA_BYTES",
    "PACKAGED_SCHEMA",
    "SCHEMA_DIR",
    "SECRET_INDEX",
    "checkout_copies",
    "load",
    "write_only_names",
]
