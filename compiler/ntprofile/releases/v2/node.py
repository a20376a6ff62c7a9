"""Preflight, build, run, stop and dispose a NautilusTrader 2.0 ``LiveNode`` from a compiled ``NodeConfig``.

What 2.0 does differently from 1.x, and what that means here:

- ``LiveNodeBuilder.from_config`` builds the node with the clients' factories;
  a simulated (sandbox) exec client must go through ``add_simulated_exec_client``
  (``from_config`` has no factory extractor for it), and the Redis cache
  database through ``with_cache_database_factory(RedisCacheConfig)``. Building
  connects nothing, Redis included: 2.0 opens the cache database when the node
  *runs*, so a node builds even with Redis down, and the preflight is what
  proves Redis answers.
- ``LiveNode.run()`` blocks the calling thread and stops through
  ``node.handle().stop()``, which any thread may call. ``StopSignals`` (1.x's)
  receives SIGINT/SIGTERM in its own thread; here it calls the handler directly
  instead of through an asyncio loop, which 2.0's Python side does not have.
- 2.0 itself gives up a start whose clients did not all connect within
  ``timeout_connection_secs``: ``run()`` stops the node and raises
  ``RuntimeError("readiness timeout while waiting for engine connections")``.
  ``StartWatch`` turns that into the failure ``run`` exits 5 for, and follows
  ``LiveNodeHandle.state`` (``STARTING``, ``RUNNING``...) for the health file.
- One ``LiveNode`` per thread: a second one builds only after the first is
  dropped (disposed and no longer referenced).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any, Callable

from ntprofile.compile.importing import import_class as import_user_class
from ntprofile.diagnostics import Diagnostic, key_path
from ntprofile.exits import Exit
from ntprofile.language.secrets import REDACTOR
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import COMPONENTS, REDIS_DEFAULT_HOST, REDIS_DEFAULT_PORT, import_class
from ntprofile.layers import Merged, enabled_entries
from ntprofile.node.health import HealthFile
from ntprofile.node.preflight import REDIS_TIMEOUT, ping_redis, writable_directory
from ntprofile.node.runtime import STOP_MARGIN_SECS, StopOnSignal, StopSignals, _die
from ntprofile.releases import V2
from ntprofile.releases.v2.compile import NodeConfig

__all__ = [
    "StartWatch",
    "build_node",
    "dispose_node",
    "facts",
    "plain",
    "preflight",
    "quiet",
    "run_node",
    "start_bound",
    "start_watch",
    "startup_bound",
    "stop_bound",
]

ADD_FROM_CONFIG = {
    "strategies": "add_strategy_from_config",
    "actors": "add_actor_from_config",
    "exec_algorithms": "add_exec_algorithm_from_config",
}
"""Component section -> the ``LiveNode`` method that adds one from its ``Importable*Config``."""

COMPONENT_BASES = {
    "strategies": "nautilus_trader.trading:Strategy",
    "actors": "nautilus_trader.common:DataActor",
    "exec_algorithms": "nautilus_trader.trading:ExecutionAlgorithm",
}
"""The NautilusTrader class a component of each section must subclass (``add_*_from_config`` needs one)."""

CONNECTION_FAILURES = ("data-connect timeout", "exec-connect timeout", "waiting for engine connections")
"""What 2.0's ``LiveNode.run()`` raises when its clients did not all connect within ``timeout_connection_secs``:
a client's own connect outlived it, or clients that failed at once left the engines unconnected."""

POLL_SECS = 0.1
"""How often ``StartWatch`` reads the node's state."""

START_MARGIN_SECS = 5.0
"""Seconds a start may take beyond its Redis connect and its own connection, reconciliation and portfolio timeouts."""


# ------------------------------------------------------------------ preflight


def preflight(config: NodeConfig, merged: Merged | None = None, timeout: float = REDIS_TIMEOUT) -> list[Diagnostic]:
    """Redis answering (with its credentials), log, streaming and catalog directories writable, components usable."""

    def where(path: Path_) -> Any:
        return merged.origin(path) if merged is not None else None

    diags: list[Diagnostic] = []
    if config.redis is not None:
        redis = V2.concepts.redis
        args = config.redis_args
        host = args.get("host") or REDIS_DEFAULT_HOST
        port = args.get("port") if args.get("port") is not None else REDIS_DEFAULT_PORT
        problem = ping_redis(host, port, args.get("username"), args.get("password"), bool(args.get("ssl")), timeout)
        if problem is not None:
            code, message = problem
            path = redis + ("password" if code == "R002" else "host",)
            diags.append(Diagnostic(code, message, where(path), key=key_path(redis)))
    for what, directory, path in written_directories(config):
        diags += _directory(what, directory, path, where)
    diags += _components(config, merged, where)
    return diags


