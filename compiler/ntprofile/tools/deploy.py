"""Deployment files for a fleet of targets: Compose and Kubernetes, rendered with Jinja2 over the compiled targets.

Each target is compiled (placeholders kept, as ``ntprofile compile`` does) and
becomes one service (Compose) or one Deployment (Kubernetes) that gets only
what it needs: its own profile files (its layer chain), its own secrets as files
(``NAME_FILE`` pointing at ``/run/secrets/NAME``; ``resolve`` reads them), the
variables without a default it needs, a stop grace from its stop bound
(``node.runtime.stop_bound``) and probes over its health file.

The in-cluster Redis: a target whose ``cache.database`` (or
``message_bus.database``) ``host`` is a placeholder (``${REDIS_HOST:-127.0.0.1}``)
is deployed next to one Redis the rendering adds (append-only, persistent),
and that variable (and the port's, when the port is one) is set to reach it. A
literal host (``redis.internal``), or none, is an external Redis used as
written, and no Redis is rendered for it.

What the operator fills goes into a secrets folder beside the rendered files
(``prepare_secrets``): private, git-ignored by construction, its files readable
by the node's user in the container. Kubernetes pods meet the Pod Security
Standards' restricted profile as rendered; every directory the node writes is
writable in its container (``_writable``); a production fleet runs a pinned
image (D004).

Output is deterministic: targets in name order, no time stamps; the header
names the targets and the profiles' git revision.
"""

from __future__ import annotations

import json
import math
import os
import posixpath
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import jinja2

from ntprofile.compile.output import _umask
from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.language.placeholders import Placeholder, PlaceholderError, parse
from ntprofile.language.tree import Path_
from ntprofile.language.secrets import SECRETS_FOLDER_MARKER
from ntprofile.language.vocabulary import DEPLOYED_STAGES, REDIS_DEFAULT_PORT
from ntprofile.layers import Merged, Workspace
from ntprofile.tools.templates import environment
from ntprofile.tools.variables import collect

__all__ = [
    "MARKER",
    "SECRETS_MARKER",
    "Fleet",
    "Written",
    "default_targets",
    "output_problem",
    "plan",
    "render",
    "secret_name",
    "write_rendered",
]

MARKER = "# Rendered by ntprofile render"
"""The first line of every file ntprofile writes: only such files are ever replaced or removed."""

IMAGE = "ntprofile:latest"
REDIS_IMAGE = "redis:7.4-alpine"
REDIS_STORAGE = "10Gi"
WORKDIR = "/app"
"""The image's working directory (Dockerfile ``WORKDIR``): relative profile paths are under it."""
NODE_UID = 10001
"""The image's user and group (Dockerfile ``USER 10001:10001``): what the node reads must be readable by it."""
REDIS_UID = 999
"""The Redis image's ``redis`` user, which the Kubernetes Redis runs as."""
PROFILES_DIR = f"{WORKDIR}/profiles"
LOGS_DIR = f"{WORKDIR}/logs"
"""The node's own log volume (the image makes it and gives it to ``NODE_UID``)."""
TMP_DIR = "/tmp"
SECRETS_MOUNT = "/run/secrets"
SECRETS_DIR = "secrets"
"""The folder beside the rendered files where the operator puts one file per secret."""
SECRETS_MARKER = SECRETS_FOLDER_MARKER
"""Marks a folder of secret values: the pre-commit hook refuses a staged file under it (S015)."""
HEALTH_FILE = "/tmp/ntprofile/health.json"
VARIABLES_CONFIG = "ntprofile-variables"
REDIS_HOSTS = {"compose": "redis", "kubernetes": "ntprofile-redis"}
RESOURCES = {
    "node": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
    "redis": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
}
"""Requests and limits of the containers; patch them with kustomize where a node needs more."""

GRACE_MARGIN_SECS = 5
"""Beyond the stop bound: ntprofile's own watchdog (exit 4) fires before the orchestrator's SIGKILL."""

STARTUP_PERIOD_SECS = 5
"""``startupProbe.periodSeconds``; the failure threshold covers ``health.startup_bound``."""

_DNS = re.compile(r"[^a-z0-9-]+")
_KEY = re.compile(r"[-._a-zA-Z0-9]+")


