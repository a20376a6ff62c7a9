"""Build, run, stop and dispose a ``TradingNode`` from a compiled ``TradingNodeConfig``.

The client factories come from the adapter registry (``ntprofile.adapters``),
matched by each client config's class, and are registered before ``build()``:
NautilusTrader 1.231 crashes on an exec client's ``factory.path`` (DESIGN.md), and
a hard-coded list would miss the next adapter. Building creates the clients but
connects nothing; only ``run`` starts the node and so talks to a venue.

Signals (the command line only; the Python API leaves them to NautilusTrader):
``TradingNode`` installs SIGINT/SIGTERM handlers on its uvloop event loop when
it is constructed, and uvloop drops a signal that arrives while the loop is not
running: a SIGTERM during the build was lost and the node then ran until
SIGKILL. And after the first signal NautilusTrader restores SIGTERM's default
action, so a second SIGTERM killed the process in the middle of its stop. So
``StopSignals`` blocks both signals in every thread and receives them in one
thread of its own (``sigwait``): before the node runs, a signal raises
``Interrupted`` in the main thread (the node disposed); while it runs, the
first one stops it (as NautilusTrader's handler does) and later ones are
logged and ignored; watchdogs bound both the interruption and the stop.
``run_node`` then disposes the node, which closes the cache database (flushing
buffered Redis writes) and the loop.
"""

from __future__ import annotations

import asyncio
import faulthandler
import os
import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable

from ntprofile.adapters import ADAPTERS, Adapter
from ntprofile.exits import Exit, signalled
from ntprofile.language.vocabulary import import_class

if TYPE_CHECKING:  # pragma: no cover - typing only; importing them costs a second
    from nautilus_trader.config import TradingNodeConfig
    from nautilus_trader.live.node import TradingNode

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

STOP_MARGIN_SECS = 30.0
"""Seconds allowed for a stop beyond the node's own post-stop and disconnection timeouts."""

INTERRUPT_GRACE_SECS = 15.0
"""Seconds the main thread has to act on a signal before the node runs (a build stuck in Rust does not)."""

STALL_MARGIN_SECS = 5.0
"""Seconds NautilusTrader may hold the process beyond its own longest Redis timeout while building a node."""

HEARTBEAT_SECS = 0.5
"""How often ``StallWatchdog`` proves that Python code still runs."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived before the node ran (during the preflight or the build)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The status a shell reports for a process ended by that signal (``exits.signalled``)."""
        return signalled(self.signum)


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def _die(message: str, code: int) -> None:
    sys.stderr.write(f"ntprofile: {message}\n")
    sys.stderr.flush()
    os._exit(code)


