"""``make bench``: whole-process timings of ntprofile against their baselines, in one run.

Each figure is the median wall clock of several runs of a real subprocess, shown
with the median of its baseline measured in the same run and their ratio, next
to its goal (met/missed). Missed goals never fail the run: this is a report.
Results go to ``bench/results.json``. ``check`` runs against a ``redis-server``
the bench starts on a free port and stops again; it is skipped rather than run
against any Redis the bench did not start. The install figures (``BENCH_INSTALL=0``
skips them, about a minute) install the committed HEAD into fresh virtual
environments, once each, with pip's cache as it is.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate

BIN = Path(sys.executable).parent
NTPROFILE = [sys.executable, "-m", "ntprofile"]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PROFILE = os.environ.get("BENCH_PROFILE", "prod-bybit")
INSTALL = os.environ.get("BENCH_INSTALL", "1") != "0"

FLOOR_VALIDATE = "import yaml, jsonschema, tomllib"
"""What validate cannot do without: its own dependencies' import (the pre-commit hook's floor)."""

TORN = "import sys; from ntprofile.cli import main; sys.exit(main(['validate']))"
"""The same validate run as a call that returns (no ``QUICK_EXIT``), so the interpreter tears itself down."""

FLOOR_COMPILE = (
    "import nautilus_trader.config, nautilus_trader.adapters.binance.config, nautilus_trader.adapters.bybit.config"
)
FLOOR_CHECK = "import nautilus_trader.live.node, nautilus_trader.adapters.binance, nautilus_trader.adapters.bybit"


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NTPROFILE_", "BINANCE_", "BYBIT_", "REDIS_"))}
    base.update(extra)
    return base


def timed(cmd: list[str], cwd: Path, environ: dict[str, str] | None = None, runs: int = RUNS, expect: int = 0) -> dict:
    """Median wall time of ``runs`` whole-process runs (after one warm-up), and the exit codes seen.

    ``expect`` is the exit code of a run that did its job (``diff`` exits 1 when it finds changes).
    """
    return interleaved([cmd], cwd, environ, runs, expect)[0]


def interleaved(
    cmds: list[list[str]], cwd: Path, environ: dict[str, str] | None = None, runs: int = RUNS, expect: int = 0
) -> list[dict]:
    """``timed`` for several commands run in turn, one of each per round, so a change in the machine's
    load between them weighs on each alike (a figure and its baseline)."""
    times: list[list[float]] = [[] for _ in cmds]
    codes: list[set[int]] = [set() for _ in cmds]
    last: list[subprocess.CompletedProcess] = [None] * len(cmds)  # type: ignore[list-item]
    for index in range(runs + 1):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=cwd, env=environ or env(), capture_output=True, timeout=600, check=False)
            elapsed = time.perf_counter() - start
            codes[i].add(proc.returncode)
            if index:
                times[i].append(elapsed)
            last[i] = proc
    return [
        {
            "median_s": round(statistics.median(times[i]), 4),
            "min_s": round(min(times[i]), 4),
            "runs": runs,
            "exit_codes": sorted(codes[i]),
            "expected_exit": expect,
            "stdout_tail": last[i].stdout.decode(errors="replace").strip().splitlines()[-1:],
            "stderr_tail": last[i].stderr.decode(errors="replace").strip().splitlines()[-1:]
            if codes[i] != {expect}
            else [],
        }
        for i in range(len(cmds))
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(title: str, figure: dict, baseline: dict | None, goal: str, ok: bool | None) -> dict:
    ratio = round(figure["median_s"] / baseline["median_s"], 3) if baseline else None
    line = f"{title:<44} {figure['median_s']:7.3f} s"
    if baseline:
        line += f"   baseline {baseline['median_s']:7.3f} s   ratio {ratio:5.2f}x"
    status = "" if ok is None else f"   [{verdict(ok)}]"
    print(f"{line}   goal: {goal}{status}", flush=True)

    def wrong(f: dict) -> bool:
        return f["exit_codes"] != [f.get("expected_exit", 0)]

    if wrong(figure) or (baseline and wrong(baseline)):
        print(
            f"    note: exit codes {figure['exit_codes']}"
            + (f" / {baseline['exit_codes']}" if baseline else "")
            + (f"; {figure['stderr_tail']}" if figure["stderr_tail"] else ""),
            flush=True,
        )
    return {"figure": figure, "baseline": baseline, "ratio": ratio, "goal": goal, "met": ok}


def skip(results: dict, key: str, why: str) -> None:
    print(f"{key:<44} skipped: {why}", flush=True)
    results[key] = {"skipped": why}


def against_check_jsonschema(results: dict, key: str, title: str, root: Path) -> None:
    """``ntprofile validate`` in ``root`` against check-jsonschema on the same files and schema."""
    schema = root / "schemas/profile.schema.json"
    files = sorted(
        str(p.relative_to(root)) for p in (root / "profiles").rglob("*") if p.suffix in (".yaml", ".yml", ".toml")
    )
    ours = timed([*NTPROFILE, "validate"], root)
    checker = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    title = title.format(files=len(files))
    if not (checker and schema.exists()):
        report(title, ours, None, "< 0.25 s and <= 0.5x check-jsonschema", None)
        return skip(results, key, "check-jsonschema not installed (make setup installs it)")
    base = timed([checker, "--schemafile", str(schema), *files], root)
    ok = ours["median_s"] < 0.25 and ours["median_s"] <= 0.5 * base["median_s"]
    results[key] = report(title, ours, base, "< 0.25 s and <= 0.5x check-jsonschema", ok)


def bench_validate(results: dict, work: Path) -> None:
    against_check_jsonschema(results, "validate_shipped", "validate {files} shipped profiles", work)
    commands = [[*NTPROFILE, "validate"], [sys.executable, "-c", FLOOR_VALIDATE], [sys.executable, "-c", TORN]]
    ours, floor, torn = interleaved(commands, work, runs=2 * RUNS + 1)
    ok = ours["median_s"] <= 1.2 * floor["median_s"]
    results["validate_floor"] = report("validate the shipped profiles", ours, floor, "<= 1.2x import floor", ok)
    results["validate_teardown"] = report(
        "validate, with the interpreter's teardown", torn, floor, "report only (what QUICK_EXIT saves)", None
    )


VALIDATE_PACKAGES = ("yaml", "jsonschema", "jsonschema_specifications", "referencing", "attr", "attrs", "rpds")


def compile_bytecode() -> None:
    """Compile ntprofile's and its validate path's dependencies' bytecode first: with
    PYTHONDONTWRITEBYTECODE set, every run would otherwise recompile them, which no installed hook pays."""
    import compileall
    import importlib.util

    roots = [REPO / "compiler"]
    for name in VALIDATE_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots += [Path(p) for p in spec.submodule_search_locations]
    for root in roots:
        compileall.compile_dir(str(root), quiet=2, workers=0)


COMPONENT_TARGET = """\
extends: [env/testnet, exchanges/binance]
profile: {description: an EMA cross with its config class in the schema}
node: {trader_id: TEST-EMA-001}
strategies:
  ema:
    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
    config:
      instrument_id: BTCUSDT-PERP.BINANCE
      bar_type: BTCUSDT-PERP.BINANCE-1-MINUTE-LAST-EXTERNAL
      trade_size: "0.01"