@dataclass(slots=True)
class ProfileFile:
    """One file of a target's layer chain, as it is shipped into the deployment."""

    rel: str
    text: str
    key: str
    """Its ConfigMap key (no '/'), also its Compose config name after ``profile-``."""

    @property
    def config(self) -> str:
        return f"profile-{self.key}"


@dataclass(slots=True)
class Node:
    """One target as deployed."""

    target: str
    slug: str
    trader_id: str
    stage: str
    digest: str
    revision: str
    stop_bound: float
    startup: int
    files: list[ProfileFile]
    writable: list[str] = field(default_factory=list)
    """Directories outside ``LOGS_DIR`` and ``TMP_DIR`` that the node writes into (Kubernetes: an emptyDir each)."""
    secrets: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    redis_hosts: list[str] = field(default_factory=list)
    redis_ports: list[str] = field(default_factory=list)
    redis_password: str | None = None

    @property
    def redis(self) -> bool:
        return bool(self.redis_hosts)

    @property
    def name(self) -> str:
        return f"ntprofile-{self.slug}"

    @property
    def profiles_config(self) -> str:
        return f"ntprofile-{self.slug}-profiles"

    @property
    def grace(self) -> int:
        return math.ceil(self.stop_bound) + GRACE_MARGIN_SECS

    @property
    def startup_checks(self) -> int:
        return max(1, math.ceil(self.startup / STARTUP_PERIOD_SECS))


@dataclass(slots=True)
class Fleet:
    """The targets rendered together, and what they share."""

    nodes: list[Node]
    revision: str
    image: str = IMAGE
    namespace: str | None = None
    redis_image: str = REDIS_IMAGE
    redis_storage: str = REDIS_STORAGE

    @property
    def redis(self) -> bool:
        return any(node.redis for node in self.nodes)

    @property
    def redis_password(self) -> str | None:
        return next((n.redis_password for n in self.nodes if n.redis and n.redis_password), None)

    @property
    def secrets(self) -> list[str]:
        names = [name for node in self.nodes for name in node.secrets]
        return sorted(set(names))

    @property
    def files(self) -> list[ProfileFile]:
        by_key = {f.key: f for node in self.nodes for f in node.files}
        return [by_key[k] for k in sorted(by_key)]


# ------------------------------------------------------------------ planning


def default_targets(workspace: Workspace) -> list[str]:
    """Every target whose stage is deployed (``vocabulary.DEPLOYED_STAGES``), in name order."""
    out = []
    for name in workspace.targets():
        merged, _ = workspace.merge(name)
        if merged is None or merged.stage in DEPLOYED_STAGES:
            out.append(name)  # one that does not merge is reported by plan()
    return out


def is_dns_label(name: str) -> bool:
    """A Kubernetes namespace or object name: lower-case letters, digits and '-', 1 to 63 characters."""
    return len(name) <= 63 and re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name) is not None


def slug(name: str) -> str:
    """A target name as a DNS label (Kubernetes names, Compose services): lower case, '-' for the rest."""
    return _DNS.sub("-", name.lower()).strip("-")


def _whole(value: Any) -> Placeholder | None:
    """The placeholder ``value`` consists of (``${REDIS_HOST:-127.0.0.1}``), else ``None``."""
    if not isinstance(value, str) or "$" not in value:
        return None
    try:
        parts = parse(value)
    except PlaceholderError:
        return None
    return parts[0] if len(parts) == 1 and isinstance(parts[0], Placeholder) else None


def _finding(code: str, merged: Merged, path: Path_, message: str, hint: str | None = None) -> Diagnostic:
    pos = merged.origin(path) or Position(str(merged.chain[-1].path), 1, 1)
    return Diagnostic(code, message, pos, key=key_path(path) if path else None, hint=hint)


