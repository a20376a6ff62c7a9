"""Findings written out: the text, JSON and GitHub Actions formats of ``--format``.

Reporters are apart from the findings (as check-jsonschema keeps ``reporter``
apart from ``checker``): a stage never formats its findings, and a new output
format is one function registered in ``REPORTERS``.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from ntprofile.diagnostics.findings import Diagnostic, display_path

__all__ = ["FORMATS", "REPORTERS", "github_line", "json_record", "render"]


def json_record(d: Diagnostic) -> dict[str, Any]:
    """One finding as the JSON object of ``--format json``."""
    return {
        "code": d.code,
        "severity": d.severity,
        "file": display_path(d.pos.file) if d.pos else None,
        "line": d.pos.line if d.pos else None,
        "col": d.pos.col if d.pos else None,
        "key": d.key,
        "message": d.message,
        "hint": d.hint,
    }


def _github_property(value: str) -> str:
    """A workflow-command property value: ``%``, CR, LF, ``:`` and ``,`` escaped as GitHub requires."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}
"""Severity -> GitHub Actions workflow command."""


def github_line(d: Diagnostic) -> str:
    """One finding as a GitHub Actions workflow command (``::error file=...``)."""
    props = []
    if d.pos:
        file = _github_property(display_path(d.pos.file))
        props += [f"file={file}", f"line={d.pos.line}", f"col={d.pos.col}"]
    props.append(f"title={_github_property(d.code)}")
    text = f"{d.key}: {d.message}" if d.key else d.message
    if d.hint:
        text += f" ({d.hint})"
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{GITHUB_LEVELS[d.severity]} {','.join(props)}::{text}"


REPORTERS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": lambda ordered: "\n".join(d.render() for d in ordered),
    "json": lambda ordered: json.dumps([json_record(d) for d in ordered], indent=2),
    "github": lambda ordered: "\n".join(github_line(d) for d in ordered),
}
"""``--format`` name -> all findings (sorted) as one text."""

FORMATS = tuple(REPORTERS)


def render(diags: Iterable[Diagnostic], fmt: str = "text") -> str:
    """All findings, sorted by file and line, in the output format ``fmt``."""
    return REPORTERS[fmt](sorted(diags, key=Diagnostic.sort_key))
