"""Property tests: whatever the loader and validator are fed, they end in diagnostics, never an exception.

Random text, random trees written as YAML and TOML, and the shipped profiles
with random mutations all go through the real loader, layers and validator
(over an in-memory ``Source``, so each example costs no disk). Every finding
must carry a catalogued code, render in every format, and never show a
literal secret.
"""

from __future__ import annotations

import json
import os
import string
from pathlib import Path
from typing import Any

import yaml
from conftest import PROFILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ntprofile.diagnostics import Diagnostic, render
from ntprofile.diagnostics.codes import CODES
from ntprofile.layers import DirectorySource, MemorySource, Workspace
from ntprofile.validate import Validation

EXAMPLES = int(os.environ.get("NTPROFILE_FUZZ_EXAMPLES", "30"))
"""Modest by default (suite speed); raise it to hunt: NTPROFILE_FUZZ_EXAMPLES=1000."""
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHIPPED = {rel: DirectorySource(PROFILES).read(rel) for rel in DirectorySource(PROFILES).files()}


def validate(files: dict[str, bytes], args: list[str] | None = None) -> list[Diagnostic]:
    diags = Validation(Workspace(source=MemorySource(files, Path("/fuzz/profiles")))).paths(args or [])
    for diag in diags:
        assert isinstance(diag, Diagnostic)
        assert diag.code in CODES, diag
        assert len(diag.render().splitlines()) == 1, diag.render()
    for fmt in ("text", "json", "github"):
        render(diags, fmt)
    return diags


# ------------------------------------------------------------------ strategies

VOCABULARY = [
    "extends",
    "profile",
    "stage",
    "waivers",
    "node",
    "trader_id",
    "instance_id",
    "cache",
    "database",
    "host",
    "port",
    "password",
    "exchanges",
    "BYBIT",
    "BINANCE",
    "adapter",
    "enabled",
    "environment",
    "api_key",
    "api_secret",
    "exec",
    "data",
    "position_mode",
    "ETHUSDT",
    "ETHUSDT-LINEAR",
    "logging",
    "log_file_format",
    "exec_engine",
    "reconciliation",
    "reconciliation_lookback_mins",
    "risk_engine",
    "bypass",
    "max_order_submit_rate",
    "strategies",
    "config",
    "P104",
    "token",
]
keys = st.one_of(
    st.sampled_from(VOCABULARY), st.text(string.ascii_letters + "_-.$ \n\r\u2028", min_size=1, max_size=12)
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "production",
            "testnet",
            "demo",
            "mainnet",
            "redis",
            "BOTH_SIDES",
            "MERGED_SINGLE",
            "json",
            "PROD-X-001",
            "${BYBIT_API_KEY}",
            "${X:-secret}",
            "${",
            "$",
            "$$",
            "${1A}",
            "${A:}",
            "base",
            "env/production",
            "../x",
            "",
        ]
    ),
    st.text(max_size=20),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=25,
)
mappings = st.dictionaries(keys, trees, max_size=6)
names = st.sampled_from(["base.yaml", "prod-x.yaml", "env/production.yaml", "exchanges/bybit.yaml", "x.toml"])


def to_toml(tree: dict[str, Any]) -> str:
    """A tree as TOML, every mapping inline (TOML has no null: ``None`` entries are dropped)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v if x is not None) + "]"
        return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items() if x is not None) + "}"

    return "".join(f"{json.dumps(k)} = {value(v)}\n" for k, v in tree.items() if v is not None)


# ------------------------------------------------------------------ properties


@SETTINGS
@given(name=names, text=st.text(max_size=300))
def test_random_text(name, text):
    validate({**SHIPPED, name: text.encode("utf-8", "surrogatepass")})


@SETTINGS
@given(name=names, data=st.binary(max_size=200))
def test_random_bytes(name, data):
    validate({**SHIPPED, name: data})


@SETTINGS
@given(name=names, tree=mappings)
def test_random_trees_as_yaml(name, tree):
    if name.endswith(".toml"):
        name = name[:-5] + ".yaml"
    validate({**SHIPPED, name: yaml.safe_dump(tree, allow_unicode=True).encode()})


@SETTINGS
@given(name=names, tree=mappings)
def test_random_trees_as_toml(name, tree):
    files = {rel: data for rel, data in SHIPPED.items() if rel.rsplit(".", 1)[0] != name.rsplit(".", 1)[0]}
    files[name.rsplit(".", 1)[0] + ".toml"] = to_toml(tree).encode()
    validate(files)


def mutate(tree: Any, path: list, value: Any, action: str) -> Any:
    """Set, delete or rename the entry at (a prefix of) ``path`` in a copy of ``tree``."""
    if not path or not isinstance(tree, (dict, list)) or not tree:
        return value if action == "set" else tree
    if isinstance(tree, dict):
        keys_ = list(tree)
        key = keys_[path[0] % len(keys_)]
        out = dict(tree)
        if len(path) == 1 or not isinstance(tree[key], (dict, list)):
            if action == "delete":
                del out[key]
            elif action == "rename":
                out[key + "x"] = out.pop(key)
            else:
                out[key] = value
        else:
            out[key] = mutate(tree[key], path[1:], value, action)
        return out
    out_list = list(tree)
    index = path[0] % len(tree)
    out_list[index] = mutate(tree[index], path[1:], value, action)
    return out_list


@SETTINGS
@given(
    rel=st.sampled_from(sorted(SHIPPED)),
    path=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    value=trees,
    action=st.sampled_from(["set", "delete", "rename"]),
)
def test_mutated_shipped_profiles(rel, path, value, action):
    original = yaml.safe_load(SHIPPED[rel]) if not rel.endswith(".toml") else None
    if original is None:  # the TOML target: mutate its YAML twin's shape through the TOML writer
        import tomllib

        tree = mutate(tomllib.loads(SHIPPED[rel].decode()), path, value, action)
        text = to_toml(tree) if isinstance(tree, dict) else "x = 1\n["
    else:
        text = yaml.safe_dump(mutate(original, path, value, action), allow_unicode=True)
    validate({**SHIPPED, rel: text.encode()})


@SETTINGS
@given(
    # the fixed prefix keeps a random secret from spelling a word of the messages themselves
    secret=st.text(string.ascii_letters + string.digits + "-_", min_size=6, max_size=20).map("Cnry".__add__),
    where=st.sampled_from(
        [
            ("prod-bybit.yaml", "${BYBIT_API_KEY}"),
            ("env/production.yaml", "${REDIS_PASSWORD}"),
            ("exchanges/binance.yaml", "${BINANCE_TESTNET_API_SECRET}"),
        ]
    ),
    form=st.sampled_from(["{s}", "'{s}'", "'${{X:-{s}}}'", "'${{{s}'", "'pre${{X}}{s}'"]),
)
def test_literal_secrets_never_rendered(secret, where, form):
    rel, placeholder = where
    text = SHIPPED[rel].decode().replace(placeholder, form.format(s=secret))
    diags = validate({**SHIPPED, rel: text.encode()})
    assert {d.code for d in diags} & {"S001", "S002", "S003"}, diags
    for fmt in ("text", "json", "github"):
        assert secret not in render(diags, fmt)