def _redis(merged: Merged, node: Node) -> list[Diagnostic]:
    """Fill in the node's in-cluster Redis variables; D001 for a port the in-cluster Redis does not serve."""
    diags = []
    passwords = []
    for section in ("cache", "message_bus"):
        database = merged.get((section, "database"))
        if not isinstance(database, dict) or database.get("type", "redis") != "redis":
            continue
        host = _whole(database.get("host"))
        if host is None:
            continue  # a literal host, or none: an external Redis, used as written
        node.redis_hosts.append(host.name)
        port = database.get("port")
        port_ref = _whole(port)
        if port_ref is not None:
            node.redis_ports.append(port_ref.name)
        elif port is not None and str(port).strip() != str(REDIS_DEFAULT_PORT):
            diags.append(
                _finding(
                    "D001",
                    merged,
                    (section, "database", "port"),
                    f"is {port}, but the in-cluster Redis (the host is ${{{host.name}}}) listens on "
                    f"{REDIS_DEFAULT_PORT}",
                    f"make the port a placeholder such as ${{REDIS_PORT:-{REDIS_DEFAULT_PORT}}}, or give a literal "
                    "host for an external Redis",
                )
            )
        password = _whole(database.get("password"))
        passwords.append(password.name if password else None)
    node.redis_hosts = list(dict.fromkeys(node.redis_hosts))
    node.redis_ports = list(dict.fromkeys(node.redis_ports))
    if len(set(passwords)) > 1:
        diags.append(
            _finding(
                "D002",
                merged,
                ("message_bus", "database", "password"),
                "the cache and the message bus use the in-cluster Redis with different password variables",
                "use the same placeholder for both",
            )
        )
    node.redis_password = passwords[0] if passwords else None
    return diags


def _writable(merged: Merged, config: Any, node: Node, kind: str) -> list[Diagnostic]:
    """Make every directory the node writes into writable in the container, or D005 where that cannot be.

    The container's root file system is read-only in Kubernetes, and in both kinds only ``LOGS_DIR``
    (the node's log volume) and ``TMP_DIR`` belong to the node's user. Kubernetes mounts an emptyDir
    at each other directory; Compose cannot give a fresh volume to a non-root user (it is made
    owned by root), so there such a directory is refused at the line that sets it.
    """
    from ntprofile.releases import backend

    diags = []
    for what, directory, path in backend().written_directories(config):
        if "$" in directory:
            continue  # a placeholder: where it points is the operator's, at run time
        absolute = posixpath.normpath(posixpath.join(WORKDIR, directory))
        if any(absolute == d or absolute.startswith(d + "/") for d in (LOGS_DIR, TMP_DIR, *node.writable)):
            continue
        if kind == "kubernetes" and absolute != "/":
            node.writable = [d for d in node.writable if not d.startswith(absolute + "/")] + [absolute]
            continue
        diags.append(
            _finding(
                "D005",
                merged,
                path,
                f"the {what} '{directory}' ({absolute} in the container) is not writable by the node's user "
                f"(uid {NODE_UID}) in the {kind.title()} deployment",
                f"write under {LOGS_DIR} (log_directory: logs, the node's own volume) or {TMP_DIR}",
            )
        )
    node.writable.sort()
    return diags


def _pinned(image: str) -> bool:
    """A digest (``name@sha256:...``) or a tag other than ``latest``: the reviewed image is the one that runs."""
    if "@" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    return ":" in last and last.rsplit(":", 1)[1] != "latest"


def _node(workspace: Workspace, name: str, prepared: Any, kind: str) -> tuple[Node, list[Diagnostic]]:
    from ntprofile.compile.output import config_digest
    from ntprofile.layers.git import revision
    from ntprofile.releases import backend

    merged = prepared.merged
    config = prepared.config
    node_backend = backend(workspace.release)
    files = []
    diags: list[Diagnostic] = []
    for doc in merged.chain:
        rel = workspace.files[doc.name]
        key = rel.replace("/", "--")
        if not _KEY.fullmatch(key):
            diags.append(
                _finding(
                    "D003",
                    merged,
                    (),
                    f"the layer file {rel} has a name a ConfigMap key cannot carry",
                    "use letters, digits, '-', '_' and '.' in profile file names",
                )
            )
        files.append(ProfileFile(rel, workspace.source.read(rel).decode("utf-8"), key))
    rels = [f.rel for f in files]
    node = Node(
        target=name,
        slug=slug(name),
        trader_id=node_backend.facts(config).trader_id,
        stage=merged.stage or "",
        digest=config_digest(prepared.compiled.node_json),
        revision=revision(workspace.root, [Path(workspace.root, rel) for rel in rels]) or "uncommitted",
        stop_bound=node_backend.stop_bound(config),
        startup=math.ceil(node_backend.startup_bound(config)),
        files=sorted(files, key=lambda f: f.rel),
    )
    diags += _redis(merged, node)
    diags += _writable(merged, config, node, kind)
    for var in collect(merged):
        if var.name in node.redis_hosts or var.name in node.redis_ports:
            continue
        if var.secret:
            node.secrets.append(var.name)
        elif var.required:
            node.required.append(var.name)
    return node, diags


