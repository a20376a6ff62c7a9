"""``ntprofile validate``: what it validates for each argument, how findings are reported.

Runs the real CLI in a subprocess on a private copy of the shipped profiles
(the ``project`` fixture), plus the library entry points in-process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import write_profile
from ntprofile.diagnostics import Diagnostic
from ntprofile.diagnostics.reporters import github_line
from ntprofile.layers import DirectorySource, Workspace
from ntprofile.validate import Validation, validate_paths, validate_target


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / "profiles" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# ------------------------------------------------------------------ clean runs


def test_shipped_root_is_valid(project, cli):
    result = cli("validate", cwd=project)
    assert result.returncode == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "All 7 targets valid (13 files)."


def test_summary_counts_targets_not_their_layers(project, cli):
    assert cli("validate", "prod-bybit", cwd=project).stderr.strip() == "1 target valid (4 files)."
    assert cli("validate", "prod-bybit", "prod-binance", cwd=project).stderr.strip() == "All 2 targets valid (6 files)."
    layer = cli("validate", "--no-dependents", "exchanges/bybit", "env/production", cwd=project)
    assert layer.stderr.strip() == "All 3 files valid."  # env/production extends base


def test_shipped_root_json_is_an_empty_array(project, cli):
    result = cli("validate", "--format", "json", cwd=project)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_targets_layers_and_files_by_name_or_path(project, cli):
    for arg in [
        "prod-bybit",
        "env/production",
        "profiles/exchanges/bybit.yaml",
        "profiles/prod-multi.toml",
        str(project / "profiles" / "base.yaml"),
    ]:
        result = cli("validate", arg, cwd=project)
        assert result.returncode == 0, (arg, result.output)


def test_profiles_option_and_environment_variable(project, cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert cli("validate", "--profiles", str(project / "profiles"), cwd=elsewhere).returncode == 0
    from conftest import clean_env

    env = clean_env(NTPROFILE_PROFILES=str(project / "profiles"))
    assert cli("validate", "prod-bybit", cwd=elsewhere, env=env).returncode == 0


# ------------------------------------------------------------------ usage errors


def test_unknown_target_is_a_usage_error_with_a_suggestion(project, cli):
    result = cli("validate", "prod-bybt", cwd=project)
    assert result.returncode == 2
    assert "no profile 'prod-bybt'" in result.stderr
    assert "did you mean 'prod-bybit'?" in result.stderr


def test_missing_file_and_missing_root_are_usage_errors(project, cli):
    assert cli("validate", "profiles/nope.yaml", cwd=project).returncode == 2
    folder = cli("validate", "profiles/env", cwd=project)
    assert folder.returncode == 2
    assert "profiles/env is a folder: name profile files, or use --profiles profiles/env" in folder.stderr
    empty = project / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=empty, check=True)  # its own repository: the search stops here
    result = cli("validate", cwd=empty)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "ntprofile validate: error: no profiles root at profiles or in a folder above "
        "(give --profiles DIR or set NTPROFILE_PROFILES)"
    )


@pytest.mark.parametrize("where", ["profiles", "profiles/env", "profiles/exchanges"])
def test_commands_find_the_root_upward_from_inside_it(project, cli, where):
    """As git finds .git: from inside profiles/ or a sub-folder, the root above is the one meant."""
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    inside = project / where
    result = cli("validate", cwd=inside)
    assert result.returncode == 0 and result.stderr.strip() == "All 7 targets valid (13 files).", result.output
    assert cli("validate", "prod-bybit", cwd=inside).stderr.strip() == "1 target valid (4 files)."
    edit(project, "env/production.yaml", "reconciliation_lookback_mins: 1440", "reconciliation_lookback_mins: 30")
    bad = cli("validate", "prod-bybit", cwd=inside)
    assert bad.returncode == 1 and "error[P104]" in bad.stdout
    shown = bad.stdout.split(":", 1)[0]  # relative to the working directory below it, else absolute
    assert (inside / shown).resolve() == project / "profiles" / "prod-bybit.yaml", shown
    listed = cli("list", "--format", "json", cwd=inside)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 7
    compiled = cli("compile", "testnet-binance", cwd=inside)
    assert compiled.returncode == 0, compiled.output
    assert (project / "build" / "testnet-binance" / "node.json").is_file()  # beside the root, not in profiles/
    assert not (inside / "build").exists()


def test_check_from_inside_the_root_reads_the_env_file_beside_it(project, cli):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".env").write_text("BINANCE_TESTNET_API_KEY=tn-key-0001\nBINANCE_TESTNET_API_SECRET=tn-secret-0001\n")
    result = cli("check", "testnet-binance", cwd=project / "profiles" / "env")
    assert result.returncode == 0, result.output
    assert "tn-key-0001" not in result.output and "tn-secret-0001" not in result.output


# ------------------------------------------------------------------ findings


def test_every_finding_of_a_run_sorted_with_a_summary(project, cli):
    edit(project, "prod-bybit.yaml", "trader_id: PROD-BYBIT-001", "trader_id: PROD-BINANCE-001")  # P109 x2
    edit(project, "exchanges/bybit.yaml", "ETHUSDT-LINEAR: MERGED_SINGLE", "ETHUSDT: MERGED_SINGLE")  # P112
    write_profile(
        project,
        "testnet-hedge.yaml",
        (
            "extends: [env/testnet, exchanges/bybit]\nnode: {trader_id: TEST-HEDGE-001}\n"
            "exchanges:\n  BYBIT:\n    exec:\n      position_mode: {BTCUSDT-LINEAR: BOTH_SIDES}\n"
        ),
    )  # P106 warning
    result = cli("validate", cwd=project)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in lines] == [
        "error[P112]",
        "error[P109]",
        "error[P109]",
        "warning[P106]",
    ], lines
    # a stage-free rule: once, at the layer line, for the four targets using it
    assert lines[0].startswith(
        "profiles/exchanges/bybit.yaml:15:9: error[P112] exchanges.BYBIT.exec.position_mode.ETHUSDT: "
    )
    # a production rule: at each target, naming the other one
    assert lines[1].startswith("profiles/prod-binance.yaml:9:3: error[P109] node.trader_id: ")
    assert "also used by prod-bybit (profiles/prod-bybit.yaml:9)" in lines[1]
    assert lines[2].startswith("profiles/prod-bybit.yaml:9:3: error[P109] node.trader_id: ")
    assert lines[3].startswith("profiles/testnet-hedge.yaml:6:23: warning[P106] ")
    assert result.stderr.strip() == "Found 3 errors, 1 warning in 4 files."


def test_json_and_github_formats_carry_the_same_findings(project, cli):
    edit(project, "env/production.yaml", "reconciliation_lookback_mins: 1440", "reconciliation_lookback_mins: 30")
    text = cli("validate", cwd=project)
    as_json = cli("validate", "--format", "json", cwd=project)
    github = cli("validate", "--format", "github", cwd=project)
    assert text.returncode == as_json.returncode == github.returncode == 1
    found = json.loads(as_json.stdout)
    assert len(found) == len(text.stdout.splitlines()) == len(github.stdout.splitlines()) == 3  # three prod targets
    assert {f["code"] for f in found} == {"P104"}
    assert set(found[0]) == {"code", "severity", "file", "line", "col", "key", "message", "hint"}
    assert github.stdout.splitlines()[0].startswith("::error file=profiles/prod-binance.yaml,line=3,col=1,title=P104::")


def test_line_breaks_in_keys_and_values_stay_on_one_line(project, cli):
    write_profile(
        project,
        "exchanges/odd.yaml",
        'node:\n  trader_id: "A\\nB"\ncache:\n  encoding: "ms\\r\\ngpack"\n',
    )
    write_profile(project, "exchanges/key.yaml", 'cache:\n  "bad\\u2028key\\e[31m": 1\n')
    result = cli("validate", "exchanges/odd", "exchanges/key", cwd=project)
    assert result.returncode == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("profiles/exchanges/") for line in lines), lines
    assert 'key.yaml:2:3: error[Y013] key "bad\\u2028key\\u001b[31m" holds a line break' in lines[0]
    assert "'A\\nB' is not of the form NAME-TAG" in lines[1]


def test_load_and_layer_errors_end_in_diagnostics(project, cli):
    write_profile(project, "exchanges/bybit.yaml", "exchanges:\n  BYBIT: [unclosed\n")
    edit(project, "prod-binance.yaml", "exchanges/binance]", "exchanges/binanse]")
    result = cli("validate", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("profiles/exchanges/bybit.yaml:3:1: error[Y003] ")  # once, though three targets use it
    assert sum("[Y003]" in line for line in lines) == 1
    [l001] = [line for line in lines if "[L001]" in line]
    assert l001.startswith("profiles/prod-binance.yaml:3:")
    assert "did you mean 'exchanges/binance'?" in l001


def test_misspelt_key_gets_a_hint(project, cli):
    edit(project, "env/production.yaml", "reconciliation_lookback_mins: 1440", "reconciliation_lookback_min: 1440")
    result = cli("validate", "env/production", "--no-dependents", cwd=project)
    assert result.returncode == 1
    assert "did you mean 'reconciliation_lookback_mins'?" in result.stdout
    assert result.stdout.startswith("profiles/env/production.yaml:26:3: error[")


# ------------------------------------------------------------------ L005 and layers


def test_l005_root_file_that_is_neither_target_nor_layer(project, cli):
    write_profile(project, "prod-new.yaml", "extends: [env/testnet]\nprofile:\n  description: forgot the stage?\n")
    write_profile(project, "prod-new.yaml", "node:\n  trader_id: PROD-NEW-001\nprofile:\n  description: no stage\n")
    for args in [(), ("prod-new",), ("profiles/prod-new.yaml",)]:
        result = cli("validate", *args, cwd=project)
        assert result.returncode == 1, result.output
        assert result.stdout.splitlines() == [
            "profiles/prod-new.yaml:3:1: error[L005] 'prod-new' sets no profile.stage and no profile extends it: "
            "it is neither a target nor a layer (add profile.stage (production, testnet or development), "
            "or move it into a sub-folder)"
        ]


def test_root_level_layer_that_is_extended_is_fine(project):
    write_profile(project, "shared.yaml", "logging: {log_level: INFO}\n")
    edit(project, "prod-bybit.yaml", "extends: [env/production", "extends: [shared, env/production")
    assert [d for d in validate_paths(Workspace(project / "profiles"), []) if d.code == "L005"] == []


def test_layer_alone_is_a_partial_profile_and_its_targets_are_checked_too(project, cli):
    edit(project, "env/production.yaml", "reconciliation_lookback_mins: 1440", "reconciliation_lookback_mins: 30")
    alone = cli("validate", "--no-dependents", "profiles/env/production.yaml", cwd=project)
    assert (alone.returncode, alone.stdout) == (0, "")  # no stage/trader_id demanded of a layer
    with_targets = cli("validate", "profiles/env/production.yaml", cwd=project)
    assert with_targets.returncode == 1
    assert sorted(line.split(":")[0] for line in with_targets.stdout.splitlines()) == [
        "profiles/prod-binance.yaml",
        "profiles/prod-bybit.yaml",
        "profiles/prod-multi.toml",
    ]


def test_file_in_another_repos_profiles_folder(project, cli, tmp_path):
    repo = tmp_path / "other"
    (repo / "deploy").mkdir(parents=True)
    (project / "profiles").rename(repo / "deploy" / "profiles")
    result = cli("validate", "deploy/profiles/exchanges/bybit.yaml", cwd=repo)
    assert result.returncode == 0, result.output
    edit(repo / "deploy", "exchanges/bybit.yaml", "${BYBIT_TESTNET_API_KEY}", "plain")
    result = cli("validate", "deploy/profiles/exchanges/bybit.yaml", cwd=repo)
    assert result.returncode == 1
    assert result.stdout.startswith("deploy/profiles/exchanges/bybit.yaml:8:5: error[S001]")


# ------------------------------------------------------------------ library behaviour


class CountingSource(DirectorySource):
    """A real directory source that counts how often each file is read."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.reads: dict[str, int] = {}

    def read(self, rel: str) -> bytes:
        self.reads[rel] = self.reads.get(rel, 0) + 1
        return super().read(rel)


