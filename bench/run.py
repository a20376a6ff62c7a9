"""``make bench``: whole-process timings of ntprofile against their baselines, in one run.

Each figure is the median wall clock of several runs of a real subprocess, shown
with the median of its baseline measured in the same run and their ratio, next
to its goal (met/missed). Missed goals never fail the run: this is a report.
Results go to ``bench/results.json``. A command that does not exist yet is
skipped with a note.
"""

from __future__ import annotations

import json
import os
import platform
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

from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
NTPROFILE = [sys.executable, "-m", "ntprofile"]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PROFILE = os.environ.get("BENCH_PROFILE", "prod-bybit")

FLOOR_COMPILE = (
    "import nautilus_trader.config, nautilus_trader.adapters.binance.config, nautilus_trader.adapters.bybit.config"
)
FLOOR_CHECK = "import nautilus_trader.live.node, nautilus_trader.adapters.binance, nautilus_trader.adapters.bybit"


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NTPROFILE_", "BINANCE_", "BYBIT_", "REDIS_"))}
    base.update(extra)
    return base


def timed(cmd: list[str], cwd: Path, environ: dict[str, str] | None = None, runs: int = RUNS) -> dict:
    """Median wall time of ``runs`` whole-process runs (after one warm-up), and the exit codes seen."""
    times, codes = [], set()
    for index in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=environ or env(), capture_output=True, timeout=600)
        elapsed = time.perf_counter() - start
        codes.add(proc.returncode)
        if index:
            times.append(elapsed)
        last = proc
    return {
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        "runs": runs,
        "exit_codes": sorted(codes),
        "stderr_tail": last.stderr.decode(errors="replace").strip().splitlines()[-1:] if 0 not in codes else [],
    }


def commands() -> set[str]:
    proc = subprocess.run([*NTPROFILE, "--help"], cwd=REPO, capture_output=True, text=True, env=env())
    found = set()
    for line in proc.stdout.splitlines():
        words = line.split()
        if line.startswith("    ") and words and not line.startswith("     " * 2):
            found.add(words[0])
    return found


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(title: str, figure: dict, baseline: dict | None, goal: str, ok: bool | None) -> dict:
    ratio = round(figure["median_s"] / baseline["median_s"], 3) if baseline else None
    line = f"{title:<44} {figure['median_s']:7.3f} s"
    if baseline:
        line += f"   baseline {baseline['median_s']:7.3f} s   ratio {ratio:5.2f}x"
    status = "" if ok is None else f"   [{verdict(ok)}]"
    print(f"{line}   goal: {goal}{status}", flush=True)
    if 0 not in figure["exit_codes"] or (baseline and 0 not in baseline["exit_codes"]):
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


def bench_validate(results: dict, have: set[str], work: Path) -> None:
    schema = work / "schemas/profile.schema.json"
    if "validate" not in have:
        return skip(results, "validate_shipped", "no 'validate' command yet")
    files = sorted(
        str(p.relative_to(work)) for p in (work / "profiles").rglob("*") if p.suffix in (".yaml", ".yml", ".toml")
    )
    ours = timed([*NTPROFILE, "validate"], work)
    checker = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if checker and schema.exists():
        base = timed([checker, "--schemafile", str(schema), *files], work)
    else:
        base = None
    ok = ours["median_s"] < 0.25 and (base is None or ours["median_s"] <= 0.5 * base["median_s"])
    title = f"validate {len(files)} shipped profiles"
    results["validate_shipped"] = report(title, ours, base, "< 0.25 s and <= 0.5x check-jsonschema", ok)


def bench_compile(results: dict, have: set[str], work: Path) -> None:
    if "compile" not in have:
        return skip(results, "compile", "no 'compile' command yet")
    ours = timed([*NTPROFILE, "compile", PROFILE], work)
    floor = timed([sys.executable, "-c", FLOOR_COMPILE], work)
    results["compile"] = report(f"compile {PROFILE}", ours, floor, "report only (floor: import config modules)", None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_check(results: dict, have: set[str], work: Path) -> None:
    if "check" not in have:
        return skip(results, "check", "no 'check' command yet")
    server = shutil.which("redis-server")
    if not server:
        return skip(results, "check", "redis-server not installed")
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="ntprofile-bench-redis-"))
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        environ = env(
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(port),
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
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


def bench_scaling(results: dict, have: set[str], work: Path) -> None:
    if "validate" not in have:
        return skip(results, "validate_generated", "no 'validate' command yet")
    sizes, rows = (250, 500, 1000), {}
    for n in sizes:
        root = generate(REPO / "profiles", work / f"gen-{n}", n)
        rows[n] = timed([*NTPROFILE, "validate", "--profiles", str(root)], work, runs=max(3, RUNS // 2))
    base = rows[sizes[0]]
    for n in sizes:
        ok = rows[n]["median_s"] < 3.0 if n == 1000 else None
        rows[n] = report(
            f"validate {n} generated targets, 20 layers",
            rows[n],
            base if n != sizes[0] else None,
            "1,000 in < 3 s" if n == 1000 else "linear growth",
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
    have = commands()
    results: dict = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "runs": RUNS,
        "profile": PROFILE,
    }
    print(f"ntprofile benchmarks: median of {RUNS} whole-process runs each (Python {results['python']})", flush=True)
    with tempfile.TemporaryDirectory(prefix="ntprofile-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "profiles", work / "profiles")
        if (REPO / "schemas").exists():
            shutil.copytree(REPO / "schemas", work / "schemas")
        bench_validate(results, have, work)
        bench_compile(results, have, work)
        bench_check(results, have, work)
        bench_scaling(results, have, work)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {HERE / 'results.json'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