def plan(
    workspace: Workspace,
    names: Iterable[str],
    kind: str,
    image: str = IMAGE,
    namespace: str | None = None,
) -> tuple[Fleet | None, list[Diagnostic]]:
    """Compile every target of ``names`` and plan its ``kind`` deployment; ``None`` with the findings when one fails."""
    from ntprofile.layers.git import revision
    from ntprofile.pipeline import prepare

    diags: list[Diagnostic] = []
    nodes: list[Node] = []
    for name in sorted(set(names)):
        prepared = prepare(workspace, name)
        diags += prepared.diagnostics
        if not prepared.ok:
            continue
        node, found = _node(workspace, name, prepared, kind)
        diags += found
        if node.stage == "production" and not _pinned(image) and not any(d.code == "D004" for d in diags):
            diags.append(  # once: one --image for the fleet
                _finding(
                    "D004",
                    prepared.merged,
                    ("profile", "stage"),
                    f"a production target needs a pinned image (NAME:TAG or NAME@DIGEST), not {image}",
                    "pass --image with a release tag or a digest, such as --image ntprofile:0.1.0",
                )
            )
        nodes.append(node)
    diags += _shared(workspace, nodes)
    if any(d.is_error for d in diags):
        return None, diags
    return Fleet(nodes, revision(workspace.root) or "uncommitted", image, namespace), diags


def _shared(workspace: Workspace, nodes: list[Node]) -> list[Diagnostic]:
    """What the targets rendered together must agree on: distinct names, one in-cluster Redis password."""
    diags = []
    by_slug: dict[str, list[str]] = {}
    by_secret: dict[str, list[str]] = {}
    for node in nodes:
        by_slug.setdefault(node.slug, []).append(node.target)
        for name in node.secrets:
            by_secret.setdefault(_kebab(name), []).append(name)
    for key, targets in sorted(by_slug.items()):
        if len(targets) > 1 or not key or len(f"ntprofile-{key}-profiles") > 63:
            merged, _ = workspace.merge(targets[-1])
            assert merged is not None
            shown = " and ".join(targets)
            problem = f"become the one name '{key}'" if len(targets) > 1 else "is not a DNS label of 1 to 44 characters"
            diags.append(
                _finding("D003", merged, (), f"the target name {shown} {problem} in the deployment", "rename the file")
            )
    for key, variables in sorted(by_secret.items()):
        if len(set(variables)) > 1:
            holder = next(n for n in nodes if variables[-1] in n.secrets)
            merged, _ = workspace.merge(holder.target)
            assert merged is not None
            diags.append(
                _finding(
                    "D003",
                    merged,
                    (),
                    f"the secret variables {' and '.join(sorted(set(variables)))} become the one Secret name "
                    f"ntprofile-{key}",
                    "rename one of them",
                )
            )
    on_redis = [n for n in nodes if n.redis]
    passwords = sorted({str(n.redis_password) for n in on_redis})
    if len(passwords) > 1:
        node = on_redis[-1]
        merged, _ = workspace.merge(node.target)
        assert merged is not None
        shown = ", ".join(f"{n.target}: {n.redis_password or 'none'}" for n in on_redis)
        diags.append(
            _finding(
                "D002",
                merged,
                ("cache", "database", "password"),
                f"the targets on the one in-cluster Redis take its password from different variables ({shown})",
                "use one placeholder, such as ${REDIS_PASSWORD:-}, in every target",
            )
        )
    return diags


# ------------------------------------------------------------------ rendering


def _kebab(name: str) -> str:
    return name.lower().replace("_", "-").strip("-")


def secret_name(variable: str) -> str:
    """The Kubernetes Secret a secret variable is read from (``BYBIT_API_KEY`` -> ``ntprofile-bybit-api-key``)."""
    return f"ntprofile-{_kebab(variable)}"


def _quote(value: Any) -> str:
    """A YAML scalar that reads back as exactly ``str(value)`` (JSON is YAML)."""
    return json.dumps(str(value))


