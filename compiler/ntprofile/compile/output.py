"""Write ``build/PROFILE/`` atomically: ``node.json`` and ``env.example`` (rendered by ``tools.variables``).

Everything is written to a temporary directory next to the target and then
swapped in with renames, so a reader never sees half an output and a failed
compile leaves the previous output untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def render_node_json(node_json: dict[str, Any]) -> str:
    """``node.json`` text: NautilusTrader's JSON, indented for review in a diff."""
    return json.dumps(node_json, indent=2) + "\n"


def config_digest(node_json: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the ``node.json`` text: placeholders verbatim, so no resolved value (no secret) goes in.

    ``run`` logs it and rendered deployments carry it: it equals ``sha256sum``
    of the ``node.json`` that ``ntprofile compile`` writes from the same profiles.
    """
    return "sha256:" + hashlib.sha256(render_node_json(node_json).encode("utf-8")).hexdigest()


def write_build(build_dir: Path, profile: str, files: dict[str, str]) -> Path:
    """Replace ``build_dir/profile/`` by exactly ``files`` (name -> text), atomically.

    Returns the output directory. On any error the previous output is kept.
    A ``profile`` with '/' (``env/production``) writes ``build_dir/env/production/``;
    one that would leave ``build_dir`` (absolute, ``..``, empty parts) is a ``ValueError``.
    """
    parts = profile.split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        raise ValueError(f"not a profile name to write under {build_dir}: {profile!r}")
    target = build_dir.joinpath(*parts)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    leaf = parts[-1]
    tmp = Path(tempfile.mkdtemp(prefix=f".{leaf}.", suffix=".tmp", dir=parent))
    old: Path | None = None
    try:
        for name, text in files.items():
            path = tmp / name
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{leaf}.", suffix=".old", dir=parent))
            os.rename(target, old / leaf)
        try:
            os.rename(tmp, target)
        except OSError:
            if old is not None:  # put the previous output back
                os.rename(old / leaf, target)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None and target.exists():
            shutil.rmtree(old, ignore_errors=True)
    return target
