"""``TradingNodeConfigFactory``: the hand-written config factory API, backed by the shipped profiles.

Teams used to grow ``create_production()`` / ``create_testnet()`` /
``from_env()`` in Python. This facade keeps those calls but composes the same
profile layers the command line uses, in memory: for a stage and a set of
exchanges it takes the shipped target that has exactly that stage and those
exchanges (``production`` + ``BYBIT`` is ``prod-bybit``), or, when there is none,
a target synthesised from ``env/<stage>`` and ``exchanges/<name>`` layers. The
given strategies are added to it and the result goes through the same
validate -> compile -> resolve pipeline. One source of truth: the profiles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import yaml

from ntprofile.adapters import adapter_of
from ntprofile.language.secrets import credential_variable
from ntprofile.layers import (
    PYTHON_REMEDY,
    DirectorySource,
    MemorySource,
    Workspace,
    deep_merge,
    default_root,
    enabled_entries,
)
from ntprofile.node.requirements import require_node

if TYPE_CHECKING:  # pragma: no cover
    from nautilus_trader.config import TradingNodeConfig

STAGE_VARIABLE = "NTPROFILE_STAGE"
"""``from_env``: the stage (``production`` or ``testnet``); default ``testnet``."""

EXCHANGES_VARIABLE = "NTPROFILE_EXCHANGES"
"""``from_env``: comma-separated client ids (``BINANCE,BYBIT``); default ``BINANCE``."""

DEFAULT_STAGE = "testnet"
DEFAULT_EXCHANGES = ("BINANCE",)

PAPER_BALANCES = ("10000 USDT",)
"""The sandbox accounts' balances of a composed paper target when the caller gives none."""

StrategySpec = Any  # ImportableStrategyConfig or a dict with strategy_path, config_path, config


class TradingNodeConfigFactory:
    """``TradingNodeConfig`` for a stage and exchanges, composed from the shipped profile layers."""

    @staticmethod
    def create_production(
        strategies: Sequence[StrategySpec] = (),
        exchanges: Sequence[str] = ("BINANCE", "BYBIT"),
        *,
        profiles: Path | str | None = None,
        env_file: Path | str | None = None,
    ) -> TradingNodeConfig:
        """A production (mainnet, Redis-backed) node config trading ``exchanges``."""
        return TradingNodeConfigFactory.create(
            "production", exchanges, strategies, profiles=profiles, env_file=env_file
        )

    @staticmethod
    def create_testnet(
        strategies: Sequence[StrategySpec] = (),
        exchanges: Sequence[str] = DEFAULT_EXCHANGES,
        *,
        profiles: Path | str | None = None,
        env_file: Path | str | None = None,
    ) -> TradingNodeConfig:
        """A testnet node config trading ``exchanges`` with the testnet credentials."""
        return TradingNodeConfigFactory.create("testnet", exchanges, strategies, profiles=profiles, env_file=env_file)

    @staticmethod
    def create_paper(
        strategies: Sequence[StrategySpec] = (),
        exchanges: Sequence[str] = ("BINANCE",),
        *,
        starting_balances: Sequence[str] | None = None,
        profiles: Path | str | None = None,
        env_file: Path | str | None = None,
    ) -> TradingNodeConfig:
        """A paper node config: mainnet market data from ``exchanges``, orders filled by the sandbox on their venues.

        ``starting_balances`` (``["10000 USDT"]``) replaces the sandbox accounts' balances of the profiles.
        """
        from ntprofile.pipeline import prepare
        from ntprofile.resolve import environment_lookup

        balances = list(starting_balances) if starting_balances is not None else None
        workspace, name = compose("paper", exchanges, strategies, profiles, starting_balances=balances)
        return prepare(workspace, name, lookup=environment_lookup(env_file)).config

    @staticmethod
    def from_env(
        strategies: Sequence[StrategySpec] = (),
        *,
        profiles: Path | str | None = None,
        env_file: Path | str | None = None,
    ) -> TradingNodeConfig:
        """Stage from ``$NTPROFILE_STAGE`` and exchanges from ``$NTPROFILE_EXCHANGES`` (environment, then ``.env``)."""
        from ntprofile.resolve import environment_lookup

        require_node("TradingNodeConfigFactory.from_env()")
        lookup = environment_lookup(env_file)
        stage = (lookup(STAGE_VARIABLE) or DEFAULT_STAGE).strip().lower()
        raw = lookup(EXCHANGES_VARIABLE)
        exchanges = [e.strip().upper() for e in raw.split(",") if e.strip()] if raw else list(DEFAULT_EXCHANGES)
        return TradingNodeConfigFactory.create(stage, exchanges, strategies, profiles=profiles, env_file=env_file)

    @staticmethod
    def create(
        stage: str,
        exchanges: Sequence[str],
        strategies: Sequence[StrategySpec] = (),
        *,
        profiles: Path | str | None = None,
        env_file: Path | str | None = None,
    ) -> TradingNodeConfig:
        """The resolved config of ``compose(...)``; raises ``ProfileError`` with every finding."""
        from ntprofile.pipeline import prepare
        from ntprofile.resolve import environment_lookup

        require_node("TradingNodeConfigFactory")
        workspace, name = compose(stage, exchanges, strategies, profiles)
        return prepare(workspace, name, lookup=environment_lookup(env_file)).config


