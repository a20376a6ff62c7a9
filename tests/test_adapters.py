"""Every NautilusTrader live adapter: decided, described truthfully, compiled, round-tripped and built.

The registry is data that the validate path reads without importing
NautilusTrader; these tests hold each trait to the installed NautilusTrader, so
an upgrade that adds a venue, renames a field or moves a default fails here.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import nautilus_trader.adapters as nt_adapters
import pytest
from conftest import REPO, clean_env, write_profile
from nautilus_trader.adapters.architect_ax.config import AxDataClientConfig, AxExecClientConfig
from nautilus_trader.adapters.bitmex.config import BitmexDataClientConfig, BitmexExecClientConfig
from nautilus_trader.adapters.databento.config import DatabentoDataClientConfig
from nautilus_trader.adapters.deribit.config import DeribitDataClientConfig, DeribitExecClientConfig
from nautilus_trader.adapters.dydx.config import DydxDataClientConfig, DydxExecClientConfig
from nautilus_trader.adapters.hyperliquid.config import HyperliquidDataClientConfig, HyperliquidExecClientConfig
from nautilus_trader.adapters.hyperliquid.enums import HyperliquidProductType
from nautilus_trader.adapters.kraken.config import KrakenDataClientConfig, KrakenExecClientConfig
from nautilus_trader.adapters.okx.config import OKXDataClientConfig
from nautilus_trader.adapters.sandbox.config import SandboxExecutionClientConfig
from nautilus_trader.adapters.tardis.config import TardisDataClientConfig
from nautilus_trader.config import TradingNodeConfig
from nautilus_trader.core import nautilus_pyo3 as p3
from nautilus_trader.live.config import LiveDataClientConfig, LiveExecClientConfig
from nautilus_trader.live.factories import LiveDataClientFactory, LiveExecClientFactory
from ntprofile.adapters import ADAPTERS, UNSUPPORTED, Adapter, ClientSpec, Credential
from ntprofile.compile import compile_merged
from ntprofile.language.vocabulary import ENVIRONMENTS, import_class
from ntprofile.layers import Workspace
from test_compile import substituted

# ------------------------------------------------------------------ decided


def _live_factories(package: str) -> set[str]:
    """``data``/``exec``: the live client factories a package defines (read as text: it may not import)."""
    root = Path(nt_adapters.__path__[0]) / package
    text = "".join(p.read_text(encoding="utf-8") for p in root.glob("factor*.py"))
    return {
        kind
        for kind, base in (("data", "(LiveDataClientFactory)"), ("exec", "(LiveExecClientFactory)"))
        if base in text
    }


def test_every_live_adapter_of_nautilus_trader_is_supported_or_refused_with_its_extra():
    """An upgrade that adds a venue fails here until it is supported or listed in UNSUPPORTED."""
    live = {
        info.name for info in pkgutil.iter_modules(nt_adapters.__path__) if info.ispkg and _live_factories(info.name)
    }
    assert live == set(ADAPTERS) | set(UNSUPPORTED)
    assert not set(ADAPTERS) & set(UNSUPPORTED)
    for name, adapter in ADAPTERS.items():
        assert set(adapter.kinds) == _live_factories(name), name  # no client claimed or hidden
    for name, extra in UNSUPPORTED.items():
        with pytest.raises(ModuleNotFoundError):  # the reason it is not supported: an optional package
            importlib.import_module(f"nautilus_trader.adapters.{name}.config")
        assert extra.startswith("nautilus_trader[")


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_traits_match_the_installed_adapter(name: str):
    adapter = ADAPTERS[name]
    bases = {
        "data": (LiveDataClientConfig, LiveDataClientFactory),
        "exec": (LiveExecClientConfig, LiveExecClientFactory),
    }
    configs = {}
    for kind in adapter.kinds:
        spec = adapter.client(kind)
        configs[kind] = import_class(spec.config)
        assert issubclass(configs[kind], bases[kind][0]) and issubclass(import_class(spec.factory), bases[kind][1])
    fields = {kind: msgspec.structs.fields(cls) for kind, cls in configs.items()}
    names = {kind: {f.name for f in fs} for kind, fs in fields.items()}
    if adapter.environment_field is None:
        assert all("environment" not in n for n in names.values())
    else:
        assert set(adapter.environments) <= set(ENVIRONMENTS)
        for kind in adapter.kinds:
            assert adapter.environment_field in names[kind]
            default = next(f.default for f in fields[kind] if f.name == adapter.environment_field)
            if adapter.environment_enum is not None:
                enum = import_class(adapter.environment_enum)
                members = {env: getattr(enum, member) for env, member in adapter.environments.items()}
                # unset: the config's default member, or the factories' `or MAINNET/LIVE`
                expected = [e for e, m in members.items() if m == default] if default is not None else ["mainnet"]
                assert [adapter.default_environment] == expected
    for credential in adapter.credentials:
        assert any(credential.field in n for n in names.values()), credential.field
        for kind in credential.required:
            assert credential.field in names[kind], (credential.field, kind)
    if adapter.venue_field is not None:
        assert all(adapter.venue_field in names[kind] for kind in adapter.kinds)
    if adapter.venue is not None and adapter.venue_field is None:
        constants = importlib.import_module(f"nautilus_trader.adapters.{name}.constants")
        assert getattr(constants, f"{adapter.venue}_VENUE").value == adapter.venue


def test_real_money_is_a_trait():
    assert ADAPTERS["okx"].trades_real_money("mainnet") and not ADAPTERS["okx"].trades_real_money("demo")
    assert not ADAPTERS["architect_ax"].trades_real_money(None)  # NautilusTrader's AX default is its sandbox
    assert ADAPTERS["bybit"].trades_real_money(None)
    assert not ADAPTERS["sandbox"].trades_real_money("mainnet")


# ----------------------------------------------------- compiled == hand-built

VARS = {
    "AX_API_KEY": "ax-key-1234",
    "AX_API_SECRET": "ax-secret-1234",
    "BITMEX_TESTNET_API_KEY": "bm-key-1234",
    "BITMEX_TESTNET_API_SECRET": "bm-secret-1234",
    "DATABENTO_API_KEY": "db-abcdefghijklmnopqrstuvwxyz012",
    "DERIBIT_TESTNET_API_KEY": "dr-key-1234",
    "DERIBIT_TESTNET_API_SECRET": "dr-secret-1234",
    "DYDX_TESTNET_WALLET_ADDRESS": "dydx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
    "DYDX_TESTNET_PRIVATE_KEY": "0x" + "11" * 32,
    "HYPERLIQUID_TESTNET_PK": "0x" + "22" * 32,
    "KRAKEN_FUTURES_DEMO_API_KEY": "kr-key-1234",
    "KRAKEN_FUTURES_DEMO_API_SECRET": "kr-secret-1234",
    "OKX_API_KEY": "okx-key-1234",
    "OKX_API_SECRET": "okx-secret-1234",
    "OKX_API_PASSPHRASE": "okx-pass-1234",
    "TARDIS_API_KEY": "td-key-1234",
}

VENUES = """\
profile: {stage: development}
node: {trader_id: VENUES-T-001}
exchanges:
  AX: {adapter: architect_ax, environment: mainnet, api_key: "${AX_API_KEY}", api_secret: "${AX_API_SECRET}"}
  BITMEX: {environment: testnet, api_key: "${BITMEX_TESTNET_API_KEY}", api_secret: "${BITMEX_TESTNET_API_SECRET}"}
  DATABENTO: {api_key: "${DATABENTO_API_KEY}"}
  DERIBIT:
    environment: testnet
    api_key: "${DERIBIT_TESTNET_API_KEY}"
    api_secret: "${DERIBIT_TESTNET_API_SECRET}"
    product_types: [FUTURE]
  DYDX: {environment: testnet, wallet_address: "${DYDX_TESTNET_WALLET_ADDRESS}", private_key: "${DYDX_TESTNET_PRIVATE_KEY}"}
  HYPERLIQUID: {environment: testnet, private_key: "${HYPERLIQUID_TESTNET_PK}", product_types: [PERP]}
  KRAKEN:
    environment: demo
    api_key: "${KRAKEN_FUTURES_DEMO_API_KEY}"
    api_secret: "${KRAKEN_FUTURES_DEMO_API_SECRET}"
    product_types: [FUTURES]
  OKX:
    environment: mainnet
    api_key: "${OKX_API_KEY}"
    api_secret: "${OKX_API_SECRET}"
    api_passphrase: "${OKX_API_PASSPHRASE}"
    instrument_types: [SWAP]
    exec: false
  TARDIS: {api_key: "${TARDIS_API_KEY}", base_url_ws: "ws://127.0.0.1:8001"}
  PAPER: {adapter: sandbox, venue: OKX, starting_balances: ["10000 USDT"], default_leverage: 5}
