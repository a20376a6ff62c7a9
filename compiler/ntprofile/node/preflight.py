"""Checks that must pass before any NautilusTrader component is constructed.

NautilusTrader, handed an unreachable Redis, blocks inside its Rust connect with
its signal handlers installed (SIGTERM ignored, retries for hours); a log
directory it cannot create fails deep in the Rust logger; a strategy path that
does not import fails only when the trader starts. Each of those becomes one
diagnostic here, within a bounded time, pointing at the profile line that set
the value. Findings use the ``R`` (run-time preflight) codes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.files import writable_directory
from ntprofile.language.constraints import field_problem
from ntprofile.language.secrets import REDACTOR
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import COMPONENTS, REDIS_DEFAULT_HOST, REDIS_DEFAULT_PORT, ComponentKind
from ntprofile.layers import Merged, enabled_entries

REDIS_TIMEOUT = 3.0
"""Seconds for each of connect and PING; well inside the 10 s an operator waits."""


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
    host = REDIS_DEFAULT_HOST if database.host is None or database.host == "" else database.host
    port = REDIS_DEFAULT_PORT if database.port is None else database.port
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
        bad_port = field_problem("DatabaseConfig", "port", port)
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


def written_directories(config: Any) -> list[tuple[str, str, Path_]]:
    """``(what, directory, profile path)`` of every local directory the node writes into: the log
    directory (when file logging is on) and a local streaming catalog (``render`` makes them writable)."""
    places: list[tuple[str, str, Path_]] = []
    logging = getattr(config, "logging", None)
    if logging is not None and logging.log_level_file and logging.log_directory:
        places.append(("log directory", logging.log_directory, ("logging", "log_directory")))
    streaming = getattr(config, "streaming", None)
    if streaming is not None and getattr(streaming, "fs_protocol", None) in (None, "file", "local"):
        catalog = streaming.catalog_path.removeprefix("file://")
        places.append(("streaming catalog path", catalog, ("streaming", "catalog_path")))
    return places


def check_directories(config: Any, where: _Locator) -> list[Diagnostic]:
    """Every directory the node writes into (``written_directories``) is writable."""
    diags: list[Diagnostic] = []
    for what, directory, path in written_directories(config):
        problem = writable_directory(Path(directory))
        if problem:
            message = f"{what} '{directory}' is not usable: {problem}"
            diags.append(Diagnostic("R003", message, where(path), key=key_path(path)))
    return diags


# ---------------------------------------------------------------- components


def check_components(config: Any, where: _Locator) -> list[Diagnostic]:
    """Every strategy, actor and exec algorithm class imports here and its config class accepts its config."""
    diags: list[Diagnostic] = []
    for section, kind in COMPONENTS.items():
        entries = list(getattr(config, section, None) or [])
        names = where.entry_names(section, len(entries))
        for name, entry in zip(names, entries):
            diags += _check_component(entry, kind, (section, name), where)
    return diags


def _check_component(entry: Any, kind: ComponentKind, base: Path_, where: _Locator) -> list[Diagnostic]:
    from ntprofile.compile.importing import component_class

    config_path = getattr(entry, "config_path", None)
    for path_key, label, path, wanted in (
        (kind.path_field, kind.noun, getattr(entry, kind.path_field), kind.base),
        ("config_path", f"{kind.noun} config class", config_path, kind.config_base),
    ):
        if not path:
            return []
        cls, problem, hint = component_class(path, wanted)
        if cls is None:
            problem = problem or "expected 'package.module:ClassName'"
            here = base + (path_key,)
            message = f"{label} '{path}' cannot be used: {problem}"
            return [Diagnostic("R004", message, where(here), key_path(here), hint)]
    problem = _parse_config(config_path, getattr(entry, "config", None) or {})
    if problem:
        here = base + ("config",)
        message = f"{config_path.rsplit(':', 1)[-1]} rejected the {kind.noun} config: {problem}"
        return [Diagnostic("R005", message, where(here), key_path(here))]
    return []


def _parse_config(config_path: str, config: dict) -> str | None:
    """Why the config class refuses ``config``, or ``None``."""
    from ntprofile.compile import components

    cls, problem = components.config_class(config_path)
    if cls is None:
        return problem
    exc = components.parse_problem(config, cls)
    return _first_line(str(exc)) if exc is not None else None
