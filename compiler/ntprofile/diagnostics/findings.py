"""Findings of every stage, in one shape: ``Diagnostic`` values with a ``Position`` and a code.

Every stage (load, layers, validate, compile, preflight) reports problems as
values instead of raising, so a run can show *all* findings at once, sorted by
file and line. ``Diagnostic.render`` is the canonical one-line form; the output
formats of the command line are in ``reporters``.
"""

from __future__ import annotations

import json
import os
import re
from typing import Iterable, Literal, NamedTuple

from ntprofile.language.secrets import mask_url_credentials

Severity = Literal["error", "warning", "note"]

_ONE_LINE = {c: f"\\x{c:02x}" for c in (*range(32), 0x7F, 0x85)} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
"""Line breaks and control characters of a key or value escaped, so a finding stays on one line."""


class Position(NamedTuple):
    """A place in a profile file (1-based line and column)."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.col}"


class _Fields(NamedTuple):
    code: str
    message: str
    pos: Position | None = None
    key: str | None = None
    hint: str | None = None
    severity: Severity = "error"


class Diagnostic(_Fields):
    """One finding: a rule code, where, on which key, and what to do about it.

    Parameters
    ----------
    code : str
        The rule code (``Y001``, ``L002``, ``V001``, ``S001``, ``P104``...).
    message : str
        One line, never containing a secret value.
    pos : Position, optional
        Where the finding is; ``None`` for findings about the run itself.
    key : str, optional
        The dotted key path the finding is about.
    hint : str, optional
        A suggestion, such as ``did you mean 'x'?``.
    severity : {"error", "warning", "note"}
        Errors fail the run (exit 1); warnings are printed only; notes say what a
        profile decided (a waived rule and its reason), not what is wrong.

    """

    __slots__ = ()

    def __new__(
        cls,
        code: str,
        message: str,
        pos: Position | None = None,
        key: str | None = None,
        hint: str | None = None,
        severity: Severity = "error",
    ) -> Diagnostic:
        # a URL's password never reaches any output format
        message = mask_url_credentials(message) if message and "://" in message else message
        hint = mask_url_credentials(hint) if hint and "://" in hint else hint
        return super().__new__(cls, code, message, pos, key, hint, severity)

    @classmethod
    def _make(cls, iterable: Iterable) -> Diagnostic:  # ``_replace`` builds through it: masked too
        return cls(*iterable)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        pos = self.pos or Position("", 0, 0)
        return (display_path(pos.file), pos.line, pos.col, self.code, self.key or "", self.message)

    def render(self) -> str:
        """Ruff-style: ``path:line:col: error[CODE] key: message (hint)``."""
        where = f"{self.pos}: " if self.pos else ""
        key = f"{self.key}: " if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.severity}[{self.code}] {key}{self.message}{hint}".translate(_ONE_LINE)


class ProfileError(Exception):
    """Raised by the Python API when a profile has errors; carries all findings."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


class ProfileWarning(UserWarning):
    """A warning-severity finding, issued by the Python API through ``warnings.warn``."""


def warn(diagnostics: Iterable[Diagnostic], stacklevel: int = 3) -> None:
    """Issue every warning-severity finding as a ``ProfileWarning`` (errors raise ``ProfileError``)."""
    import warnings

    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        if d.severity == "warning":
            warnings.warn(d.render(), ProfileWarning, stacklevel=stacklevel)


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each finding once (the first of equal ones), sorted by file, line and code: a run's output order."""
    return sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)


def combine(first: Iterable[Diagnostic], more: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``first`` plus the findings of ``more`` not already reported for the same key and line."""
    combined = list(first)
    seen = {(d.code, d.pos, d.key) for d in combined} | {(d.pos, d.key) for d in combined if d.is_error}
    for d in more:
        if (d.code, d.pos, d.key) in seen or (d.is_error and (d.pos, d.key) in seen):
            continue
        seen.add((d.code, d.pos, d.key))
        combined.append(d)
    return combined


def where(pos: Position | None, col: bool = False) -> str:
    """``file:line`` (or ``file:line:col``) of a position, display-relative; ``?`` when unknown."""
    if pos is None:
        return "?"
    text = f"{display_path(pos.file)}:{pos.line}"
    return f"{text}:{pos.col}" if col else text


def display_path(file: str) -> str:
    """A path relative to the working directory when it lies below it."""
    if not file:
        return file
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel


_PLAIN_KEY = re.compile(r"[^\s.\[\]\"'\\]+")
"""A key printed as it is; any other is quoted, so ``{"a.b": 1}`` and ``{a: {b: 1}}`` never read alike."""


def key_path(path: Iterable[str | int]) -> str:
    """``("exchanges", "BYBIT", "product_types", 0)`` -> ``exchanges.BYBIT.product_types[0]``.

    A key holding a dot, a bracket, a quote, a backslash or white space (or an
    empty one) is quoted as TOML quotes it: ``("a.b", "c")`` -> ``"a.b".c``.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = str(part)
        if not _PLAIN_KEY.fullmatch(text) or not text.isprintable():
            text = json.dumps(text, ensure_ascii=False)
        out += f".{text}" if out else text
    return out