"""


def _expected() -> tuple[dict, dict]:
    """The same clients written by hand with NautilusTrader's classes."""
    ax = dict(api_key="ax-key-1234", api_secret="ax-secret-1234", environment=p3.AxEnvironment.PRODUCTION)
    bm = dict(api_key="bm-key-1234", api_secret="bm-secret-1234", environment=p3.BitmexEnvironment.TESTNET)
    dr = dict(
        api_key="dr-key-1234",
        api_secret="dr-secret-1234",
        environment=p3.DeribitEnvironment.TESTNET,
        product_types=(p3.DeribitProductType.FUTURE,),
    )
    kr = dict(
        api_key="kr-key-1234",
        api_secret="kr-secret-1234",
        environment=p3.KrakenEnvironment.DEMO,
        product_types=(p3.KrakenProductType.FUTURES,),
    )
    hl = dict(environment=p3.HyperliquidEnvironment.TESTNET, product_types=(HyperliquidProductType.PERP,))
    data = {
        "AX": AxDataClientConfig(**ax),
        "BITMEX": BitmexDataClientConfig(**bm),
        "DATABENTO": DatabentoDataClientConfig(api_key=VARS["DATABENTO_API_KEY"]),
        "DERIBIT": DeribitDataClientConfig(**dr),
        "DYDX": DydxDataClientConfig(
            wallet_address=VARS["DYDX_TESTNET_WALLET_ADDRESS"], environment=p3.DydxNetwork.TESTNET
        ),
        "HYPERLIQUID": HyperliquidDataClientConfig(**hl),
        "KRAKEN": KrakenDataClientConfig(**kr),
        "OKX": OKXDataClientConfig(
            api_key="okx-key-1234",
            api_secret="okx-secret-1234",
            api_passphrase="okx-pass-1234",
            environment=p3.OKXEnvironment.LIVE,
            instrument_types=(p3.OKXInstrumentType.SWAP,),
        ),
        "TARDIS": TardisDataClientConfig(api_key="td-key-1234", base_url_ws="ws://127.0.0.1:8001"),
    }
    exec_ = {
        "AX": AxExecClientConfig(**ax),
        "BITMEX": BitmexExecClientConfig(**bm),
        "DERIBIT": DeribitExecClientConfig(**dr),
        "DYDX": DydxExecClientConfig(
            wallet_address=VARS["DYDX_TESTNET_WALLET_ADDRESS"],
            private_key=VARS["DYDX_TESTNET_PRIVATE_KEY"],
            environment=p3.DydxNetwork.TESTNET,
        ),
        "HYPERLIQUID": HyperliquidExecClientConfig(private_key=VARS["HYPERLIQUID_TESTNET_PK"], **hl),
        "KRAKEN": KrakenExecClientConfig(**kr),
        "PAPER": SandboxExecutionClientConfig(
            venue="OKX",
            starting_balances=["10000 USDT"],
            default_leverage=msgspec.convert(5, type=SandboxExecutionClientConfig.__annotations__["default_leverage"]),
        ),
    }
    return data, exec_


