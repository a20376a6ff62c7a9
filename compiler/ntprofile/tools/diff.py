"""A semantic diff of two merged profiles: added, removed and changed keys.

What a reviewer runs on a pull request: not a text diff of one file but the
difference in what the node will get, with the line that set each value on
either side. Built on ``explain.entries`` so both commands agree on leaves,
provenance and masking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ntprofile.diagnostics import where
from ntprofile.layers import Merged
from ntprofile.tools import render
from ntprofile.tools.explain import Entry, entries

Kind = Literal["added", "removed", "changed"]
SIGNS = {"added": "+", "removed": "-", "changed": "~"}
COLOURS = {"added": "green", "removed": "red", "changed": "yellow"}


@dataclass(frozen=True, slots=True)
class Change:
    """One key that differs; ``a``/``b`` are its entries on either side (``None`` when absent)."""

    kind: Kind
    key: str
    a: Entry | None
    b: Entry | None

    def to_json(self) -> dict[str, Any]:
        def side(e: Entry | None) -> dict[str, Any] | None:
            if e is None:
                return None
            return {
                "value": render.masked(e.value, e.secret) if e.status != "disabled" else "disabled",
                "status": e.status,
                **render.position_json(e.pos),
                "layer": e.layer,
            }

        return {"kind": self.kind, "key": self.key, "a": side(self.a), "b": side(self.b)}


def _comparable(e: Entry) -> Any:
    return ("disabled",) if e.status == "disabled" else (type(e.value).__name__, e.value)


def compare(a: Merged, b: Merged) -> list[Change]:
    """The changes from ``a`` to ``b``, in ``b``'s key order, removed keys where they stood in ``a``."""
    left = {e.path: e for e in entries(a)}  # compared by key path, never by its printed form
    right = {e.path: e for e in entries(b)}
    changes: list[Change] = []
    for path, e in right.items():
        old = left.get(path)
        if old is None:
            changes.append(Change("added", e.key, None, e))
        elif _comparable(old) != _comparable(e) or (e.secret and old.value != e.value):
            changes.append(Change("changed", e.key, old, e))
    removed = [Change("removed", e.key, e, None) for path, e in left.items() if path not in right]
    sections: dict[Any, int] = {}
    for e in list(right.values()) + list(left.values()):
        sections.setdefault(e.path[0], len(sections))
    r_index = {path: i for i, path in enumerate(right)}
    l_index = {path: i for i, path in enumerate(left)}

    def rank(c: Change) -> tuple:
        """Grouped by top-level section (``b``'s order first), key order kept inside."""
        entry = c.b or c.a
        index = r_index[entry.path] if c.b is not None else l_index[entry.path]
        return (sections[entry.path[0]], c.b is None, index)

    return sorted(changes + removed, key=rank)


def summary(changes: list[Change]) -> str:
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in SIGNS}
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())


def _shown(e: Entry) -> str:
    return "disabled" if e.status == "disabled" else e.shown()


def render_text(a_label: str, b_label: str, changes: list[Change], paint: render.Painter) -> str:
    """``~ key: old -> new  a-file:line -> b-file:line`` per change, a header and a summary."""
    lines = [paint(f"--- {a_label}", "red"), paint(f"+++ {b_label}", "green")]
    rows, kinds = [], []
    for c in changes:
        sign = SIGNS[c.kind]
        if c.kind == "added":
            rows.append([f"{sign} {c.key} = {_shown(c.b)}", where(c.b.pos)])
        elif c.kind == "removed":
            rows.append([f"{sign} {c.key} = {_shown(c.a)}", where(c.a.pos)])
        else:
            rows.append(
                [
                    f"{sign} {c.key}: {_shown(c.a)} -> {_shown(c.b)}",
                    f"{where(c.a.pos)} -> {where(c.b.pos)}",
                ]
            )
        kinds.append(c.kind)
    if rows:
        text = render.table(rows, max_width=64)
        lines += [paint(line, COLOURS[kind]) for line, kind in zip(text.splitlines(), kinds)]
    else:
        lines.append("no differences")
    lines.append(paint(summary(changes), "bold"))
    return "\n".join(lines)


def to_json(a_label: str, b_label: str, changes: list[Change]) -> dict[str, Any]:
    return {
        "a": a_label,
        "b": b_label,
        "equal": not changes,
        "summary": {kind: sum(1 for c in changes if c.kind == kind) for kind in SIGNS},
        "changes": [c.to_json() for c in changes],
    }
