"""``ntprofile check``: the real CLI against real redis-server processes started here.

Every shipped target must pass with canary credentials, and neither the output
(NautilusTrader's own console logs and ``print_config`` included) nor the node's
log files may contain a canary. Each way a deployment can be wrong gets one
clear, located diagnostic and exit 1, never a hang or a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXCHANGE_CANARIES, TARGETS, clean_env, closed_port
from pytest_redis import factories

REDIS_PASSWORD = "CANARY-redis-pw-5b1e"
check_redis = factories.redis_proc(port=None, password=REDIS_PASSWORD)

CANARIES = {
    **EXCHANGE_CANARIES,
    "REDIS_PASSWORD": REDIS_PASSWORD,
}

pytestmark = pytest.mark.slow


def redis_env(proc, **extra: str) -> dict[str, str]:
    env = clean_env(**CANARIES)
    env.update(REDIS_HOST=proc.host, REDIS_PORT=str(proc.port))
    env.update(extra)
    return env


def assert_no_canary(text: str) -> None:
    for name, value in CANARIES.items():
        assert value not in text, f"{name}'s value leaked"
        masked = f"{value[:4]}...{value[-4:]}"  # NautilusTrader's mask_api_key form
        if name.endswith("_API_KEY"):
            # known and documented: NautilusTrader's Bybit clients log 'REST API key abcd...wxyz' when built
            for line in text.splitlines():
                assert masked not in line or "REST API key " + masked in line, f"{name} shown: {line}"
        else:
            assert masked not in text, f"part of {name}'s value leaked"


def log_text(project: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (project / "logs").glob("*") if p.is_file())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_every_shipped_target_checks_without_leaking_a_secret(project, cli, check_redis):
    # NautilusTrader's own output is shown (--verbose) and print_config is on: both must stay clean
    edit(project / "profiles" / "base.yaml", "  log_colors: false", "  log_colors: false\n  print_config: true")
    outputs = []
    for target in TARGETS:
        result = cli("check", target, "--verbose", cwd=project, env=redis_env(check_redis))
        assert result.returncode == 0, result.output
        assert f"{target}: ok" in result.stdout
        assert "no exchange contacted" in result.stdout
        outputs.append(result.output)
    text = "\n".join(outputs)
    assert "PROD-BYBIT-001" in text and "PROD-MULTI-001" in text
    assert f"redis {check_redis.host}:{check_redis.port}, password ***" in text
    assert "Building data client for BYBIT" in text  # the node really was built, with its clients
    assert_no_canary(text)
    logs = log_text(project)
    assert "PROD-BINANCE-001" in logs  # production targets wrote their JSON log files
    assert_no_canary(logs)


def test_summary_names_clients_cache_and_strategies(project, cli, check_redis):
    result = cli("check", "prod-multi", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert "  trader id    PROD-MULTI-001" in lines
    assert "  stage        production" in lines
    assert "  client       BINANCE: binance mainnet (data+exec)" in lines
    assert "  client       BYBIT: bybit mainnet (data+exec)" in lines
    assert "  strategies   none" in lines
    assert "[INFO]" not in result.stdout  # NautilusTrader's console logs at WARNING unless --verbose


def test_unreachable_redis_fails_fast_and_clearly(project, cli):
    port = closed_port()
    result = cli("check", "prod-bybit", cwd=project, env=clean_env(**CANARIES, REDIS_PORT=str(port)), timeout=10)
    assert result.returncode == 1, result.output
    assert (
        f"profiles/env/production.yaml:16:5: error[R001] cache.database: Redis at 127.0.0.1:{port} is unreachable"
        in result.stdout
    )
    assert_no_canary(result.output)


def test_wrong_redis_password_fails_fast_and_clearly(project, cli, check_redis):
    env = redis_env(check_redis, REDIS_PASSWORD="CANARY-wrong-pw-0a0a")
    result = cli("check", "prod-bybit", cwd=project, env=env, timeout=10)
    assert result.returncode == 1, result.output
    assert "error[R002] cache.database:" in result.stdout
    assert "rejected the credentials" in result.stdout
    assert "CANARY-wrong-pw-0a0a" not in result.output
    assert_no_canary(result.output)


def test_missing_password_is_reported_as_such(project, cli, check_redis):
    env = redis_env(check_redis)
    del env["REDIS_PASSWORD"]
    result = cli("check", "prod-bybit", cwd=project, env=env, timeout=10)
    assert result.returncode == 1, result.output  # production requires it (P103): refused before connecting
    assert "error[S004] cache.database.password: environment variable REDIS_PASSWORD is not set" in result.stdout
    # where the password is optional (a testnet node with a Redis cache), Redis itself says it needs one
    (project / "profiles" / "testnet-redis.yaml").write_text(
        "extends: [testnet-bybit]\nnode: {trader_id: TEST-REDIS-001}\n"
        "cache:\n  database:\n    type: redis\n    host: ${REDIS_HOST}\n    port: ${REDIS_PORT}\n"
        "    password: ${REDIS_PASSWORD:-}\n"
    )
    result = cli("check", "testnet-redis", cwd=project, env=env, timeout=10)
    assert result.returncode == 1, result.output
    assert "requires a password and none is configured" in result.stdout


def test_every_missing_variable_is_reported_at_once(project, cli, check_redis):
    env = redis_env(check_redis)
    for name in ("BINANCE_API_KEY", "BINANCE_API_SECRET", "BYBIT_API_SECRET"):
        del env[name]
    result = cli("check", "prod-multi", cwd=project, env=env)
    assert result.returncode == 1, result.output
    missing = [l for l in result.stdout.splitlines() if "error[S004]" in l]
    assert len(missing) == 3, result.stdout
    assert missing[0].startswith("profiles/prod-multi.toml:14:")
    for name in ("BINANCE_API_KEY", "BINANCE_API_SECRET", "BYBIT_API_SECRET"):
        assert any(name in l for l in missing)
    assert "failed with 3 error(s); no node built" in result.stderr


def test_empty_secret_is_an_error(project, cli, check_redis):
    result = cli("check", "prod-bybit", cwd=project, env=redis_env(check_redis, BYBIT_API_SECRET=""))
    assert result.returncode == 1, result.output
    assert "profiles/prod-bybit.yaml:15:5: error[S005] exchanges.BYBIT.api_secret:" in result.stdout
    assert "BYBIT_API_SECRET" in result.stdout


def test_mistyped_port_names_the_variable(project, cli, check_redis):
    result = cli("check", "prod-bybit", cwd=project, env=redis_env(check_redis, REDIS_PORT="abc"))
    assert result.returncode == 1, result.output
    line = next(l for l in result.stdout.splitlines() if "S006" in l)
    assert line.startswith("profiles/env/production.yaml:17:5: error[S006] cache.database.port:")
    assert "REDIS_PORT" in line


def add_strategy(project, strategy_path: str, config: str) -> None:
    """Append an ``ema`` strategy to prod-bybit (its strategy_path lands on line 19)."""
    target = project / "profiles" / "prod-bybit.yaml"
    target.write_text(
        target.read_text()
        + "\nstrategies:\n"
        + "  ema:\n"
        + f"    strategy_path: {strategy_path}\n"
        + "    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig\n"
        + f"    config: {config}\n"
    )


def test_non_importable_strategy_points_at_its_line(project, cli, check_redis):
    add_strategy(
        project,
        "no_such_package.strategies:EMACross",
        "{instrument_id: ETHUSDT-LINEAR.BYBIT, bar_type: ETHUSDT-LINEAR.BYBIT-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01'}",
    )
    result = cli("check", "prod-bybit", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 1, result.output
    line = next(l for l in result.stdout.splitlines() if "R004" in l)
    assert line.startswith("profiles/prod-bybit.yaml:19:5: error[R004] strategies.ema.strategy_path:")
    assert "no module named 'no_such_package'" in line


def test_strategy_config_rejected_by_its_class(project, cli, check_redis):
    add_strategy(
        project, "nautilus_trader.examples.strategies.ema_cross:EMACross", "{instrument_id: ETHUSDT-LINEAR.BYBIT}"
    )
    result = cli("check", "prod-bybit", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 1, result.output
    # compile decodes the config with its class, so the finding names the missing key, before any preflight
    assert (
        "error[V004] strategies.ema.config.bar_type: missing required key 'bar_type' of EMACrossConfig" in result.stdout
    )


def test_log_directory_that_cannot_be_created(project, cli, check_redis):
    # a regular file where a directory must go: fails for root too, unlike permission bits
    (project / "blocker").write_text("not a directory\n")
    edit(project / "profiles" / "env" / "production.yaml", "log_directory: logs", "log_directory: blocker/logs")
    result = cli("check", "prod-bybit", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 1, result.output
    line = next(l for l in result.stdout.splitlines() if "R003" in l)
    assert line.startswith("profiles/env/production.yaml:")
    assert "logging.log_directory: log directory 'blocker/logs' is not usable" in line


def test_env_file_is_read_and_a_missing_one_is_a_usage_error(project, cli, check_redis):
    env = redis_env(check_redis)
    for name in ("BYBIT_API_KEY", "BYBIT_API_SECRET"):
        del env[name]
    (project / "deploy.env").write_text(
        f"BYBIT_API_KEY={CANARIES['BYBIT_API_KEY']}\nBYBIT_API_SECRET={CANARIES['BYBIT_API_SECRET']}\n"
    )
    assert cli("check", "prod-bybit", cwd=project, env=env).returncode == 1  # no ./.env: missing
    result = cli("check", "prod-bybit", "--env-file", "deploy.env", cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert_no_canary(result.output)
    result = cli("check", "prod-bybit", "--env-file", "nope.env", cwd=project, env=env)
    assert result.returncode == 2
    assert "env file not found: nope.env" in result.stderr


def test_profile_from_the_environment_and_unknown_profile(project, cli, check_redis):
    result = cli("check", cwd=project, env=redis_env(check_redis, PROFILE="testnet-bybit"))
    assert result.returncode == 0, result.output
    assert "testnet-bybit: ok" in result.stdout
    result = cli("check", "prod-bybt", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 2
    assert "did you mean 'prod-bybit'?" in result.stderr  # the suggestion itself, not only the target list


@pytest.mark.parametrize("port", ["0", "70000"])
def test_port_out_of_range_is_refused_before_anything_connects(project, cli, port):
    # 127.0.0.2: nothing listens there, so not even the old fallback to 6379 could reach a server
    env = clean_env(**CANARIES, REDIS_HOST="127.0.0.2", REDIS_PORT=port)
    result = cli("check", "prod-bybit", cwd=project, env=env, timeout=20)
    assert result.returncode == 1, result.output
    errors = [l for l in result.stdout.splitlines() if "error[" in l]
    assert errors == [
        f"profiles/env/production.yaml:17:5: error[S006] cache.database.port: value '{port}' of REDIS_PORT "
        f"is not allowed here: {port} is not a port (1-65535)"
    ]
    assert "no node built" in result.stderr


DOLLAR_PASSWORD = "Pw$HOME${X}$$z"
dollar_redis = factories.redis_proc(port=None, password=DOLLAR_PASSWORD)


@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_a_dollar_in_a_dot_env_password_reaches_redis_unchanged(project, cli, dollar_redis, quote):
    import redis

    client = redis.Redis(host=dollar_redis.host, port=dollar_redis.port, password=DOLLAR_PASSWORD)
    assert client.ping()  # the server's password is the literal text
    client.close()
    env = redis_env(dollar_redis, X="expanded", HOME="/home/operator")
    del env["REDIS_PASSWORD"]
    (project / ".env").write_text(f"X=from-file\nREDIS_PASSWORD={quote}{DOLLAR_PASSWORD}{quote}\n")
    result = cli("check", "prod-bybit", cwd=project, env=env, timeout=30)
    assert result.returncode == 0, result.output
    assert "prod-bybit: ok" in result.stdout
    assert DOLLAR_PASSWORD not in result.output


def test_profile_from_dot_env_and_the_environment_wins(project, cli, check_redis):
    env = redis_env(check_redis)
    env.pop("PROFILE", None)
    (project / ".env").write_text("PROFILE=testnet-bybit\n")
    result = cli("check", cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert "testnet-bybit: ok" in result.stdout
    result = cli("check", cwd=project, env=dict(env, PROFILE="testnet-binance"))
    assert result.returncode == 0, result.output
    assert "testnet-binance: ok" in result.stdout
    (project / "deploy.env").write_text("PROFILE=prod-bybit\n")
    result = cli("check", "--env-file", "deploy.env", cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert "prod-bybit: ok" in result.stdout
    (project / ".env").unlink()
    result = cli("check", cwd=project, env=env)
    assert result.returncode == 2
    assert "no PROFILE given" in result.stderr


def test_summary_names_the_strategies_by_their_profile_keys(project, cli):
    target = project / "profiles" / "testnet-bybit.yaml"
    ema = (
        "    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross\n"
        "    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig\n"
        "    config: {instrument_id: ETHUSDT-LINEAR.BYBIT, bar_type: ETHUSDT-LINEAR.BYBIT-1-MINUTE-LAST-EXTERNAL, trade_size: '0.01'}\n"
    )
    target.write_text(target.read_text() + "\nstrategies:\n  eth_trend:\n" + ema + "  EMACross:\n" + ema)
    env = clean_env(**CANARIES, REDIS_HOST="127.0.0.2")
    env.pop("PROFILE", None)
    result = cli("check", "testnet-bybit", cwd=project, env=env)
    assert result.returncode == 0, result.output
    assert "  strategies   eth_trend (EMACross), EMACross" in result.stdout.splitlines()


def test_check_all_checks_every_target_each_logging_as_itself(project, cli, check_redis):
    # one broken target must not hide the others: all are checked, each reported, one summary line
    edit(project / "profiles" / "testnet-bybit.yaml", "TESTNET-BYBIT-001", "NOHYPHEN")
    result = cli("check", "--all", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 1, result.output
    for target in TARGETS:
        if target != "testnet-bybit":
            assert f"{target}: ok" in result.stdout, result.output
    assert "profiles/testnet-bybit.yaml:9:3: error[V003] node.trader_id" in result.stdout
    count = len(TARGETS)
    assert (
        result.stderr.strip().splitlines()[-1] == f"Checked {count - 1} of {count} targets ok; failed: testnet-bybit."
    )
    assert_no_canary(result.output)
    # a fresh process per target: every production node wrote its own log file under its own trader id
    names = sorted(p.name.split("_")[0] for p in (project / "logs").iterdir())
    assert {"PROD-BINANCE-001", "PROD-BYBIT-001", "PROD-MULTI-001"} <= set(names), names
    assert_no_canary(log_text(project))


def test_check_several_named_targets(project, cli, check_redis):
    result = cli("check", "prod-bybit", "testnet-binance", cwd=project, env=redis_env(check_redis))
    assert result.returncode == 0, result.output
    assert "prod-bybit: ok" in result.stdout and "testnet-binance: ok" in result.stdout
    assert "prod-binance" not in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "Checked 2 of 2 targets ok."