class StopSignals:
    """SIGINT and SIGTERM for ``check`` and ``run``: received by one thread, never lost.

    ``start()`` must run in the main thread before NautilusTrader is imported:
    it blocks both signals there, so every thread started later (NautilusTrader's
    Rust runtime and logger included) inherits the block, and a daemon thread
    takes them with ``sigwait``. Where a signal goes depends on the phase:

    - before the node runs: ``Interrupted`` is raised in the main thread (at
      once through ``interrupt_main``, or by ``raise_pending`` once
      NautilusTrader's constructor, whose own handlers drop it, has returned);
      if the main thread has not ended within ``INTERRUPT_GRACE_SECS`` (a build
      stuck in Rust), the process exits with ``128 + signal``;
    - while the node runs: handed to the loop's ``StopOnSignal``;
    - after the loop has returned (dispose): reported and ignored.
    """

    def __init__(self) -> None:
        self.pending: int | None = None
        self._lock = threading.Lock()
        self._target: tuple[asyncio.AbstractEventLoop, StopOnSignal] | None = None
        self._done = False

    def start(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        for sig in STOP_SIGNALS:
            signal.signal(sig, _raise_interrupted)  # what interrupt_main() runs in the main thread
        threading.Thread(target=self._receive, name="ntprofile-signals", daemon=True).start()

    def _receive(self) -> None:
        while True:
            self._dispatch(signal.sigwait(STOP_SIGNALS))

    def _dispatch(self, signum: int) -> None:
        name = signal.Signals(signum).name
        with self._lock:
            if self._done:
                sys.stderr.write(f"ntprofile: received {name}, already stopping\n")
                return
            if self._target is not None:
                loop, handler = self._target
                loop.call_soon_threadsafe(handler, signal.Signals(signum))
                return
            first = self.pending is None
            if first:
                self.pending = signum
        if first:
            import _thread

            _thread.interrupt_main(signum)
            timer = threading.Timer(
                INTERRUPT_GRACE_SECS,
                _die,
                (
                    f"interrupted by {name}; NautilusTrader did not return within {INTERRUPT_GRACE_SECS:g} s",
                    signalled(signum),
                ),
            )
            timer.daemon = True
            timer.start()

    def raise_pending(self) -> None:
        """Make a signal received so far raise ``Interrupted``; restore the handler NautilusTrader replaced."""
        for sig in STOP_SIGNALS:
            signal.signal(sig, _raise_interrupted)
        if self.pending is not None:
            raise Interrupted(self.pending)

    def deliver_to(self, loop: asyncio.AbstractEventLoop, handler: StopOnSignal) -> None:
        """From now on hand signals to ``handler`` on ``loop``; ``Interrupted`` if one already came."""
        with self._lock:
            self.raise_pending()
            self._target = (loop, handler)

    def stopping(self) -> None:
        """The loop has returned: further signals are only reported.

        Drops the node: the signal thread lives until exit, and a node it still
        referenced would keep NautilusTrader's log guard alive past the end, so
        the log file would lose its last lines (the dispose).
        """
        with self._lock:
            self._done = True
            self._target = None


_REPORTER = """
import os, sys
if os.read(0, 64).startswith(b"Timeout"):
    sys.stderr.write(sys.argv[1] + "\\n")
"""
"""The watchdog's reporter: prints the message as soon as faulthandler's timeout writes to it; silent on EOF."""


class StallWatchdog:
    """Ends the process (status 1) when NautilusTrader holds it for ``bound`` seconds without returning.

    NautilusTrader connects to Redis inside Rust without releasing the GIL:
    handed a Redis that answered the preflight and then went silent, its
    constructor retries for hours, and no Python thread can run meanwhile, so
    neither a signal handler nor a ``threading.Timer`` ever fires (SIGTERM looks
    ignored). ``faulthandler``'s timeout thread is C and needs no GIL; a Python
    heartbeat re-arms it every ``HEARTBEAT_SECS``, so it fires only when Python
    code has been starved for ``bound`` seconds, never on a slow strategy
    constructor written in Python. When it fires it writes to a small reporter
    process, which prints ``message``, and exits the process with status 1.
    """

    def __init__(self, bound: float, message: str):
        self.bound = bound
        self.message = message
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._reporter: subprocess.Popen | None = None

    def __enter__(self) -> StallWatchdog:
        self._reporter = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _REPORTER, self.message],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        self._arm()
        threading.Thread(target=self._beat, name="ntprofile-heartbeat", daemon=True).start()
        return self

    def _arm(self) -> None:
        assert self._reporter is not None and self._reporter.stdin is not None
        faulthandler.dump_traceback_later(self.bound, exit=True, file=self._reporter.stdin)

    def _beat(self) -> None:
        while not self._done.wait(HEARTBEAT_SECS):
            with self._lock:
                if self._done.is_set():
                    return
                self._arm()

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done.set()
            faulthandler.cancel_dump_traceback_later()
        assert self._reporter is not None and self._reporter.stdin is not None
        self._reporter.stdin.close()
        self._reporter.wait()