def test_each_file_is_read_once_per_run(project):
    source = CountingSource(project / "profiles")
    workspace = Workspace(source=source)
    validate_paths(workspace, [])
    for target in workspace.targets():
        validate_target(workspace, target)
    assert len(source.reads) == 13
    assert set(source.reads.values()) == {1}


def test_results_are_deduplicated_and_sorted(project):
    edit(project, "base.yaml", "bypass: false", "bypass: false\n  max_notional_per_order: {X: '${'}")
    diags = validate_paths(Workspace(project / "profiles"), [])
    assert diags == sorted(set(diags), key=Diagnostic.sort_key)
    assert [d.code for d in diags].count("S002") == 1


def test_validate_target_of_a_layer_and_unknown_names(project):
    workspace = Workspace(project / "profiles")
    assert validate_target(workspace, "base") == []
    try:
        validate_target(workspace, "nope")
    except LookupError as exc:
        assert "no profile 'nope'" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown name must raise")


def test_validation_counts_checked_files(project):
    run = Validation(Workspace(project / "profiles"))
    run.paths(["prod-bybit"])
    assert sorted(Path(f).name for f in run.checked) == [
        "base.yaml",
        "bybit.yaml",
        "prod-bybit.yaml",
        "production.yaml",
    ]


# ------------------------------------------------------------------ L007 V005: what the node really runs