def _block(text: str, indent: int) -> str:
    """``text`` as a YAML literal block indented by ``indent``, or quoted where a block could not carry it exactly."""
    lines = text.split("\n")
    body = lines[:-1] if text.endswith("\n") else lines
    first = next((line for line in body if line), "")
    printable = all(ch.isprintable() or ch == "\t" for line in body for ch in line)
    if (
        not text
        or not printable
        or first.startswith((" ", "\t"))
        or any(line and not line.strip() for line in body)
        or text.endswith("\n\n")
    ):
        return _quote(text)
    chomp = "" if text.endswith("\n") else "-"
    pad = " " * indent
    return f"|{chomp}\n" + "\n".join(pad + line if line else "" for line in body)


def _environment() -> jinja2.Environment:
    env = environment()
    env.filters["q"] = _quote
    env.filters["block"] = _block
    env.filters["dollar"] = lambda text: str(text).replace("$", "$$")
    env.filters["secret_name"] = lambda name: name.lower()
    env.filters["k8s_secret"] = secret_name
    return env


def _labels(node: Node, indent: int = 4) -> str:
    pad = " " * indent
    rows = [
        ("app.kubernetes.io/name", "ntprofile"),
        ("app.kubernetes.io/instance", node.slug),
        ("ntprofile.io/stage", node.stage),
    ]
    return "\n".join(f"{pad}{key}: {_quote(value)}" for key, value in rows)


REDIS_CONFIG = ("appendonly yes", "appendfsync everysec", "dir /data")
"""The in-cluster Redis: an append-only file, fsync every second, in its volume."""


def _redis_scripts(fleet: Fleet) -> dict[str, str]:
    """The in-cluster Redis's shell command and health check.

    Its password, if any, is read from its secret file and reaches ``redis-server`` as a line
    of its configuration on standard input (``redis-server -``), escaped for Redis's quoted
    strings: never a command-line argument, which ``ps`` and the pod spec would show.
    ``redis-cli`` takes it from ``REDISCLI_AUTH``, its environment, for the same reason.
    """
    ping = "redis-cli ping | grep -q PONG"
    if not fleet.redis_password:
        server = "exec redis-server " + " ".join(f"--{line}" for line in REDIS_CONFIG)
        return {"redis_command": server, "redis_ping": ping}
    read = f'pw="$(cat {SECRETS_MOUNT}/{fleet.redis_password})" || exit 1'
    server = "\n".join(
        [
            read,
            'auth=""',
            'if [ -n "$pw" ]; then auth="requirepass \\"$(printf %s "$pw" | sed \'s/[\\\\"]/\\\\&/g\')\\""; fi',
            "exec redis-server - <<EOF",
            *REDIS_CONFIG,
            "$auth",
            "EOF",
        ]
    )
    ping = f'{read}; if [ -n "$pw" ]; then export REDISCLI_AUTH="$pw"; fi; {ping}'
    return {"redis_command": server, "redis_ping": ping}


def render(fleet: Fleet, kind: str) -> dict[str, str]:
    """File name -> text of the deployment of ``fleet`` (``kind``: ``compose`` or ``kubernetes``)."""
    env = _environment()
    targets = ", ".join(node.target for node in fleet.nodes)
    header = f"{MARKER} {kind}; do not edit, render again.\n# targets: {targets}\n# profiles at git {fleet.revision}"
    common = {
        "fleet": fleet,
        "header": header,
        "health_file": HEALTH_FILE,
        "profiles_dir": PROFILES_DIR,
        "secrets_mount": SECRETS_MOUNT,
        "secrets_dir": SECRETS_DIR,
        "redis_host": REDIS_HOSTS[kind],
        "redis_port": str(REDIS_DEFAULT_PORT),
        "variables_config": VARIABLES_CONFIG,
        "resources": RESOURCES,
        "logs_dir": LOGS_DIR,
        "tmp_dir": TMP_DIR,
        "node_uid": NODE_UID,
        "redis_uid": REDIS_UID,
        "labels": _labels,
        **_redis_scripts(fleet),
    }
    if kind == "compose":
        scripts = {k: v.replace("$", "$$") for k, v in _redis_scripts(fleet).items()}
        return {"compose.yaml": env.get_template("compose.yaml.j2").render(**{**common, **scripts})}
    files = {}
    if fleet.redis:
        files["redis.yaml"] = env.get_template("kubernetes-redis.yaml.j2").render(**common)
    for node in fleet.nodes:
        files[f"{node.slug}.yaml"] = env.get_template("kubernetes-node.yaml.j2").render(node=node, **common)
    files["kustomization.yaml"] = env.get_template("kustomization.yaml.j2").render(**common, files=list(files))
    return files


# ------------------------------------------------------------------ writing


