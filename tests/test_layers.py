"""The layers stage: extends resolution, L diagnostics, deep merge and provenance."""

from __future__ import annotations

import copy
from functools import reduce
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ntprofile.layers import DirectorySource, MemorySource, Workspace, deep_merge, enabled_entries


def make_root(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "profiles"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"))
    return root


def merge(root: Path, name: str):
    return Workspace(root).merge(name)


def one(diags, code):
    assert [d.code for d in diags] == [code], [d.render() for d in diags]
    assert "\n" not in diags[0].render()
    return diags[0]


def where(diag) -> tuple[str, int, int]:
    return Path(diag.pos.file).name, diag.pos.line, diag.pos.col


# ------------------------------------------------------------------ L diagnostics


def test_l001_missing_layer_lists_what_exists_and_suggests(tmp_path):
    root = make_root(
        tmp_path,
        {
            "base.yaml": "a: 1\n",
            "env/production.yaml": "b: 1\n",
            "t.yaml": "# target\nextends:\n  - base\n  - env/prodution\n",
        },
    )
    merged, diags = merge(root, "t")
    diag = one(diags, "L001")
    assert merged is None
    assert where(diag) == ("t.yaml", 4, 5)
    assert "env/prodution" in diag.message and "base, env/production" in diag.message
    assert diag.hint == "did you mean 'env/production'?"


def test_l001_name_with_extension(tmp_path):
    root = make_root(tmp_path, {"base.yaml": "a: 1\n", "t.yaml": "extends: [base.yaml]\n"})
    diag = one(merge(root, "t")[1], "L001")
    assert where(diag) == ("t.yaml", 1, 11)
    assert diag.hint == "write 'base'"


def test_l002_cycle_shows_the_cycle(tmp_path):
    root = make_root(
        tmp_path,
        {
            "a.yaml": "extends: [layers/b]\n",
            "layers/b.yaml": "x: 1\nextends: [layers/c]\n",
            "layers/c.yaml": "extends:\n  - a\n",
        },
    )
    merged, diags = merge(root, "a")
    diag = one(diags, "L002")
    assert merged is None
    assert where(diag) == ("c.yaml", 2, 5)
    assert "a -> layers/b -> layers/c -> a" in diag.message


def test_l002_layer_extending_itself(tmp_path):
    root = make_root(tmp_path, {"t.toml": 'extends = ["t"]\n'})
    diag = one(merge(root, "t")[1], "L002")
    assert where(diag) == ("t.toml", 1, 12)
    assert "t -> t" in diag.message


@pytest.mark.parametrize("name", ["../outside", "env/../../outside", "/etc/passwd", "./base", "env\\\\base"])
def test_l003_name_leaving_the_root(tmp_path, name):
    (tmp_path / "outside.yaml").write_text("a: 1\n")
    root = make_root(tmp_path, {"base.yaml": "a: 1\n", "t.yaml": f'a: 2\nextends: ["{name}"]\n'})
    merged, diags = merge(root, "t")
    diag = one(diags, "L003")
    assert merged is None
    assert where(diag) == ("t.yaml", 2, 11)


@pytest.mark.parametrize(
    "extends, line, col, hint",
    [
        ("extends: base\n", 1, 1, "write [base]"),
        ("extends: {base: true}\n", 1, 1, None),
        ("extends:\n", 1, 1, None),
        ("extends: [base, 7]\n", 1, 17, None),
        ("extends: [base, '']\n", 1, 17, None),
        ("extends:\n  - [base]\n", 2, 5, None),
    ],
)
def test_l004_bad_extends(tmp_path, extends, line, col, hint):
    root = make_root(tmp_path, {"base.yaml": "a: 1\n", "t.yaml": extends})
    merged, diags = merge(root, "t")
    diag = one(diags, "L004")
    assert merged is None
    assert where(diag) == ("t.yaml", line, col)
    assert diag.hint == hint


def test_l004_toml_extends_string(tmp_path):
    root = make_root(tmp_path, {"base.yaml": "a: 1\n", "t.toml": 'x = 1\nextends = "base"\n'})
    assert where(one(merge(root, "t")[1], "L004")) == ("t.toml", 2, 1)


def test_l006_one_name_in_two_files(tmp_path):
    root = make_root(
        tmp_path,
        {
            "base.yaml": "a: 1\n",
            "base.toml": "a = 2\n",
            "t.yaml": "extends: [base]\n",
        },
    )
    ws = Workspace(root)
    assert ws.ambiguous() == {"base": ["base.yaml", "base.toml"]}
    merged, diags = ws.merge("t")
    diag = one(diags, "L006")
    assert merged is None
    assert where(diag) == ("base.toml", 1, 1)
    assert "base.yaml and base.toml" in diag.message


def test_l006_yaml_and_yml(tmp_path):
    root = make_root(tmp_path, {"t.yml": "a: 1\n", "t.yaml": "a: 2\n"})
    assert where(one(merge(root, "t")[1], "L006")) == ("t.yml", 1, 1)


def test_y001_unreadable_layer_through_the_workspace(tmp_path):
    root = make_root(tmp_path, {"t.yaml": "extends: [env/gone]\n"})
    (root / "env").mkdir()
    (root / "env" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    diag = one(merge(root, "t")[1], "Y001")
    assert where(diag) == ("gone.yaml", 1, 1)


def test_load_error_in_a_layer_is_reported_at_the_layer(tmp_path):
    root = make_root(tmp_path, {"base.yaml": "a: 1\na: 2\n", "t.yaml": "extends: [base]\n"})
    assert where(one(merge(root, "t")[1], "Y005")) == ("base.yaml", 2, 1)


def test_yml_target(tmp_path):
    root = make_root(tmp_path, {"base.toml": "a = 1\n", "t.yml": "extends: [base]\nb: 2\n"})
    ws = Workspace(root)
    assert "t" in ws.files and ws.files["t"] == "t.yml"
    merged, diags = ws.merge("t")
    assert diags == [] and merged.tree == {"a": 1, "b": 2}


# ------------------------------------------------------------------ chains


CHAIN = {
    "base.yaml": """
        # shared
        cache:
          encoding: msgpack
          database:
            type: redis
            host: localhost
        exec_engine:
          reconciliation_lookback_mins: 60
        strategies:
          s1: {strategy_path: a:A, config: {size: 1}}
          s2: {strategy_path: b:B}
        exchanges:
          BINANCE: {environment: testnet}
          BYBIT: {environment: testnet, product_types: [LINEAR, SPOT]}
    """,
    "env/production.yaml": """
        extends: [base]
        profile:
          stage: production
        exec_engine:
          reconciliation_lookback_mins: 1440
        cache:
          database: null
    """,
    "exchanges/bybit.toml": """
        # Bybit overlay, in TOML
        extends = ["base"]

        [exchanges.BYBIT]
        product_types = ["LINEAR"]
        position_mode = { "ETHUSDT-LINEAR" = "MERGED_SINGLE" }
    """,
    "prod.yaml": """
        extends: [env/production, exchanges/bybit]
        node:
          trader_id: PROD-001
        exchanges:
          BINANCE:
            enabled: false
          BYBIT:
            environment: mainnet
        strategies:
          s1:
            config: {size: 2}
          s3: {strategy_path: c:C}
    """,
}


@pytest.fixture
def chain_root(tmp_path) -> Path:
    return make_root(tmp_path, CHAIN)


def test_diamond_applies_base_once_first(chain_root):
    merged, diags = merge(chain_root, "prod")
    assert diags == []
    assert merged.layer_names == ["base", "env/production", "exchanges/bybit", "prod"]
    assert merged.stage == "production"


def test_mixed_yaml_and_toml_chain(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert merged.tree["exchanges"]["BYBIT"] == {
        "environment": "mainnet",
        "product_types": ["LINEAR"],
        "position_mode": {"ETHUSDT-LINEAR": "MERGED_SINGLE"},
    }
    assert "extends" not in merged.tree


def test_merge_keeps_first_definition_order(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert list(merged.tree["strategies"]) == ["s1", "s2", "s3"]
    assert merged.tree["strategies"]["s1"] == {"strategy_path": "a:A", "config": {"size": 2}}


def at_(merged, *path) -> tuple[str, int, int]:
    pos = merged.origin(tuple(path))
    return str(Path(pos.file).relative_to(merged.chain[0].path.parent)), pos.line, pos.col


def test_provenance_base_stage_and_overlay(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert at_(merged, "cache", "encoding") == ("base.yaml", 3, 3)
    assert at_(merged, "exec_engine", "reconciliation_lookback_mins") == ("env/production.yaml", 5, 3)
    assert at_(merged, "exchanges", "BYBIT", "product_types") == ("exchanges/bybit.toml", 5, 1)
    assert at_(merged, "exchanges", "BYBIT", "position_mode", "ETHUSDT-LINEAR") == ("exchanges/bybit.toml", 6, 19)
    assert at_(merged, "exchanges", "BYBIT", "environment") == ("prod.yaml", 8, 5)
    assert at_(merged, "strategies", "s1", "config", "size") == ("prod.yaml", 11, 14)
    assert at_(merged, "strategies", "s1", "strategy_path") == ("base.yaml", 10, 8)


def test_provenance_history_of_overridden_settings(chain_root):
    merged, _ = merge(chain_root, "prod")
    history = merged.provenance[("exec_engine", "reconciliation_lookback_mins")]
    assert [(s.layer, s.value, s.pos.line) for s in history] == [("base", 60, 8), ("env/production", 1440, 5)]
    env = merged.provenance[("exchanges", "BYBIT", "environment")]
    assert [(s.layer, s.value) for s in env] == [("base", "testnet"), ("prod", "mainnet")]


def test_replaced_mapping_drops_provenance_of_its_children(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert merged.tree["cache"]["database"] is None
    assert ("cache", "database", "host") not in merged.provenance
    assert ("cache", "database", "type") not in merged.provenance
    assert [s.layer for s in merged.provenance[("cache", "database")]] == ["base", "env/production"]
    assert at_(merged, "cache", "database", "host") == ("env/production.yaml", 7, 3)


def test_replaced_list_drops_provenance_of_old_items(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert ("exchanges", "BYBIT", "product_types", 1) not in merged.provenance
    assert at_(merged, "exchanges", "BYBIT", "product_types", 0) == ("exchanges/bybit.toml", 5, 18)


def test_enabled_false_drops_an_inherited_entry(chain_root):
    merged, _ = merge(chain_root, "prod")
    assert merged.tree["exchanges"]["BINANCE"] == {"environment": "testnet", "enabled": False}
    assert list(enabled_entries(merged.tree["exchanges"])) == ["BYBIT"]
    assert at_(merged, "exchanges", "BINANCE", "enabled") == ("prod.yaml", 6, 5)


def test_enabled_false_then_true_again(tmp_path):
    root = make_root(
        tmp_path,
        {
            "a.yaml": "strategies:\n  s: {strategy_path: a:A}\n  t: {strategy_path: b:B}\n",
            "b.yaml": "extends: [a]\nstrategies:\n  s: {enabled: false}\n",
            "c.yaml": "extends: [b]\nstrategies:\n  s: {enabled: true}\n",
        },
    )
    ws = Workspace(root)
    assert list(enabled_entries(ws.merge("b")[0].tree["strategies"])) == ["t"]
    assert list(enabled_entries(ws.merge("c")[0].tree["strategies"])) == ["s", "t"]


def test_enabled_entries_ignores_non_mappings():
    assert enabled_entries(None) == {}
    assert enabled_entries({"A": None, "B": {"enabled": False}, "C": {}}) == {"C": {}}


def test_target_extending_a_target(chain_root):
    (chain_root / "prod-b.yaml").write_text("extends: [prod]\nnode:\n  trader_id: PROD-002\n")
    ws = Workspace(chain_root)
    merged, diags = ws.merge("prod-b")
    assert diags == []
    assert merged.layer_names == ["base", "env/production", "exchanges/bybit", "prod", "prod-b"]
    assert merged.tree["node"] == {"trader_id": "PROD-002"}
    assert merged.tree["exchanges"]["BYBIT"]["environment"] == "mainnet"
    assert [s.layer for s in merged.provenance[("node", "trader_id")]] == ["prod", "prod-b"]
    assert set(ws.targets()) == {"prod", "prod-b"}


def test_each_file_parsed_once_per_workspace(chain_root):
    (chain_root / "prod-b.yaml").write_text("extends: [prod, exchanges/bybit]\n")
    (chain_root / "test.yaml").write_text("extends: [exchanges/bybit, base]\nprofile: {stage: testnet}\n")

    class CountingSource(DirectorySource):
        def __init__(self, root: Path):
            super().__init__(root)
            self.reads: list[str] = []

        def read(self, rel: str) -> bytes:
            self.reads.append(rel)
            return super().read(rel)

    source = CountingSource(chain_root)
    ws = Workspace(source=source)
    for _ in range(2):
        for target in ws.targets():
            merged, diags = ws.merge(target)
            assert diags == [] and merged is not None
    assert sorted(source.reads) == sorted(set(source.reads))
    assert len(source.reads) == 6
    assert ws.merge("prod")[0] is ws.merge("prod")[0]


# ------------------------------------------------------------------ deep_merge properties

_keys = st.sampled_from(["a", "b", "c", "d"])
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text("xy", max_size=2))
_values = st.recursive(
    _scalars | st.lists(_scalars, max_size=3),
    lambda inner: st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)
_trees = st.dictionaries(_keys, _values, max_size=4)


def _sandwiched(a, b, c) -> bool:
    """True when some key is a mapping in ``a`` and ``c`` but not in ``b`` (where associativity fails)."""
    for key in a:
        if key in b and key in c and isinstance(a[key], dict) and isinstance(c[key], dict):
            if not isinstance(b[key], dict) or _sandwiched(a[key], b[key], c[key]):
                return True
    return False


@settings(max_examples=150, deadline=None)
@given(_trees, _trees, _trees)
def test_deep_merge_is_associative_unless_a_value_replaces_a_mapping_in_between(a, b, c):
    left = deep_merge(deep_merge(a, b), c)
    right = deep_merge(a, deep_merge(b, c))
    if not _sandwiched(a, b, c):
        assert left == right
    assert left == reduce(deep_merge, [a, b, c])


def test_deep_merge_is_not_associative_across_a_replacement():
    """Why layers are always folded left to right, never grouped: ``null`` in between wins."""
    base = {"cache": {"database": {"type": "redis", "host": "h"}}}
    stage = {"cache": {"database": None}}
    overlay = {"cache": {"database": {"port": 1}}}
    assert deep_merge(deep_merge(base, stage), overlay) == {"cache": {"database": {"port": 1}}}
    assert deep_merge(base, deep_merge(stage, overlay)) == {
        "cache": {"database": {"type": "redis", "host": "h", "port": 1}}
    }


def _expected(base, overlay):
    """The rule, spelled out: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        keys = list(base) + [k for k in overlay if k not in base]
        return {
            k: _expected(base[k], overlay[k])
            if k in base and k in overlay
            else (overlay[k] if k in overlay else base[k])
            for k in keys
        }
    return overlay


@settings(max_examples=150, deadline=None)
@given(_trees, _trees)
def test_mappings_merge_everything_else_replaces(base, overlay):
    before = copy.deepcopy((base, overlay))
    out = deep_merge(base, overlay)
    assert (base, overlay) == before
    assert out == _expected(base, overlay)
    assert list(out) == list(base) + [k for k in overlay if k not in base]
    for key, value in overlay.items():
        if not isinstance(value, dict) or not isinstance(base.get(key), dict):
            assert out[key] == value  # null, lists and scalars replace


@settings(max_examples=50, deadline=None)
@given(_trees, _trees)
def test_deep_merge_result_shares_nothing_with_its_inputs(base, overlay):
    out = deep_merge(base, overlay)
    before = copy.deepcopy((base, overlay))

    def scramble(value):
        if isinstance(value, dict):
            for k in list(value):
                scramble(value[k])
            value["zz"] = 1
        elif isinstance(value, list):
            value.append("zz")

    scramble(out)
    assert (base, overlay) == before


def test_null_and_lists_replace_explicitly():
    assert deep_merge({"a": {"x": 1}}, {"a": None}) == {"a": None}
    assert deep_merge({"a": [1, 2, 3]}, {"a": [4]}) == {"a": [4]}
    assert deep_merge({"a": None}, {"a": {"x": 1}}) == {"a": {"x": 1}}
    assert deep_merge({"a": {"x": 1, "y": 2}}, {"a": {"y": None}}) == {"a": {"x": 1, "y": None}}


@settings(max_examples=60, deadline=None)
@given(st.lists(_trees, min_size=1, max_size=4), st.booleans())
def test_workspace_merge_is_the_left_fold_of_the_layer_bodies(bodies, nested):
    """However the chain is spelled (one flat extends list or each layer extending the previous)."""
    files = {}
    names = [f"layers/l{i}" for i in range(len(bodies) - 1)] + ["t"]
    for i, (name, body) in enumerate(zip(names, bodies)):
        doc = dict(body)
        if nested and i > 0:
            doc["extends"] = [names[i - 1]]
        elif not nested and name == "t":
            doc["extends"] = names[:-1]
        files[f"{name}.yaml"] = yaml.safe_dump(doc, sort_keys=False).encode()
    merged, diags = Workspace(source=MemorySource(files)).merge("t")
    assert diags == []
    assert merged.tree == reduce(deep_merge, [{k: v for k, v in b.items() if k != "extends"} for b in bodies], {})
    for path, settings_ in merged.provenance.items():
        if not isinstance(settings_[-1].value, dict):
            assert merged.get(path, "missing") == settings_[-1].value