PROD_TARGET = """\
extends: [env/production, exchanges/binance]
profile:
  description: a production node for the tests
node:
  trader_id: PROD-T-001
exchanges:
  BINANCE:
    environment: mainnet
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
"""

TWO_BINANCE = """\
extends: [env/production, exchanges/binance]
profile:
  description: spot and futures on one node
node:
  trader_id: PROD-TWO-001
exchanges:
  BINANCE:
    environment: mainnet
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
  BINANCE_SPOT:
    adapter: binance
    environment: mainnet
    account_type: SPOT
    api_key: ${BINANCE_API_KEY}
    api_secret: ${BINANCE_API_SECRET}
"""
"""16 lines: BINANCE_SPOT (line 11) shares the default venue BINANCE with BINANCE (line 7)."""

STRATEGIES = """\
strategies:
  ema_btc:
    strategy_path: my_strategies.ema:EMACross
    config_path: my_strategies.ema:EMACrossConfig
    config: {instrument_id: BTCUSDT-PERP.BINANCE}
  ema_eth:
    strategy_path: my_strategies.ema:EMACross
    config_path: my_strategies.ema:EMACrossConfig
    config: {instrument_id: ETHUSDT-PERP.BINANCE}
"""


def codes_of(project: Path, name: str, code: str) -> list[Diagnostic]:
    return [d for d in validate_target(Workspace(project / "profiles"), name) if d.code == code]