"""


def bench_validate_components(results: dict, work: Path) -> None:
    """The shipped profiles plus a strategy target, held to a repository schema that covers its config class."""
    repo = work / "components"
    shutil.copytree(work / "profiles", repo / "profiles")
    (repo / "profiles" / "testnet-ema.yaml").write_text(COMPONENT_TARGET)
    subprocess.run([*NTPROFILE, "schema"], cwd=repo, check=True, capture_output=True)
    against_check_jsonschema(results, "validate_components", "validate {files} profiles with a component schema", repo)


def bench_compile(results: dict, work: Path) -> None:
    ours = timed([*NTPROFILE, "compile", PROFILE], work)
    floor = timed([sys.executable, "-c", FLOOR_COMPILE], work)
    results["compile"] = report(f"compile {PROFILE}", ours, floor, "report only (floor: import config modules)", None)


def bench_compile_all(results: dict, work: Path) -> None:
    """``compile --all`` against one ``compile``: NautilusTrader imported once, files parsed once."""
    proc = subprocess.run([*NTPROFILE, "list", "--format", "json"], cwd=work, capture_output=True, env=env())
    count = len(json.loads(proc.stdout)) if proc.returncode == 0 else "?"
    ours = timed([*NTPROFILE, "compile", "--all"], work)
    one = timed([*NTPROFILE, "compile", PROFILE], work)
    ok = ours["median_s"] <= 1.5 * one["median_s"] and 0 in ours["exit_codes"]
    results["compile_all"] = report(
        f"compile --all ({count} targets) vs compile {PROFILE}", ours, one, "<= 1.5x one target", ok
    )


def git(cwd: Path, *args: str) -> None:
    identity = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com"}
    identity |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env(**identity), check=True, capture_output=True)


def bench_diff_all(results: dict, work: Path) -> None:
    """``diff --all HEAD`` over 1,000 generated targets in a git repository, one layer changed."""
    if not shutil.which("git"):
        return skip(results, "diff_all", "git not installed")
    repo = work / "diff-repo"
    generate(REPO / "profiles", repo / "profiles", 1000)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "profiles")
    git(repo, "commit", "-q", "-m", "generated")
    layer = repo / "profiles/gen/l00.yaml"
    original = layer.read_text()
    layer.write_text(original.replace("inflight_check_interval_ms: 2000", "inflight_check_interval_ms: 2500"))
    ours = timed([*NTPROFILE, "diff", "--all", "HEAD"], repo, runs=max(3, RUNS // 2), expect=1)
    base = timed([*NTPROFILE, "validate"], repo, runs=max(3, RUNS // 2))
    ok = ours["median_s"] < 3.0 and ours["exit_codes"] == [1]
    title = "diff --all HEAD, 1,000 targets, gen/l00 changed"
    results["diff_all"] = report(title, ours, base, "< 3 s (baseline: validate)", ok)
    print(f"    {ours['stdout_tail'][0] if ours['stdout_tail'] else ''}", flush=True)
    layer.write_text(original)
    base_layer = repo / "profiles/base.yaml"
    base_layer.write_text(base_layer.read_text().replace('max_order_submit_rate: "100/', 'max_order_submit_rate: "90/'))
    every = timed([*NTPROFILE, "diff", "--all", "HEAD"], repo, runs=max(3, RUNS // 2), expect=1)
    results["diff_all_every_target"] = report(
        "diff --all HEAD, 1,000 targets, base changed", every, base, "report only (every target differs)", None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def foreign_redis(work: Path) -> list[str]:
    """Redis settings of ``PROFILE`` that the bench's own ``REDIS_HOST``/``REDIS_PORT`` would not override.

    Every ``*.database`` mapping must take its host and port from those two
    variables; a missing one means NautilusTrader's default, 127.0.0.1:6379.
    """
    proc = subprocess.run(
        [*NTPROFILE, "explain", PROFILE, "--format", "json"], cwd=work, capture_output=True, env=env(), check=False
    )
    if proc.returncode != 0:
        return [f"explain {PROFILE} failed: {proc.stderr.decode(errors='replace').strip()}"]
    wanted = {"host": "${REDIS_HOST", "port": "${REDIS_PORT"}
    databases: dict[str, dict] = {}
    for entry in json.loads(proc.stdout)["entries"]:
        parts = entry["key"].split(".")
        if len(parts) == 3 and parts[1] == "database":
            databases.setdefault(parts[0], {})[parts[2]] = entry["value"]
    problems = []
    for section, fields in databases.items():
        for name, prefix in wanted.items():
            if not str(fields.get(name)).startswith(prefix):
                problems.append(f"{section}.database.{name} = {fields.get(name)}")
    return problems


def start_redis(server: str, data: Path, password: str) -> tuple[subprocess.Popen, int] | None:
    """A private ``redis-server`` on a free port with ``password`` (production profiles require one), once it
    answers as itself (its own pid); else ``None``."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    port = free_port()
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", "", "--appendonly", "no"]
        + ["--requirepass", password],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(
        host="127.0.0.1",
        port=port,
        password=password,
        socket_timeout=0.5,
        socket_connect_timeout=0.5,
        retry=Retry(NoBackoff(), 0),
    )
    for _ in range(100):
        if proc.poll() is not None:  # lost the port to another process: never use what listens there
            return None
        try:
            if client.info("server")["process_id"] == proc.pid:
                return proc, port
            break  # something else answers on the port
        except redis.RedisError:
            time.sleep(0.05)
    stop(proc)
    return None


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def bench_check(results: dict, work: Path) -> None:
    """``check PROFILE`` against a Redis the bench starts, never one it did not start."""
    server = shutil.which("redis-server")
    if not server:
        return skip(results, "check", "redis-server not installed")
    foreign = foreign_redis(work)
    if foreign:
        return skip(results, "check", f"{PROFILE} would reach a Redis the bench does not start: {'; '.join(foreign)}")
    data = Path(tempfile.mkdtemp(prefix="ntprofile-bench-redis-"))
    password = secrets.token_hex(16)
    started = start_redis(server, data, password)
    if started is None:
        shutil.rmtree(data, ignore_errors=True)
        return skip(results, "check", "the bench's own redis-server did not start")
    proc, port = started
    try:
        environ = env(
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(port),
            REDIS_PASSWORD=password,
            **{
                f"{x}_{y}": "bench-not-a-real-key"
                for x in ("BINANCE", "BYBIT", "BINANCE_TESTNET", "BYBIT_TESTNET")
                for y in ("API_KEY", "API_SECRET")
            },
        )
        ours = timed([*NTPROFILE, "check", PROFILE], work, environ, runs=max(3, RUNS // 2))
        floor = timed([sys.executable, "-c", FLOOR_CHECK], work, runs=max(3, RUNS // 2))
        ok = ours["median_s"] <= 1.5 * floor["median_s"] if 0 in ours["exit_codes"] else False
        results["check"] = report(f"check {PROFILE} (Redis on port {port})", ours, floor, "<= 1.5x import floor", ok)
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)


def bench_completion(results: dict, work: Path) -> None:
    """A <TAB> after ``ntprofile compile `` (argcomplete's protocol) vs ``ntprofile --version``, the parser alone."""
    line = "ntprofile compile "
    answer = work / "completion-answer"
    environ = env(_ARGCOMPLETE="1", COMP_LINE=line, COMP_POINT=str(len(line)), _ARGCOMPLETE_STDOUT_FILENAME=str(answer))
    ours = timed([*NTPROFILE], work, environ)
    base = timed([*NTPROFILE, "--version"], work)
    results["completion"] = report("complete 'ntprofile compile <TAB>'", ours, base, "< 0.3 s", ours["median_s"] < 0.3)


def size_mb(path: Path) -> float:
    """Bytes of the files under ``path`` (symlinks not followed), in MB."""
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return round(total / 1e6, 1)


def once(cmd: list, cwd: Path, **extra: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env(**extra), capture_output=True, timeout=1800)
    return round(time.perf_counter() - start, 2), proc


def venv_install(work: Path, name: str, requirement: str) -> dict:
    """Time and size of ``pip install requirement`` into a fresh venv (the whole venv, its own pip included)."""
    venv = work / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    seconds, proc = once([venv / "bin/python", "-m", "pip", "install", "--quiet", requirement], work)
    row = {"seconds": seconds, "size_mb": size_mb(venv), "ok": proc.returncode == 0}
    if proc.returncode != 0:
        row["error"] = proc.stderr.decode(errors="replace").strip().splitlines()[-1:]
    shutil.rmtree(venv, ignore_errors=True)
    return row


def hook_first_run(work: Path, clone: Path) -> dict:
    """``pre-commit run --all-files`` with the published hook and an empty PRE_COMMIT_HOME: install plus run."""
    repo, home = work / "hook-repo", work / "pre-commit-home"
    shutil.copytree(REPO / "profiles", repo / "profiles")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True).stdout.strip()
    config = f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n      - id: ntprofile-validate\n"
    (repo / ".pre-commit-config.yaml").write_text(config)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    seconds, proc = once([BIN / "pre-commit", "run", "--all-files"], repo, PRE_COMMIT_HOME=str(home))
    again, _ = once([BIN / "pre-commit", "run", "--all-files"], repo, PRE_COMMIT_HOME=str(home))
    envs = list(home.glob("repo*/py_env-*"))
    row = {
        "seconds": seconds,
        "second_run_seconds": again,
        "size_mb": size_mb(envs[0]) if envs else None,
        "ok": proc.returncode == 0,
    }
    if proc.returncode != 0:
        row["error"] = (proc.stdout + proc.stderr).decode(errors="replace").strip().splitlines()[-3:]
    return row


def bench_install(results: dict, work: Path) -> None:
    """Core, hook and full install of the committed HEAD, each from scratch (pip's cache as it is)."""
    if not INSTALL:
        return skip(results, "install", "BENCH_INSTALL=0")
    if not shutil.which("git") or not (BIN / "pre-commit").exists():
        return skip(results, "install", "needs git and pre-commit (make setup installs it)")
    clone = work / "ntprofile"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=300)
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(clone)],
        cwd=clone,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = wheels.glob("ntprofile-*.whl")
    rows = {
        "core": venv_install(work, "venv-core", str(wheel)),
        "hook": hook_first_run(work, clone),
        "full": venv_install(work, "venv-full", f"{wheel}[node]"),
    }
    full = rows["full"]
    titles = {
        "core": "pip install ntprofile (the core)",
        "hook": "pre-commit hook, first run (install + run)",
        "full": "pip install 'ntprofile[node]' (baseline)",
    }
    for key, row in rows.items():
        line = f"{titles[key]:<44} {row['seconds']:7.2f} s   {row['size_mb'] or 0:7.1f} MB"
        if key != "full" and full["ok"] and full["size_mb"]:
            ratio_time, ratio_size = row["seconds"] / full["seconds"], (row["size_mb"] or 0) / full["size_mb"]
            line += f"   vs full: {ratio_time:4.2f}x time, {ratio_size:5.3f}x size"
        if key == "hook":
            line += f"   (second run {row['second_run_seconds']:.2f} s)"
        print(line + ("" if row["ok"] else f"   FAILED {row.get('error', '')}"), flush=True)
    print(
        f"    Python {platform.python_version()} for all three; a size is the whole environment, pip included",
        flush=True,
    )
    results["install"] = rows


