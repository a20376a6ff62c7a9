"""Trading-safety policy: rules P100-P124 over a merged target (adapter-owned ones included).

The schema says what NautilusTrader *accepts*; these rules say what a desk
running real money *should* accept (DESIGN.md, "policy"). Each rule is one
small function registered with its code and the stages it applies to; titles
and rationales live in ``codes.py`` only. A profile turns a rule off with
``profile.waivers: {CODE: "reason"}``; a waiver without a reason, or naming a
code that is not a policy rule, is itself an error (P100).

A finding points into the *target* file (the target is what violates a stage
rule) and says which layer set the value: ``(set in profiles/env/production.yaml:8)``.
Nothing here imports ``nautilus_trader``.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ntprofile.adapters import (  # the adapters' own rules register on import
    Adapter,
    adapter_of,
    client_venue,
    clients_of,
)
from ntprofile.diagnostics import Diagnostic, Position, key_path, where
from ntprofile.diagnostics.hints import did_you_mean
from ntprofile.diagnostics.rules import RULES, Finding, Rule, rule
from ntprofile.language import placeholders
from ntprofile.language.secrets import (
    URL_CREDENTIALS,
    credential_variable,
    data_variable,
    is_data_variable,
    is_sandbox_variable,
    is_secret_key,
    mainnet_variable,
    testnet_variable,
)
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import REDIS_DEFAULT_HOST, REDIS_DEFAULT_PORT
from ntprofile.layers import Merged, enabled_entries
from ntprofile.releases import active
from ntprofile.validate import routing  # noqa: F401 - the routing rules (P120-P124) register on import

PRODUCTION = frozenset({"production"})
TESTNET = frozenset({"testnet"})
PAPER = frozenset({"paper"})
CREDENTIAL_STAGES = frozenset({"production", "testnet"})

LOOKBACK_MINIMUM = 60


# ------------------------------------------------------------------ helpers


def _exchanges(merged: Merged) -> Iterator[tuple[str, dict[str, Any]]]:
    """Enabled exchange sections (``enabled: false`` ones are ignored by every rule)."""
    yield from enabled_entries(merged.tree.get("exchanges")).items()


def _shown(value: Any) -> str:
    """A value as quoted in a message (never called on a secret field)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _must_be(merged: Merged, path: Path_, expected: bool, consequence: str) -> Iterator[Finding]:
    """A finding when the switch at ``path`` (unset: ``expected``, NautilusTrader's default) is not ``expected``."""
    value = merged.get(path, expected)
    if value is not expected:
        yield Finding(path, f"is {_shown(value)}; {consequence}", f"set it to {_shown(expected)}")


def _unresolved(value: Any) -> bool:
    return placeholders.has_placeholder(value)


# ------------------------------------------------------------------ rules


def _environments(merged: Merged) -> Iterator[tuple[Path_, Any, Adapter, bool]]:
    """``(path, environment, adapter, trades)`` for each enabled client with an environment.

    The environment is the client's ``data``/``exec`` value, else the section's;
    ``trades`` is whether the section runs an exec client (a data-only section
    trades nothing). ``data: false`` or ``exec: false`` omits that client; a
    value set in both clients' sections is reported once per place it is
    written. Simulated clients and adapters with one environment have none.
    """
    for client_id, section in _exchanges(merged):
        adapter = adapter_of(client_id, section)
        if adapter is None or adapter.environment_field is None:
            continue  # the schema reports an unknown adapter
        base = ("exchanges", client_id)
        kinds = clients_of(adapter, section)
        trades = "exec" in kinds
        seen: set[Path_] = set()
        for client in kinds:
            sub = section.get(client, {})
            if isinstance(sub, dict) and "environment" in sub:
                path, value = base + (client, "environment"), sub["environment"]
            else:
                path, value = base + ("environment",), section.get("environment")
            if path not in seen:
                seen.add(path)
                yield path, value, adapter, trades


def _named(env: Any) -> str | None:
    """A written environment as its profile name (``MAINNET`` -> ``mainnet``); ``None`` for anything else."""
    return env.lower() if isinstance(env, str) and not _unresolved(env) else None