def test_l007_disabling_an_exchange_no_layer_defines_is_a_typo(project, cli):
    body = TWO_BINANCE + "  BINANCE_SPOTT: {enabled: false}\n"
    body = body.replace("    account_type: SPOT\n", "    account_type: SPOT\n    venue: BINANCE_SPOT\n")
    write_profile(project, "prod-two.yaml", body)
    result = cli("validate", "prod-two", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "profiles/prod-two.yaml:18:19: error[L007] exchanges.BINANCE_SPOTT: 'BINANCE_SPOTT' is disabled but no "
        "layer defines it, so this disables nothing (did you mean 'BINANCE_SPOT'?)"
    ]


def test_l007_disabling_a_strategy_in_an_overlay_points_at_the_overlay(project):
    write_profile(project, "strategies/ema.yaml", STRATEGIES)
    write_profile(project, "overlays/no-btc.yaml", "strategies:\n  ema_bt:\n    enabled: false\n")
    body = PROD_TARGET.replace("extends: [", "extends: [strategies/ema, overlays/no-btc, ")
    write_profile(project, "prod-t.yaml", body)
    [diag] = codes_of(project, "prod-t", "L007")
    assert (Path(diag.pos.file).name, diag.pos.line, diag.pos.col) == ("no-btc.yaml", 3, 5)
    assert diag.key == "strategies.ema_bt"
    assert diag.hint == "did you mean 'ema_btc'?"


