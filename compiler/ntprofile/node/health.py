"""Whether a running node is connected and reconciled: the start-up watch and the health file probes read.

NautilusTrader 1.231 keeps a node running whose clients did not all connect
within ``timeout_connection`` (it logs ``Timed out (30.0s) waiting for engines
to connect and initialize``) or whose start-up reconciliation failed
(``Execution state could not be reconciled``): ``NautilusKernel.start_async``
returns early without starting the trader, and ``TradingNode.run_async`` then
logs ``RUNNING`` and serves its queues for ever. No orchestrator would restart
it. ``StartWatch`` wraps the kernel's ``start_async`` (an instance attribute, so
NautilusTrader's own code is untouched) and judges how it ended: the trader
running means every gate passed; otherwise the engines' ``check_connected()``
and the order emulator (started right after a successful reconciliation) say
which gate failed, and the node is stopped so that ``run`` exits with
``Exit.START_FAILED``.

The health file is a small JSON document, replaced atomically every
``HEARTBEAT_SECS`` by a task on the node's own event loop, so a loop that stops
turning stops the heartbeat too. ``ntprofile health`` reads it (no
NautilusTrader import): ready when running, connected and reconciled, and
fresh; ``--alive`` only asks for a fresh file that does not say ``failed``.
Nothing in it is a secret.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ntprofile.files import PART_IS_A_FILE, NotRegularFile, read_bounded

if TYPE_CHECKING:  # pragma: no cover
    import asyncio

    from nautilus_trader.config import TradingNodeConfig
    from nautilus_trader.live.node import TradingNode

    from ntprofile.node.runtime import StopOnSignal

__all__ = [
    "CLOCK_SKEW_SECS",
    "HEALTH_FILE_VARIABLE",
    "HEARTBEAT_SECS",
    "MAX_AGE_SECS",
    "MAX_HEALTH_FILE_BYTES",
    "STATES",
    "Health",
    "HealthFile",
    "HealthPathError",
    "StartWatch",
    "parse_record",
    "read_health",
    "startup_bound",
]

HEALTH_FILE_VARIABLE = "NTPROFILE_HEALTH_PATH"
"""The health file's path when ``--health-file`` is not given (``run`` and ``health``; the image sets it)."""

HEARTBEAT_SECS = 5.0
"""How often the running node rewrites its health file."""

MAX_AGE_SECS = 30.0
"""``ntprofile health``: an older file means the node's event loop has stopped turning (or the node is gone)."""

CLOCK_SKEW_SECS = 5.0
"""``ntprofile health``: an ``updated`` time further ahead than this was not written by this host's clock as it is."""

MAX_HEALTH_FILE_BYTES = 64 << 10
"""Largest health file read (64 KiB); the node writes about 200 bytes."""

STOP_POLL_SECS = 0.1
"""How often a start in progress looks for a requested stop."""

BUILD_ALLOWANCE_SECS = 60.0
"""Seconds allowed for import, preflight and build before the node starts connecting (probes' start-up grace)."""


def startup_bound(config: Any) -> float:
    """Seconds from process start until a healthy node is ready: build, connection, reconciliation, portfolio."""
    reconciliation = float(config.timeout_reconciliation) if _reconciles(config) else 0.0
    return BUILD_ALLOWANCE_SECS + float(config.timeout_connection) + reconciliation + float(config.timeout_portfolio)


def _reconciles(config: Any) -> bool:
    engine = getattr(config, "exec_engine", None)
    return bool(getattr(engine, "reconciliation", True)) if engine is not None else True


STATES = ("starting", "running", "stopping", "stopped", "failed")
"""The states a node's health file can say (``Health.state``)."""


@dataclass(slots=True)
class Health:
    """One state of a node as written to its health file.

    ``state`` is ``starting``, ``running``, ``stopping``, ``stopped`` or
    ``failed``; ``reconciled`` is ``None`` when the profile turns
    reconciliation off.
    """

    target: str
    state: str = "starting"
    connected: bool = False
    reconciled: bool | None = False
    detail: str = ""
    updated: float = 0.0

    @property
    def ready(self) -> bool:
        return self.state == "running" and self.connected and self.reconciled is not False

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "state": self.state,
            "ready": self.ready,
            "connected": self.connected,
            "reconciled": self.reconciled,
            "detail": self.detail,
            "updated": self.updated,
            "pid": os.getpid(),
        }


