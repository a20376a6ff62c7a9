"""Checks that must pass before any NautilusTrader component is constructed.

NautilusTrader, handed an unreachable Redis, blocks inside its Rust connect with
its signal handlers installed (SIGTERM ignored, retries for hours); a log
directory it cannot create fails deep in the Rust logger; a strategy path that
does not import fails only when the trader starts. Each of those becomes one
diagnostic here, within a bounded time, pointing at the profile line that set
the value. Findings use the ``R`` (run-time preflight) codes.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from ntprofile.diagnostics import Diagnostic, Position
from ntprofile.language.constraints import port_problem
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import Merged, enabled_entries
from ntprofile.loader import Path_

REDIS_TIMEOUT = 3.0
"""Seconds for each of connect and PING; well inside the 10 s an operator waits."""

DEFAULT_REDIS_HOST = "127.0.0.1"
DEFAULT_REDIS_PORT = 6379

_COMPONENTS = (
    # section, path attribute, profile key of the path, what
    ("strategies", "strategy_path", "strategy_path", "strategy"),
    ("actors", "actor_path", "actor_path", "actor"),
    ("exec_algorithms", "exec_algorithm_path", "exec_algorithm_path", "exec algorithm"),
)


def preflight(config: Any, merged: Merged | None = None, timeout: float = REDIS_TIMEOUT) -> list[Diagnostic]:
    """Every preflight finding for a compiled, resolved ``TradingNodeConfig``.

    Parameters
    ----------
    config : TradingNodeConfig
        The node config with placeholders resolved.
    merged : Merged, optional
        The profile it was compiled from, to point findings at the lines that
        set the values; without it findings carry only the key.
    timeout : float
        Seconds allowed for each Redis connect and reply.

    """
    where = _Locator(merged)
    diags: list[Diagnostic] = []
    diags += check_redis(config, where, timeout)
    diags += check_directories(config, where)
    diags += check_components(config, where)
    return diags


class _Locator:
    """Positions of profile keys, when the profile is known."""

    def __init__(self, merged: Merged | None):
        self.merged = merged

    def __call__(self, path: Path_) -> Position | None:
        return self.merged.origin(path) if self.merged is not None else None

    def entry_names(self, section: str, count: int) -> list[str]:
        names = list(enabled_entries(self.merged.tree.get(section))) if self.merged is not None else []
        return names if len(names) == count else [str(i) for i in range(count)]


# ---------------------------------------------------------------- Redis


def redis_targets(config: Any) -> list[tuple[str, Any]]:
    """``(section, DatabaseConfig)`` for every Redis database the node will open."""
    found = []
    for section in ("cache", "message_bus"):
        sub = getattr(config, section, None)
        database = getattr(sub, "database", None) if sub is not None else None
        if database is not None and getattr(database, "type", "redis") == "redis":
            found.append((section, database))
    return found


def redis_address(database: Any) -> tuple[str, Any]:
    """``(host, port)`` NautilusTrader connects to for ``database``.

    The defaults stand in only for ``None`` (an unset field): a port of 0 is
    a port of 0, refused by ``check_redis``, never quietly tested as 6379.
    """
    host = DEFAULT_REDIS_HOST if database.host is None or database.host == "" else database.host
    port = DEFAULT_REDIS_PORT if database.port is None else database.port
    return host, port


def check_redis(config: Any, where: _Locator, timeout: float = REDIS_TIMEOUT) -> list[Diagnostic]:
    """Each Redis database reachable, authenticated and answering PING within ``timeout``."""
    diags: list[Diagnostic] = []
    seen: set[tuple] = set()
    for section, database in redis_targets(config):
        host, port = redis_address(database)
        ident = (host, port, database.username, database.password, database.ssl)
        if ident in seen:
            continue
        seen.add(ident)
        bad_port = port_problem(port)
        if bad_port is not None:  # never test another port than the one NautilusTrader would open
            diags.append(
                Diagnostic(
                    "R001",
                    f"Redis at {host}:{port}: {bad_port}; NautilusTrader would hang connecting to it",
                    where((section, "database", "port")),
                    key=f"{section}.database.port",
                )
            )
            continue
        problem = ping_redis(host, port, database.username, database.password, database.ssl, timeout)
        if problem is None:
            continue
        code, message = problem
        key = f"{section}.database"
        path: Path_ = (section, "database", "password" if code == "R002" else "host")
        diags.append(Diagnostic(code, message, where(path), key=key))
    return diags


def ping_redis(
    host: str,
    port: int,
    username: str | None,
    password: str | None,
    ssl: bool,
    timeout: float = REDIS_TIMEOUT,
) -> tuple[str, str] | None:
    """``None`` when Redis answers PING, else ``(code, one-line message)``, within ``timeout`` seconds in all.

    redis-py's ``socket_timeout`` bounds each read, so a server that answers
    one byte a second would keep it waiting for ever: the whole exchange
    (connect, handshake, AUTH, PING) runs in a thread that gets ``timeout``
    seconds, after which its socket is shut down. The message never contains
    the password: it names host and port only.
    """
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis(
        host=host,
        port=port,
        username=username or None,
        password=password or None,
        ssl=ssl,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )
    target = f"Redis at {host}:{port}"
    outcome: list[tuple[str, str] | None] = []

    def exchange() -> None:
        try:
            outcome.append(_exchange(client, target, password, timeout))
        except Exception as exc:  # noqa: BLE001 - whatever a garbled reply makes redis-py raise is the finding
            outcome.append(("R001", f"{target} did not answer as a Redis server: {_first_line(str(exc))}"))

    worker = threading.Thread(target=exchange, name="ntprofile-preflight", daemon=True)
    worker.start()
    worker.join(timeout)
    try:
        client.close()  # shuts the socket down: a worker still reading returns at once
    except Exception:  # noqa: BLE001 - closing a failed client must not mask the finding
        pass
    if not outcome:
        return "R001", f"{target} did not answer within {timeout:g} s (wrong host or port, or a firewall?)"
    return outcome[0]


def _exchange(client: Any, target: str, password: str | None, timeout: float) -> tuple[str, str] | None:
    """PING ``client`` and map every redis-py outcome to a finding (``None``: it answered)."""
    import redis

    try:
        if not client.ping():
            return "R001", f"{target} did not answer PING"
    except redis.AuthenticationError:
        return _auth_problem(target, password)
    except redis.ResponseError as exc:
        text = str(exc)
        if "NOAUTH" in text or "AUTH" in text or "WRONGPASS" in text:
            return _auth_problem(target, password)
        return "R001", f"{target} answered PING with an error: {_first_line(text)}"
    except redis.TimeoutError:
        return "R001", f"{target} did not answer within {timeout:g} s (wrong host or port, or a firewall?)"
    except redis.ConnectionError as exc:
        return "R001", f"{target} is unreachable: {_reason(exc)}"
    except redis.RedisError as exc:
        return "R001", f"{target} did not answer as a Redis server: {_first_line(str(exc))}"
    except OSError as exc:
        return "R001", f"{target} is unreachable: {exc.strerror or exc}"
    return None


def _auth_problem(target: str, password: str | None) -> tuple[str, str]:
    if password:
        return "R002", f"{target} rejected the credentials (check REDIS_PASSWORD and the username)"
    return "R002", f"{target} requires a password and none is configured (set REDIS_PASSWORD)"


def _first_line(text: str) -> str:
    """The first line of an error from redis-py or user code; withheld when it spells a secret value."""
    return REDACTOR.withhold(text.strip().splitlines()[0]) if text.strip() else "no detail"


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused (is redis-server running on that port?)"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "resolution" in lowered:
        return "host name not found"
    if "timeout" in lowered or "timed out" in lowered:
        return "connection timed out (wrong host or port, or a firewall?)"
    return _first_line(text)


# ---------------------------------------------------------------- directories


def check_directories(config: Any, where: _Locator) -> list[Diagnostic]:
    """The log directory (when file logging is on) and a local streaming catalog are writable."""
    diags: list[Diagnostic] = []
    logging = getattr(config, "logging", None)
    if logging is not None and logging.log_level_file and logging.log_directory:
        problem = writable_directory(Path(logging.log_directory))
        if problem:
            diags.append(
                Diagnostic(
                    "R003",
                    f"log directory '{logging.log_directory}' is not usable: {problem}",
                    where(("logging", "log_directory")),
                    key="logging.log_directory",
                )
            )
    streaming = getattr(config, "streaming", None)
    if streaming is not None and getattr(streaming, "fs_protocol", None) in (None, "file", "local"):
        catalog = streaming.catalog_path
        problem = writable_directory(Path(catalog.removeprefix("file://")))
        if problem:
            diags.append(
                Diagnostic(
                    "R003",
                    f"streaming catalog path '{catalog}' is not usable: {problem}",
                    where(("streaming", "catalog_path")),
                    key="streaming.catalog_path",
                )
            )
    return diags


def writable_directory(path: Path) -> str | None:
    """``None`` when ``path`` exists (or can be created) and a file can be written in it.

    Checked by doing it, not by permission bits, so it holds for root too.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "a file of that name is in the way"
    except NotADirectoryError:
        return "a part of the path is a file, not a directory"
    except OSError as exc:
        return f"cannot create it: {exc.strerror or exc}"
    if not path.is_dir():
        return "it is not a directory"
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".ntprofile-preflight-"):
            pass
    except OSError as exc:
        return f"cannot write in it: {exc.strerror or exc}"
    return None