def test_l007_passes_disabling_what_a_layer_defines(project):
    write_profile(project, "strategies/ema.yaml", STRATEGIES)
    body = PROD_TARGET.replace("extends: [", "extends: [strategies/ema, ") + (
        "strategies:\n  ema_btc: {enabled: false}\n"
        "actors:\n  spare: {actor_path: 'a:B', config_path: 'a:C', enabled: false}\n"
    )
    write_profile(project, "prod-t.yaml", body)
    assert codes_of(project, "prod-t", "L007") == []


def test_l007_a_layer_alone_is_not_checked(project):
    write_profile(project, "overlays/no-btc.yaml", "strategies:\n  ema_bt:\n    enabled: false\n")
    assert [d for d in validate_target(Workspace(project / "profiles"), "overlays/no-btc") if d.code == "L007"] == []


def test_v005_two_binance_clients_on_the_default_venue(project):
    write_profile(project, "prod-two.yaml", TWO_BINANCE)
    [diag] = codes_of(project, "prod-two", "V005")
    assert (Path(diag.pos.file).name, diag.pos.line, diag.pos.col) == ("prod-two.yaml", 11, 3)
    assert diag.key == "exchanges.BINANCE_SPOT"
    assert "venue BINANCE" in diag.message and "BINANCE's" in diag.message
    assert diag.hint == "set venue: BINANCE_SPOT"


def test_v005_a_venue_set_on_the_exec_client_counts(project):
    body = TWO_BINANCE + "    exec:\n      venue: BINANCE\n"
    write_profile(project, "prod-two.yaml", body)
    [diag] = codes_of(project, "prod-two", "V005")
    assert diag.key == "exchanges.BINANCE_SPOT.exec.venue"
    assert diag.pos.line == 18


@pytest.mark.parametrize(
    "change",
    [
        ("    account_type: SPOT\n", "    account_type: SPOT\n    venue: BINANCE_SPOT\n"),
        ("    account_type: SPOT\n", "    account_type: SPOT\n    exec: false\n"),
        ("    account_type: SPOT\n", "    account_type: SPOT\n    enabled: false\n"),
    ],
)
def test_v005_passes_distinct_venues_and_omitted_clients(project, change):
    write_profile(project, "prod-two.yaml", TWO_BINANCE.replace(*change))
    assert codes_of(project, "prod-two", "V005") == []


def test_v005_bybit_has_one_venue_for_every_client(project):
    body = PROD_TARGET.replace("exchanges/binance", "exchanges/bybit").replace("BINANCE", "BYBIT") + (
        "  BYBIT_SPOT:\n    adapter: bybit\n    environment: mainnet\n    product_types: [SPOT]\n"
        "    api_key: ${BYBIT_API_KEY}\n    api_secret: ${BYBIT_API_SECRET}\n"
    )
    write_profile(project, "prod-t.yaml", body)
    [diag] = codes_of(project, "prod-t", "V005")
    assert diag.key == "exchanges.BYBIT_SPOT"
    assert "venue BYBIT" in diag.message
    assert "no venue option" in diag.hint


def test_v005_paper_keeps_the_data_clients_venue(project, cli):
    """The README's paper target without `exec: false`: the hint keeps venue BINANCE and disables the real client."""
    edit(project, "paper-binance.yaml", "    exec: false\n", "")
    result = cli("validate", "paper-binance", cwd=project)
    [line] = [l for l in result.stdout.splitlines() if "V005" in l]
    assert line.startswith("profiles/paper-binance.yaml:17:3: error[V005] exchanges.PAPER:")
    assert line.endswith("(keep venue: BINANCE, the market data it fills against, and set exec: false on BINANCE)")
    assert "venue: PAPER" not in result.stdout
    edit(project, "paper-binance.yaml", "  PAPER:\n", "  PAPER2: {adapter: sandbox, venue: BINANCE}\n  PAPER:\n")
    edit(project, "paper-binance.yaml", "    api_secret: null\n", "    api_secret: null\n    exec: false\n")
    [diag] = codes_of(project, "paper-binance", "V005")
    assert diag.key == "exchanges.PAPER" and diag.hint.startswith("one simulated exec client per venue")


