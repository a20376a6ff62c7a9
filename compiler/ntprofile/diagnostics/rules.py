"""The shape of a policy rule, and the registry every rule (general or adapter-owned) joins.

A rule is a check over a merged target that yields ``Finding``s; ``validate.policy``
places them in files, applies waivers and stages. General rules live in
``validate.policy``; rules that make sense for one venue only live in that
adapter's module (``adapters/bybit.py``) and register here the same way, so the
policy never branches on an adapter's name. Titles and rationales come from
``codes`` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

from ntprofile.diagnostics.codes import CODES
from ntprofile.diagnostics.findings import Severity

if TYPE_CHECKING:  # pragma: no cover
    from ntprofile.language.tree import Path_
    from ntprofile.layers import Merged

__all__ = ["Check", "Finding", "RULES", "Rule", "rule"]


class Finding(NamedTuple):
    """What a rule found, before it is placed in a file."""

    path: Path_
    message: str
    hint: str | None = None
    severity: Severity = "error"
    any_target: bool = False
    """True when the finding does not depend on the target's stage: it is then
    reported once, at the line that set the value, for every target sharing it."""


Check = Callable[["Merged"], Iterable[Finding]]


class Rule(NamedTuple):
    """One policy rule: its code, the stages it guards (``None``: every stage), its check."""

    code: str
    stages: frozenset[str] | None
    check: Check
    every_venue: bool = False
    """True when the rule reasons over the venues every client serves: with a client of an
    unknown adapter (the schema's V003) those are unknown, and the rule stays silent rather
    than report the same mistake again as missing venues."""

    @property
    def title(self) -> str:
        return CODES[self.code].title

    @property
    def rationale(self) -> str:
        return CODES[self.code].rationale

    @property
    def stage_text(self) -> str:
        return "any stage" if self.stages is None else ", ".join(sorted(self.stages))

    def applies_to(self, stage: str | None) -> bool:
        return self.stages is None or stage in self.stages


RULES: dict[str, Rule] = {}
"""Every policy rule by code; ``validate.policy`` imports the adapters, so theirs are here too."""


def rule(code: str, stages: frozenset[str] | None, every_venue: bool = False) -> Callable[[Check], Check]:
    """Register ``check`` as the policy rule ``code`` (which must be in the catalogue, and new)."""

    def register(check: Check) -> Check:
        assert code in CODES and code not in RULES, code
        RULES[code] = Rule(code, stages, check, every_venue)
        return check

    return register
