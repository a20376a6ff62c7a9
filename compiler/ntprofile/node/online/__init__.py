"""``check --online``: read-only signed calls that let each venue confirm what a node is about to rely on.

The offline ``check`` proves the node builds; only the venue can say whether the
key is accepted in this environment, what it may do, whether the local clock is
inside the receive window and how the account holds positions. One module here
per adapter (``binance.py``, ``bybit.py``, ``okx.py``, ...) declares ``ADAPTER`` (the adapter
name), optionally ``CREDENTIALS`` (the config fields it needs, ``api_key`` and
``api_secret`` by default) and ``async def check(target, found)``, which appends its diagnostics to
``found`` as it goes (what it found stays when a later call fails); adding a venue is one
new module. A module whose ``check`` is ``None`` says that adapter has no venue
to ask (a simulated one); an adapter with no module at all gets a warning.

Every call goes to the base URL the node itself would use: the profile's
``base_url_http`` when it sets one, else NautilusTrader's own URL helper for the
environment. No call can change state: only reads are made (GETs, and Kraken's
``POST /0/private/Balance`` and Hyperliquid's ``POST /info``, their read APIs being POST
only, and AX's ``POST /authenticate`` login), and the tests hold every request a check
sends to an allow-list of read-only calls.
Each venue is bounded in time (``VENUE_TIMEOUT``), all venues run concurrently,
and every problem is a diagnostic at the client's section.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import re
import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from ntprofile.diagnostics import Diagnostic, Position
from ntprofile.diagnostics.findings import Severity
from ntprofile.language.secrets import REDACTOR

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.pipeline import Prepared

__all__ = [
    "CALL_TIMEOUT",
    "CHECKS",
    "CLIENT_TIMEOUT_SECS",
    "VENUE_TIMEOUT",
    "Target",
    "VenueProblem",
    "asked",
    "check_target",
    "online_checks",
    "signing_key",
    "targets_of",
]

CALL_TIMEOUT = 3.0
"""Seconds for one request to a venue."""

CLIENT_TIMEOUT_SECS = int(CALL_TIMEOUT) + 1
"""NautilusTrader's clients' own timeout, a second after ``CALL_TIMEOUT``: the bound
is the one that speaks, and it cancels the client's request before the client
could answer it; with equal timeouts the client's answer can race the closing
event loop and abort the process."""

VENUE_TIMEOUT = 8.0
"""Seconds for all the calls of one venue together; venues run concurrently."""

EXPIRY_WARNING_DAYS = 14
"""A key that expires sooner than this is a warning: the node would stop trading mid-run."""

CLOCK_AHEAD_LIMIT_MS = 1000
"""Binance and Bybit both reject a request whose timestamp is more than 1 s ahead of their clock."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Target:
    """One exchange client of a profile, as a venue check needs it (credentials resolved).

    Parameters
    ----------
    client_id : str
        The client's id (``BINANCE``), its section ``exchanges.<client_id>``.
    adapter : str
        The adapter name (``binance``).
    stage : str or None
        The profile's stage; some findings are errors in ``production`` only.
    config : Any
        The resolved NautilusTrader client config: the exec client's when there
        is one (it has the trading fields, ``recv_window_ms``), else the data client's.
    has_exec : bool
        Whether the node trades through this client (a read-only key is then an error).
    pos : Position, optional
        Where the section is, for every finding.

    """

    client_id: str
    adapter: str
    stage: str | None
    config: Any
    has_exec: bool
    pos: Position | None = None

    @property
    def key(self) -> str:
        return f"exchanges.{self.client_id}"

    @property
    def production(self) -> bool:
        return self.stage == "production"

    @property
    def recv_window_ms(self) -> int:
        return int(getattr(self.config, "recv_window_ms", None) or 5000)

    def diagnostic(self, code: str, message: str, hint: str | None = None, severity: Severity = "error") -> Diagnostic:
        return Diagnostic(code, REDACTOR(message), self.pos, key=self.key, hint=hint, severity=severity)


class VenueProblem(Exception):
    """A venue call that failed in a way that ends that venue's check: carries its diagnostic."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


async def call(what: str, awaitable: Awaitable[T], timeout: float = CALL_TIMEOUT) -> T:
    """``await awaitable`` within ``timeout`` seconds, else ``VenueProblem`` R109 naming ``what``."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except TimeoutError:
        raise VenueProblem(
            "R109", f"{what} did not answer within {timeout:g} s", "is base_url_http right, and the venue up?"
        ) from None


async def ask(
    what: str, url: str, awaitable: Awaitable[T], refusal: Callable[[Exception], VenueProblem | None] | None = None
) -> T:
    """The answer to one call, bounded in time (``call``); any other failure is one finding.

    ``refusal(exc)`` says what a failure the venue module recognises means (a
    refused key, a timestamp); any other is R109 naming the request.
    """
    try:
        return await call(f"{url} ({what})", awaitable)
    except VenueProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - unreachable, refused, not the venue: the venue module says which
        problem = refusal(exc) if refusal else None
        raise problem or VenueProblem(
            "R109", f"the {what} request to {url} failed: {type(exc).__name__}: {first_line(exc)}"
        ) from None