def compose(
    stage: str,
    exchanges: Sequence[str],
    strategies: Sequence[StrategySpec] = (),
    profiles: Path | str | None = None,
    *,
    starting_balances: list[str] | None = None,
) -> tuple[Workspace, str]:
    """An in-memory workspace holding the target for ``stage`` + ``exchanges`` + ``strategies``, and its name.

    In stage ``paper`` the exchanges are the market data sources; each gets a
    sandbox exec client on its venue (``starting_balances`` replaces their balances).

    Raises
    ------
    ntprofile.layers.UnknownProfileError
        A ``LookupError``: the profiles root is not a directory.
    ValueError
        For an unknown stage, no exchanges, or an exchange without a layer.

    """
    base = DirectorySource(Path(profiles) if profiles else default_root())
    shipped = Workspace(source=base)
    shipped.require_root(PYTHON_REMEDY)
    ids = _client_ids(exchanges)
    if f"env/{stage}" not in shipped.files:
        stages = sorted(n.split("/", 1)[1] for n in shipped.files if n.startswith("env/"))
        raise ValueError(f"unknown stage {stage!r} (stages: {', '.join(stages) or 'none'})")
    strategy_tree = strategies_section(strategies)
    match = _shipped_target(shipped, stage, ids)
    if match is not None:
        doc, _ = shipped.document(match)
        assert doc is not None
        tree = deep_merge(doc.tree, {"strategies": strategy_tree}) if strategy_tree else doc.tree
        if starting_balances is not None:
            merged, _ = shipped.merge(match)
            assert merged is not None
            simulated = {"starting_balances": starting_balances}
            patch = {k: simulated for k, section in _enabled(merged).items() if _is_simulated(k, section)}
            tree = deep_merge(tree, {"exchanges": patch})
        rel = f"{match}.yaml"
        source = MemorySource({rel: _dump(tree)}, base=base, hidden=[shipped.files[match]])
        return Workspace(source=source), match
    name = "facade-" + stage + "-" + "-".join(i.lower() for i in ids)
    tree = _synthesised(shipped, stage, ids, starting_balances)
    if strategy_tree:
        tree["strategies"] = strategy_tree
    source = MemorySource({f"{name}.yaml": _dump(tree)}, base=base)
    return Workspace(source=source), name


def _client_ids(exchanges: Sequence[str]) -> list[str]:
    if isinstance(exchanges, str):
        exchanges = [exchanges]
    # sorted: the composed trader_id (the Redis key space) must not depend on the order given
    ids = sorted({e.strip().upper() for e in exchanges if e and e.strip()})
    if not ids:
        raise ValueError("no exchanges given (for example ['BINANCE', 'BYBIT'])")
    return ids


