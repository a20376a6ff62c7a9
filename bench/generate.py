"""Generate a profiles root of N targets sharing 20 layers, for the scaling benchmark.

The 20 layers are the shipped ``base``, ``env/testnet`` and the two exchange
overlays plus 16 generated ones; each target extends a stage layer, one exchange
overlay and two generated layers, and has its own ``trader_id``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SHIPPED_LAYERS = ["base.yaml", "env/testnet.yaml", "exchanges/binance.yaml", "exchanges/bybit.yaml"]
GENERATED_LAYERS = 16


def generate(source: Path, dest: Path, targets: int) -> Path:
    """Write ``targets`` targets and 20 layers under ``dest`` (replaced if present); returns ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    for rel in SHIPPED_LAYERS:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, dest / rel)
    (dest / "gen").mkdir()
    for i in range(GENERATED_LAYERS):
        (dest / "gen" / f"l{i:02d}.yaml").write_text(
            f"# generated layer {i}\n"
            "exec_engine:\n"
            f"  inflight_check_interval_ms: {2000 + i}\n"
            f"  inflight_check_threshold_ms: {5000 + i}\n"
            "logging:\n"
            f"  log_level: {'INFO' if i % 2 else 'DEBUG'}\n"
        )
    for n in range(targets):
        exchange = "binance" if n % 2 else "bybit"
        a, b = n % GENERATED_LAYERS, (n * 7 + 3) % GENERATED_LAYERS
        (dest / f"t{n:04d}.yaml").write_text(
            f"extends: [env/testnet, exchanges/{exchange}, gen/l{a:02d}, gen/l{b:02d}]\n"
            "profile:\n"
            f"  description: generated target {n}\n"
            "node:\n"
            f"  trader_id: GEN-{n:04d}\n"
        )
    return dest