@rule("P101", PRODUCTION)
def production_on_mainnet(merged: Merged) -> Iterator[Finding]:
    """Every enabled client of a production profile is on mainnet (unset: the adapter's default)."""
    for path, env, adapter, _trades in _environments(merged):
        if env is None:
            if adapter.default_environment != "mainnet":
                yield Finding(
                    path,
                    f"is not set and the {adapter.name} adapter defaults to {adapter.default_environment}",
                    "set environment: mainnet",
                )
        elif _unresolved(env):
            yield Finding(path, f"{_shown(env)} cannot be checked before it is resolved", "write 'mainnet'")
        elif _named(env) != "mainnet":
            yield Finding(
                path, f"{_shown(env)} in a production profile", "set environment: mainnet, or use a testnet stage"
            )


@rule("P102", TESTNET)
def testnet_off_mainnet(merged: Merged) -> Iterator[Finding]:
    """No client of a section that trades in a testnet profile is on an environment that trades real money.

    A data-only section (no exec client) trades nothing: its market data may come from mainnet.
    """
    for path, env, adapter, trades in _environments(merged):
        if not trades:
            continue
        if env is None:
            if adapter.trades_real_money(None):
                yield Finding(
                    path,
                    f"is not set and the {adapter.name} adapter defaults to {adapter.default_environment}",
                    "set environment: testnet",
                )
        elif _unresolved(env):
            yield Finding(path, f"{_shown(env)} cannot be checked before it is resolved", "write 'testnet' or 'demo'")
        elif _named(env) not in adapter.environments or adapter.trades_real_money(_named(env)):
            yield Finding(path, f"{_shown(env)} in a testnet profile trades real money", "set environment: testnet")


@rule("P103", PRODUCTION)
def redis_cache(merged: Merged) -> Iterator[Finding]:
    """The cache has a Redis database, so positions and orders survive a crash."""
    concepts = active().concepts
    path = concepts.redis
    database = merged.get(path)
    hint = f"set {key_path(path)}: {{{'type: redis, ' if concepts.redis_has_type else ''}host: ..., port: ...}}"
    if not isinstance(database, dict):
        state = "null (an in-memory cache)" if database is None else _shown(database)
        yield Finding(path, f"is {state} in a production profile", hint)
    elif concepts.redis_has_type and database.get("type", "redis") != "redis":
        yield Finding(path + ("type",), f"{_shown(database.get('type'))} is not a Redis database", hint)
    else:
        yield from _redis_password(database, path)


def _redis_password(database: dict[str, Any], path: Path_) -> Iterator[Finding]:
    """A production Redis has a password: one without lets anyone who reaches it read and rewrite the
    node's orders and positions. A placeholder whose default is empty (``${REDIS_PASSWORD:-}``) is no
    password when its variable is unset, so it is refused too; a password inside the host URL counts."""
    host = database.get("host")
    if isinstance(host, str) and URL_CREDENTIALS.search(host):
        return
    password = database.get("password")
    hint = "write password: ${REDIS_PASSWORD}, with no default, so an unset variable stops the node"
    if password is None or (isinstance(password, str) and not password.strip()):
        yield Finding(path + ("password",), "a production Redis without a password", hint)
        return
    try:
        parts = placeholders.parse(password) if isinstance(password, str) else []
    except placeholders.PlaceholderError:
        return  # S002 reports it
    refs = [p for p in parts if isinstance(p, placeholders.Placeholder)]
    if refs and all(p.default == "" for p in refs) and not any(isinstance(p, str) and p for p in parts):
        names = ", ".join(p.name for p in refs)
        yield Finding(
            path + ("password",),
            f"is optional: with {names} unset or empty the production Redis runs without a password",
            hint.replace("REDIS_PASSWORD", refs[0].name),
        )


@rule("P104", PRODUCTION)
def reconciliation(merged: Merged) -> Iterator[Finding]:
    """Reconciliation is on and looks back at least an hour (or null: the venue's maximum)."""
    concepts = active().concepts
    yield from _must_be(merged, concepts.reconciliation, True, "a restarted node would not know its open orders")
    path = concepts.reconciliation_lookback
    lookback = merged.get(path)
    if lookback is None:
        return
    if isinstance(lookback, bool) or not isinstance(lookback, (int, float)):
        yield Finding(
            path,
            f"{_shown(lookback)} cannot be checked; write null (the venue's maximum) or a number of minutes",
            f"at least {LOOKBACK_MINIMUM}",
        )
    elif lookback < LOOKBACK_MINIMUM:
        yield Finding(
            path,
            f"{lookback} is below the production minimum {LOOKBACK_MINIMUM}",
            "use null for the venue's maximum",
        )


