"""The environment variables a merged profile needs, the lines that need them, and their ``env.example``.

``env``, ``compile`` (its ``env.example``), ``explain`` and the resolver all ask
the same question: which ``${NAME}`` placeholders does this target use, with
what default, in a secret field or not, and where. One answer lives here so the
operator tools and the node builder can never disagree. Pure data: no
``nautilus_trader`` import, cheap enough for the validate path.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterator

from ntprofile.diagnostics import Position, display_path, key_path, where
from ntprofile.language.placeholders import PlaceholderError, names
from ntprofile.language.secrets import MASK, credential_variables, mask_url_credentials
from ntprofile.language.tree import Path_
from ntprofile.language.vocabulary import TOGGLED_SECTIONS
from ntprofile.layers import Merged


@dataclass(frozen=True, slots=True)
class Use:
    """One place that needs a variable: the key path and the line that set it."""

    path: Path_
    pos: Position | None
    default: str | None

    @property
    def key(self) -> str:
        return key_path(self.path)


@dataclass(slots=True)
class Variable:
    """One environment variable a profile needs.

    Parameters
    ----------
    name : str
        The variable name (``BYBIT_API_KEY``).
    default : str or None
        The ``:-default`` of its first use; ``None`` when no use gives one.
    secret : bool
        True when any use supplies a credential (``secrets.credential_variables``:
        a secret field, or a URL's password or token): its value must never be
        printed, and rendered deployments give it as a file.
    uses : list[Use]
        Every key that needs it, in profile order.

    """

    name: str
    default: str | None = None
    secret: bool = False
    uses: list[Use] = field(default_factory=list)

    @property
    def required(self) -> bool:
        """True when some use has no default, so the variable must be set."""
        return any(use.default is None for use in self.uses)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "default": MASK if self.secret and self.default else self.default,
            "has_default": self.default is not None,
            "required": self.required,
            "secret": self.secret,
            "uses": [
                {
                    "key": use.key,
                    "file": _file(use.pos),
                    "line": use.pos.line if use.pos else None,
                    "col": use.pos.col if use.pos else None,
                }
                for use in self.uses
            ],
        }


def _file(pos: Position | None) -> str | None:
    return display_path(pos.file) if pos else None


def active_strings(tree: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string value of a merged tree, skipping entries disabled with ``enabled: false``."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            here = path + (key,)
            if (
                len(path) == 1
                and path[0] in TOGGLED_SECTIONS
                and isinstance(value, dict)
                and value.get("enabled", True) is False
            ):
                continue
            yield from active_strings(value, here)
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from active_strings(value, path + (index,))
    elif isinstance(tree, str):
        yield path, tree


def collect(merged: Merged) -> list[Variable]:
    """The variables ``merged`` needs, in the order the profile first uses them.

    Malformed placeholders are skipped here: ``validate`` reports them (S002).
    Entries dropped with ``enabled: false`` need nothing and are skipped too.
    """
    found: dict[str, Variable] = {}
    for path, text in active_strings(merged.tree):
        if "$" not in text:
            continue
        try:
            refs = names(text)
            credential = credential_variables(path, text)
        except PlaceholderError:
            continue
        for ref in refs:
            var = found.setdefault(ref.name, Variable(ref.name))
            default = None if ref.default is None else mask_url_credentials(ref.default)
            var.uses.append(Use(path, merged.origin(path), default))
            if var.default is None and default is not None:
                var.default = default
            var.secret = var.secret or ref.name in credential
    return list(found.values())


@functools.cache
def _env() -> Any:
    """The template environment, built on first use: ``env`` and ``explain`` need no Jinja2 until they render."""
    from ntprofile.tools.templates import environment

    return environment(finalize=lambda value: _one_line(value) if isinstance(value, str) else value)


def _one_line(text: str) -> str:
    """``text`` with line breaks and control characters escaped (``\\n``), so it stays on its line.

    ``env.example`` is copied to ``.env``: a line break in anything written
    into it (a key, a file name, a default) would start a live line there.
    The loader and the placeholder parser refuse such keys and defaults; this
    holds even for what they cannot see (the target's own file name).
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render_env_example(profile: str, variables: list[Variable]) -> str:
    """The ``env.example`` text: each variable, its default, the lines that need it."""
    rows = [
        {
            "name": var.name,
            "default": var.default,
            "required": var.required,
            "secret": var.secret,
            "uses": [{"key": use.key, "where": where(use.pos)} for use in var.uses],
        }
        for var in variables
    ]
    text = _env().get_template("env.example.j2").render(profile=profile, variables=rows)
    return text if text.endswith("\n") else text + "\n"
