"""The merged profile as one file (``ntprofile show``): YAML, JSON or TOML, secrets masked, placeholders kept.

What a reviewer pastes into a pull request or diffs with other tools (as
``helm template`` or freqtrade's ``show-config``): the profile the layers make,
in the profile language itself, so it parses back and validates as a target.
A secret never shows: a secret field keeps its placeholders and nothing else
(a literal, or a ``:-default``, is ``***``); a placeholder of a variable that
feeds a secret field keeps its name and masks its default anywhere; a URL
shows without its password.

TOML has no null. A key whose merged value is ``null`` (NautilusTrader's
``None``, such as ``cache.database: null``) is written as a comment in its
table, ``# database = null``, and named on stderr: the TOML then parses, but
reads that key as unset; YAML and JSON keep it. A ``null`` inside a list
cannot be written at all (``TomlError``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable

import yaml

from ntprofile.diagnostics import key_path
from ntprofile.language import placeholders
from ntprofile.language.secrets import MASK, is_secret_path, mask_url_credentials
from ntprofile.language.tree import Path_
from ntprofile.layers import Merged
from ntprofile.tools.variables import collect

FORMATS = ("yaml", "toml", "json")


class TomlError(ValueError):
    """The profile holds a value TOML cannot write (a null inside a list)."""


# ------------------------------------------------------------------ masking


def shown(merged: Merged, extra_secret_keys: Iterable[str] = ()) -> dict[str, Any]:
    """The merged tree fit for output: secrets masked, placeholders kept."""
    extra = frozenset(k.lower() for k in extra_secret_keys)
    secret_names = frozenset(v.name for v in collect(merged) if v.secret)
    return _mask(merged.tree, (), extra, secret_names)


def _mask(value: Any, path: Path_, extra: frozenset[str], secret_names: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, path + (k,), extra, secret_names) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, path + (i,), extra, secret_names) for i, v in enumerate(value)]
    secret = is_secret_path(path, extra)
    if not isinstance(value, str):
        return MASK if secret and value is not None else value
    try:
        parts = placeholders.parse(value)
    except placeholders.PlaceholderError:
        return MASK if secret else mask_url_credentials(value)  # validate says what is wrong with it
    if secret and any(isinstance(p, str) and p for p in parts):
        return MASK  # a literal in a secret field
    text = "".join(_part(p, secret, secret_names) for p in parts)
    return text if secret else mask_url_credentials(text)


def _part(part: placeholders.Part, secret: bool, secret_names: frozenset[str]) -> str:
    """A part as written back: ``$`` doubled in literals, the default of a secret placeholder masked."""
    if isinstance(part, str):
        return part.replace("$", "$$")
    if part.default and (secret or part.name in secret_names):
        return f"${{{part.name}:-{MASK}}}"
    return part.text


# ------------------------------------------------------------------ formats


def render(tree: dict[str, Any], fmt: str) -> tuple[str, list[str]]:
    """The text of ``tree`` in ``fmt`` and, for TOML, the key paths of nulls written as comments."""
    if fmt == "json":
        return json.dumps(tree, indent=2, ensure_ascii=False) + "\n", []
    if fmt == "yaml":
        return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, default_flow_style=False), []
    nulls: list[str] = []
    lines = _table(tree, (), nulls)
    return "\n".join(lines).lstrip("\n") + "\n", nulls


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else _string(text)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL, which JSON leaves bare, is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _dotted(path: Path_) -> str:
    return ".".join(_key(p) for p in path)


def _table(table: dict[str, Any], path: Path_, nulls: list[str]) -> list[str]:
    """``key = value`` lines of one table (nulls as comments), then its sub-tables under their headers."""
    lines = []
    subtables = []
    for key, value in table.items():
        if isinstance(value, dict):
            subtables.append((key, value))
        elif value is None:
            nulls.append(key_path(path + (key,)))
            lines.append(f"# {_key(key)} = null  (TOML has no null: read as unset)")
        else:
            lines.append(f"{_key(key)} = {_value(value, path + (key,))}")
    out = lines
    for key, value in subtables:
        header = path + (key,)
        body = _table(value, header, nulls)
        holds_values = not value or any(not isinstance(v, dict) for v in value.values())
        out += (["", f"[{_dotted(header)}]"] if holds_values else []) + body  # [a.b] makes [a] itself
    return out


def _value(value: Any, path: Path_) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, path + (i,)) for i, v in enumerate(value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v, path + (k,))}" for k, v in value.items()) + "}"
    if value is None:
        raise TomlError(f"{key_path(path)} is null inside a list, which TOML cannot write; use --format yaml or json")
    return _string(str(value))
