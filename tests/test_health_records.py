"""``ntprofile health`` fails closed: only a well-formed, recent, really-true record is healthy.

Every probe mode (ready, ``--alive``, the path from ``$NTPROFILE_HEALTH_PATH``)
is driven through the real CLI with records a stepped clock, a stray writer or
a hand edit produce: ``Infinity``, ``NaN``, numbers beyond any float, a time in
the future, ``"false"`` as a string, ``1`` for true, a missing key, the wrong
JSON shape. Each is exit 1 with one line saying why; a bad ``--max-age`` is a
usage error, since ``inf`` would make every record fresh.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import clean_env, run_cli
from ntprofile.exits import Exit
from ntprofile.node.health import CLOCK_SKEW_SECS, HealthFile, read_health


def record(**changes) -> dict:
    """What a ready node writes, with ``changes``."""
    good = {
        "target": "prod-bybit",
        "state": "running",
        "ready": True,
        "connected": True,
        "reconciled": True,
        "detail": "",
        "updated": round(time.time(), 3),
        "pid": 1,
    }
    good.update(changes)
    return good


BAD = {
    "updated Infinity": ('"updated": Infinity', "not JSON: Infinity is not a JSON number"),
    "updated -Infinity": ('"updated": -Infinity', "not JSON: -Infinity is not a JSON number"),
    "updated NaN": ('"updated": NaN', "not JSON: NaN is not a JSON number"),
    "updated 1e400": ('"updated": 1e400', "'updated' is not a finite number"),
    "updated a huge integer": ('"updated": ' + "9" * 400, "'updated' is not a finite number"),
    "updated far in the future": ('"updated": 1e300', "'updated' is far in the future (was the clock stepped back?)"),
    "updated negative": ('"updated": -5', "'updated' is before 1970"),
    "updated a string": ('"updated": "now"', "'updated' is a string, not a number"),
    "updated true": ('"updated": true', "'updated' is a boolean, not a number"),
    "connected the string false": ('"connected": "false"', "'connected' is a string, not true or false"),
    "connected 1": ('"connected": 1', "'connected' is a number, not true or false"),
    "connected null": ('"connected": null', "'connected' is null, not true or false"),
    "reconciled the string true": ('"reconciled": "true"', "'reconciled' is a string, not true or false or null"),
    "state unknown": ('"state": "RUNNING"', "'state' is none of starting, running, stopping, stopped, failed"),
    "state a list": ('"state": ["running"]', "'state' is a list, not a string"),
    "target a number": ('"target": 7', "'target' is a number, not a string"),
    "detail an object": ('"detail": {}', "'detail' is an object, not a string"),
}
"""Name -> (the JSON member that replaces the good one, the reason the probe gives)."""


def write_bad(path: Path, member: str) -> None:
    key = member.split(":", 1)[0].strip('"')
    text = json.dumps({k: v for k, v in record().items() if k != key})
    path.write_text(text[:-1] + ", " + member + "}")


@pytest.mark.parametrize("mode", ["ready", "alive", "environment"])
@pytest.mark.parametrize("name", list(BAD))
def test_a_malformed_record_is_not_healthy_in_any_mode(tmp_path: Path, name: str, mode: str) -> None:
    path = tmp_path / "health.json"
    write_bad(path, BAD[name][0])
    if mode == "environment":
        result = run_cli("health", cwd=tmp_path, env=clean_env(NTPROFILE_HEALTH_PATH=str(path)))
    else:
        result = run_cli("health", *(["--alive"] if mode == "alive" else []), str(path), cwd=tmp_path)
    assert result.returncode == Exit.INVALID, result.output
    assert result.stdout == f"not healthy: health file {path}: {BAD[name][1]}\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not JSON: Expecting value"),
        ("[]", "not a JSON object but a list"),
        ("null", "not a JSON object but null"),
        ('"running"', "not a JSON object but a string"),
        ("\xff\xfe", "not UTF-8 text"),
        ("[" * 30_000 + "]" * 30_000, "not JSON"),  # deeper than Python's recursion limit
        ('{"state": "running"}', "'target' is missing"),
    ],
)
def test_what_is_not_a_record_at_all_is_not_healthy(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "health.json"
    path.write_bytes(text.encode("latin-1") if text == "\xff\xfe" else text.encode())
    ready, alive, line = read_health(path)
    assert not ready and not alive
    assert line.startswith(f"not healthy: health file {path}: {reason}"), line


def test_a_future_time_within_the_clock_skew_is_fresh_and_beyond_it_is_not(tmp_path: Path) -> None:
    path = tmp_path / "health.json"
    path.write_text(json.dumps(record(updated=time.time() + CLOCK_SKEW_SECS - 2)))
    ready, alive, text = read_health(path)
    assert ready and alive, text
    path.write_text(json.dumps(record(updated=time.time() + 60)))
    ready, alive, text = read_health(path)
    assert not ready and not alive
    assert "'updated' is 6" in text and "s in the future (was the clock stepped back?)" in text


def test_the_record_the_node_writes_is_healthy_and_one_line_whatever_its_detail(tmp_path: Path) -> None:
    health = HealthFile(tmp_path / "health.json", "prod-bybit\nsecond line")
    health.write(state="failed", detail="not connected\nTraceback (most recent call last):")
    ready, alive, text = read_health(health.path)
    assert not ready and not alive
    assert "\n" not in text and text.startswith("prod-bybit\\nsecond line: not ready (failed")


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "soon", "1e400"])
def test_a_max_age_that_is_no_finite_positive_number_is_a_usage_error(tmp_path: Path, value: str) -> None:
    path = tmp_path / "health.json"
    path.write_text(json.dumps(record()))
    result = run_cli("health", "--max-age", value, str(path), cwd=tmp_path)
    assert result.returncode == Exit.USAGE, result.output
    assert "argument --max-age:" in result.stderr