class HealthFile:
    """The node's health file: ``write()`` replaces it atomically (a reader never sees half of it)."""

    def __init__(self, path: Path | str, target: str):
        self.path = Path(path)
        self.health = Health(target)

    def write(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self.health, name, value)
        self.health.updated = round(time.time(), 3)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.health.to_json(), handle, sort_keys=True)
                handle.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class StartWatch:
    """Watches a node's start (``runtime.run_node(..., watch=...)``); stops it when the start fails.

    Parameters
    ----------
    config : TradingNodeConfig
        The node's config (its timeouts name the gate that failed).
    health : HealthFile, optional
        Kept up to date from the node's loop while it runs.
    banner : str
        Logged through NautilusTrader's logger as the start begins, so the log
        file says which target, revision and config this node runs.

    """

    def __init__(self, config: TradingNodeConfig, health: HealthFile | None = None, banner: str = ""):
        self.config = config
        self.health = health
        self.banner = banner
        self.failure: str | None = None
        self.started = False
        self._beat: asyncio.Future | None = None
        self._handler: StopOnSignal | None = None

    def __call__(self, node: TradingNode, handler: StopOnSignal) -> None:
        self._handler = handler
        kernel = node.kernel
        original = kernel.start_async

        async def start_async() -> None:
            import asyncio  # here, not at import: ``ntprofile health`` and the validate path never need it

            if self.banner:
                kernel.logger.info(self.banner)
            if self.health is not None:
                self._beat = asyncio.ensure_future(self._heartbeat(kernel))
            await self._start(original(), handler)
            self.failure = None if handler.stopping else self._judge(kernel)
            self.started = self.failure is None and not handler.stopping
            if self.failure is not None:
                self._write(kernel, state="failed", detail=self.failure)
                handler.stop_for(self.failure)
            else:
                self._write(kernel, **self._observe(kernel))

        kernel.start_async = start_async

    @staticmethod
    async def _start(start: Any, handler: StopOnSignal) -> None:
        """Await the kernel's start, cut short when a stop is requested meanwhile.

        NautilusTrader's start waits for its connections in a loop that only
        ends at ``timeout_connection`` (then the reconciliation's timeout), even
        when the node is told to stop: a SIGTERM during the start would wait for
        both before the stop could complete.
        """
        import asyncio

        task = asyncio.ensure_future(start)
        while not task.done():
            await asyncio.wait({task}, timeout=STOP_POLL_SECS)
            if handler.stopping and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                return
        task.result()

    def _judge(self, kernel: Any) -> str | None:
        """``None`` when the trader started; else which start-up gate failed, in words."""
        if kernel.trader.is_running:
            return None
        down = [
            f"{kind} clients {', '.join(str(c) for c in engine.registered_clients) or 'none'}"
            for kind, engine in (("data", kernel.data_engine), ("exec", kernel.exec_engine))
            if not engine.check_connected()
        ]
        if down:
            return (
                f"the node did not start: not connected within timeout_connection "
                f"({float(self.config.timeout_connection):g} s): {'; '.join(down)}"
            )
        if kernel.exec_engine.reconciliation and not kernel.emulator.is_running:
            return (
                "the node did not start: the start-up reconciliation failed "
                f"(timeout_reconciliation {float(self.config.timeout_reconciliation):g} s; see the log above)"
            )
        return (
            "the node did not start: the portfolio did not initialise within timeout_portfolio "
            f"({float(self.config.timeout_portfolio):g} s)"
        )

    def _observe(self, kernel: Any) -> dict[str, Any]:
        """The node's state now, from its kernel (cheap: called every heartbeat)."""
        connected = bool(kernel.data_engine.check_connected() and kernel.exec_engine.check_connected())
        if self.failure is not None:
            state = "failed"
        elif self._handler is not None and self._handler.stopping:
            state = "stopping"
        elif not self.started:
            state = "starting"
        else:
            state = "running" if kernel.trader.is_running else "stopping"
        reconciled = (True if kernel.exec_engine.reconciliation else None) if self.started else False
        return {"state": state, "connected": connected, "reconciled": reconciled}

    def _write(self, kernel: Any | None, **changes: Any) -> None:
        """Update the health file; a full or read-only disk must not stop the node (probes will say so)."""
        if self.health is None:
            return
        try:
            self.health.write(**changes)
        except OSError as exc:
            message = f"Cannot write the health file {self.health.path}: {exc.strerror or exc}"
            if kernel is not None:
                kernel.logger.warning(message)

    async def _heartbeat(self, kernel: Any) -> None:
        import asyncio

        while True:
            self._write(kernel, **self._observe(kernel))
            await asyncio.sleep(HEARTBEAT_SECS)

    def finish(self, state: str) -> None:
        """The last word in the health file once the node is disposed (``stopped`` or ``failed``)."""
        self._write(None, state=state, connected=False, detail=self.failure or "")


class HealthPathError(ValueError):
    """A health file path that can never hold a health file (a directory, a FIFO, a parent that is a file)."""