async def request(
    url: str, what: str, method: str, address: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, Any]:
    """One bounded HTTP request to a venue through NautilusTrader's ``HttpClient``: ``(status, JSON or None)``.

    Unreachable, refused or silent is ``VenueProblem`` R109 naming ``what`` at ``url``;
    an answer that is not JSON comes back as ``None`` for the caller to judge.
    """
    import json

    from nautilus_trader.core.nautilus_pyo3 import HttpClient, HttpMethod

    response = await ask(
        what,
        url,
        HttpClient().request(
            getattr(HttpMethod, method), address, headers=headers, body=body, timeout_secs=CLIENT_TIMEOUT_SECS
        ),
    )
    try:
        return response.status, json.loads(response.body)
    except ValueError:
        return response.status, None


async def keyed_list(url: str, what: str, path: str, headers: dict[str, str], hint: str) -> list[Any]:
    """The JSON list a key-authenticated GET of ``path`` answers (Databento, Tardis).

    HTTP 401/403 is the key refused (R101, with the venue's ``detail`` or
    ``message`` and ``hint``); any other failure, or an answer that is not a list, R109.
    """
    status, body = await request(url, what, "GET", url + path, headers)
    if status in (401, 403):
        said = body.get("detail") or body.get("message") if isinstance(body, dict) else None
        raise VenueProblem("R101", f"{url} rejected the API key (HTTP {status} {first_line(said or status)})", hint)
    if status >= 400 or not isinstance(body, list):
        raise VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status}")
    return body


def not_json(url: str, what: str, status: int) -> VenueProblem:
    """R109 for an answer that is not JSON."""
    return VenueProblem("R109", f"the {what} request to {url} failed: HTTP {status}, not JSON")


def signing_key(target: Target, field: str, derive: Callable[[str], T]) -> T:
    """``derive(key)`` of the credential ``field``, held first to the form its adapter declares (``CredentialForm``).

    The declaration plain ``check`` applies (S014), so a key is judged the same
    way offline and online. R101 when the key is not of that form, or when
    ``derive`` (NautilusTrader deriving the address it signs for) refuses it;
    no message quotes the key, or NautilusTrader's text about it.
    """
    from ntprofile.adapters import ADAPTERS

    credential = ADAPTERS[target.adapter].credential(field)
    form = credential.form if credential is not None else None
    key = getattr(target.config, field)
    problem = form.problem(key) if form is not None else None
    if problem is None:
        try:
            return derive(key)
        except Exception:  # noqa: BLE001 - its text could quote the key
            problem = f"is not {form.noun if form is not None else 'a usable key'} (NautilusTrader refuses it)"
    raise VenueProblem("R101", f"{field} {problem}", form.hint if form is not None else "is the variable truncated?")


def environment_name(target: Target) -> str:
    """The client's environment as the profile spells it (``mainnet``, ``testnet``), from its enum member.

    The adapter's record maps the profile's words to NautilusTrader's members
    (AX ``SANDBOX`` is ``testnet``); without a member, the adapter's default.
    """
    from ntprofile.adapters import ADAPTERS

    adapter = ADAPTERS.get(target.adapter)
    environment = getattr(target.config, "environment", None)
    if environment is None:
        return getattr(adapter, "default_environment", None) or "mainnet"
    member = str(getattr(environment, "name", None) or environment).rsplit(".", 1)[-1].upper()
    spelled = {value: word for word, value in (adapter.environments if adapter else {}).items()}
    return spelled.get(member, member.lower())


def clock_findings(
    target: Target,
    url: str,
    server_ms: float,
    sent_ms: float,
    received_ms: float,
    ahead_ms: float = CLOCK_AHEAD_LIMIT_MS,
    behind_ms: float | None = None,
) -> list[Diagnostic]:
    """The local clock against the venue's, as the venue judges a request's timestamp.

    Binance and Bybit accept ``server - recv_window <= timestamp < server + 1000``
    (the defaults); a venue with other bounds passes its own. The local time is
    taken at the middle of the round trip.
    """
    local_ms = (sent_ms + received_ms) / 2
    offset = local_ms - server_ms
    window = target.recv_window_ms if behind_ms is None else behind_ms
    limit = "recv_window_ms" if behind_ms is None else "the venue's limit"
    if offset >= ahead_ms:
        message = (
            f"the local clock is {offset / 1000:.1f} s ahead of {url}; "
            f"the venue rejects requests {ahead_ms / 1000:g} s ahead"
        )
    elif -offset > window:
        message = (
            f"the local clock is {-offset / 1000:.1f} s behind {url}, "
            f"more than {limit} {window:g} ms; every signed request would be rejected"
        )
    else:
        return []
    return [target.diagnostic("R102", message, "synchronise the clock with chrony or systemd-timesyncd")]


