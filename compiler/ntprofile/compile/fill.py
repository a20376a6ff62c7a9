"""Placeholders in the node tree: resolved from variables, or stood in for at ``compile``.

``compile`` keeps ``${NAME}`` verbatim in ``node.json`` but still checks the
rest of the config, so each placeholder gets a stand-in of its field's type
(its ``:-default`` when it has one). ``check``/``run``/the API pass a
``lookup`` and get real values, converted to the field's type; every missing
variable is reported at once, and secret values never reach a message.

A converted value is held again to the constraints the schema states for its
field (``Fields.problem``, from ``language.constraints``: ports, rate limits,
trader ids, log levels, positive timeouts, 64-bit integers, ASCII identifiers),
since the schema only sees the placeholder. A value that breaks one is an S006
naming the variable, and a stand-in that meets them takes its place so nothing
downstream can act on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.language.placeholders import (
    Placeholder,
    PlaceholderError,
    VariableError,
    needs_substitution,
    parse,
    walk_strings,
)
from ntprofile.language.secrets import REDACTOR, is_secret_path, url_credentials
from ntprofile.language.tree import Path_

Lookup = Callable[[str], str | None]


class NoValue(Exception):
    """No stand-in value can be derived for a field's type."""


class Fields(Protocol):
    """Path -> the field there, as a release's compiler knows it (1.x: ``compile.fields.Fields``).

    The placeholder machinery below is the same for every NautilusTrader release;
    only the field types differ.
    """

    def convert_text(self, path: Path_, text: str, optional_empty: bool) -> Any:
        """The resolved text as a value of the field's type; ``ValueError`` (not quoting it) when it is none."""

    def problem(self, path: Path_, value: Any) -> str | None:
        """Why the converted value breaks a constraint of the field, or ``None``."""

    def stand_in(self, path: Path_) -> Any:
        """A value of the field's type that meets its constraints; ``NoValue`` when there is none."""


@dataclass(slots=True)
class Filled:
    """The node tree with placeholders replaced, and what was replaced where."""

    tree: dict[str, Any]
    verbatim: dict[Path_, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secret: set[Path_] = field(default_factory=set)
    """Node paths whose value is secret: a secret field, or one that uses a secret variable."""


def fill(
    tree: dict[str, Any],
    fields: Fields,
    where: Callable[[Path_], tuple[Path_, Position | None]],
    lookup: Lookup | None,
    secret_names: frozenset[str] = frozenset(),
) -> Filled:
    """Replace every placeholder of ``tree`` (a copy) by a value of its field's type.

    Parameters
    ----------
    tree : dict
        The node tree (``node_tree.NodeTree.tree``); not modified.
    fields : Fields
        Node path -> the field's type, constraints and stand-in.
    where : callable
        Node path -> (profile key path, position) for diagnostics.
    lookup : callable or None
        Variable name -> value or ``None``; ``None`` for stand-ins (compile).
    secret_names : frozenset of str
        Variables the profile uses in a secret field: their values are secret in
        any field (``timeout_connection: ${BYBIT_API_KEY}`` must not print the key).

    """
    out = Filled(_copy(tree))
    missing: set[str] = set()
    for path, text in list(walk_strings(out.tree)):
        if not needs_substitution(text):
            continue
        try:
            parts = parse(text)
        except PlaceholderError as exc:
            profile_path, pos = where(path)
            out.diagnostics.append(Diagnostic("S002", f"malformed placeholder: {exc}", pos, key=key_path(profile_path)))
            continue
        out.verbatim[path] = text
        value = _one(parts, text, path, fields, where, lookup, out, missing, secret_names)
        _set(out.tree, path, value)
    return out


def _one(
    parts: list,
    text: str,
    path: Path_,
    fields: Fields,
    where: Callable[[Path_], tuple[Path_, Position | None]],
    lookup: Lookup | None,
    out: Filled,
    missing: set[str],
    secret_names: frozenset[str],
) -> Any:
    profile_path, pos = where(path)
    refs = [p for p in parts if isinstance(p, Placeholder)]
    secret = is_secret_path(profile_path) or is_secret_path(path) or any(r.name in secret_names for r in refs)
    if secret:
        out.secret.add(path)
    optional = all(ref.default is not None for ref in refs)
    whole = len(parts) == 1 and len(refs) == 1
    if lookup is None:
        if whole and refs[0].default is None:
            return _stand_in(fields, path, text)
        resolved = "".join(p if isinstance(p, str) else (p.default or "") for p in parts)
        names = ", ".join(ref.name for ref in refs)
        return _convert(
            resolved, fields, optional, secret, f"the default of {names}", path, profile_path, pos, out, text
        )

    values: list[str] = []
    sources: list[str] = []  # "NAME", or "the default of NAME" when the default was taken
    for part in parts:
        if isinstance(part, str):
            values.append(part)
            continue
        try:
            value = lookup(part.name)
        except VariableError as exc:  # NAME_FILE unusable: reported once, like a missing variable
            if part.name not in missing:
                missing.add(part.name)
                out.diagnostics.append(Diagnostic(exc.code, exc.message, pos, key=key_path(profile_path)))
            values.append("")
            continue
        if value is None or (value == "" and part.default is not None):
            value = part.default  # ':-' as in the shell: unset or empty takes the default
            if value is not None:
                sources.append(f"the default of {part.name}")
        else:
            sources.append(part.name)
        if value is None:
            if part.name not in missing:
                missing.add(part.name)
                out.diagnostics.append(
                    Diagnostic(
                        "S004",
                        f"environment variable {part.name} is not set (needed here; set it in the environment or .env)",
                        pos,
                        key=key_path(profile_path),
                    )
                )
            value = ""
        values.append(value)
    resolved = "".join(values)
    if any(ref.name in missing for ref in refs):
        return _stand_in(fields, path, resolved)
    if secret:
        REDACTOR.add(resolved)
        if resolved == "" and not optional:
            names = ", ".join(ref.name for ref in refs)
            out.diagnostics.append(
                Diagnostic(
                    "S005", f"{names} is set but empty; a credential is required here", pos, key=key_path(profile_path)
                )
            )
            return resolved
    else:  # a variable holding a whole URL supplies its password too: the net hides it in any later text
        for credential in url_credentials(resolved):
            REDACTOR.add(credential)
    source = ", ".join(dict.fromkeys(sources))
    return _convert(resolved, fields, optional, secret, source, path, profile_path, pos, out, text)


def _convert(
    resolved: str,
    fields: Fields,
    optional: bool,
    secret: bool,
    source: str,
    path: Path_,
    profile_path: Path_,
    pos: Position | None,
    out: Filled,
    text: str,
) -> Any:
    shown = "" if secret else f" {resolved!r}"
    try:
        value = fields.convert_text(path, resolved, optional)
    except ValueError as exc:
        out.diagnostics.append(
            Diagnostic(
                "S006",
                f"value{shown} of {source} does not convert to the field's type: {exc}",
                pos,
                key=key_path(profile_path),
            )
        )
        return _stand_in(fields, path, text)
    problem = fields.problem(path, value)
    if problem is None:
        return value
    detail = "" if secret else f": {problem}"
    out.diagnostics.append(
        Diagnostic("S006", f"value{shown} of {source} is not allowed here{detail}", pos, key=key_path(profile_path))
    )
    return _stand_in(fields, path, text)


def _stand_in(fields: Fields, path: Path_, fallback: Any) -> Any:
    """The field's stand-in (``Fields.stand_in``), or ``fallback`` where its type offers none."""
    try:
        return fields.stand_in(path)
    except NoValue:
        return fallback


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _set(tree: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value
