"""Write ``build/PROFILE/`` atomically: ``node.json`` and ``env.example``.

Everything is written to a temporary directory next to the target and then
swapped in with renames, so a reader never sees half an output and a failed
compile leaves the previous output untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from ntprofile.diagnostics import display_path
from ntprofile.tools.variables import Variable

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("ntprofile", "templates"),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
    undefined=jinja2.StrictUndefined,
    finalize=lambda value: _one_line(value) if isinstance(value, str) else value,
)


def _one_line(text: str) -> str:
    """``text`` with line breaks and control characters escaped (``\\n``), so it stays on its line.

    ``env.example`` is copied to ``.env``: a line break in anything written
    into it (a key, a file name, a default) would start a live line there.
    The loader and the placeholder parser refuse such keys and defaults; this
    holds even for what they cannot see (the target's own file name).
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render_env_example(profile: str, variables: list[Variable]) -> str:
    """The ``env.example`` text: each variable, its default, the lines that need it."""
    rows = [
        {
            "name": var.name,
            "default": var.default,
            "required": var.required,
            "secret": var.secret,
            "uses": [
                {"key": use.key, "where": f"{display_path(use.pos.file)}:{use.pos.line}" if use.pos else "?"}
                for use in var.uses
            ],
        }
        for var in variables
    ]
    text = _ENV.get_template("env.example.j2").render(profile=profile, variables=rows)
    return text if text.endswith("\n") else text + "\n"


def render_node_json(node_json: dict[str, Any]) -> str:
    """``node.json`` text: NautilusTrader's JSON, indented for review in a diff."""
    return json.dumps(node_json, indent=2) + "\n"


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