def written_directories(config: NodeConfig) -> list[tuple[str, str, Path_]]:
    """``(what, directory, profile path)`` of every local directory the node writes into: the log
    directory (when file logging is on), a local streaming writer path and local catalogs."""
    places: list[tuple[str, str, Path_]] = []
    file_config = config.logging.get("file_config")
    level = config.logging.get("fileout_level")
    if file_config is not None and level is not None and _name(level) != "OFF":
        places.append(("log directory", file_config.directory or ".", V2.concepts.log_directory))
    streaming = config.node.get("streaming")
    if streaming is not None and "://" not in str(streaming.writer_path).removeprefix("file://"):
        places.append(("streaming writer path", str(streaming.writer_path), ("streaming", "writer_path")))
    for catalog_index, catalog in enumerate(config.node.get("catalogs") or []):
        if getattr(catalog, "fs_protocol", None) in (None, "file", "local"):
            places.append(("catalog path", str(catalog.path), (V2.catalogs[0], catalog_index, "path")))
    return places


def _directory(what: str, directory: str, path: Path_, where: Callable[[Path_], Any]) -> list[Diagnostic]:
    problem = writable_directory(Path(str(directory).removeprefix("file://")))
    if problem is None:
        return []
    return [Diagnostic("R003", f"{what} '{directory}' is not usable: {problem}", where(path), key=key_path(path))]


def _components(config: NodeConfig, merged: Merged | None, where: Callable[[Path_], Any]) -> list[Diagnostic]:
    """Each component class and its config class import here, and the component is of its section's kind."""
    diags: list[Diagnostic] = []
    counts: dict[str, int] = {}
    for section, importable in config.components:
        index = counts[section] = counts.get(section, -1) + 1
        names = list(enabled_entries(merged.tree.get(section))) if merged is not None else []
        base: Path_ = (section, names[index] if index < len(names) else index)
        kind = COMPONENTS[section]
        for key, label in ((kind.path_field, kind.noun), ("config_path", f"{kind.noun} config class")):
            class_path = getattr(importable, key)
            here = base + (key,)
            cls, problem = import_user_class(class_path)
            if cls is None:
                message = f"{label} '{class_path}' cannot be imported: {problem or 'expected module:ClassName'}"
                diags.append(Diagnostic("R004", message, where(here), key_path(here)))
                break
            if key == kind.path_field and not issubclass(cls, import_class(COMPONENT_BASES[section])):
                wanted = COMPONENT_BASES[section].rpartition(":")[2]
                message = f"{label} '{class_path}' is not a NautilusTrader {wanted} subclass"
                diags.append(Diagnostic("R004", message, where(here), key_path(here)))
                break
    return diags


# ------------------------------------------------------------------ build


def quiet(config: NodeConfig) -> NodeConfig:
    """The config with NautilusTrader's console logging at WARNING; log files unchanged."""
    from dataclasses import replace

    level_cls = import_class("nautilus_trader.common:LogLevel")
    level = config.logging.get("stdout_level")
    if level is not None and level in (level_cls.WARNING, level_cls.ERROR, level_cls.OFF):
        return config
    return replace(config, logging={**config.logging, "stdout_level": level_cls.WARNING})


def build_node(config: NodeConfig, signals: StopSignals | None = None) -> Any:
    """A built ``LiveNode`` (clients created, Redis given to the builder, components added), nothing connected.

    With ``signals`` (the command line), a SIGINT/SIGTERM received before or
    during the build raises ``Interrupted`` once the node is disposed.
    """
    from nautilus_trader.live import LiveNodeBuilder

    builder = LiveNodeBuilder.from_config(
        config.name,
        config.live,
        data_factories={cid: import_class(factory)() for cid, (_, factory) in config.data.items()},
        exec_factories={cid: import_class(factory)() for cid, (_, factory) in config.exec.items()},
    )
    for cid, (client, factory) in config.simulated.items():
        builder = builder.add_simulated_exec_client(cid, import_class(factory)(), client)
    if config.redis is not None:
        builder = builder.with_cache_database_factory(config.redis)
    node = builder.build()
    try:
        for section, importable in config.components:
            getattr(node, ADD_FROM_CONFIG[section])(importable)
        if signals is not None:
            signals.raise_pending()
    except BaseException:
        dispose_node(node)
        raise
    return node


def dispose_node(node: Any) -> None:
    """Stop the node if it runs and dispose it (its clients, engines and cache)."""
    handle = node.handle()
    if handle.is_running:
        handle.stop()
    node.dispose()