def stall_bound(config: Any) -> float:
    """Seconds NautilusTrader may hold the process while building: its longest Redis timeout plus a margin.

    NautilusTrader's own default timeouts (20 s) stand in when the node has no Redis.
    """
    timeouts = [
        float(t)
        for section in ("cache", "message_bus")
        for database in [getattr(getattr(config, section, None), "database", None)]
        if database is not None
        for t in (database.connection_timeout, database.response_timeout)
    ]
    return max(timeouts, default=20.0) + STALL_MARGIN_SECS


def _stall_message(config: Any, bound: float) -> str:
    from ntprofile.node.preflight import redis_address, redis_targets

    redis = ", ".join(sorted({"{}:{}".format(*redis_address(db)) for _, db in redis_targets(config)}))
    cause = f" (Redis at {redis} answered the preflight, then stopped answering?)" if redis else ""
    return (
        f"ntprofile: NautilusTrader did not return within {bound:g} s while building the node{cause}; "
        "exiting with status 1, nothing started"
    )


def config_class_of(obj: Any) -> type:
    """The config class of an adapter client config (or the class an ``ImportableConfig`` names)."""
    path = getattr(obj, "path", None)
    if isinstance(path, str) and ":" in path and hasattr(obj, "factory"):
        return import_class(path)
    return type(obj)


def adapter_for(client_config: Any, kind: str) -> Adapter | None:
    """The registered adapter whose ``kind`` (``data``/``exec``) config class is that of ``client_config``.

    Matched by class, not by path text: a re-exported class or a subclass-free
    alias names the same adapter.
    """
    cls = config_class_of(client_config)
    for adapter in ADAPTERS.values():
        spec = adapter.client(kind)
        if spec is not None and import_class(spec.config) is cls:
            return adapter
    return None


def factory_name(client_id: str) -> str:
    """The name NautilusTrader's builder looks a factory up by: the client id up to a ``-``."""
    return client_id.partition("-")[0]


def register_factories(node: TradingNode, config: TradingNodeConfig) -> list[tuple[str, str, str]]:
    """Register the data and exec client factory of every configured client.

    Returns
    -------
    list[tuple[str, str, str]]
        ``(kind, client id, adapter name)`` for each registration.

    Raises
    ------
    ValueError
        For a client whose config class no registered adapter knows.

    """
    done = []
    for kind, clients, add in (
        ("data", config.data_clients, node.add_data_client_factory),
        ("exec", config.exec_clients, node.add_exec_client_factory),
    ):
        for client_id, client_config in (clients or {}).items():
            adapter = adapter_for(client_config, kind)
            if adapter is None:
                cls = config_class_of(client_config)
                raise ValueError(
                    f"no adapter registered for {kind} client {client_id} ({cls.__module__}:{cls.__qualname__})"
                )
            add(factory_name(client_id), import_class(adapter.client(kind).factory))  # type: ignore[union-attr]
            done.append((kind, client_id, adapter.name))
    return done


def build_node(config: TradingNodeConfig, signals: StopSignals | None = None) -> TradingNode:
    """A built ``TradingNode`` on a fresh event loop, factories registered, nothing connected.

    Run ``preflight`` first: handed an unreachable Redis, the constructor blocks
    for hours with SIGTERM ignored. With ``signals`` (the command line), a
    SIGINT/SIGTERM received before or during the build raises ``Interrupted``
    after the node is disposed, and a ``StallWatchdog`` ends the process when
    NautilusTrader does not return within ``stall_bound(config)`` (a Redis that
    went silent after the preflight).
    """
    from contextlib import nullcontext

    from nautilus_trader.live.node import TradingNode

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    node = None
    bound = stall_bound(config)
    watchdog = StallWatchdog(bound, _stall_message(config, bound)) if signals is not None else nullcontext()
    try:
        with watchdog:
            node = TradingNode(config=config, loop=loop)
            register_factories(node, config)
            node.build()
        if signals is not None:
            signals.raise_pending()
    except BaseException:
        if node is not None:
            dispose_node(node)
        else:
            loop.close()
            asyncio.set_event_loop(None)
        raise
    return node