OKEX = """\
extends: [env/production]
node:
  trader_id: PROD-OKEX-001
exchanges:
  OKX:
    adapter: okex
    environment: mainnet
    api_key: ${OKX_API_KEY}
    api_secret: ${OKX_API_SECRET}
    api_passphrase: ${OKX_API_PASSPHRASE}
strategies:
  ema:
    strategy_path: nautilus_trader.examples.strategies.ema_cross:EMACross
    config_path: nautilus_trader.examples.strategies.ema_cross:EMACrossConfig
    config:
      instrument_id: BTC-USDT-SWAP.OKX
      bar_type: BTC-USDT-SWAP.OKX-1-MINUTE-LAST-EXTERNAL
      trade_size: "0.01"
      external_order_claims: [BTC-USDT-SWAP.OKX]
"""


def test_an_unknown_adapter_is_reported_once_not_again_as_missing_venues(project, cli):
    write_profile(project, "prod-okex.yaml", OKEX)
    result = cli("validate", "prod-okex", cwd=project)
    errors = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert len(errors) == 1, result.stdout
    assert "error[V003] exchanges.OKX.adapter: 'okex' is not one of" in errors[0]
    assert errors[0].endswith("(did you mean 'okx'?)")
    # the routing rules still run once the adapter is known
    write_profile(project, "prod-okex.yaml", OKEX.replace("adapter: okex", "adapter: okx").replace(".OKX", ".OKEX"))
    assert "error[P120]" in cli("validate", "prod-okex", cwd=project).stdout


def test_adapter_registry_names_each_default_venue_as_nautilus_trader_does():
    """The validate path cannot import NautilusTrader: the registry states the venue; this pins it."""
    from nautilus_trader.adapters.binance.common.constants import BINANCE_VENUE
    from nautilus_trader.adapters.binance.config import BinanceExecClientConfig
    from nautilus_trader.adapters.bybit.config import BybitExecClientConfig
    from nautilus_trader.adapters.bybit.constants import BYBIT_VENUE
    from ntprofile.adapters import ADAPTERS

    assert ADAPTERS["binance"].venue == BINANCE_VENUE.value == BinanceExecClientConfig().venue.value
    assert ADAPTERS["binance"].venue_field == "venue"
    assert ADAPTERS["bybit"].venue == BYBIT_VENUE.value
    assert ADAPTERS["bybit"].venue_field is None
    assert "venue" not in BybitExecClientConfig.__annotations__


# ------------------------------------------------------------------ --format github escaping


def test_github_format_escapes_file_and_title_properties():
    from ntprofile.diagnostics import Position

    diag = Diagnostic("V003", "50%\nbad", Position("/nowhere/a,b:c%d\ne.yaml", 3, 5), "x.y", "fix: it")
    line = github_line(diag)
    assert line == "::error file=/nowhere/a%2Cb%3Ac%25d%0Ae.yaml,line=3,col=5,title=V003::x.y: 50%25%0Abad (fix: it)"
    assert "\n" not in line


def test_github_format_from_the_cli_with_a_comma_in_the_file_name(project, cli):
    write_profile(project, "prod,x.yaml", PROD_TARGET + "risk_engine:\n  bypass: true\n")
    result = cli("validate", "--format", "github", "prod,x", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=profiles/prod%2Cx.yaml,line=")


# --------------------------------------------------- what compile would refuse


def compiler_v004(root: Path, target: str) -> list[str]:
    """The V004 findings of the release backend's own compile stage (no validate before it), as text lines."""
    from ntprofile import releases

    merged, diags = Workspace(root / "profiles").merge(target)
    assert merged is not None, diags
    found = releases.backend().compile_merged(merged).diagnostics
    return sorted(
        f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.col}: {d.key}: {d.message}" for d in found if d.code == "V004"
    )


def hook_v004(output: str) -> list[str]:
    """The V004 lines of ``validate``'s output in ``compiler_v004``'s form."""
    lines = (line.split(" (")[0] for line in output.splitlines() if "[V004]" in line)
    return sorted(Path(line.split(": error[V004] ")[0]).name + ": " + line.split(": error[V004] ")[1] for line in lines)