@rule("P105", PRODUCTION)
def risk_engine(merged: Merged) -> Iterator[Finding]:
    """The risk engine is not bypassed and its order rate limits are set explicitly."""
    concepts = active().concepts
    yield from _must_be(merged, concepts.risk_bypass, False, "orders would skip every pre-trade check")
    for path in concepts.rate_limits:
        if merged.get(path) is None:
            yield Finding(
                path,
                "is not set; NautilusTrader's default is not a decision",
                f"set it explicitly, such as {path[-1]}: '50/00:00:01'",
            )


@rule("P107", PRODUCTION)
def json_file_logs(merged: Merged) -> Iterator[Finding]:
    """Log files are written, in JSON, to a known directory."""
    concepts = active().concepts
    fmt = merged.get(concepts.log_file_format)
    if not isinstance(fmt, str) or fmt.lower() != "json":
        state = "not set" if fmt is None else _shown(fmt)
        yield Finding(concepts.log_file_format, f"is {state}; the log shipper reads JSON", "set it to json")
    directory = merged.get(concepts.log_directory)
    if directory is None or directory == "":
        yield Finding(concepts.log_directory, "is not set", f"set {concepts.log_directory[-1]}, such as 'logs'")
    if merged.get(concepts.log_level_file) is None:
        yield Finding(
            concepts.log_level_file,
            "is not set; NautilusTrader writes no log file without it",
            f"set {concepts.log_level_file[-1]}, such as INFO",
        )


def _credentials(section: Any, path: Path_, declared: frozenset[str]) -> Iterator[tuple[Path_, str]]:
    """Every credential string of an exchange section: secret-named keys and the adapter's declared credentials."""
    if isinstance(section, dict):
        for key, value in section.items():
            here = path + (key,)
            if isinstance(value, str) and (is_secret_key(key) or key in declared):
                yield here, value
            elif isinstance(value, (dict, list)):
                yield from _credentials(value, here, declared)
    elif isinstance(section, list):
        for index, value in enumerate(section):
            yield from _credentials(value, path + (index,), declared)


def _wants_mainnet_keys(merged: Merged, adapter: Adapter | None, section: dict[str, Any]) -> bool:
    """Whether a section's credentials are for mainnet: by the stage where it trades, else by its environment.

    A production section trades real money; a testnet one does not. A section
    that trades nothing (data only, and every client of a paper profile) uses
    the keys of the environment it reads from.
    """
    trades = adapter is not None and "exec" in clients_of(adapter, section) and not adapter.simulated
    if trades and merged.stage in CREDENTIAL_STAGES:
        return merged.stage == "production"
    env = _named(section.get("environment"))
    if env is None and adapter is not None:
        env = adapter.default_environment
    return env in (None, "mainnet")


def _paper_hint(adapter: Adapter, client_id: str, field: str) -> str:
    """Where a paper section's key should come from: a market-data-only variable, or nowhere."""
    needs = any(c.field == field and "data" in c.required for c in adapter.credentials)
    data = f"a market-data-only key, such as {data_variable(client_id, field)}"
    return f"use {data}" if needs else f"set it to null: the {adapter.name} data client needs no key; or use {data}"