def dispose_node(node: TradingNode) -> None:
    """Stop the node if it runs, dispose it (closing Redis after its buffer is written) and the loop."""
    try:
        if node.kernel.is_running():
            node.stop()
        loop = node.get_event_loop()
        if loop is not None and not loop.is_closed() and not loop.is_running():
            node.kernel.cancel_all_tasks()  # clients start tasks at construction (Bybit's repay queue)
    finally:
        node.dispose()
        loop = node.get_event_loop()
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.close()
        asyncio.set_event_loop(None)


class StopOnSignal:
    """The running node's SIGINT/SIGTERM handler: stop once, then only report.

    A watchdog bounds the stop: if stopping and disposing outlive ``bound``
    seconds, the process exits with ``Exit.STOP_TIMEOUT`` rather than hang.
    ``stop`` asks the node to stop; ``report(message, error)`` says what happens
    where the release's node says things (1.x: its kernel's logger).
    """

    def __init__(self, stop: Callable[[], None], report: Callable[[str, bool], None], bound: float):
        self.stop = stop
        self.report = report
        self.bound = bound
        self.received: list[str] = []
        self._watchdog: threading.Timer | None = None

    @classmethod
    def of(cls, node: TradingNode, bound: float) -> StopOnSignal:
        """The handler of a 1.x ``TradingNode``, reporting through its kernel's logger."""
        logger = node.kernel.logger
        return cls(node.stop, lambda message, error: (logger.error if error else logger.warning)(message), bound)

    def __call__(self, sig: signal.Signals) -> None:
        self.received.append(sig.name)
        if self.stopping:
            self.report(f"Received {sig.name} again, already stopping (at most {self.bound:g} s; SIGKILL aborts)", False)
            return
        self.report(f"Received {sig.name}, shutting down", False)
        self._stop(sig.name)

    @property
    def stopping(self) -> bool:
        """A stop was requested (by a signal or ``stop_for``)."""
        return self._watchdog is not None

    def stop_for(self, reason: str) -> None:
        """Stop the node without a signal (a failed start), under the same bound; once only."""
        if not self.stopping:
            self.report(f"{reason}; shutting down", True)
            self._stop(reason)

    def _stop(self, cause: str) -> None:
        message = (
            f"the node did not stop within {self.bound:g} s of {cause}; exiting without a clean stop"
            " (its last state may not be in Redis)"
        )
        self._watchdog = threading.Timer(self.bound, _die, (message, Exit.STOP_TIMEOUT))
        self._watchdog.daemon = True
        self._watchdog.start()
        self.stop()

    def cancel(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()


def stop_bound(config: Any) -> float:
    """Seconds a stop may take: NautilusTrader's post-stop wait, two disconnection waits, a margin."""
    return float(config.timeout_post_stop) + 2 * float(config.timeout_disconnection) + STOP_MARGIN_SECS


def run_node(
    node: TradingNode,
    config: TradingNodeConfig,
    signals: StopSignals,
    watch: Callable[[TradingNode, StopOnSignal], None] | None = None,
) -> list[str]:
    """Run the node until SIGINT or SIGTERM stops it, then dispose it.

    ``node.run()`` returns once the stop has completed (``timeout_post_stop``
    included); disposing afterwards closes the cache database, which writes the
    buffered Redis operations before closing.

    Returns
    -------
    list[str]
        The names of the signals received; empty when the node stopped on its
        own (a failed start, a shutdown after an exception).

    ``watch(node, handler)``, when given, is called just before the node runs
    (``health.StartWatch``: it stops the node through ``handler.stop_for`` when
    the start fails).

    Raises
    ------
    Interrupted
        When a signal came after the build but before the node ran (disposed).

    """
    loop = node.get_event_loop()
    assert loop is not None
    handler = StopOnSignal.of(node, stop_bound(config))
    try:
        signals.deliver_to(loop, handler)
        if watch is not None:
            watch(node, handler)
        node.run()
    finally:
        signals.stopping()
        try:
            dispose_node(node)
        finally:
            handler.cancel()
    return handler.received
