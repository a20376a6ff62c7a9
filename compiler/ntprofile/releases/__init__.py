"""One record per supported NautilusTrader release line: what ntprofile knows of that release.

NautilusTrader 1.x (msgspec config structs, ``TradingNodeConfig``, ``TradingNode``)
and 2.0 (PyO3 classes, ``LiveNodeConfig``, ``LiveNode``) differ in every name a
profile uses. A profile repository targets one release: its keys are that
release's own names, and its ``schemas/profile.schema.json`` carries
``x-nautilus-trader-version``. The general stages ask the *active* release
record (``active()``), set once per process from the repository they read
(``activate``), and never branch on a version themselves.

Adding a release of a known line is a schema snapshot plus one entry in its
record's ``versions``; a new line is a new record. Nothing here imports
NautilusTrader: the validate path reads these records too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, NamedTuple

from ntprofile.language.tree import EMPTY
from ntprofile.schema import PACKAGED_SCHEMA, SCHEMA_DIR, load

__all__ = [
    "Concepts",
    "DEFAULT",
    "RELEASES",
    "Release",
    "activate",
    "active",
    "backend",
    "for_version",
    "open_root",
    "installed_version",
    "release_of_schema",
    "repository_release",
    "repository_schema",
    "supported",
]

Path_ = tuple[str, ...]


class Concepts(NamedTuple):
    """Where a release keeps what the policy rules, the preflight and rendering read (profile paths)."""

    redis: Path_
    """The cache's Redis database section (``host``, ``port``, ``password``...)."""
    log_file_format: Path_
    log_directory: Path_
    log_level_file: Path_
    """The file log level: NautilusTrader writes no log file without it."""
    rate_limits: tuple[Path_, ...] = (("risk_engine", "max_order_submit_rate"), ("risk_engine", "max_order_modify_rate"))
    reconciliation: Path_ = ("exec_engine", "reconciliation")
    reconciliation_lookback: Path_ = ("exec_engine", "reconciliation_lookback_mins")
    risk_bypass: Path_ = ("risk_engine", "bypass")
    use_instance_id: Path_ = ("cache", "use_instance_id")
    flush_on_start: Path_ = ("cache", "flush_on_start")
    trader_id: Path_ = ("node", "trader_id")
    instance_id: Path_ = ("node", "instance_id")
    redis_has_type: bool = True
    """Whether the Redis section has a ``type`` field (1.x ``DatabaseConfig``) or is Redis by its class (2.0)."""


class Release(NamedTuple):
    """A NautilusTrader release line as ntprofile supports it.

    Parameters
    ----------
    line : str
        ``"1"`` or ``"2"``: repositories of one line validate and build alike.
    schemas : dict[str, str]
        The exact NautilusTrader releases of this line ntprofile is tested on, newest first, each
        with the file name of its packaged schema (a release of a known line is one entry here).
    python : tuple[int, int]
        The lowest Python those releases install on.
    extra : str
        The ``ntprofile[...]`` extra that installs the newest of them.
    node_class : str
        ``module:Class`` of the node config a target compiles to.
    sections : dict[str, str]
        Profile section -> ``module:Class`` of the node config field of that name.
    catalogs : tuple[str, str]
        The list section of data catalogs and its class.
    components : dict[str, str]
        Component section (``strategies``...) -> ``module:Class`` of its importable config.
    redis_class : str
        ``module:Class`` of the Redis cache database config (``cache.database``).
    concepts : Concepts
        The release's names for what the rules read.
    adapters : str
        The package whose modules are this release's adapter records.
    backend : str
        The module that compiles, builds and runs nodes of this release (imports NautilusTrader).
    schema_generator : str
        The module whose ``generated_text(config_paths)`` writes this line's schema from the installed release.
    online : bool
        ``check --online`` can ask the venues with this line's clients (2.0's client configs keep no
        credential a venue check could sign with).
    component_bases : dict[str, tuple[str, str]]
        Component section -> ``module:Class`` of the class its component class must subclass and of the
        one its config class must subclass (``Strategy``, ``StrategyConfig``); empty: not checked.

    """

    line: str
    schemas: dict[str, str]
    python: tuple[int, int]
    extra: str
    node_class: str
    node_name: str
    sections: dict[str, str]
    catalogs: tuple[str, str]
    components: dict[str, str]
    redis_class: str
    concepts: Concepts
    adapters: str
    backend: str
    schema_generator: str
    online: bool = True
    component_bases: Mapping[str, tuple[str, str]] = EMPTY

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self.schemas)

    @property
    def newest(self) -> str:
        return self.versions[0]

    def supports(self, version: str) -> bool:
        return version in self.schemas

    def schema_path(self, version: str | None = None) -> Path:
        """The packaged schema of ``version`` (default: the newest of the line)."""
        return SCHEMA_DIR / self.schemas[version or self.newest]

    def install_hint(self) -> str:
        return f"pip install 'ntprofile[{self.extra}]' (NautilusTrader {self.newest}, Python >= {'.'.join(map(str, self.python))})"