@rule("P108", CREDENTIAL_STAGES | PAPER)
def credential_variables(merged: Merged) -> Iterator[Finding]:
    """Mainnet credentials never name a testnet/demo variable; testnet and demo ones always do; a paper
    profile never reads a variable a production target trades with (only ``*_DATA_*`` market-data keys),
    and a production exec client never reads a market-data-only one."""
    for client_id, section in _exchanges(merged):
        adapter = adapter_of(client_id, section)
        declared = frozenset(c.field for c in adapter.credentials) if adapter is not None else frozenset()
        mainnet = _wants_mainnet_keys(merged, adapter, section)
        # a venue that trades (an exec client exists) has trading keys a paper node must never hold
        tradable = adapter is not None and adapter.exec is not None and not adapter.simulated
        trades = tradable and adapter is not None and "exec" in clients_of(adapter, section)
        for path, text in _credentials(section, ("exchanges", client_id), declared):
            try:
                found = placeholders.names(text)
            except placeholders.PlaceholderError:
                continue  # S002 reports it
            for ph in found:
                sandbox = is_sandbox_variable(ph.name)
                if merged.stage == "paper" and mainnet and tradable and not sandbox and not is_data_variable(ph.name):
                    assert adapter is not None
                    yield Finding(
                        path,
                        f"paper credential uses {ph.name}, a variable production targets trade with; a paper "
                        "node must never hold a key that can trade",
                        _paper_hint(adapter, str(client_id), str(path[-1])),
                    )
                elif merged.stage == "production" and trades and is_data_variable(ph.name):
                    yield Finding(
                        path,
                        f"the exec client reads {ph.name}, a market-data-only key; its orders would be rejected",
                        f"use the trading key, such as {credential_variable(str(client_id), str(path[-1]))}",
                    )
                elif mainnet and sandbox:
                    plain = mainnet_variable(ph.name)
                    where = "production" if merged.stage == "production" else "mainnet"
                    yield Finding(
                        path,
                        f"{where} credential uses the testnet/demo variable {ph.name}",
                        f"use a mainnet variable, such as {plain}",
                    )
                elif not mainnet and not sandbox:
                    suggestion = testnet_variable(ph.name)
                    yield Finding(
                        path,
                        f"testnet credential uses {ph.name}, a variable without TESTNET or DEMO in its name",
                        f"use a testnet variable, such as {suggestion}",
                    )


# ------------------------------------------------------------- paper trading


def _exec_clients(merged: Merged) -> Iterator[tuple[str, dict[str, Any], Adapter]]:
    """Enabled sections that run an exec client, with their adapter."""
    for client_id, section in _exchanges(merged):
        adapter = adapter_of(client_id, section)
        if adapter is not None and "exec" in clients_of(adapter, section):
            yield client_id, section, adapter


@rule("P113", PAPER)
def paper_is_simulated(merged: Merged) -> Iterator[Finding]:
    """Every exec client of a paper profile is simulated: a real one would send orders to the venue."""
    for client_id, _section, adapter in _exec_clients(merged):
        if not adapter.simulated:
            yield Finding(
                ("exchanges", client_id),
                f"runs a real {adapter.name} exec client in a paper profile; its orders would reach the venue",
                "set exec: false here and trade through an exchange section with adapter: sandbox",
            )


@rule("P114", PRODUCTION)
def production_not_simulated(merged: Merged) -> Iterator[Finding]:
    """No simulated exec client in production: its fills are not real and the node would trade nothing."""
    for client_id, _section, adapter in _exec_clients(merged):
        if adapter.simulated:
            yield Finding(
                ("exchanges", client_id, "adapter"),
                f"a simulated ({adapter.name}) exec client in a production profile fills no real orders",
                "use the venue's own adapter, or stage: paper",
            )


@rule("P115", None, every_venue=True)
def simulated_venue_has_data(merged: Merged) -> Iterator[Finding]:
    """A simulated exec client fills against the market data of its venue: some data client must serve it."""
    served: set[str] = set()
    open_ended = False  # a data client without a fixed venue (Databento, Tardis) may serve any
    for client_id, section in _exchanges(merged):
        adapter = adapter_of(client_id, section)
        if adapter is None or "data" not in clients_of(adapter, section):
            continue
        venue = client_venue(section, adapter, "data")
        if venue is None:
            open_ended = True
        else:
            served.add(venue)
    if open_ended:
        return
    for client_id, section, adapter in _exec_clients(merged):
        if not adapter.simulated:
            continue
        venue = client_venue(section, adapter, "exec")
        if venue is None or _unresolved(venue) or venue in served:
            continue
        field = adapter.venue_field or "venue"
        yield Finding(
            ("exchanges", client_id, field),
            f"no data client of this profile serves venue {venue}: the simulated exec client would never fill",
            f"add that venue's exchange section with exec: false, or set {field} to one of "
            + (", ".join(sorted(served)) if served else "the data clients' venues"),
            any_target=True,
        )


