"""Placeholders: ``${NAME}``, ``${NAME:-default}``, ``$NAME``, ``$$``; malformed ones with offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ntprofile.language.placeholders import (
    Placeholder,
    PlaceholderError,
    has_placeholder,
    names,
    needs_substitution,
    parse,
    substitute,
    walk_strings,
)


def test_braced():
    assert parse("${BYBIT_API_KEY}") == [Placeholder("BYBIT_API_KEY", None, "${BYBIT_API_KEY}")]


def test_default_and_empty_default():
    assert parse("${REDIS_PORT:-6379}") == [Placeholder("REDIS_PORT", "6379", "${REDIS_PORT:-6379}")]
    assert parse("${REDIS_PASSWORD:-}") == [Placeholder("REDIS_PASSWORD", "", "${REDIS_PASSWORD:-}")]


def test_default_may_hold_colons_and_spaces():
    assert names("${URL:-redis://h:1/0 x}")[0].default == "redis://h:1/0 x"


def test_bare_name_ends_at_the_first_non_name_character():
    assert parse("$HOME/logs-$USER.x") == [
        Placeholder("HOME", None, "$HOME"),
        "/logs-",
        Placeholder("USER", None, "$USER"),
        ".x",
    ]


def test_inside_strings():
    assert parse("redis://${HOST:-127.0.0.1}:${PORT}/0") == [
        "redis://",
        Placeholder("HOST", "127.0.0.1", "${HOST:-127.0.0.1}"),
        ":",
        Placeholder("PORT", None, "${PORT}"),
        "/0",
    ]


def test_dollar_dollar_is_a_literal_dollar():
    assert parse("price $$5") == ["price $5"]
    assert parse("$$$$") == ["$$"]
    assert parse("$${A}") == ["${A}"]
    assert parse("a$$$B") == ["a$", Placeholder("B", None, "$B")]


def test_plain_text():
    assert parse("") == [""]
    assert parse("no dollars") == ["no dollars"]


@pytest.mark.parametrize(
    "text, offset, words",
    [
        ("${", 0, "unclosed"),
        ("key ${NAME", 4, "unclosed"),
        ("x${1A}", 1, "'1A' is not a variable name"),
        ("${}", 0, "is not a variable name"),
        ("ab${A:b}", 2, "${A:-default}"),
        ("${A-b}", 0, "${A:-default}"),
        ("${A:=b}", 0, "${A:-default}"),
        ("${A B}", 0, "is not a variable name"),
        ("costs 5$", 7, "lone '$'"),
        ("$ x", 0, "lone '$'"),
        ("$1", 0, "does not start with a digit"),
        ("${A:-${B}}", 0, "do not nest"),
        ("ok ${A} then $", 13, "lone '$'"),
    ],
)
def test_malformed_with_offset(text, offset, words):
    with pytest.raises(PlaceholderError) as info:
        parse(text)
    assert info.value.offset == offset
    assert text[offset] == "$"
    assert words in str(info.value)
    with pytest.raises(PlaceholderError):
        names(text)


def test_names():
    assert [p.name for p in names("${A}-$B-${C:-x}-$$D")] == ["A", "B", "C"]


def test_has_placeholder_and_needs_substitution():
    assert has_placeholder("${A}") and has_placeholder("x$") and has_placeholder("$$$A")
    assert not has_placeholder("a$$b") and not has_placeholder(5) and not has_placeholder(None)
    assert needs_substitution("a$$b") and needs_substitution("${A}")
    assert not needs_substitution("plain") and not needs_substitution(5)


def test_substitute():
    env = {"HOST": "h", "PORT": "1"}

    def lookup(p: Placeholder) -> str | None:
        return env.get(p.name, p.default)

    assert substitute("redis://${HOST}:${PORT:-6379}/$$0", lookup) == "redis://h:1/$0"
    assert substitute("${MISSING:-d}", lookup) == "d"
    assert substitute("${MISSING:-}", lookup) == ""
    assert substitute("${MISSING}", lookup) is None
    with pytest.raises(PlaceholderError):
        substitute("${", lookup)


def test_walk_strings():
    tree = {"a": {"b": ["x", 1, {"c": "y"}]}, "d": None, "e": "z"}
    assert list(walk_strings(tree)) == [(("a", "b", 0), "x"), (("a", "b", 2, "c"), "y"), (("e",), "z")]


_name = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
_literal = st.text(st.characters(blacklist_characters="$", codec="utf-8"), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_literal, st.tuples(_name, st.none() | st.text("ab:-/ ", max_size=4))), max_size=5))
def test_round_trip(pieces):
    """Text assembled from literals and placeholders parses back to the same pieces."""
    text = ""
    expected_names = []
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
        else:
            name, default = piece
            text += f"${{{name}}}" if default is None else f"${{{name}:-{default}}}"
            expected_names.append((name, default))
    assert [(p.name, p.default) for p in names(text)] == expected_names
    assert substitute(text, lambda p: "") == "".join(p for p in pieces if isinstance(p, str))