def read_health(path: Path | str, max_age: float = MAX_AGE_SECS) -> tuple[bool, bool, str]:
    """``(ready, alive, text)`` of the health file at ``path``: fail closed, one line saying why.

    ``alive``: a well-formed record (``parse_record``) written within
    ``max_age`` seconds and not ``failed`` or ``stopped``; ``ready``: alive,
    running, connected and reconciled. The file is read bounded
    (``files.read_bounded``, at most ``MAX_HEALTH_FILE_BYTES``). Anything else
    is neither ready nor alive: a missing, unreadable or malformed file, a
    timestamp that is not a finite number or lies in the future. Raises
    ``HealthPathError`` for a path that can never be a health file.
    """
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_HEALTH_FILE_BYTES, "a health file")
    except FileNotFoundError:
        return False, False, f"no health file at {path} (the node has not started)"
    except NotRegularFile as exc:
        raise HealthPathError(f"{path} is not a health file: {exc.strerror}") from None
    except NotADirectoryError:
        raise HealthPathError(f"{path} is not a health file: {PART_IS_A_FILE}") from None
    except OSError as exc:
        return False, False, f"unreadable health file {path}: {exc.strerror or exc}"
    now = time.time()
    health, problem = parse_record(raw, now)
    if health is None:
        return False, False, f"not healthy: health file {path}: {problem}"
    age = now - health.updated
    fresh = age <= max_age
    alive = fresh and health.state not in ("failed", "stopped")
    ready = alive and health.ready
    facts = [health.state, "connected" if health.connected else "not connected"]
    if health.reconciled is not None:
        facts.append("reconciled" if health.reconciled else "not reconciled")
    written = max(age, 0.0)  # up to CLOCK_SKEW_SECS ahead: written just now
    text = f"{health.target}: {'ready' if ready else 'not ready'} ({', '.join(facts)}; written {written:.1f} s ago"
    text += ")" if fresh else f", older than {max_age:g} s: the node is not running or its loop is stuck)"
    if health.detail:
        text += f": {health.detail}"
    return ready, alive, text


def parse_record(raw: bytes, now: float) -> tuple[Health | None, str]:
    """The ``Health`` a file's bytes hold, or ``None`` and why they are not a health record.

    Only what ``HealthFile`` writes is accepted: a JSON object (no ``NaN`` or
    ``Infinity``), strings for ``target``, ``state`` (a known state) and
    ``detail``, the booleans ``true``/``false`` themselves for ``connected``
    (``reconciled`` may also be ``null``), and ``updated`` a finite number of
    seconds since the epoch no more than ``CLOCK_SKEW_SECS`` in the future.
    """
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except (ValueError, RecursionError) as exc:
        return None, f"not JSON: {_first(exc)}"
    if not isinstance(data, dict):
        return None, f"not a JSON object but {_json_kind(data)}"
    for key, kinds in _RECORD.items():
        if key not in data:
            return None, f"'{key}' is missing"
        if not any(_is(data[key], kind) for kind in kinds):
            wanted = " or ".join(dict.fromkeys("null" if kind is None else _KIND_NAMES[kind] for kind in kinds))
            return None, f"'{key}' is {_json_kind(data[key])}, not {wanted}"
    detail = data.get("detail", "")
    if not isinstance(detail, str):
        return None, f"'detail' is {_json_kind(detail)}, not a string"
    if data["state"] not in STATES:
        return None, f"'state' is none of {', '.join(STATES)}"
    try:
        updated = float(data["updated"])
    except OverflowError:  # an integer beyond any float
        updated = math.inf
    if not math.isfinite(updated):
        return None, "'updated' is not a finite number"
    if updated < 0:
        return None, "'updated' is before 1970"
    if updated > now + CLOCK_SKEW_SECS:
        ahead = updated - now
        shown = f"{ahead:.1f} s" if ahead < 1e9 else "far"
        return None, f"'updated' is {shown} in the future (was the clock stepped back?)"
    health = Health(_line(data["target"]), data["state"], data["connected"], data["reconciled"], _line(detail), updated)
    return health, ""


_RECORD: dict[str, tuple[type | None, ...]] = {
    "target": (str,),
    "state": (str,),
    "connected": (bool,),
    "reconciled": (bool, None),
    "updated": (float, int),
}
"""The keys a health record must have, and the JSON types each may be."""

_KIND_NAMES = {str: "a string", bool: "true or false", float: "a number", int: "a number"}


def _is(value: Any, kind: type | None) -> bool:
    if kind is None:
        return value is None
    if kind in (int, float):  # a boolean is no number here
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _line(text: str, limit: int = 500) -> str:
    """``text`` on one line (control characters escaped) and at most ``limit`` characters: the probe prints one line."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _first(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