@rule("P110", PRODUCTION)
def fixed_instance_id(merged: Merged) -> Iterator[Finding]:
    """``cache.use_instance_id`` with Redis needs a fixed ``node.instance_id``."""
    concepts = active().concepts
    if not isinstance(merged.get(concepts.redis), dict):
        return
    if merged.get(concepts.use_instance_id) is True and merged.get(concepts.instance_id) is None:
        yield Finding(
            concepts.use_instance_id,
            "is true but node.instance_id is not set: each start gets a random id and finds none of its state",
            "set node.instance_id to a fixed UUID, or use_instance_id: false",
        )


@rule("P111", PRODUCTION)
def no_flush_on_start(merged: Merged) -> Iterator[Finding]:
    """``cache.flush_on_start`` is false."""
    path = active().concepts.flush_on_start
    value = merged.get(path, False)
    if value not in (False, None):
        yield Finding(path, f"is {_shown(value)}; it runs FLUSHDB on the whole Redis database", "set it to false")


# ------------------------------------------------------------ P109 (global)


Identity = tuple[str, str, str, str]

REDIS_DEFAULTS = {"host": REDIS_DEFAULT_HOST, "port": str(REDIS_DEFAULT_PORT)}
"""Where NautilusTrader connects when the cache's ``database`` sets no host or port, as profile text."""


_as_deployed = placeholders.as_deployed


def _redis_address(database: dict[str, Any], field: str) -> str:
    """A Redis host or port as a node deployed without variables connects to it.

    Unset (or empty) is NautilusTrader's default, a placeholder counts as its
    ``:-default`` (one without a default is compared as written) and
    ``localhost`` is ``127.0.0.1``: so ``${REDIS_HOST:-127.0.0.1}``, an unset
    host and ``localhost`` are one Redis.
    """
    value = _as_deployed(database.get(field))
    text = "" if value is None else str(value).strip()
    if not text:
        return REDIS_DEFAULTS[field]
    return "127.0.0.1" if text.lower() == "localhost" else text


def identity(merged: Merged) -> Identity | None:
    """The Redis key space of a production target: trader_id, instance id in keys, Redis host and port.

    NautilusTrader keys a Redis cache by ``trader-<trader_id>``, plus the
    instance id only when ``cache.use_instance_id`` is true; without a Redis
    database, or with a random instance id, nothing can collide.
    """
    if merged.stage != "production":
        return None
    concepts = active().concepts
    database = merged.get(concepts.redis)
    trader_id = merged.get(concepts.trader_id)
    if not isinstance(database, dict) or trader_id is None:
        return None
    instance = ""
    if merged.get(concepts.use_instance_id) is True:
        if merged.get(concepts.instance_id) is None:
            return None
        instance = _shown(_as_deployed(merged.get(concepts.instance_id)))
    return _shown(_as_deployed(trader_id)), instance, _redis_address(database, "host"), _redis_address(database, "port")


class IdentityIndex:
    """Production targets by Redis identity, built once per run (O(targets))."""

    def __init__(self, targets: Iterable[Merged]):
        self._by_identity: dict[Identity, list[Merged]] = {}
        for merged in targets:
            key = identity(merged)
            if key is not None:
                self._by_identity.setdefault(key, []).append(merged)

    def collisions(self, merged: Merged) -> list[Merged]:
        """The other production targets that share ``merged``'s Redis key space."""
        key = identity(merged)
        if key is None:
            return []
        return [m for m in self._by_identity.get(key, []) if m.name != merged.name]


def _identity_findings(merged: Merged, index: IdentityIndex) -> Iterator[Finding]:
    others = index.collisions(merged)
    if not others:
        return
    trader_id, instance, host, port = identity(merged) or ("", "", "", "")
    names = ", ".join(
        f"{m.name} ({where(m.origin(('node', 'trader_id')))})" for m in sorted(others, key=lambda m: m.name)
    )
    with_instance = f" and instance_id {instance}" if instance else ""
    written = merged.get(("node", "trader_id"))
    if isinstance(written, str) and _unresolved(written) and _as_deployed(written) != written:
        trader_id += f" (the default of {written})"
    yield Finding(
        ("node", "trader_id"),
        f"{trader_id}{with_instance} on Redis {host}:{port} is also used by {names}: their cache keys collide",
        "give each production node its own trader_id",
    )


RULES["P109"] = Rule("P109", PRODUCTION, lambda merged: ())
"""P109 needs every target: ``check_policy`` runs it with an ``IdentityIndex``."""
_ordered = sorted(RULES.items())
RULES.clear()
RULES.update(_ordered)  # in code order, adapter-owned rules included

