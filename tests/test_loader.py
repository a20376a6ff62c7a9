"""The load stage: every Y diagnostic with its position, and key positions of YAML and TOML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ntprofile.diagnostics import Diagnostic
from ntprofile.loader import MAX_DEPTH, MAX_NODES, Document, load_bytes, load_file


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def only_error(path: Path) -> Diagnostic:
    """Load ``path``; it must fail with exactly one diagnostic, which is returned."""
    doc, diags = load_file(path)
    assert doc is None
    assert len(diags) == 1, diags
    diag = diags[0]
    assert diag.pos is not None and diag.pos.file == str(path)
    assert "\n" not in diag.render()
    return diag


def at(diag: Diagnostic) -> tuple[str, int, int]:
    return diag.code, diag.pos.line, diag.pos.col


def loaded(path: Path) -> Document:
    doc, diags = load_file(path)
    assert diags == [] and doc is not None
    return doc


# ------------------------------------------------------------------ Y001-Y003


def test_y001_missing_file(tmp_path):
    diag = only_error(tmp_path / "absent.yaml")
    assert at(diag) == ("Y001", 1, 1)
    assert "cannot read" in diag.message


def test_y001_directory_instead_of_file(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    assert at(only_error(tmp_path / "dir.yaml")) == ("Y001", 1, 1)


def test_y002_undecodable_byte_column_counts_characters(tmp_path):
    path = write(tmp_path, "p.yaml", "a: 1\nname: é".encode() + b"\xff\n")
    diag = only_error(path)
    assert at(diag) == ("Y002", 2, 8)
    assert "0xff" in diag.message


def test_y002_utf16_file(tmp_path):
    path = write(tmp_path, "p.toml", "a = 1\n".encode("utf-16"))
    assert at(only_error(path)) == ("Y002", 1, 1)


def test_y003_yaml_syntax(tmp_path):
    path = write(tmp_path, "p.yaml", "node:\n  trader_id: [A-1, B\ncache: {}\n")
    diag = only_error(path)
    assert diag.code == "Y003" and diag.pos.line == 3
    assert diag.message.startswith("YAML syntax error")


def test_y003_yaml_two_documents(tmp_path):
    path = write(tmp_path, "p.yaml", "a: 1\n---\nb: 2\n")
    diag = only_error(path)
    assert at(diag) == ("Y003", 2, 1)
    assert "single document" in diag.message


def test_y003_yaml_control_character_is_one_line(tmp_path):
    path = write(tmp_path, "p.yaml", "a: 1\nb: x\x00\n")
    assert at(only_error(path)) == ("Y003", 2, 5)


def test_y003_toml_syntax(tmp_path):
    path = write(tmp_path, "p.toml", '[node]\ntrader_id = "A-1"\nbad = \n')
    diag = only_error(path)
    assert at(diag) == ("Y003", 3, 7)
    assert diag.message.startswith("TOML syntax error")


# ------------------------------------------------------------------ Y004-Y006


def test_y004_tab_in_indentation(tmp_path):
    path = write(tmp_path, "p.yaml", "node:\n  trader_id: A-1\n\tinstance_id: x\n")
    diag = only_error(path)
    assert at(diag) == ("Y004", 3, 1)


def test_y004_tab_after_spaces(tmp_path):
    path = write(tmp_path, "p.yaml", "node:\n  a: 1\n  \tb: 2\n")
    assert at(only_error(path)) == ("Y004", 3, 3)


def test_tab_inside_block_scalar_content_is_fine(tmp_path):
    doc = loaded(write(tmp_path, "p.yaml", "text: |\n  first\n  \tindented\nafter: 1\n"))
    assert doc.tree == {"text": "first\n\tindented\n", "after": 1}


def test_tab_after_a_colon_is_fine(tmp_path):
    assert loaded(write(tmp_path, "p.yaml", "a:\t1\n")).tree == {"a": 1}


def test_y005_duplicate_key_yaml(tmp_path):
    path = write(tmp_path, "p.yaml", "cache:\n  encoding: msgpack\n  flush_on_start: false\n  encoding: json\n")
    diag = only_error(path)
    assert at(diag) == ("Y005", 4, 3)
    assert diag.key == "cache.encoding"
    assert "line 2" in diag.message


def test_y005_duplicate_key_toml(tmp_path):
    path = write(tmp_path, "p.toml", '[cache]\nencoding = "msgpack"\n  encoding = "json"\n')
    diag = only_error(path)
    assert at(diag) == ("Y005", 3, 3)
    assert diag.key == "cache.encoding" and "line 2" in diag.message


def test_y005_duplicate_table_toml(tmp_path):
    path = write(tmp_path, "p.toml", "[cache]\na = 1\n[node]\nb = 2\n[cache]\nc = 3\n")
    diag = only_error(path)
    assert at(diag) == ("Y005", 5, 2)
    assert "line 1" in diag.message


def test_y005_duplicate_dotted_key_toml(tmp_path):
    path = write(tmp_path, "p.toml", 'cache.encoding = "a"\nnode.x = 1\ncache . encoding = "b"\n')
    diag = only_error(path)
    assert at(diag) == ("Y005", 3, 9)
    assert diag.key == "cache.encoding"


def test_y005_duplicate_inline_table_key_toml(tmp_path):
    path = write(tmp_path, "p.toml", "cache = { a = 1, a = 2 }\n")
    diag = only_error(path)
    assert diag.code == "Y005" and diag.pos.line == 1


def test_y006_top_level_list(tmp_path):
    path = write(tmp_path, "p.yaml", "# a comment\n- a\n- b\n")
    diag = only_error(path)
    assert at(diag) == ("Y006", 1, 1)
    assert "a list" in diag.message


def test_y006_empty_file(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", ""))
    assert at(diag) == ("Y006", 1, 1)
    assert "empty" in diag.message


def test_y006_empty_toml_file(tmp_path):
    diag = only_error(write(tmp_path, "p.toml", "# only a comment\n\n"))
    assert at(diag) == ("Y006", 1, 1) and "empty" in diag.message


def test_toml_header_comments_and_quoted_header_keys(tmp_path):
    doc = loaded(write(tmp_path, "p.toml", '[ "a b" . c ]  # c\nx = 1 # [d]\n[[e]] # f\n'))
    assert doc.tree == {"a b": {"c": {"x": 1}}, "e": [{}]}
    assert pos(doc, "a b") == (1, 3) and pos(doc, "a b", "c") == (1, 11) and pos(doc, "e", 0) == (3, 1)


def test_y006_only_comments(tmp_path):
    assert only_error(write(tmp_path, "p.yaml", "# nothing yet\n")).code == "Y006"


def test_y006_scalar(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", "just text\n"))
    assert diag.code == "Y006" and "a string" in diag.message


# ------------------------------------------------------------------ Y007


def test_y007_python_tag_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    payload = f'node:\n  trader_id: !!python/object/apply:os.system ["touch {marker}"]\n'
    diag = only_error(write(tmp_path, "p.yaml", payload))
    assert at(diag) == ("Y007", 2, 14)
    assert "python/object/apply" in diag.message
    assert not marker.exists()


def test_y007_python_tag_as_top_level_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system\nargs: ['touch {marker}']\n"
    diag = only_error(write(tmp_path, "p.yaml", payload))
    assert at(diag) == ("Y007", 1, 1)
    assert not marker.exists()


def test_y007_python_name_tag(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", "a: !!python/name:os.system ''\n"))
    assert at(diag) == ("Y007", 1, 4)


def test_y007_custom_tag(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", "a:\n  b: !foo 1\n"))
    assert at(diag) == ("Y007", 2, 6)
    assert "!foo" in diag.message


def test_y007_set_tag_on_mapping(tmp_path):
    assert at(only_error(write(tmp_path, "p.yaml", "a: !!set {x: null}\n"))) == ("Y007", 1, 4)


def test_y007_merge_key(tmp_path):
    text = "defaults: &d\n  encoding: msgpack\ncache:\n  <<: *d\n  flush_on_start: false\n"
    diag = only_error(write(tmp_path, "p.yaml", text))
    assert at(diag) == ("Y007", 4, 3)
    assert "'<<'" in diag.message


def test_standard_tags_are_fine(tmp_path):
    doc = loaded(write(tmp_path, "p.yaml", "a: !!str 123\nb: !!int '7'\nc: !!float 1\nd: !!null ''\n"))
    assert doc.tree == {"a": "123", "b": 7, "c": 1.0, "d": None}


# ------------------------------------------------------------------ Y008-Y010


def test_y008_billion_laughs(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    diag = only_error(write(tmp_path, "p.yaml", "\n".join(lines) + "\n"))
    assert diag.code == "Y008"
    assert str(MAX_NODES) in diag.message
    assert diag.pos.line > 1  # where an alias is used, not the start of the file
    assert "alias" in diag.message


def test_y008_too_many_values_without_aliases(tmp_path):
    text = "values:\n" + "".join(f"  - {i}\n" for i in range(MAX_NODES + 10))
    diag = only_error(write(tmp_path, "p.yaml", text))
    assert diag.code == "Y008" and "alias" not in diag.message


def test_y008_alias_that_contains_itself(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", "a: &x\n  b: *x\n"))
    assert diag.code == "Y008" and diag.pos.line == 2


def test_aliases_within_the_bound_expand(tmp_path):
    doc = loaded(write(tmp_path, "p.yaml", "x: &r [1, 2]\ny: *r\nz: {k: *r}\n"))
    assert doc.tree == {"x": [1, 2], "y": [1, 2], "z": {"k": [1, 2]}}
    doc.tree["y"].append(3)
    assert doc.tree["x"] == [1, 2]  # an alias is a copy, not a shared list


def test_y009_yaml_block_nesting(tmp_path):
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)) + f"{'  ' * (MAX_DEPTH + 5)}v: 1\n"
    diag = only_error(write(tmp_path, "p.yaml", text))
    assert diag.code == "Y009" and diag.pos.line == MAX_DEPTH + 1


def test_y009_yaml_flow_nesting_far_beyond_the_parser_limit(tmp_path):
    diag = only_error(write(tmp_path, "p.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert diag.code == "Y009" and diag.pos.line == 1


def test_y009_toml_array_nesting_never_recurses(tmp_path):
    diag = only_error(write(tmp_path, "p.toml", "\n\na = " + "[" * 5000 + "]" * 5000 + "\n"))
    assert at(diag) == ("Y009", 3, 5 + MAX_DEPTH)


def test_y009_toml_inline_table_nesting(tmp_path):
    diag = only_error(write(tmp_path, "p.toml", "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"))
    assert diag.code == "Y009" and diag.pos.line == 1


def test_y009_toml_dotted_key_depth(tmp_path):
    key = ".".join(f"k{i}" for i in range(MAX_DEPTH + 3))
    diag = only_error(write(tmp_path, "p.toml", f"# deep\n{key} = 1\n"))
    assert diag.code == "Y009" and diag.pos.line == 2


def test_depth_at_the_bound_is_fine(tmp_path):
    key = ".".join(f"k{i}" for i in range(MAX_DEPTH))
    loaded(write(tmp_path, "p.toml", f"{key} = 1\n"))


@pytest.mark.parametrize(
    "text, shown, kind",
    [
        ("on: push\n", "on", "a boolean"),
        ("a:\n  yes: 1\n", "yes", "a boolean"),
        ("1: x\n", "1", "a number"),
        ("a:\n  ~: x\n", "~", "null"),
        ("2024-01-01: x\n", "2024-01-01", "timestamp"),
        ("? [a, b]\n: x\n", "a collection", "a collection"),
    ],
)
def test_y010_non_string_key(tmp_path, text, shown, kind):
    diag = only_error(write(tmp_path, "p.yaml", text))
    assert diag.code == "Y010"
    assert diag.pos.line == text.count("\n", 0, text.index(shown if shown != "a collection" else "[")) + 1
    assert repr(shown) in diag.message or shown in diag.message
    assert kind in diag.message and "quote it" in diag.message


def test_quoted_keys_and_values_stay_strings(tmp_path):
    doc = loaded(write(tmp_path, "p.yml", "'on': 'yes'\n'1': x\nwhen: 2024-01-01\nflag: on\n"))
    assert doc.tree == {"on": "yes", "1": "x", "when": "2024-01-01", "flag": True}


# ------------------------------------------------------------------ positions


def pos(doc: Document, *path) -> tuple[int, int]:
    p = doc.positions[tuple(path)]
    return p.line, p.col


def test_yaml_positions_of_keys_and_items(tmp_path):
    text = "# c\nnode:\n  trader_id: A-1\nexchanges:\n  BYBIT:\n    product_types:\n      - LINEAR\n      - SPOT\n"
    doc = loaded(write(tmp_path, "p.yaml", text))
    assert pos(doc, "node") == (2, 1)
    assert pos(doc, "node", "trader_id") == (3, 3)
    assert pos(doc, "exchanges", "BYBIT", "product_types") == (6, 5)
    assert pos(doc, "exchanges", "BYBIT", "product_types", 1) == (8, 9)
    assert doc.position(("node", "trader_id", "missing")) == doc.positions[("node", "trader_id")]


def test_yaml_byte_order_mark(tmp_path):
    doc = loaded(write(tmp_path, "p.yaml", "\ufeffa: 1\n".encode()))
    assert doc.tree == {"a": 1} and pos(doc, "a") == (1, 1)


TOML = '''# comment [not.a.table]
title = "a # not a comment"   # comment
"quoted.key" = 1
'lit' = 2
dotted . key = 3
inline = { a = 1, b = { c = "}" }, "d e" = [1, 2] }
ml = """
x = 1
[fake]
"""
lit_ml = \'\'\'
[also.fake]\'\'\'
arr = [
  1, # comment ]
  "two",
  { k = 'v' },
]

[table.sub]
x = 1

[[products]]
name = "a"

[[products]]
name = "b"
[[products.variants]]
size = 1
[products.meta]
"k\\u0041" = 1
dt = 1979-05-27 07:32:00Z
'''


def test_toml_positions(tmp_path):
    doc = loaded(write(tmp_path, "p.toml", TOML))
    assert set(doc.tree) == {
        "title",
        "quoted.key",
        "lit",
        "dotted",
        "inline",
        "ml",
        "lit_ml",
        "arr",
        "table",
        "products",
    }
    expected = {
        ("title",): (2, 1),
        ("quoted.key",): (3, 1),
        ("lit",): (4, 1),
        ("dotted",): (5, 1),
        ("dotted", "key"): (5, 10),
        ("inline", "a"): (6, 12),
        ("inline", "b", "c"): (6, 25),
        ("inline", "d e"): (6, 36),
        ("inline", "d e", 1): (6, 48),
        ("ml",): (7, 1),
        ("lit_ml",): (11, 1),
        ("arr",): (13, 1),
        ("arr", 1): (15, 3),
        ("arr", 2, "k"): (16, 5),
        ("table",): (19, 2),
        ("table", "sub"): (19, 8),
        ("table", "sub", "x"): (20, 1),
        ("products", 0): (22, 1),
        ("products", 0, "name"): (23, 1),
        ("products", 1, "name"): (26, 1),
        ("products", 1, "variants", 0, "size"): (28, 1),
        ("products", 1, "meta", "kA"): (30, 1),
        ("products", 1, "meta", "dt"): (31, 1),
    }
    assert {path: pos(doc, *path) for path in expected} == expected
    assert ("x",) not in doc.positions and ("fake",) not in doc.positions and ("also",) not in doc.positions

    # every key path of the tree has a position of its own
    def paths(value, here=()):
        if isinstance(value, dict):
            for k, v in value.items():
                yield here + (k,)
                yield from paths(v, here + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield here + (i,)
                yield from paths(v, here + (i,))

    assert [p for p in paths(doc.tree) if p not in doc.positions] == []


def test_toml_crlf_line_endings(tmp_path):
    doc = loaded(write(tmp_path, "p.toml", b'[node]\r\ntrader_id = "A-1"\r\n\r\n[cache]\r\n  encoding = "json"\r\n'))
    assert pos(doc, "node", "trader_id") == (2, 1)
    assert pos(doc, "cache", "encoding") == (5, 3)


def test_load_bytes_uses_the_suffix_and_name(tmp_path):
    doc, diags = load_bytes(b"a = 1\n", Path("somewhere/layer.toml"), "env/layer")
    assert diags == [] and doc.tree == {"a": 1} and doc.name == "env/layer"
    doc, _ = load_bytes(b"a: 1\n", Path("x.yml"))
    assert doc.tree == {"a": 1} and doc.name == "x.yml"


def test_shipped_profiles_load_with_positions():
    root = Path(__file__).resolve().parent.parent / "profiles"
    files = [Path(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith((".yaml", ".yml", ".toml"))]
    assert files
    for file in files:
        doc = loaded(file)
        for key in doc.tree:
            assert (key,) in doc.positions


# ------------------------------------------------------------------ robustness

_key = st.sampled_from(["a", "b", '"a"', "'b'", '"a.b"', "a . b", '"\\u0061"', "'#'", "c-1"])
_val = st.sampled_from(
    [
        "1",
        '"x # y"',
        "'['",
        '"""\n[z]\n"""',
        "[1, [2], {a = 1}]",
        "{ a = 1, b.c = [] }",
        "[\n  1, # ]\n  2,\n]",
        "1979-05-27 07:32:00Z",
        "true",
    ]
)
_line = st.one_of(
    st.tuples(_key, _val).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    _key.map(lambda k: f"[{k}]"),
    _key.map(lambda k: f"[[{k}]]  # t"),
    st.just("# [not] a = 1"),
)
_toml_ish = st.one_of(
    st.lists(_line, max_size=6).map("\n".join),
    st.text(st.sampled_from(list("ab.=[]{}\"'#,\n \\1-_:")), max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(_toml_ish)
def test_toml_like_text_never_raises_and_valid_documents_get_every_position(text):
    doc, diags = load_bytes(text.encode(), Path("p.toml"))
    assert (doc is None) == bool(diags)
    if doc is not None:
        missing = []
        stack = [((), doc.tree)]
        while stack:
            here, value = stack.pop()
            children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
            for key, sub in children:
                if here + (key,) not in doc.positions:
                    missing.append(here + (key,))
                stack.append((here + (key,), sub))
        assert missing == [], (text, missing)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab:-[]{}&*!<\"'#,\n \t?|>")), max_size=60))
def test_yaml_like_text_never_raises(text):
    doc, diags = load_bytes(text.encode(), Path("p.yaml"))
    assert (doc is None) == bool(diags)
    assert all("\n" not in d.render() for d in diags)


def test_every_key_and_tag_problem_of_a_file_is_reported_at_once(tmp_path):
    """Duplicate keys, non-string keys and tags do not stop the walk: one run shows them all."""
    text = "a: 1\nb: 2\na: 3\non: true\nc: !!python/name:os.system x\nb: 4\n"
    doc, diags = load_file(write(tmp_path, "p.yaml", text))
    assert doc is None
    assert [(d.code, d.pos.line) for d in diags] == [("Y005", 3), ("Y010", 4), ("Y007", 5), ("Y005", 6)]
