"""Field descriptions from NautilusTrader's numpy-style docstrings.

The schema's hover texts must say what NautilusTrader says about a field, not
a paraphrase that drifts. NautilusTrader documents config fields in the
``Parameters`` section of each class docstring, often split over the class
hierarchy (``LiveRiskEngineConfig`` documents ``qsize``, ``RiskEngineConfig``
documents ``bypass``), so every class of the MRO is read, nearest first.
"""

from __future__ import annotations

import inspect
import re

_HEADER_RULE = re.compile(r"^-{3,}\s*$")
_PARAM = re.compile(r"^([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)\s*:(.*)$")


def summary(doc: str | None) -> str:
    """The first paragraph of a docstring, on one line."""
    text = inspect.cleandoc(doc or "")
    first = text.split("\n\n", 1)[0]
    return " ".join(first.split())


def parameters(doc: str | None) -> dict[str, str]:
    """``name -> description`` from the ``Parameters`` section of one docstring.

    Descriptions are joined onto one line; a line naming several parameters
    (``a, b : int``) gives each of them the same text.
    """
    lines = inspect.cleandoc(doc or "").splitlines()
    out: dict[str, str] = {}
    inside = False
    names: list[str] = []
    text: list[str] = []

    def flush() -> None:
        for name in names:
            out.setdefault(name, " ".join(" ".join(text).split()))

    for index, line in enumerate(lines):
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if _HEADER_RULE.match(nxt) and line.strip() and not line.startswith(" "):
            flush()
            names, text = [], []
            inside = line.strip() == "Parameters"
            continue
        if not inside or _HEADER_RULE.match(line):
            continue
        match = _PARAM.match(line) if not line.startswith((" ", "\t")) else None
        if match:
            flush()
            names = [n.strip() for n in match.group(1).split(",")]
            text = []
        elif names and line.strip():
            text.append(line.strip())
    flush()
    return out


def class_parameters(cls: type) -> dict[str, str]:
    """Parameter descriptions of a class and its bases, the nearest class winning."""
    out: dict[str, str] = {}
    for klass in cls.__mro__:
        for name, text in parameters(klass.__doc__).items():
            if text and name not in out:
                out[name] = text
    return out