def start_bound(config: NodeConfig) -> float:
    """Seconds a start may take: the Redis connect, the node's connection, reconciliation and portfolio timeouts.

    Beyond it the start is stuck (``StartWatch``); 2.0 gives up by itself within its own timeouts otherwise.
    """
    live = config.live
    redis = 0.0
    if config.redis is not None:
        redis = float(config.redis.connection_timeout) + float(config.redis.response_timeout)
    timeouts = live.timeout_connection_secs + live.timeout_reconciliation_secs + live.timeout_portfolio_secs
    return redis + float(timeouts) + START_MARGIN_SECS


def startup_bound(config: NodeConfig) -> float:
    """Seconds from process start until a healthy node is ready (deployments' start-up probes): the build
    allowance of 1.x's ``node.health.startup_bound`` plus this start's own bound."""
    from ntprofile.node.health import BUILD_ALLOWANCE_SECS

    return BUILD_ALLOWANCE_SECS + start_bound(config)


def stop_bound(config: NodeConfig) -> float:
    """Seconds a stop may take: NautilusTrader's post-stop delay, two disconnection waits, a margin (as 1.x)."""
    live = config.live
    return float(live.delay_post_stop_secs) + 2 * float(live.timeout_disconnection_secs) + STOP_MARGIN_SECS


# ------------------------------------------------------------------ run


class _Direct:
    """``StopSignals`` hands a signal to a loop's ``call_soon_threadsafe``; 2.0's handle is thread-safe."""

    @staticmethod
    def call_soon_threadsafe(callback: Callable[..., Any], *args: Any) -> None:
        callback(*args)


def _say(message: str) -> None:
    sys.stderr.write(f"ntprofile: {message}\n")
    sys.stderr.flush()


