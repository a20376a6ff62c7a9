"""``ntprofile init``: the files a new profiles repository starts with, rendered from Jinja2 templates.

Layers (``base``, ``env/<stage>``, ``exchanges/<exchange>``), one target per
stage and exchange, the schema copy that the profiles' editor lines point at,
``.gitignore``, ``.pre-commit-config.yaml`` for the published hook and an
``.env.example`` of every variable the targets need. Nothing is ever
overwritten: each file is written to a temporary name and hard-linked into
place, which fails when the name exists, so a file that is there (even one
created a moment ago by someone else) is kept whole and reported.

The stages are the schema's (``profile.stage``), so a stage added to the
profile language appears here with it; each needs a template
``init/profiles/env/<stage>.yaml.j2``. The exchanges are the adapters with a
``starter`` (every venue): what an overlay and its targets say (the product,
the environment words the venue really has, the credentials each client needs
and the variables they come from) is read from the adapter's record. On the
validate path: no NautilusTrader.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Mapping

from ntprofile.adapters import ADAPTERS, Adapter, Credential
from ntprofile.language.secrets import credential_variable, data_variable
from ntprofile.language.vocabulary import SIMULATED_STAGES

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = [
    "DEFAULT_EXCHANGES",
    "DEFAULT_HOOK_REPO",
    "DEFAULT_HOOK_REV",
    "DEFAULT_STAGES",
    "Written",
    "ensure_git",
    "exchanges",
    "refused",
    "scaffold",
    "stages",
]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "init"
SCHEMA_COPY = Path("schemas") / "profile.schema.json"
DEFAULT_EXCHANGES = ("binance", "bybit")
DEFAULT_STAGES = ("testnet", "production")
DEFAULT_HOOK_REPO = "https://github.com/<your-org>/ntprofile"
DEFAULT_HOOK_REV = "HEAD"

SHORT_STAGE = {"production": "prod", "development": "dev"}
"""Target name prefix per stage (``prod-binance``, as the shipped profiles name them)."""
MAINNET_STAGES = frozenset({"production"})
"""Stages whose targets trade on mainnet with the mainnet credentials (policy P101/P108)."""


@dataclass(frozen=True, slots=True)
class Written:
    """One file of the scaffold and what happened to it."""

    path: Path
    status: Literal["created", "kept"]


@cache
def _env() -> jinja2.Environment:
    from ntprofile.tools.templates import environment  # Jinja2 only now: every parser imports this module

    return environment("templates/init")


def stages() -> list[str]:
    """The stages of the profile language, as the schema ``validate`` reads lists them."""
    from ntprofile.validate.schema import schema

    return list(schema()["$defs"]["profile"]["properties"]["stage"]["enum"])


def exchanges() -> list[str]:
    """The adapters init can start a repository with: every one with a ``starter``."""
    return [name for name, adapter in ADAPTERS.items() if adapter.starter is not None]


def refused() -> dict[str, str]:
    """Adapters init cannot start a repository with, and why (one clause each)."""
    from ntprofile.adapters import UNSUPPORTED, unsupported_message

    why = {
        name: "is a simulated exec client with no market data of its own; paper targets (--stages paper) "
        "add one to each venue"
        for name, adapter in ADAPTERS.items()
        if adapter.starter is None and adapter.simulated
    }
    return why | {
        name: unsupported_message(name).removeprefix(f"the NautilusTrader adapter '{name}' ") for name in UNSUPPORTED
    }


GitState = Literal["inside", "created", "no-git", "failed"]


def ensure_git(root: Path) -> GitState:
    """Make ``root`` a git work tree unless it is inside one, so ``pre-commit install`` works next.

    ``inside``: it already is; ``created``: ``git init`` made it one; ``no-git``:
    git is not installed; ``failed``: git refused (the caller says to run it).
    """
    import subprocess

    try:
        probe = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if probe.returncode == 0 and probe.stdout.strip() == "true":
            return "inside"
        made = subprocess.run(["git", "init", "-q", str(root)], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return "no-git"
    except (OSError, subprocess.SubprocessError):
        return "failed"
    return "created" if made.returncode == 0 else "failed"


def target_name(stage: str, exchange: str) -> str:
    return f"{SHORT_STAGE.get(stage, stage)}-{exchange}"


def rehearsal_environment(adapter: Adapter) -> str | None:
    """The environment of non-production targets: the venue's testnet, else its demo; ``None`` for a venue
    with one environment (Databento, Tardis)."""
    if adapter.environment_field is None:
        return None
    return next(env for env in ("testnet", "demo") if env in adapter.environments)


def _needed(adapter: Adapter, kinds: tuple[str, ...]) -> list[Credential]:
    """The credentials a section running ``kinds`` cannot do without, less those the starter sets itself."""
    assert adapter.starter is not None
    return [c for c in adapter.credentials if set(c.required) & set(kinds) and c.field not in adapter.starter.options]


def credentials(adapter: Adapter, client_id: str, environment: str) -> list[tuple[str, str | None]]:
    """``(field, placeholder)`` of each credential the venue's clients need, from ``environment``'s variables."""
    return [
        (c.field, f"${{{credential_variable(client_id, c.field, environment)}}}")
        for c in _needed(adapter, adapter.kinds)
    ]


def paper_credentials(adapter: Adapter, client_id: str) -> list[tuple[str, str | None]]:
    """What a paper target's market-data section sets for each credential of the overlay: a market-data-only
    key where the data client needs one, else ``None`` (no key at all: a paper node never reads a trading key)."""
    data = _needed(adapter, ("data",))
    return [
        (c.field, f"${{{data_variable(client_id, c.field)}}}" if c in data else None)
        for c in _needed(adapter, adapter.kinds)
    ]


def block(options: Mapping[str, Any], indent: int) -> str:
    """``options`` as YAML lines at ``indent``: mappings as blocks, lists of scalars in flow style."""
    import yaml

    def scalar(value: Any) -> str:
        return yaml.safe_dump(value, default_flow_style=True, width=1 << 16).removesuffix("\n...\n").strip()

    lines = []
    pad = " " * indent
    for key, value in options.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines.append(block(value, indent + 2))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return "\n".join(lines)


def plan(root: Path, chosen_exchanges: list[str], chosen_stages: list[str]) -> list[tuple[Path, str]]:
    """``(path, text)`` of every profile to write, layers before the targets that extend them."""
    files: list[tuple[Path, str]] = []

    def add(rel: str, template: str, **values: object) -> None:
        path = root / "profiles" / rel
        ref = os.path.relpath(root / SCHEMA_COPY, path.parent).replace(os.sep, "/")
        files.append((path, _env().get_template(template).render(schema_ref=ref, **values)))

    add("base.yaml", "profiles/base.yaml.j2")
    for stage in chosen_stages:
        add(f"env/{stage}.yaml", f"profiles/env/{stage}.yaml.j2")
    for exchange in chosen_exchanges:
        adapter = ADAPTERS[exchange]
        assert adapter.starter is not None
        client_id = exchange.upper()
        environment = rehearsal_environment(adapter)
        add(
            f"exchanges/{exchange}.yaml",
            "profiles/exchange.yaml.j2",
            adapter=adapter,
            client_id=client_id,
            environment=environment,
            credentials=credentials(adapter, client_id, environment or "mainnet"),
            options=block(adapter.starter.options, 4),
            exec_options=block(adapter.starter.exec_options, 6),
        )
    for stage in chosen_stages:
        for exchange in chosen_exchanges:
            adapter = ADAPTERS[exchange]
            name = target_name(stage, exchange)
            client_id = exchange.upper()
            mainnet = stage in MAINNET_STAGES
            paper = stage in SIMULATED_STAGES
            add(
                f"{name}.yaml",
                "profiles/target.yaml.j2",
                stage=stage,
                exchange=exchange,
                adapter=adapter,
                client_id=client_id,
                trader_id=f"{name.upper()}-001",
                environment=rehearsal_environment(adapter),
                mainnet=mainnet,
                paper=paper and adapter.exec is not None,
                credentials=(
                    paper_credentials(adapter, client_id) if paper else credentials(adapter, client_id, "mainnet")
                ),
            )
    return files


def env_example(root: Path, targets: list[str]) -> str:
    """``.env.example``: each variable the ``targets`` (as they are now on disk) need, once, with who needs it."""
    from ntprofile.layers import Workspace
    from ntprofile.tools.variables import collect

    workspace = Workspace(root / "profiles")
    found: dict[str, dict] = {}
    for target in targets:
        if target not in workspace.files:
            continue
        merged, _ = workspace.merge(target)
        if merged is None:  # a kept file that does not merge: validate reports it
            continue
        for var in collect(merged):
            row = found.setdefault(
                var.name,
                {"name": var.name, "secret": False, "required": False, "default": var.default, "targets": []},
            )
            row["secret"] |= var.secret
            row["required"] |= var.required
            row["targets"].append(target)
    return _env().get_template("env.example.j2").render(variables=list(found.values()))


def scaffold(
    root: Path,
    chosen_exchanges: list[str],
    chosen_stages: list[str],
    hook_repo: str = DEFAULT_HOOK_REPO,
    hook_rev: str = DEFAULT_HOOK_REV,
) -> list[Written]:
    """Write the repository's files under ``root``, keeping every one that exists. Raises ``OSError``."""
    from ntprofile.validate.schema import SCHEMA_PATH

    results = [_create(path, text) for path, text in plan(root, chosen_exchanges, chosen_stages)]
    results.append(_create(root / SCHEMA_COPY, SCHEMA_PATH.read_text(encoding="utf-8")))
    results.append(_create(root / ".gitignore", _env().get_template("gitignore.j2").render()))
    hook = _env().get_template("pre-commit-config.yaml.j2").render(hook_repo=hook_repo, hook_rev=hook_rev)
    results.append(_create(root / ".pre-commit-config.yaml", hook))
    targets = [target_name(s, e) for s in chosen_stages for e in chosen_exchanges]
    results.append(_create(root / ".env.example", env_example(root, targets)))
    return results


def _create(path: Path, text: str) -> Written:
    """Write ``path`` whole, unless it exists (then it is kept as it is)."""
    if path.exists() or path.is_symlink():
        return Written(path, "kept")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a profile is an ordinary file
        os.link(tmp, path)  # fails with FileExistsError instead of replacing
    except FileExistsError:
        return Written(path, "kept")
    finally:
        os.unlink(tmp)
    return Written(path, "created")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