V1 = Release(
    line="1",
    schemas={"1.231.0": "profile.schema.json"},
    python=(3, 12),
    extra="node",
    node_class="nautilus_trader.config:TradingNodeConfig",
    node_name="TradingNode",
    sections={
        "cache": "nautilus_trader.cache.config:CacheConfig",
        "message_bus": "nautilus_trader.common.config:MessageBusConfig",
        "data_engine": "nautilus_trader.live.config:LiveDataEngineConfig",
        "risk_engine": "nautilus_trader.live.config:LiveRiskEngineConfig",
        "exec_engine": "nautilus_trader.live.config:LiveExecEngineConfig",
        "portfolio": "nautilus_trader.portfolio.config:PortfolioConfig",
        "emulator": "nautilus_trader.common.config:OrderEmulatorConfig",
        "streaming": "nautilus_trader.persistence.config:StreamingConfig",
        "logging": "nautilus_trader.common.config:LoggingConfig",
    },
    catalogs=("catalogs", "nautilus_trader.persistence.config:DataCatalogConfig"),
    components={
        "strategies": "nautilus_trader.trading.config:ImportableStrategyConfig",
        "actors": "nautilus_trader.common.config:ImportableActorConfig",
        "exec_algorithms": "nautilus_trader.execution.config:ImportableExecAlgorithmConfig",
    },
    redis_class="nautilus_trader.common.config:DatabaseConfig",
    concepts=Concepts(
        redis=("cache", "database"),
        log_file_format=("logging", "log_file_format"),
        log_directory=("logging", "log_directory"),
        log_level_file=("logging", "log_level_file"),
    ),
    adapters="ntprofile.adapters",
    backend="ntprofile.releases.v1",
    schema_generator="ntprofile.schema.generate",
    component_bases={
        "strategies": ("nautilus_trader.trading.strategy:Strategy", "nautilus_trader.trading.config:StrategyConfig"),
        "actors": ("nautilus_trader.common.actor:Actor", "nautilus_trader.common.config:ActorConfig"),
        "exec_algorithms": (
            "nautilus_trader.execution.algorithm:ExecAlgorithm",
            "nautilus_trader.execution.config:ExecAlgorithmConfig",
        ),
    },
)

V2 = Release(
    line="2",
    schemas={"2.0.0rc7": "profile-2.0.0rc7.schema.json"},
    python=(3, 13),
    extra="node2",
    node_class="nautilus_trader.live:LiveNodeConfig",
    node_name="LiveNode",
    sections={
        "cache": "nautilus_trader.common:CacheConfig",
        "msgbus": "nautilus_trader.common:MessageBusConfig",
        "data_engine": "nautilus_trader.live:LiveDataEngineConfig",
        "risk_engine": "nautilus_trader.live:LiveRiskEngineConfig",
        "exec_engine": "nautilus_trader.live:LiveExecutionEngineConfig",
        "portfolio": "nautilus_trader.portfolio:PortfolioConfig",
        "streaming": "nautilus_trader.persistence:StreamingConfig",
        "logging": "nautilus_trader.common:LoggerConfig",
    },
    catalogs=("catalogs", "nautilus_trader.persistence:DataCatalogConfig"),
    components={
        "strategies": "nautilus_trader.trading:ImportableStrategyConfig",
        "actors": "nautilus_trader.common:ImportableActorConfig",
        "exec_algorithms": "nautilus_trader.trading:ImportableExecutionAlgorithmConfig",
    },
    redis_class="nautilus_trader.infrastructure:RedisCacheConfig",
    concepts=Concepts(
        redis=("cache", "database"),
        log_file_format=("logging", "file_config", "file_format"),
        log_directory=("logging", "file_config", "directory"),
        log_level_file=("logging", "fileout_level"),
        redis_has_type=False,
    ),
    adapters="ntprofile.adapters.v2",
    backend="ntprofile.releases.v2",
    schema_generator="ntprofile.releases.v2_schema",
    online=False,
)