@pytest.fixture(scope="module")
def venues(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("venues")
    shutil.copytree(REPO / "profiles", project / "profiles")
    write_profile(project, "venues.yaml", VENUES)
    return project


def test_every_adapter_compiles_to_the_hand_built_config_and_node_json_parses_back(venues: Path):
    merged, diags = Workspace(venues / "profiles").merge("venues")
    assert merged is not None, diags
    compiled = compile_merged(merged, VARS.get)
    assert compiled.ok, [d.render() for d in compiled.diagnostics]
    used = {c.adapter.name for c in compiled.clients}
    assert used == set(ADAPTERS) - {"binance", "bybit"}  # those two: test_compile's shipped targets
    data, exec_ = _expected()
    assert compiled.config.data_clients == data
    assert compiled.config.exec_clients == exec_
    # node.json (placeholders filled as a deployment would) parses back to the same clients
    parsed = TradingNodeConfig.parse(json.dumps(substituted(compiled.node_json, VARS)))
    assert {k: v.create() for k, v in parsed.data_clients.items()} == data
    assert {k: v.create() for k, v in parsed.exec_clients.items()} == exec_
    # the spelling a user writes (PERP) becomes the one NautilusTrader decodes (perp)
    assert compiled.node_json["exec_clients"]["HYPERLIQUID"]["config"]["product_types"] == ["perp"]


def test_check_builds_a_node_with_every_adapter_without_the_network(venues: Path):
    """The real CLI; where the machine allows it, in a network namespace with no interface but lo."""
    env = clean_env(**VARS)
    command = [sys.executable, "-m", "ntprofile", "check", "venues"]
    isolated = (
        shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0
    )
    proc = subprocess.run(
        (["unshare", "-rn"] if isolated else []) + command,
        cwd=venues,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "venues: ok" in proc.stdout and "no exchange contacted" in proc.stdout
    assert "PAPER: sandbox simulated on OKX (exec)" in proc.stdout
    for value in VARS.values():
        if len(value) > 8:
            assert value not in proc.stdout + proc.stderr


# ------------------------------------------------------------------ secrets


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("  HL: {adapter: hyperliquid, private_key: '0xabcdef0123456789'}\n", "exchanges.HL.private_key"),
        ("  OKX: {api_passphrase: hunter2hunter2}\n", "exchanges.OKX.api_passphrase"),
        ("  DYDX: {exec: {private_key: '0xabcdef0123456789'}}\n", "exchanges.DYDX.exec.private_key"),
    ],
)
def test_a_literal_declared_credential_is_s001_and_never_reaches_node_json(project, cli, line, key):
    write_profile(
        project, "lit.yaml", f"profile: {{stage: development}}\nnode: {{trader_id: LIT-T-001}}\nexchanges:\n{line}"
    )
    result = cli("validate", "lit", cwd=project)
    assert result.returncode == 1
    assert f"error[S001] {key}:" in result.stdout
    assert "0xabcdef0123456789" not in result.output and "hunter2" not in result.output
    result = cli("compile", "lit", cwd=project)
    assert result.returncode == 1 and not (project / "build" / "lit").exists()