POLICY_CODES = frozenset(RULES)


# ------------------------------------------------------------------ waivers


def waivers(merged: Merged) -> tuple[dict[str, str], list[Diagnostic]]:
    """Valid waivers ``{code: reason}`` of a merged profile, and P100 for every invalid one."""
    raw = merged.get(("profile", "waivers"))
    if not isinstance(raw, dict):
        return {}, []  # absent, or the schema reports the wrong type
    valid: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for code, reason in raw.items():
        path = ("profile", "waivers", code)
        pos = merged.origin(path)
        if code not in POLICY_CODES:
            hint = (
                did_you_mean(str(code), sorted(POLICY_CODES))
                or f"only policy rules {min(POLICY_CODES)}-{max(POLICY_CODES)} can be waived"
            )
            diags.append(
                Diagnostic("P100", f"'{code}' is not a policy rule that can be waived", pos, key_path(path), hint)
            )
        elif not isinstance(reason, str):
            diags.append(
                Diagnostic(
                    "P100",
                    f"the reason for waiving {code} must be a text, not {_type_name(reason)}, so {code} still applies",
                    pos,
                    key_path(path),
                    f'write why, in quotes, such as {code}: "<reason and ticket>"',
                )
            )
        elif not reason.strip():
            diags.append(
                Diagnostic(
                    "P100",
                    f"the waiver of {code} gives no reason, so {code} still applies",
                    pos,
                    key_path(path),
                    f'write why, such as {code}: "<reason and ticket>"',
                )
            )
        else:
            valid[code] = reason
    return valid, diags


def waiver_notes(merged: Merged) -> list[Diagnostic]:
    """A note per waived rule with its reason, at the line that waives it, so a review sees every waiver."""
    active, _ = waivers(merged)
    return [
        Diagnostic(
            code,
            f"waived ({RULES[code].title}): {' '.join(reason.split())}",
            merged.origin(("profile", "waivers", code)),
            key_path(("profile", "waivers", code)),
            severity="note",
        )
        for code, reason in active.items()
    ]


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


# ------------------------------------------------------------------ placing


def locate(merged: Merged, path: Path_) -> tuple[Position, str]:
    """Where a finding about ``path`` goes in the target file, and its ``(set in ...)`` note.

    A value set by the target itself is reported at its own line; an inherited
    one at the target's nearest enclosing key (or its ``extends``), naming the
    layer line that set it, so each target that inherits a bad value says so.
    """
    target = merged.chain[-1]
    settings = merged.provenance.get(path)
    origin = settings[-1].pos if settings else None
    if origin is not None and origin.file == str(target.path):
        return origin, ""
    note = f" (set in {where(origin)})" if origin else ""
    for depth in range(len(path) - 1, 0, -1):
        pos = target.positions.get(path[:depth])
        if pos is not None:
            return pos, note
    return target.positions.get(("extends",), Position(str(target.path), 1, 1)), note


def _place(merged: Merged, code: str, finding: Finding) -> Diagnostic:
    settings = merged.provenance.get(finding.path)
    if finding.any_target and settings:
        pos, note = settings[-1].pos, ""
    else:
        pos, note = locate(merged, finding.path)
    return Diagnostic(code, finding.message + note, pos, key_path(finding.path), finding.hint, finding.severity)


def check_policy(merged: Merged, identities: IdentityIndex | None = None) -> list[Diagnostic]:
    """Every policy finding of one merged target, waivers applied.

    Parameters
    ----------
    merged : Merged
        The target (its last chain document is the target file).
    identities : IdentityIndex, optional
        Every production target of the root, for P109; without it P109 is skipped.

    """
    active, diags = waivers(merged)
    stage = merged.stage
    unknown = any(adapter_of(c, s) is None for c, s in _exchanges(merged))
    for code, policy_rule in RULES.items():
        if code in active or not policy_rule.applies_to(stage) or (unknown and policy_rule.every_venue):
            continue
        findings: Iterable[Finding] = policy_rule.check(merged)
        if code == "P109":
            findings = _identity_findings(merged, identities) if identities is not None else ()
        diags.extend(_place(merged, code, f) for f in findings)
    return diags
