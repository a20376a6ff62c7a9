"""State a 2.0 node writes to its Redis cache survives a Redis restart and is loaded by the next node.

2.0 opens the cache database when the node *runs* (building connects nothing),
so state is written by a running node: the sandbox exec client reports its
account on connect (written to Redis by the execution engine), and the
``CacheProbe`` actor stores a general entry. redis-server runs with an
append-only file on its own directory; it is stopped and started again with no
RDB snapshot, so only the append-only file can bring the state back. A second
node, without the sandbox client, then finds both in its cache when its actor
starts.
"""

from __future__ import annotations

import json
from pathlib import Path

from v2_support import Redis, run_then_stop, write
from v2_support import root, redis_server  # noqa: F401 - fixtures

TRADER = "PAPER-PERSIST-001"
ACCOUNT = "SIM-SANDBOX-001"  # the sandbox exec client's account id: venue SIM

PROFILE = """\
profile:
  stage: paper
node:
  trader_id: {trader}
  delay_post_stop_secs: 0
  timeout_disconnection_secs: 1
cache:
  database:
    host: 127.0.0.1
    port: {port}
logging:
  stdout_level: WARNING
exchanges:
  PAPER:
    enabled: {sandbox}
    adapter: sandbox
    venue: SIM
    starting_balances: ["10000 USDT"]
    account_type: margin
    fee_model:
      MakerTakerFeeModel: {{maker_rate: "0", taker_rate: "0"}}
actors:
  probe:
    actor_path: v2_components:CacheProbe
    config_path: v2_components:CacheProbeConfig
    config:
      report: {report}
      account_id: {account}
      key: ntprofile-probe
      value: {value}
"""


def run(root: Path, tmp_path: Path, name: str, port: int, sandbox: bool, value: str) -> dict:
    report = tmp_path / f"{name}.json"
    text = PROFILE.format(
        trader=TRADER, port=port, sandbox=str(sandbox).lower(), report=report, account=ACCOUNT, value=value or '""'
    )
    write(root, name, text)
    code, result, stderr, seen = run_then_stop(root, name, tmp_path / f"{name}-health.json", until=report)
    assert code == 0 and result["received"] == ["SIGTERM"], (result, stderr)
    return json.loads(report.read_text())


def test_account_and_cache_entry_survive_a_redis_restart(root: Path, tmp_path: Path, redis_server: Redis):
    first = run(root, tmp_path, "write", redis_server.port, sandbox=True, value="written-by-the-first-node")
    assert first["general"] is None  # a fresh Redis
    written = redis_server.keys(f"trader-{TRADER}:*")
    assert f"trader-{TRADER}:accounts:{ACCOUNT}" in written
    assert f"trader-{TRADER}:general:ntprofile-probe" in written

    redis_server.stop()
    for snapshot in redis_server.directory.glob("*.rdb"):
        snapshot.unlink()  # only the append-only file may bring the state back
    assert any(redis_server.directory.rglob("*.aof")), "redis wrote no append-only file"
    redis_server.start()
    assert redis_server.keys(f"trader-{TRADER}:*") == written

    second = run(root, tmp_path, "read", redis_server.port, sandbox=False, value="")
    assert second == {
        "account": ACCOUNT,
        "balances": ["10000.00000000 USDT"],
        "general": "written-by-the-first-node",
    }