def bench_scaling(results: dict, work: Path) -> None:
    sizes, rows = (250, 500, 1000), {}
    for n in sizes:
        root = generate(REPO / "profiles", work / f"gen-{n}", n)
        rows[n] = timed([*NTPROFILE, "validate", "--profiles", str(root)], work, runs=max(3, RUNS // 2))
    base = rows[sizes[0]]
    for n in sizes:
        ok = rows[n]["median_s"] < 1.0 if n == 1000 else None
        rows[n] = report(
            f"validate {n} generated targets, 20 layers",
            rows[n],
            base if n != sizes[0] else None,
            "1,000 in < 1 s" if n == 1000 else "linear growth",
            ok,
        )
    slope = (rows[1000]["figure"]["median_s"] - rows[250]["figure"]["median_s"]) / 750
    half = (rows[500]["figure"]["median_s"] - rows[250]["figure"]["median_s"]) / 250
    intercept = rows[250]["figure"]["median_s"] - slope * 250
    print(
        f"    per-target slope {slope * 1000:.3f} ms (250->500: {half * 1000:.3f} ms), fixed cost {intercept:.3f} s",
        flush=True,
    )
    results["validate_generated"] = {
        "sizes": {str(n): rows[n] for n in sizes},
        "slope_ms_per_target": round(slope * 1000, 4),
        "slope_250_500_ms_per_target": round(half * 1000, 4),
        "fixed_cost_s": round(intercept, 4),
    }


def main() -> int:
    results: dict = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "runs": RUNS,
        "profile": PROFILE,
    }
    print(f"ntprofile benchmarks: median of {RUNS} whole-process runs each (Python {results['python']})", flush=True)
    compile_bytecode()
    print("bytecode compiled (ntprofile and site-packages): the timings exclude recompiling", flush=True)
    with tempfile.TemporaryDirectory(prefix="ntprofile-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "profiles", work / "profiles")
        if (REPO / "schemas").exists():
            shutil.copytree(REPO / "schemas", work / "schemas")
        bench_validate(results, work)
        bench_validate_components(results, work)
        bench_compile(results, work)
        bench_compile_all(results, work)
        bench_check(results, work)
        bench_completion(results, work)
        bench_scaling(results, work)
        bench_install(results, work)
        bench_diff_all(results, work)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {HERE / 'results.json'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