def test_a_required_credential_nautilus_trader_would_read_itself_is_s008(project, cli):
    write_profile(
        project,
        "hl.yaml",
        "profile: {stage: development}\nnode: {trader_id: HL-T-001}\nexchanges:\n  HYPERLIQUID: {environment: testnet}\n",
    )
    result = cli("validate", "hl", cwd=project)
    assert result.returncode == 0  # a warning
    assert (
        "profiles/hl.yaml:4:3: warning[S013] exchanges.HYPERLIQUID.private_key: is not set: NautilusTrader would read "
        "HYPERLIQUID_TESTNET_PK from the environment for the hyperliquid exec client; a profile must say where its "
        "key comes from (write private_key: ${HYPERLIQUID_TESTNET_PK})"
    ) in result.stdout
    # a data-only section needs no key
    write_profile(
        project,
        "hl.yaml",
        "profile: {stage: development}\nnode: {trader_id: HL-T-001}\nexchanges:\n  HYPERLIQUID: {exec: false}\n",
    )
    assert "S013" not in cli("validate", "hl", cwd=project).stdout


def test_a_required_credential_without_a_fallback_is_s007(project, monkeypatch):
    """An adapter whose client cannot run without the field and NautilusTrader reads no variable for it."""
    from ntprofile.validate import validate_target

    strict = Adapter(
        name="strictvenue",
        data=None,
        exec=ClientSpec("nautilus_trader.adapters.okx.config:OKXExecClientConfig", "x:y"),
        venue="STRICT",
        credentials=(Credential("api_passphrase"),),
    )
    monkeypatch.setitem(ADAPTERS, "strictvenue", strict)
    write_profile(
        project, "s.yaml", "profile: {stage: development}\nnode: {trader_id: S-T-001}\nexchanges:\n  STRICTVENUE: {}\n"
    )
    found = [d for d in validate_target(Workspace(project / "profiles"), "s") if d.code == "S012"]
    assert [(d.key, d.is_error, d.hint) for d in found] == [
        ("exchanges.STRICTVENUE.api_passphrase", True, "write api_passphrase: ${STRICTVENUE_API_PASSPHRASE}")
    ]


def test_an_adapter_that_needs_an_optional_package_names_it(project, cli):
    write_profile(
        project,
        "ib.yaml",
        "profile: {stage: development}\nnode: {trader_id: IB-T-001}\nexchanges:\n  IB: {adapter: interactive_brokers}\n",
    )
    for command in ("validate", "compile"):
        result = cli(command, "ib", cwd=project)
        assert result.returncode == 1
        assert (
            "error[V006] exchanges.IB.adapter: the NautilusTrader adapter 'interactive_brokers' needs an optional package (nautilus_trader[ib])"
            in result.stdout
        )