class StartWatch:
    """Watches a 2.0 node's start (``run_node(..., watch=...)``): the failure ``run`` exits 5 for, the health file.

    2.0 reports a failed start itself (``run()`` raises after stopping the node);
    ``started`` records whether the node ever reached ``RUNNING``, which only
    happens once every client connected and the start-up reconciliation passed.
    The same face as 1.x's ``node.health.StartWatch``: ``failure``, ``finish``.
    """

    def __init__(self, config: NodeConfig, health: HealthFile | None = None, banner: str = ""):
        self.config = config
        self.health = health
        self.banner = banner
        self.failure: str | None = None
        self.started = False
        self.bound = start_bound(config)
        self.reconciles = bool(config.live.exec_engine.reconciliation)  # read once, in the thread that built it
        self._done = threading.Event()
        self._handler: StopOnSignal | None = None

    def __call__(self, node: Any, handler: StopOnSignal) -> None:
        self._handler = handler
        if self.banner:  # into the node's own log (console and file): which target, revision and config it runs
            from nautilus_trader.common import Logger

            Logger("ntprofile").info(self.banner)
        threading.Thread(target=self._follow, args=(node.handle(),), name="ntprofile-start-watch", daemon=True).start()

    def _follow(self, handle: Any) -> None:
        """Write the health file on every change of the node's state and every ``HEARTBEAT_SECS``."""
        from ntprofile.node.health import HEARTBEAT_SECS

        previous, since, waited = None, 0.0, 0.0
        while not self._done.wait(POLL_SECS):
            try:
                state = str(handle.state).rpartition(".")[2]  # NodeState.RUNNING
            except Exception:  # noqa: BLE001 - a node being disposed: the run thread writes the last word
                return
            self.started = self.started or state == "RUNNING"
            since += POLL_SECS
            waited += POLL_SECS
            if not self.started and waited > self.bound and not (self._handler and self._handler.stopping):
                self._stalled()
            if state != previous or since >= HEARTBEAT_SECS:
                previous, since = state, 0.0
                self._write(self._observe(state))

    def _stalled(self) -> None:
        """The start outlived every timeout it has: ends the process (status 5), nothing started.

        2.0 opens the Redis cache database when the node starts, inside Rust: a Redis
        that answered the preflight and then went silent holds the start for as long as
        ``number_of_retries`` connects take (hours by default), deaf to ``stop()``.
        """
        redis = ""
        if self.config.redis is not None:
            args = self.config.redis_args
            address = f"{args.get('host') or REDIS_DEFAULT_HOST}:{args.get('port') or REDIS_DEFAULT_PORT}"
            redis = f" (Redis at {address} answered the preflight, then stopped answering?)"
        self.failure = f"the node did not start within {self.bound:g} s{redis}"
        self._write({"state": "failed", "detail": self.failure, "connected": False})
        _die(f"{self.failure}; exiting with status {int(Exit.START_FAILED)}, nothing started", Exit.START_FAILED)

    def _observe(self, state: str) -> dict[str, Any]:
        stopping = self._handler is not None and self._handler.stopping
        if self.failure is not None:
            return {"state": "failed", "connected": False}
        if state == "RUNNING" and not stopping:
            reconciled = True if self.reconciles else None
            return {"state": "running", "connected": True, "reconciled": reconciled}
        if state in ("SHUTTING_DOWN", "STOPPED") or stopping:
            return {"state": "stopping", "connected": False}
        return {"state": "starting", "connected": False, "reconciled": False}

    def start_failed(self, exc: BaseException) -> bool:
        """Judge an exception ``run()`` raised; ``True`` when it is a failed start (``failure`` set)."""
        if self.started or (self._handler is not None and self._handler.stopping):
            return False
        text = REDACTOR.withhold(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        live = self.config.live
        if any(failure in text for failure in CONNECTION_FAILURES):
            down = ", ".join(sorted({*self.config.data, *self.config.exec, *self.config.simulated})) or "none"
            self.failure = (
                "the node did not start: not connected within timeout_connection_secs "
                f"({float(live.timeout_connection_secs):g} s): clients {down}"
            )
        elif "reconciliation" in text:
            self.failure = (
                f"the node did not start: the start-up reconciliation failed ({text}; "
                f"timeout_reconciliation_secs {float(live.timeout_reconciliation_secs):g} s)"
            )
        else:
            self.failure = f"the node did not start: {text}"
        self._write({"state": "failed", "detail": self.failure, "connected": False})
        return True

    def _write(self, changes: dict[str, Any]) -> None:
        if self.health is None:
            return
        try:
            self.health.write(**changes)
        except OSError as exc:
            _say(f"cannot write the health file {self.health.path}: {exc.strerror or exc}")

    def finish(self, state: str) -> None:
        """The last word in the health file once the node is disposed (``stopped`` or ``failed``)."""
        self._done.set()
        self._write({"state": state, "connected": False, "detail": self.failure or ""})


def run_node(
    node: Any, config: NodeConfig, signals: StopSignals, watch: StartWatch | None = None
) -> list[str]:
    """Run the node until SIGINT or SIGTERM stops it, then dispose it; the names of the signals received.

    Empty when the node stopped on its own: a failed start (``watch.failure`` says which)
    or a shutdown after an error.

    Raises
    ------
    Interrupted
        When a signal came after the build but before the node ran (disposed).
    RuntimeError
        What ``run()`` raised, when it was not a failed start that ``watch`` judged.

    """
    handler = StopOnSignal(node.handle().stop, lambda message, error: _say(message), stop_bound(config))
    try:
        signals.deliver_to(_Direct(), handler)  # type: ignore[arg-type]
        if watch is not None:
            watch(node, handler)
        try:
            node.run()
        except RuntimeError as exc:
            if watch is None or not watch.start_failed(exc):
                if not handler.stopping:
                    raise
    finally:
        signals.stopping()
        try:
            dispose_node(node)
        finally:
            handler.cancel()
    return handler.received


start_watch = StartWatch
"""The backend interface's name for the start-up watch ``run`` hands to ``run_node``."""


# ------------------------------------------------------------------ facts


def facts(config: NodeConfig) -> Any:
    """What ``check`` and ``run`` print of a 2.0 node config (``node.summary``); no secret."""
    from ntprofile.node.summary import Database, Facts

    databases = []
    if config.redis is not None:
        args = config.redis_args
        host = args.get("host") or REDIS_DEFAULT_HOST
        port = args.get("port") if args.get("port") is not None else REDIS_DEFAULT_PORT
        databases.append(Database("cache", "redis", host, port, bool(args.get("password"))))
    components: dict[str, list[str]] = {}
    for section, importable in config.components:
        components.setdefault(section, []).append(getattr(importable, COMPONENTS[section].path_field))
    level = config.logging.get("fileout_level")
    file_config = config.logging.get("file_config")
    log_files = None
    if level is not None and _name(level) != "OFF":
        directory = (file_config.directory if file_config is not None else None) or "."
        file_format = (file_config.file_format if file_config is not None else None) or "text"
        log_files = (directory, file_format, _name(level))
    return Facts(str(config.live.trader_id), databases, components, log_files)


def _name(member: Any) -> str:
    """The member name of a 2.0 enum (``LogLevel.DEBUG`` -> ``DEBUG``): PyO3 enums have no ``.name`` on every type."""
    return str(member).rpartition(".")[2]


def plain(value: Any) -> Any:
    """``value`` (a config given in Python: 2.0 identifiers, enums, decimals, configs) as profile data."""
    from decimal import Decimal

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(type(value), "variants") or hasattr(type(value), "__members__"):  # a PyO3 or Python enum
        return _name(value)
    if type(value).__name__.endswith("Config") and type(value).__module__.startswith("nautilus_trader"):
        from nautilus_trader.live.config import config_values

        return {k: plain(v) for k, v in config_values(value).items() if not k.startswith("has_")}
    return str(value)  # identifiers, Money, UUID4: their text is what from_str reads back
