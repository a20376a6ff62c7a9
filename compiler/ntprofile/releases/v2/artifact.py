"""``build/PROFILE/node.json`` for NautilusTrader 2.0: ntprofile's own documented JSON, not NautilusTrader's.

2.0's config classes are PyO3 objects with no JSON form of their own (its
``ImportableConfig`` JSON fails on its own enums), so the artifact is the
resolved profile itself, placeholders verbatim, with the release it was
compiled for::

    {"format": "ntprofile-node/1", "nautilus_trader": "2.0.0rc7", "target": "prod-bybit",
     "profile": {...the merged profile tree...}}

``check``/``run`` (and ``load_artifact``) compile that profile again with the
variables of the environment they run in, which builds the same node: the
compiler is deterministic and the profile carries every value.
"""

from __future__ import annotations

from typing import Any

from ntprofile.compile.fill import Lookup
from ntprofile.diagnostics import Diagnostic, ProfileError
from ntprofile.releases import installed_version

__all__ = ["FORMAT", "load_artifact", "node_json"]

FORMAT = "ntprofile-node/1"
"""The artifact's format; a reader refuses any other."""


def node_json(target: str, profile: dict[str, Any]) -> dict[str, Any]:
    """The artifact of ``target``'s merged ``profile`` (placeholders verbatim, literal secrets masked)."""
    return {"format": FORMAT, "nautilus_trader": installed_version(), "target": target, "profile": profile}


def load_artifact(document: dict[str, Any], lookup: Lookup | None = None) -> Any:
    """The ``NodeConfig`` a ``node.json`` describes, placeholders resolved with ``lookup``.

    Raises ``ProfileError`` for a document of another format or release, or a profile that no longer
    compiles (a variable missing from this environment).
    """
    from ntprofile.layers import Merged
    from ntprofile.releases.v2.compile import compile_merged

    found, version = document.get("format"), document.get("nautilus_trader")
    if found != FORMAT or not isinstance(document.get("profile"), dict):
        raise ProfileError([Diagnostic("V101", f"not an ntprofile {FORMAT} document (format {found!r})", None)])
    if version != installed_version():
        raise ProfileError(
            [
                Diagnostic(
                    "V101",
                    f"node.json was compiled for NautilusTrader {version}, {installed_version()} is installed: "
                    "compile it again",
                    None,
                )
            ]
        )
    merged = Merged(str(document.get("target", "node")), [], document["profile"])
    compiled = compile_merged(merged, lookup)
    if compiled.config is None:
        raise ProfileError(compiled.diagnostics)
    return compiled.config