DRIFT_LIMIT_MS = 5000
"""Where no request of the node's is judged by its timestamp, a clock this far off is a warning."""


def drift_findings(
    target: Target, url: str, server_ms: float, sent_ms: float, received_ms: float, why: str
) -> list[Diagnostic]:
    """A warning for a clock more than ``DRIFT_LIMIT_MS`` off a venue that refuses nothing for it.

    Kraken (nonces), dYdX (block heights) and the like accept such a clock, but the
    node's order, expiry and log timestamps are off by as much; ``why`` says what
    the venue judges instead.
    """
    offset = (sent_ms + received_ms) / 2 - server_ms
    if abs(offset) <= DRIFT_LIMIT_MS:
        return []
    side = "ahead of" if offset > 0 else "behind"
    return [
        target.diagnostic(
            "R102",
            f"the local clock is {abs(offset) / 1000:.1f} s {side} {url}; the venue accepts it ({why}), "
            "but the node's order and log timestamps are off by as much",
            "synchronise the clock with chrony or systemd-timesyncd",
            severity="warning",
        )
    ]


def now_ms() -> float:
    return time.time() * 1000


def error_code(text: str) -> int | None:
    """The venue's error code in an error text (``Bybit error 10003: ...``, ``"retCode": 10003``, ``"code":-2015``)."""
    found = re.search(r'(?:error|"retCode"|"code")\W{0,3}(-?\d{4,6})', text)
    return int(found.group(1)) if found else None


def first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0][:200] if lines else "no detail"


def _discover() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "ADAPTER", None)
        if isinstance(name, str):
            found[name] = module
    return found


CHECKS: dict[str, ModuleType] = _discover()
"""Adapter name -> the module whose ``check(target)`` asks that venue."""


def targets_of(prepared: Prepared) -> list[Target]:
    """The exchange clients of a prepared (compiled, resolved) profile."""
    config = prepared.config
    merged = prepared.merged
    assert merged is not None and prepared.compiled is not None
    found = []
    for client in prepared.compiled.clients:
        exec_config = (config.exec_clients or {}).get(client.client_id) if client.has_exec else None
        data_config = (config.data_clients or {}).get(client.client_id) if client.has_data else None
        found.append(
            Target(
                client_id=client.client_id,
                adapter=client.adapter.name,
                stage=merged.stage,
                config=exec_config if exec_config is not None else data_config,
                has_exec=exec_config is not None,
                pos=merged.origin(("exchanges", client.client_id)),
            )
        )
    return found


def _credentials(target: Target) -> tuple[str, ...]:
    module = CHECKS[target.adapter]
    return getattr(module, "CREDENTIALS", ("api_key", "api_secret"))


def asked(target: Target) -> bool:
    """Whether ``check_target`` asks the venue: it has a check, and the client has credentials for it."""
    module = CHECKS.get(target.adapter)
    if module is None or module.check is None:
        return False
    return all(getattr(target.config, name, None) for name in _credentials(target))


async def check_target(target: Target, timeout: float) -> list[Diagnostic]:
    module = CHECKS.get(target.adapter)
    if module is None:
        message = f"ntprofile has no online check for adapter '{target.adapter}' yet; key and clock not verified"
        return [target.diagnostic("R110", message, severity="warning")]
    check: Callable[[Target, list[Diagnostic]], Awaitable[None]] | None = module.check
    found: list[Diagnostic] = []
    if check is None:  # a simulated venue: nothing to ask
        return found
    if not asked(target):
        if target.has_exec:  # NautilusTrader would fall back to its own variables; the profile names none
            names = " and ".join(_credentials(target))
            found.append(target.diagnostic("R101", f"the exec client has no {names} to verify"))
        return found  # market data needs no key
    try:
        await asyncio.wait_for(check(target, found), timeout)
    except TimeoutError:
        found.append(target.diagnostic("R109", f"the venue did not complete the checks within {timeout:g} s"))
    except VenueProblem as problem:
        if not any(d.code == problem.code == "R102" for d in found):  # the refusal the clock finding foretold
            found.append(target.diagnostic(problem.code, problem.message, problem.hint))
    except Exception as exc:  # noqa: BLE001 - a venue's odd answer is a finding, never a traceback
        message = f"unexpected answer from the venue: {type(exc).__name__}: {first_line(exc)}"
        found.append(target.diagnostic("R109", message))
    return found


def online_checks(prepared: Prepared, timeout: float = VENUE_TIMEOUT) -> list[Diagnostic]:
    """Every online finding for a prepared profile; all venues asked at once, each within ``timeout`` seconds."""

    async def every() -> list[list[Diagnostic]]:
        return await asyncio.gather(*(check_target(t, timeout) for t in targets_of(prepared)))

    return [d for found in asyncio.run(every()) for d in found]
