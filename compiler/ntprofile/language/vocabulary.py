"""The profile vocabulary: every top-level section, its NautilusTrader class, the stages and the exchange keys.

One table that every stage reads: the schema generator writes it into the
schema, ``validate`` and ``policy`` read profiles with it, ``compile`` maps
sections onto ``TradingNodeConfig`` with it, ``explain`` names the class behind
a default with it. NautilusTrader classes are named by ``module:Class`` import
path only, so reading the vocabulary never imports NautilusTrader.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

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
]

STAGES = ("development", "testnet", "paper", "production")
"""``profile.stage`` values; policy rules key off them."""

DEPLOYED_STAGES = frozenset({"paper", "production"})
"""Stages whose targets ``ntprofile render`` deploys when no target is named (a stage not in ``STAGES`` has none)."""

SIMULATED_STAGES = ("paper",)
"""Stages whose execution is simulated on live market data; ``node.environment`` defaults to ``sandbox`` there."""

NODE_CLASS = "nautilus_trader.config:TradingNodeConfig"
"""What a target compiles to; ``node:`` holds its scalar fields."""

SECTIONS: dict[str, str] = {
    "cache": "nautilus_trader.cache.config:CacheConfig",
    "message_bus": "nautilus_trader.common.config:MessageBusConfig",
    "data_engine": "nautilus_trader.live.config:LiveDataEngineConfig",
    "risk_engine": "nautilus_trader.live.config:LiveRiskEngineConfig",
    "exec_engine": "nautilus_trader.live.config:LiveExecEngineConfig",
    "portfolio": "nautilus_trader.portfolio.config:PortfolioConfig",
    "emulator": "nautilus_trader.common.config:OrderEmulatorConfig",
    "streaming": "nautilus_trader.persistence.config:StreamingConfig",
    "logging": "nautilus_trader.common.config:LoggingConfig",
}
"""Profile section -> the NautilusTrader config class of the ``TradingNodeConfig`` field of that name."""

CATALOGS = ("catalogs", "nautilus_trader.persistence.config:DataCatalogConfig")
"""``catalogs``: a list of ``DataCatalogConfig``, also a ``TradingNodeConfig`` field of that name."""


@dataclass(frozen=True, slots=True)
class ComponentKind:
    """A section of user components, compiled to a list of NautilusTrader ``Importable*Config``."""

    section: str
    path_field: str
    """The field naming the component class (``strategy_path``)."""
    importable: str
    """``module:Class`` of the importable config NautilusTrader takes."""
    noun: str
    """What one entry is called in messages."""
    base: str
    """``module:Class`` the component class must subclass (NautilusTrader's factory instantiates it with its config)."""
    config_base: str
    """``module:Class`` the component's config class must subclass."""


COMPONENTS: dict[str, ComponentKind] = {
    kind.section: kind
    for kind in (
        ComponentKind(
            "strategies",
            "strategy_path",
            "nautilus_trader.trading.config:ImportableStrategyConfig",
            "strategy",
            "nautilus_trader.trading.strategy:Strategy",
            "nautilus_trader.trading.config:StrategyConfig",
        ),
        ComponentKind(
            "actors",
            "actor_path",
            "nautilus_trader.common.config:ImportableActorConfig",
            "actor",
            "nautilus_trader.common.actor:Actor",
            "nautilus_trader.common.config:ActorConfig",
        ),
        ComponentKind(
            "exec_algorithms",
            "exec_algorithm_path",
            "nautilus_trader.execution.config:ImportableExecAlgorithmConfig",
            "exec algorithm",
            "nautilus_trader.execution.algorithm:ExecAlgorithm",
            "nautilus_trader.execution.config:ExecAlgorithmConfig",
        ),
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