# ---------------------------------------------------------------- components


def check_components(config: Any, where: _Locator) -> list[Diagnostic]:
    """Every strategy, actor and exec algorithm class imports and its config class accepts its config."""
    diags: list[Diagnostic] = []
    for section, attr, key, what in _COMPONENTS:
        entries = list(getattr(config, section, None) or [])
        names = where.entry_names(section, len(entries))
        for name, entry in zip(names, entries):
            diags += _check_component(entry, getattr(entry, attr), (section, name), key, what, where)
    return diags


def _check_component(
    entry: Any, class_path: str, base: Path_, key: str, what: str, where: _Locator
) -> list[Diagnostic]:
    problem = _import(class_path)
    if problem:
        return [
            Diagnostic(
                "R004",
                f"{what} '{class_path}' cannot be imported: {problem}",
                where(base + (key,)),
                key=".".join(map(str, base + (key,))),
            )
        ]
    config_path = getattr(entry, "config_path", None)
    if not config_path:
        return []
    problem = _import(config_path)
    if problem:
        return [
            Diagnostic(
                "R004",
                f"{what} config class '{config_path}' cannot be imported: {problem}",
                where(base + ("config_path",)),
                key=".".join(map(str, base + ("config_path",))),
            )
        ]
    problem = _parse_config(config_path, getattr(entry, "config", None) or {})
    if problem:
        return [
            Diagnostic(
                "R005",
                f"{config_path.rsplit(':', 1)[-1]} rejected the {what} config: {problem}",
                where(base + ("config",)),
                key=".".join(map(str, base + ("config",))),
            )
        ]
    return []


def _import(class_path: str) -> str | None:
    """Why ``module:Class`` does not import, or ``None``."""
    import importlib

    if not isinstance(class_path, str) or ":" not in class_path:
        return "expected 'package.module:ClassName'"
    module_name, _, attr = class_path.rpartition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        return f"no module named '{exc.name}'"
    except Exception as exc:  # noqa: BLE001 - any error while importing user code is the finding
        return f"importing '{module_name}' raised {type(exc).__name__}: {_first_line(str(exc))}"
    if not hasattr(module, attr):
        return f"module '{module_name}' has no '{attr}'"
    if not isinstance(getattr(module, attr), type):
        return f"'{attr}' is not a class"
    return None


def _parse_config(config_path: str, config: dict) -> str | None:
    """Why the config class refuses ``config``, or ``None``."""
    import msgspec
    from nautilus_trader.common.config import msgspec_encoding_hook, resolve_config_path

    try:
        config_cls = resolve_config_path(config_path)
        config_cls.parse(msgspec.json.encode(config, enc_hook=msgspec_encoding_hook))
    except Exception as exc:  # noqa: BLE001 - NautilusTrader raises several types here
        return _first_line(str(exc))
    return None
