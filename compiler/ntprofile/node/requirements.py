"""What the node commands need installed, said in one line instead of a traceback.

``pip install ntprofile`` is the validate path only; ``compile``, ``check``,
``run``, ``schema``, ``explain --defaults`` and the Python API's node functions
need a node extra (NautilusTrader, redis-py, python-dotenv: ``ntprofile[node]``
for 1.x, ``ntprofile[node2]`` for 2.0), and ``compile``/``check``/``run`` need
the very NautilusTrader release the repository targets (its schema's
``x-nautilus-trader-version``): another release can decode a profile
differently from what ``validate`` checked.
Nothing here imports NautilusTrader: the checks read installed metadata only.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ntprofile.releases import DEFAULT, Release, for_version, installed_version, repository_release, supported

__all__ = ["InstallError", "require_node"]

NODE_MODULES = {"nautilus_trader": "nautilus_trader", "redis": "redis", "dotenv": "python-dotenv"}
"""Top-level module -> distribution of a node extra (``ntprofile[node]``, ``ntprofile[node2]``)."""


class InstallError(ImportError):
    """A node extra is missing, or the installed NautilusTrader is not the repository's release: a set-up
    problem, not a bug."""


def _release(profiles: str | Path | None) -> tuple[Release, str, Path]:
    from ntprofile.layers.workspace import default_root

    return repository_release(default_root(str(profiles) if profiles is not None else None))


def missing_node_extra(what: str, release: Release | None = None) -> str | None:
    """Why ``what`` cannot run in this environment, or ``None`` when the node extra of ``release`` is installed."""
    release = release or DEFAULT
    missing = [dist for module, dist in NODE_MODULES.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return None
    if sys.version_info[:2] < release.python:
        python = ".".join(map(str, sys.version_info[:3]))
        wanted = ".".join(map(str, release.python))
        return (
            f"{what} needs NautilusTrader {release.newest}, which needs Python >= {wanted} (this is Python {python}): "
            f"{release.install_hint()}"
        )
    return f"{what} needs ntprofile's node extra ({', '.join(missing)} not installed): {release.install_hint()}"


def nautilus_mismatch(what: str, release: Release, version: str, schema_path: Path) -> str | None:
    """Why the installed NautilusTrader cannot serve a repository that targets ``version``, or ``None``."""
    from ntprofile.diagnostics import display_path

    installed = installed_version()
    if installed is None:  # importable without metadata: nothing to compare
        return None
    where = display_path(str(schema_path))
    if not release.supports(version):
        return (
            f"{what}: the repository targets NautilusTrader {version} ({where}), which this ntprofile does not "
            f"support; it supports {supported()}, and {installed} is installed: 'ntprofile schema' states the "
            "installed release, 'ntprofile migrate --to RELEASE' carries the profiles to another line"
        )
    if installed == version:
        return None
    other = for_version(installed)
    state = "not supported" if other is None else f"of the {other.line}.x line" if other is not release else "another release"
    return (
        f"{what} needs NautilusTrader {version}, the release this repository targets ({where}), but {installed} "
        f"({state}) is installed; ntprofile supports {supported()}: {release.install_hint()}"
    )


def require_node(
    what: str = "this command", same_as_schema: bool = True, profiles: str | Path | None = None
) -> None:
    """Raise ``InstallError`` (one line saying what to install) unless ``what`` can run here.

    ``same_as_schema`` also requires the installed NautilusTrader to be the
    release the repository targets (``compile``, ``check``, ``run``, the API);
    ``schema`` and ``explain --defaults`` read the installed release, whichever it is.
    """
    release, version, schema_path = _release(profiles)
    problem = missing_node_extra(what, release if same_as_schema else for_version(installed_version() or "") or release)
    if problem is None and same_as_schema:
        problem = nautilus_mismatch(what, release, version, schema_path)
    if problem:
        raise InstallError(problem)