def _shipped_target(workspace: Workspace, stage: str, ids: list[str]) -> str | None:
    """The first shipped target with exactly this stage and these exchanges."""
    for name in workspace.targets():
        merged, _ = workspace.merge(name)
        if merged is None or merged.stage != stage:
            continue
        sources = {k for k, section in _enabled(merged).items() if not _is_simulated(k, section)}
        if sources == set(ids):
            return name
    return None


def _enabled(merged: Any) -> dict[str, Any]:
    return enabled_entries(merged.tree.get("exchanges"))


def _is_simulated(client_id: str, section: Any) -> bool:
    """A sandbox section of a paper target (not one of the exchanges the caller names)."""
    adapter = adapter_of(client_id, section) if isinstance(section, dict) else None
    return adapter is not None and adapter.simulated


def _synthesised(
    workspace: Workspace, stage: str, ids: list[str], starting_balances: list[str] | None = None
) -> dict[str, Any]:
    """A target from the stage layer and one exchange layer per id (in ``paper``, plus a sandbox per id)."""
    extends = [f"env/{stage}"]
    exchanges: dict[str, Any] = {}
    for client_id in ids:
        layer = f"exchanges/{client_id.lower()}"
        if layer not in workspace.files:
            known = sorted(n.split("/", 1)[1].upper() for n in workspace.files if n.startswith("exchanges/"))
            raise ValueError(f"no exchange layer for {client_id!r} (exchanges: {', '.join(known) or 'none'})")
        extends.append(layer)
        if stage == "production":
            exchanges[client_id] = {
                "environment": "mainnet",
                "api_key": f"${{{credential_variable(client_id, 'api_key')}}}",
                "api_secret": f"${{{credential_variable(client_id, 'api_secret')}}}",
            }
        if stage == "paper":  # public market data: no key, never one that trades (P108)
            exchanges[client_id] = {"environment": "mainnet", "api_key": None, "api_secret": None, "exec": False}
            exchanges[f"PAPER_{client_id}"] = {
                "adapter": "sandbox",
                "venue": client_id,
                "starting_balances": starting_balances or list(PAPER_BALANCES),
            }
    prefix = "PROD" if stage == "production" else stage.upper()
    tree: dict[str, Any] = {
        "extends": extends,
        "profile": {"description": f"{stage} node for {', '.join(ids)}, composed by TradingNodeConfigFactory"},
        "node": {"trader_id": f"{prefix}-{'-'.join(ids)}-001"},
    }
    if exchanges:
        tree["exchanges"] = exchanges
    return tree


def strategies_section(strategies: Sequence[StrategySpec]) -> dict[str, Any]:
    """The profile's ``strategies:`` mapping for strategies given in Python.

    Values given in Python are literal: a ``$`` in them is escaped so it is
    never taken for a placeholder.
    """
    from ntprofile.releases import backend

    plain = backend().plain
    section: dict[str, Any] = {}
    for index, spec in enumerate(strategies):
        if isinstance(spec, Mapping):
            entry = dict(spec)
            name = entry.pop("name", None)
        else:
            entry = {
                "strategy_path": spec.strategy_path,
                "config_path": spec.config_path,
                "config": getattr(spec, "config", {}) or {},
            }
            name = None
        missing = [k for k in ("strategy_path", "config_path") if not entry.get(k)]
        if missing:
            raise ValueError(f"strategy {index}: {' and '.join(missing)} required")
        entry["config"] = _escape(plain(entry.get("config") or {}))
        name = name or _strategy_name(entry, index)
        while name in section:
            name = f"{name}_{index}"
        section[name] = entry
    return section


def _strategy_name(entry: dict[str, Any], index: int) -> str:
    config = entry.get("config") or {}
    ident = config.get("strategy_id") if isinstance(config, dict) else None
    base = ident or entry["strategy_path"].rsplit(":", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(base)) or f"strategy_{index}"


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape(v) for v in value]
    return value


def _dump(tree: dict[str, Any]) -> bytes:
    return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True).encode("utf-8")
