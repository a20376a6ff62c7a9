"""The Python API: ``load``, ``compile_profile``, ``build_node``, and the pipeline ``check``/``run`` share.

One pipeline, ``prepare``, takes a target from files to a resolved, preflighted
``TradingNodeConfig``: validate (schema, secrets, policy), merge, register the
secret values with the redactor, compile with the environment lookup, preflight.
The command line prints its findings; the API raises ``ProfileError`` with all
of them. Nothing here is imported by ``import ntprofile`` until first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ntprofile.diagnostics import Diagnostic, ProfileError, combine, warn
from ntprofile.layers import Merged, Workspace
from ntprofile.resolve import Lookup, environment_lookup, register_secrets

if TYPE_CHECKING:  # pragma: no cover
    from nautilus_trader.config import TradingNodeConfig
    from nautilus_trader.live.node import TradingNode

    from ntprofile.compile import Compiled


@dataclass(slots=True)
class Prepared:
    """A target taken as far as the pipeline got: merged, compiled, preflighted.

    ``compiled.config`` is usable only when ``ok``. Its repr leaves the compiled
    config out: NautilusTrader's config repr shows resolved ``api_key`` and
    ``api_secret`` values.
    """

    name: str
    merged: Merged | None = None
    compiled: Compiled | None = field(default=None, repr=False)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.compiled is not None
            and self.compiled.config is not None
            and not any(d.is_error for d in self.diagnostics)
        )

    @property
    def config(self) -> TradingNodeConfig:
        if not self.ok:
            raise ProfileError(self.diagnostics)
        assert self.compiled is not None and self.compiled.config is not None
        return self.compiled.config


def workspace_for(profiles: Path | str | None = None) -> Workspace:
    """The profiles root: ``profiles``, else ``$NTPROFILE_PROFILES``, else ``./profiles``."""
    return Workspace(profiles)


def target_name(workspace: Workspace, name: str) -> str:
    """``name`` when it is a target of the root, else ``LookupError`` saying why.

    A layer (``env/production``, or a root file without a stage such as
    ``base``) is not a target: it has no stage, so the production policy would
    not hold it, and it is never deployed on its own.
    """
    if not Path(workspace.root).is_dir():
        raise LookupError(f"no profiles root at {workspace.root} (pass profiles=DIR or set NTPROFILE_PROFILES)")
    if name in workspace.files:
        if workspace.is_target(name):
            return name
        targets = ", ".join(workspace.targets()) or "none"
        raise LookupError(f"'{name}' is a layer, not a target; targets: {targets}")
    raise LookupError(workspace.unknown(name, workspace.targets()))


def prepare(workspace: Workspace, name: str, lookup: Lookup, run_preflight: bool = True) -> Prepared:
    """Validate, merge, compile with ``lookup`` and (optionally) preflight one target.

    Never raises for a bad profile or environment: every finding is in
    ``diagnostics``. Preflight runs only on a config that compiled cleanly.
    """
    from ntprofile.validate import validate_target

    result = Prepared(name)
    result.diagnostics = list(validate_target(workspace, name))
    merged, merge_diags = workspace.merge(name)
    result.diagnostics = combine(result.diagnostics, merge_diags)
    if merged is None:
        return result
    result.merged = merged
    register_secrets(merged, lookup)  # before anything can print a value
    from ntprofile.compile import compile_merged

    result.compiled = compile_merged(merged, lookup)
    result.diagnostics = combine(result.diagnostics, result.compiled.diagnostics)
    if run_preflight and result.ok:
        from ntprofile.node.preflight import preflight

        assert result.compiled.config is not None
        result.diagnostics += preflight(result.compiled.config, merged)
    return result


# ------------------------------------------------------------------ public API


def load(name: str, profiles: Path | str | None = None) -> Merged:
    """The merged profile of target ``name``, validated.

    Raises
    ------
    ProfileError
        With every finding, when the profile has errors.
    LookupError
        When the profiles root has no such target (a layer is not a target).

    """
    from ntprofile.validate import validate_target

    workspace = workspace_for(profiles)
    name = target_name(workspace, name)
    diags = list(validate_target(workspace, name))
    merged, merge_diags = workspace.merge(name)
    diags = combine(diags, merge_diags)
    if merged is None or any(d.is_error for d in diags):
        raise ProfileError(diags)
    warn(diags)
    return merged


def compile_profile(
    name: str,
    profiles: Path | str | None = None,
    env_file: Path | str | None = None,
) -> TradingNodeConfig:
    """The ``TradingNodeConfig`` of target ``name`` with every placeholder resolved.

    Variables come from the environment, then ``env_file`` (default ``./.env``).
    Raises ``ProfileError`` with all findings (missing variables included).
    The result is NautilusTrader's own class: its ``repr()`` and ``json()``
    contain the resolved credentials, so never print or log it.
    """
    from ntprofile.node.requirements import require_node

    require_node("ntprofile.compile_profile()")
    workspace = workspace_for(profiles)
    prepared = prepare(workspace, target_name(workspace, name), environment_lookup(env_file), run_preflight=False)
    config = prepared.config
    warn(prepared.diagnostics)
    return config


def build_node(
    name: str,
    profiles: Path | str | None = None,
    env_file: Path | str | None = None,
) -> TradingNode:
    """A built ``TradingNode`` for target ``name``: resolved, preflighted, factories registered.

    Nothing is connected until ``node.run()``; dispose it with
    ``ntprofile.node.dispose_node(node)`` (or ``node.dispose()``) when done.
    Raises ``ProfileError`` with all findings, preflight ones (Redis, directories,
    strategy imports) included.
    """
    from ntprofile import node as node_mod
    from ntprofile.node.requirements import require_node

    require_node("ntprofile.build_node()")
    workspace = workspace_for(profiles)
    prepared = prepare(workspace, target_name(workspace, name), environment_lookup(env_file))
    config = prepared.config
    warn(prepared.diagnostics)
    return node_mod.build_node(config)


def summary(prepared: Prepared) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing a prepared node; secrets never included."""
    config: Any = prepared.config
    merged = prepared.merged
    assert merged is not None and prepared.compiled is not None
    exchanges = merged.tree.get("exchanges") or {}
    rows = [("trader id", str(config.trader_id)), ("stage", merged.stage or "?")]
    for client in prepared.compiled.clients:
        section = exchanges.get(client.client_id) if isinstance(exchanges, dict) else None
        environment = section.get("environment", "?") if isinstance(section, dict) else "?"
        kinds = "+".join(k for k, on in (("data", client.has_data), ("exec", client.has_exec)) if on)
        rows.append(("client", f"{client.client_id}: {client.adapter.name} {environment} ({kinds})"))
    rows.append(("cache", _backend(getattr(config.cache, "database", None) if config.cache else None)))
    if config.message_bus is not None and config.message_bus.database is not None:
        rows.append(("message bus", _backend(config.message_bus.database)))
    strategies = _components(merged, "strategies", [s.strategy_path for s in config.strategies or []])
    rows.append(("strategies", strategies or "none"))
    if config.actors:
        rows.append(("actors", _components(merged, "actors", [a.actor_path for a in config.actors])))
    if config.exec_algorithms:
        paths = [a.exec_algorithm_path for a in config.exec_algorithms]
        rows.append(("exec algorithms", _components(merged, "exec_algorithms", paths)))
    logging = config.logging
    if logging is not None and logging.log_level_file:
        rows.append(
            (
                "log files",
                f"{logging.log_directory or '.'} ({logging.log_file_format or 'text'}, {logging.log_level_file})",
            )
        )
    return rows


SHORT_CLASS = 32
"""A component's class name is shown after its name up to this length."""


def _components(merged: Merged, section: str, paths: list[str]) -> str:
    """``name (Class), ...``: the profile's names for the compiled components, in order.

    The names are the keys of the profile's ``strategies:`` (``actors:``,
    ``exec_algorithms:``) mapping, which is what an operator greps for; the
    class follows in parentheses when its name is short and says something
    the name does not.
    """
    from ntprofile.layers import enabled_entries

    names = list(enabled_entries(merged.tree.get(section)))
    if len(names) != len(paths):  # cannot pair them up: the class paths are still exact
        return ", ".join(paths)
    shown = []
    for name, path in zip(names, paths):
        cls = str(path).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        short = cls and len(cls) <= SHORT_CLASS and cls.lower() != str(name).lower()
        shown.append(f"{name} ({cls})" if short else str(name))
    return ", ".join(shown)


def _backend(database: Any) -> str:
    if database is None:
        return "in memory"
    from ntprofile.node.preflight import redis_address

    host, port = redis_address(database)
    auth = ", password ***" if database.password else ""
    return f"{database.type} {host}:{port}{auth}"
