"""The profile vocabulary: every top-level section, its NautilusTrader class, the stages and the exchange keys.

One table that every stage reads, holding the names of the NautilusTrader
release line in force (``ntprofile.releases``; 1.x until a repository says
otherwise): the schema generator writes it into the schema, ``validate`` and
``policy`` read profiles with it, ``compile`` maps sections onto the node
config with it, ``explain`` names the class behind a default with it.
NautilusTrader classes are named by ``module:Class`` import
path only, so reading the vocabulary never imports NautilusTrader.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from ntprofile.releases import DEFAULT

__all__ = [
    "CATALOGS",
    "CLIENT_KINDS",
    "COMPONENTS",
    "COMPONENT_CLASSES",
    "DEPLOYED_STAGES",
    "ComponentKind",
    "ENVIRONMENTS",
    "EXCHANGE_KEYS",
    "NODE_CLASS",
    "NODE_SECTIONS",
    "PROFILE_ONLY",
    "REDIS_DEFAULT_HOST",
    "REDIS_DEFAULT_PORT",
    "SECTIONS",
    "SIMULATED_STAGES",
    "STAGES",
    "TOGGLED_SECTIONS",
    "class_name",
    "import_class",
    "use",
]

STAGES = ("development", "testnet", "paper", "production")
"""``profile.stage`` values; policy rules key off them."""

DEPLOYED_STAGES = frozenset({"paper", "production"})
"""Stages whose targets ``ntprofile render`` deploys when no target is named (a stage not in ``STAGES`` has none)."""

SIMULATED_STAGES = ("paper",)
"""Stages whose execution is simulated on live market data; ``node.environment`` defaults to ``sandbox`` there."""

NODE_CLASS = DEFAULT.node_class
"""What a target compiles to; ``node:`` holds its scalar fields."""

SECTIONS: dict[str, str] = dict(DEFAULT.sections)
"""Profile section -> the NautilusTrader config class of the node config field of that name (the release in force)."""

CATALOGS = DEFAULT.catalogs
"""``catalogs``: a list of ``DataCatalogConfig``, also a node config field of that name."""


class ComponentKind(NamedTuple):
    """A section of user components, compiled to a list of NautilusTrader ``Importable*Config``."""

    section: str
    path_field: str
    """The field naming the component class (``strategy_path``)."""
    importable: str
    """``module:Class`` of the importable config NautilusTrader takes."""
    noun: str
    """What one entry is called in messages."""
    base: str = ""
    """``module:Class`` the component class must subclass (NautilusTrader's factory instantiates it with its
    config); empty where the release record names none (then only its import is checked)."""
    config_base: str = ""
    """``module:Class`` the component's config class must subclass (empty: not checked)."""


COMPONENTS: dict[str, ComponentKind] = {
    section: ComponentKind(
        section, path_field, DEFAULT.components[section], noun, *DEFAULT.component_bases.get(section, ("", ""))
    )
    for section, path_field, noun in (
        ("strategies", "strategy_path", "strategy"),
        ("actors", "actor_path", "actor"),
        ("exec_algorithms", "exec_algorithm_path", "exec algorithm"),
    )
}
"""Profile maps of name -> entry, compiled to ``Importable*Config`` lists in first-definition order."""

COMPONENT_CLASSES = "x-component-classes"
"""Root key of a repository's schema: module -> section -> ``{"class": [...], "config": [...]}``, the classes
of each kind that module has, so the hook refuses a misspelt class without importing it."""

NODE_SECTIONS = (*SECTIONS, CATALOGS[0])
"""Top-level profile sections that are ``TradingNodeConfig`` fields of the same name."""

PROFILE_ONLY = ("extends", "profile", "node", "exchanges")
"""Top-level keys of the profile language that are not ``TradingNodeConfig`` fields of the same name."""

TOGGLED_SECTIONS = ("exchanges", *COMPONENTS)
"""Sections whose entries an overlay can drop with ``enabled: false``."""

EXCHANGE_KEYS = ("adapter", "enabled", "environment", "data", "exec")
"""Keys of an exchange section that belong to the profile language, not to an adapter config."""

ENVIRONMENTS = ("mainnet", "testnet", "demo")
"""``environment`` of an exchange section; each adapter maps them to its own members."""

CLIENT_KINDS = ("data", "exec")
"""The two clients an exchange section may configure (``data: false`` / ``exec: false`` omit one)."""

REDIS_DEFAULT_HOST = "127.0.0.1"
REDIS_DEFAULT_PORT = 6379
"""Where NautilusTrader's ``DatabaseConfig`` connects when a profile sets no host or port."""


def class_name(path: str) -> str:
    """``nautilus_trader.cache.config:CacheConfig`` -> ``CacheConfig``."""
    return path.rpartition(":")[2]


def import_class(path: str) -> type:
    """The class a ``module:Class`` path of the vocabulary or an adapter names (imports its module)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def use(release: Any) -> None:
    """Read ``release``'s names from now on (``ntprofile.releases.activate``): tables updated in place."""
    global CATALOGS, NODE_CLASS, NODE_SECTIONS
    SECTIONS.clear()
    SECTIONS.update(release.sections)
    for section, importable in release.components.items():
        base, config_base = release.component_bases.get(section, ("", ""))
        COMPONENTS[section] = COMPONENTS[section]._replace(importable=importable, base=base, config_base=config_base)
    CATALOGS = release.catalogs
    NODE_CLASS = release.node_class
    NODE_SECTIONS = (*SECTIONS, CATALOGS[0])