def test_a_client_field_nautilus_cannot_build_without_is_found_by_the_hook_as_the_compiler_finds_it(project, cli):
    """A sandbox without ``venue`` or ``starting_balances`` builds no exec client: ``validate`` (the hook) says so
    at the same place, with the same message, as NautilusTrader's refusal in the compile stage, which names
    one missing field at a time where the hook names them all."""
    edit(project, "paper-binance.yaml", '    venue: BINANCE\n    starting_balances: ["10000 USDT"]\n', "")
    found = cli("validate", cwd=project)
    assert found.returncode == 1, found.output
    hook = hook_v004(found.stdout)
    assert hook == [
        "paper-binance.yaml:18:3: exchanges.PAPER.starting_balances: "
        "missing required key 'starting_balances' of SandboxExecutionClientConfig",
        "paper-binance.yaml:18:3: exchanges.PAPER.venue: missing required key 'venue' of SandboxExecutionClientConfig",
    ]
    first = compiler_v004(project, "paper-binance")
    edit(project, "paper-binance.yaml", "    adapter: sandbox\n", "    adapter: sandbox\n    venue: BINANCE\n")
    second = compiler_v004(project, "paper-binance")
    assert len(first) == len(second) == 1 and sorted(first + second) == hook


@pytest.mark.parametrize(
    "replacement",
    [
        '    exec:\n      venue: BINANCE\n      starting_balances: ["10000 USDT"]\n',  # the client's own options
        '    venue: BINANCE\n    starting_balances: ["10000 USDT"]\n    enabled: false\n',  # no client at all
    ],
)
def test_a_required_client_field_set_for_the_client_or_a_dropped_client_is_fine(project, cli, replacement):
    edit(project, "paper-binance.yaml", '    venue: BINANCE\n    starting_balances: ["10000 USDT"]\n', replacement)
    result = cli("validate", "paper-binance", cwd=project)
    assert "[V004]" not in result.stdout, result.output


def test_a_required_client_field_set_to_null_is_reported_once(project, cli):
    edit(project, "paper-binance.yaml", '    starting_balances: ["10000 USDT"]\n', "    starting_balances: null\n")
    result = cli("validate", "paper-binance", cwd=project)
    assert "paper-binance.yaml:21:5: error[V002] exchanges.PAPER.starting_balances" in result.stdout, result.output
    assert "[V004]" not in result.stdout, result.output



EXCHANGE_MISTAKES = (
    {"BINANCE": {"acount_type": "SPOT"}},
    {"BYBIT": {"product_types": "LINEAR"}},
    {"X1": {"adapter": "binance", "account_type": "NOPE"}},
    {"X2": {"adapter": "nosuch"}},
    {"X3": {"environment": "testnet"}},
    {"X4": "not a mapping"},
    {"PAPER2": {"adapter": "sandbox", "venue": 5, "starting_balances": "x"}},
    {"BINANCE": {"exec": {"bogus": 1}, "data": False}},
    {"BYBIT": {"enabled": "yes"}},
    {"bybit": {"environment": "demo", "adapter": "bybit", "max_retries": "three"}},
    {"X5": None},
    {"X6": {"enabled": False}},
)


@pytest.mark.parametrize("kind", ["partial", "target"])
def test_a_keyed_section_validated_entry_by_entry_finds_what_validating_it_whole_finds(project, kind):
    """``exchanges`` (and the component sections) are validated per entry, each distinct entry once: the
    findings are those of validating the section whole, on every shipped target with any two mistakes."""
    import copy
    import itertools

    from ntprofile.validate import schema as schema_check

    whole_validator = schema_check._section_validator(kind, "exchanges")
    workspace = Workspace(project / "profiles")
    found = 0
    for target in workspace.targets():
        merged, _ = workspace.merge(target)
        for pair in itertools.combinations(EXCHANGE_MISTAKES, 2):
            section = copy.deepcopy(merged.tree["exchanges"])
            for mistakes in pair:
                for client, options in mistakes.items():
                    previous = section.get(client)
                    both = isinstance(previous, dict) and isinstance(options, dict)
                    section[client] = {**previous, **options} if both else options
            whole = schema_check._findings(whole_validator, section, ("exchanges",))
            per_entry = schema_check._section_findings(kind, "exchanges", section)
            assert sorted(map(repr, per_entry)) == sorted(map(repr, whole)), (target, pair)
            found += bool(whole)
    assert found > 400  # most pairs are mistakes in either kind: the comparison is rarely of two empty lists
