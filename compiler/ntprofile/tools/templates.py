"""The one Jinja2 set-up of every file ntprofile renders (``env.example``, deployments, ``init``'s profiles).

Strict (an undefined name fails the render), no HTML escaping, lines and the
final newline kept as the templates write them. Jinja2 is imported on first
use, so the commands that never render pay nothing for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["environment"]


def environment(folder: str = "templates", **options: Any) -> Any:
    """A Jinja2 environment over the package's ``folder`` (``templates`` or ``templates/init``), plus ``options``."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("ntprofile", folder),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        **options,
    )