@dataclass(slots=True)
class Written:
    """What ``write_rendered`` did: files written, stale ones of ours removed, foreign ones refused."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    foreign: list[Path] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)
    """Secret files the node's user could not read in the container (Compose mounts them as they are)."""


def output_problem(out_dir: Path) -> str | None:
    """Why ``out_dir`` cannot take the rendered files (``None`` when it can), checked before anything is written."""
    secrets = out_dir / SECRETS_DIR
    if os.path.lexists(secrets) and not secrets.is_dir():
        return f"{secrets} is a file, not the secrets folder"
    probe = out_dir
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return "is a file, not a directory" if probe == out_dir else f"{probe} is a file, not a directory"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"cannot write into {probe}: permission denied"
    return None


def _ours(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MARKER)) == MARKER.encode()
    except OSError:
        return False


def write_rendered(out_dir: Path, files: dict[str, str], secrets: Iterable[str] = ()) -> Written:
    """Write ``files`` into ``out_dir``, each atomically; never touch a file ntprofile did not write.

    When a file to write exists and does not start with ``MARKER``, nothing at
    all is written and ``foreign`` lists it. Files of ours (``*.yaml`` with the
    marker) that the new rendering no longer has are removed, so a target
    dropped from the fleet does not linger in the directory. The files follow
    the umask, as compile's do. With ``secrets``, the secrets folder is made
    ready for them (``prepare_secrets``). Raises ``OSError`` when the directory
    cannot be written; ``output_problem`` finds the usual causes first.
    """
    result = Written()
    result.foreign = [out_dir / n for n in sorted(files) if (out_dir / n).exists() and not _ours(out_dir / n)]
    if result.foreign:
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()
    staged: list[tuple[Path, Path]] = []
    try:
        for name in sorted(files):
            target = out_dir / name
            if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == files[name]:
                result.unchanged.append(target)
                continue
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            os.fchmod(fd, mode)  # mkstemp makes it private; these files hold no secret
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(files[name])
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
        result.written.append(target)
    for path in sorted(out_dir.glob("*.yaml")):
        if path.name not in files and _ours(path):
            path.unlink()
            result.removed.append(path)
    names = list(secrets)
    if names:
        result.unreadable = prepare_secrets(out_dir / SECRETS_DIR, names)
    return result


SECRETS_IGNORE = "# Secret values: this folder is never committed (ntprofile render).\n*\n"
SECRETS_NOTE = (
    "This folder holds secret values, one file per variable (ntprofile render).\n"
    "Its .gitignore keeps it out of git; the ntprofile pre-commit hook refuses a staged file under it.\n"
)
SECRET_MODE = 0o644
"""A secret file inside the 0700 folder: only its owner (and root) reaches it on the host, and the
node's user (uid ``NODE_UID``) can read it in the container, where Compose bind-mounts it as it is
(Compose ignores ``uid``/``gid``/``mode`` for file secrets)."""


def prepare_secrets(folder: Path, names: list[str]) -> list[Path]:
    """Make the secrets folder safe by construction; the secret files no container user can read.

    The folder is 0700 and carries a ``.gitignore`` of ``*`` (as virtual environments do) and the
    ``SECRETS_MARKER``, so nothing in it reaches git wherever it is rendered. Each secret file that
    does not exist yet is made empty with ``SECRET_MODE``, so an editor that keeps a file's mode
    keeps it readable by the node; existing files are never touched, only reported when the
    node's user could not read them.
    """
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    for name, text in ((".gitignore", SECRETS_IGNORE), (SECRETS_MARKER, SECRETS_NOTE)):
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
            path.write_text(text, encoding="utf-8")
    unreadable = []
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, SECRET_MODE)
        except FileExistsError:
            if not _readable_by_node(path):
                unreadable.append(path)
            continue
        os.fchmod(fd, SECRET_MODE)  # whatever the umask
        os.close(fd)
    return unreadable


def _readable_by_node(path: Path) -> bool:
    """Whether uid/gid ``NODE_UID`` may read ``path`` as it is mounted into the container."""
    try:
        info = path.stat()
    except OSError:
        return False
    if info.st_uid == NODE_UID:
        return bool(info.st_mode & stat.S_IRUSR)
    if info.st_gid == NODE_UID:
        return bool(info.st_mode & stat.S_IRGRP)
    return bool(info.st_mode & stat.S_IROTH)