def test_sandbox_leverages_are_refused_at_the_line(project, cli):
    """NautilusTrader 1.231 would fail the build with a TypeError; P116 says so at validate."""
    body = (
        "extends: [env/paper]\nnode: {trader_id: PAPER-T-001}\nexchanges:\n"
        "  OKX: {environment: mainnet, exec: false}\n"
        "  PAPER: {adapter: sandbox, venue: OKX, starting_balances: ['1 USDT'], leverages: {BTC-USDT-SWAP.OKX: 3}}\n"
    )
    write_profile(project, "lev.yaml", body)
    result = cli("validate", "lev", cwd=project)
    assert "error[P116] exchanges.PAPER.leverages:" in result.stdout
    assert result.returncode == 1


# ------------------------------------------------------------------ paper


@pytest.mark.parametrize(("target", "venue"), [("paper-binance", "BINANCE"), ("paper-bybit", "BYBIT")])
def test_a_paper_target_builds_live_data_and_the_sandbox_exec_client_on_its_venue(project, monkeypatch, target, venue):
    from nautilus_trader.adapters.sandbox.execution import SandboxExecutionClient
    from ntprofile import build_node
    from ntprofile.node import dispose_node

    for name in ("API_KEY", "API_SECRET"):
        monkeypatch.setenv(f"{venue}_{name}", f"paper-{name.lower()}-value")
    node = build_node(target, profiles=project / "profiles")
    try:
        clients = node.kernel.exec_engine.registered_clients
        [client] = [node.kernel.exec_engine._clients[c] for c in clients]
        assert type(client) is SandboxExecutionClient
        assert client.venue.value == venue
        assert node.kernel.environment.name == "SANDBOX"
        assert [c.value for c in node.kernel.data_engine.registered_clients] == [venue]
    finally:
        dispose_node(node)


@pytest.mark.parametrize(
    ("body", "code", "key"),
    [
        ("  BINANCE: {}\n", "P113", "exchanges.BINANCE"),  # a real exec client in stage paper
        (
            "  BINANCE: {exec: false}\n  PAPER: {adapter: sandbox, venue: OKX, starting_balances: ['1 USDT']}\n",
            "P115",
            "exchanges.PAPER.venue",
        ),
    ],
)
def test_paper_rules(project, body, code, key):
    from ntprofile.validate import validate_target

    text = "extends: [env/paper, exchanges/binance]\nnode: {trader_id: PAPER-T-001}\nexchanges:\n" + body
    write_profile(
        project,
        "p.yaml",
        text.replace(
            "  BINANCE: {",
            "  BINANCE: {environment: mainnet, api_key: null, api_secret: null, ",  # a paper node holds no key (P108)
        ),
    )
    found = [d for d in validate_target(Workspace(project / "profiles"), "p") if d.is_error]
    assert [(d.code, d.key) for d in found] == [(code, key)]


def test_a_sandbox_in_production_is_p114(project):
    from ntprofile.validate import validate_target

    body = (project / "profiles" / "prod-binance.yaml").read_text() + (
        "  PAPER: {adapter: sandbox, venue: BINANCE_X, starting_balances: ['1 USDT']}\n"
    )
    write_profile(project, "prod-binance.yaml", body)
    found = [d for d in validate_target(Workspace(project / "profiles"), "prod-binance") if d.is_error]
    assert ("P114", "exchanges.PAPER.adapter") in [(d.code, d.key) for d in found]


def test_create_paper_composes_the_shipped_paper_target(monkeypatch):
    from ntprofile import TradingNodeConfigFactory

    for name in ("BINANCE_API_KEY", "BINANCE_API_SECRET"):
        monkeypatch.setenv(name, "paper-value-1234")
    config = TradingNodeConfigFactory.create_paper(exchanges=["BINANCE"], starting_balances=["5 BTC"])
    assert str(config.trader_id) == "PAPER-BINANCE-001"
    assert list(config.data_clients) == ["BINANCE"]
    assert config.exec_clients["PAPER"] == SandboxExecutionClientConfig(
        venue="BINANCE", starting_balances=["5 BTC"], default_leverage=config.exec_clients["PAPER"].default_leverage
    )
