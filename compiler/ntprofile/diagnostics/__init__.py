"""Findings of every stage in one shape: ``Diagnostic`` values, the code catalogue, reporters.

Every stage reports problems as values instead of raising, so a run shows all
its findings at once. ``codes`` is the catalogue of every code a stage may
emit, ``rules`` the shape of a policy rule, ``reporters`` turns findings into
text, JSON or GitHub annotations.
"""

from ntprofile.diagnostics.findings import (
    Diagnostic,
    Position,
    ProfileError,
    ProfileWarning,
    Severity,
    combine,
    display_path,
    key_path,
    ordered,
    warn,
    where,
)
from ntprofile.diagnostics.reporters import render

__all__ = [
    "Diagnostic",
    "Position",
    "ProfileError",
    "ProfileWarning",
    "Severity",
    "combine",
    "display_path",
    "key_path",
    "ordered",
    "render",
    "warn",
    "where",
]