RELEASES: dict[str, Release] = {release.line: release for release in (V1, V2)}
"""Release line -> its record."""

DEFAULT = V1
"""The line of a profiles root whose repository states no release (no ``schemas/profile.schema.json``)."""


def for_version(version: str) -> Release | None:
    """The record of the line that supports NautilusTrader ``version`` exactly, or ``None``."""
    for release in RELEASES.values():
        if release.supports(version):
            return release
    return None


def line_of(version: str) -> str:
    """``"2"`` for ``2.0.0rc7``: the major version, what a repository's line is."""
    return version.split(".", 1)[0]


def _read_schema(path: Path) -> dict[str, Any] | None:
    """The schema at ``path`` (the same parse ``validate`` uses), or ``None`` when it is not one."""
    try:
        loaded = load(path)
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def release_of_schema(path: Path) -> tuple[Release | None, str | None]:
    """The release line a schema file states (``x-nautilus-trader-version``) and that version."""
    version = (_read_schema(path) or {}).get("x-nautilus-trader-version")
    if not isinstance(version, str):
        return None, None
    return RELEASES.get(line_of(version)), version


def repository_schema(root: Path) -> Path:
    """The schema a profiles root is held to: ``schemas/profile.schema.json`` beside it (written by
    ``ntprofile schema`` or ``ntprofile migrate``; it states the repository's release and covers its
    components), else the packaged schema of the default line."""
    candidate = Path(root).parent / "schemas" / "profile.schema.json"
    try:
        if Path(root).is_dir() and candidate.is_file() and candidate.resolve() != PACKAGED_SCHEMA.resolve():
            loaded = _read_schema(candidate)
            if loaded is not None and "target" in loaded.get("$defs", {}):
                return candidate
    except OSError:
        pass  # unreadable or not a profile schema: the packaged one still checks everything else
    return PACKAGED_SCHEMA


def repository_release(root: Path) -> tuple[Release, str, Path]:
    """``(line, version, schema)`` a profiles root targets; a root that states none is the default line."""
    path = repository_schema(root)
    release, version = release_of_schema(path)
    if release is None or version is None:
        return DEFAULT, DEFAULT.newest, PACKAGED_SCHEMA
    return release, version, path


def supported() -> str:
    """Every NautilusTrader release this ntprofile supports, for messages (``1.231.0, 2.0.0rc7``)."""
    return ", ".join(version for release in RELEASES.values() for version in release.versions)


def installed_version() -> str | None:
    """The installed NautilusTrader's version, read from its metadata (no import), or ``None``."""
    from importlib import metadata

    try:
        return metadata.version("nautilus_trader")
    except metadata.PackageNotFoundError:
        return None


_ACTIVE: list[Release] = [DEFAULT]


def active() -> Release:
    """The release line of the repository this process reads."""
    return _ACTIVE[0]


def activate(release: Release) -> None:
    """Make ``release`` the line every stage reads: its vocabulary and its adapter records.

    The tables are updated in place, so modules that imported them by name see
    the change.
    """
    if _ACTIVE[0] is release:  # the default line's tables are what the modules start with
        return
    _ACTIVE[0] = release
    from ntprofile import adapters
    from ntprofile.language import vocabulary

    vocabulary.use(release)
    adapters.use(release)


def open_root(root: Path) -> Release:
    """Activate the release a profiles root targets (``repository_release``) and return it."""
    release = repository_release(root)[0]
    activate(release)
    return release


def backend(release: Release | None = None) -> Any:
    """The backend module of ``release`` (default: the active one): compile, preflight, build, run.

    Importing it imports NautilusTrader; only the node commands call this.
    """
    import importlib

    return importlib.import_module((release or active()).backend)
