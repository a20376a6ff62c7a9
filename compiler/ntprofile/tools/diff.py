"""A semantic diff of two merged profiles: added, removed and changed keys.

What a reviewer runs on a pull request: not a text diff of one file but the
difference in what the node will get, with the line that set each value on
either side. Built on ``explain.entries`` so both commands agree on leaves,
provenance and masking.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from ntprofile.diagnostics import Diagnostic, where
from ntprofile.layers import Merged, Workspace
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


# ------------------------------------------------------------ every target


TargetStatus = Literal["added", "removed", "changed", "invalid"]


@dataclass(slots=True)
class TargetDiff:
    """One target across two workspaces: its labels, how it changed, its key changes.

    ``invalid`` means a side did not merge; its findings are in ``diagnostics``.
    """

    name: str
    status: TargetStatus
    a_label: str
    b_label: str
    changes: list[Change]
    diagnostics: list[Diagnostic]


def _file_bytes(workspace: Workspace, name: str) -> tuple[tuple[str, bytes | None], ...]:
    """What a name stands for on disk: each of its files (more than one when ambiguous) and their content."""
    rels = workspace.ambiguous().get(name) or [workspace.files[name]]
    out = []
    for rel in rels:
        try:
            out.append((rel, workspace.source.read(rel)))
        except OSError:
            out.append((rel, None))
    return tuple(out)


def changed_names(old: Workspace, new: Workspace) -> set[str]:
    """Every profile name whose file differs between the workspaces (added, removed, renamed or edited)."""
    names = set(old.files) | set(new.files)
    return {
        name
        for name in names
        if name not in old.files or name not in new.files or _file_bytes(old, name) != _file_bytes(new, name)
    }


def compare_all(old: Workspace, new: Workspace, old_label: str) -> list[TargetDiff]:
    """Every target whose merged profile differs from ``old`` to ``new``, added and removed ones included.

    A target none of whose files changed (its own and all it reaches through
    ``extends``, byte for byte) merges to the same profile on both sides, so
    only the others are merged and compared: a one-layer change costs the
    targets that use the layer, not the whole root.
    """
    dirty = changed_names(old, new)
    candidates = sorted(
        name
        for name in set(old.files) | set(new.files)
        if "/" not in name and (name not in new.files or not dirty.isdisjoint(new.reached(name)))
    )
    out: list[TargetDiff] = []
    for name in candidates:
        before, after = old.counts_as_target(name), new.counts_as_target(name)
        if not (before or after):
            continue
        a_label, b_label = f"{name}@{old_label}", name
        a, a_diags = old.merge(name) if before else (EMPTY, [])
        b, b_diags = new.merge(name) if after else (EMPTY, [])
        if a is None or b is None:
            problems = [d for d in a_diags + b_diags if d.is_error]
            out.append(TargetDiff(name, "invalid", a_label, b_label, [], problems))
            continue
        changes = compare(a, b)
        if changes:
            status: TargetStatus = "changed" if before and after else ("added" if after else "removed")
            out.append(TargetDiff(name, status, a_label, b_label, changes, []))
    return out


EMPTY = Merged("", [], {}, {})
"""The side of a target that does not exist: every key of the other side is added or removed."""


def _counts(items: list[TargetDiff]) -> dict[str, int]:
    return {
        status: sum(1 for t in items if t.status == status) for status in ("added", "removed", "changed", "invalid")
    }


def all_summary(items: list[TargetDiff], old_label: str) -> str:
    """``2 targets differ from HEAD (0 added, 0 removed, 2 changed)``, or that none does."""
    if not items:
        return f"no target differs from {old_label}"
    counts = _counts(items)
    shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n or status != "invalid")
    return f"{len(items)} target{'' if len(items) == 1 else 's'} differ{'s' if len(items) == 1 else ''} from {old_label} ({shown})"


def render_all_text(items: list[TargetDiff], old_label: str, paint: render.Painter) -> str:
    """Each target as ``diff A B`` shows it, a blank line between, and one summary line."""
    blocks = []
    for t in items:
        if t.status == "invalid":
            blocks.append(
                paint(f"!!! {t.name}: does not merge on both sides, not compared", "red")
                + "".join(f"\n{d.render()}" for d in t.diagnostics)
            )
        else:
            blocks.append(render_text(_label(t, "a"), _label(t, "b"), t.changes, paint))
    blocks.append(paint(all_summary(items, old_label), "bold"))
    return "\n\n".join(blocks)


def _label(t: TargetDiff, side: str) -> str:
    """A side's label, marked ``(absent)`` where the target does not exist."""
    absent = (side == "a" and t.status == "added") or (side == "b" and t.status == "removed")
    label = t.a_label if side == "a" else t.b_label
    return f"{label} (absent)" if absent else label


def all_to_json(items: list[TargetDiff], old_label: str) -> dict[str, Any]:
    from ntprofile.diagnostics.reporters import json_record

    return {
        "rev": old_label,
        "equal": not items,
        "summary": _counts(items),
        "targets": [
            {
                "target": t.name,
                "status": t.status,
                **to_json(t.a_label, t.b_label, t.changes),
                "diagnostics": [json_record(d) for d in t.diagnostics],
            }
            for t in items
        ],
    }


def render_all_markdown(items: list[TargetDiff], old_label: str) -> str:
    """A pull-request comment: a table of the targets and counts, then one collapsible section per target.

    Each section holds the target's text diff in a fenced block (longer than
    any backtick run inside it), so no value can break out of it; names in
    HTML are escaped. Values are masked as in the text form.
    """
    lines = [f"### ntprofile: merged profiles against `{_code(old_label)}`", ""]
    if not items:
        lines.append(f"No target differs from `{_code(old_label)}`.")
        return "\n".join(lines)
    lines += [
        "| target | status | added | removed | changed |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for t in items:
        counts = {kind: sum(1 for c in t.changes if c.kind == kind) for kind in SIGNS}
        lines.append(
            f"| `{_code(t.name)}` | {t.status} | {counts['added']} | {counts['removed']} | {counts['changed']} |"
        )
    lines += ["", all_summary(items, f"`{_code(old_label)}`") + "."]
    for t in items:
        if t.status == "invalid":
            body = "\n".join(d.render() for d in t.diagnostics)
            head = f"{t.name}: does not merge on both sides, not compared"
        else:
            body = render_text(_label(t, "a"), _label(t, "b"), t.changes, render.Painter(False))
            head = f"{t.name} ({t.status}): {summary(t.changes)}"
        fence = "`" * max(3, _longest_backticks(body) + 1)
        lines += [
            "",
            "<details>",
            f"<summary><code>{html.escape(head)}</code></summary>",
            "",
            f"{fence}diff",
            body,
            fence,
            "",
            "</details>",
        ]
    return "\n".join(lines)


def _code(text: str) -> str:
    """Text for inside a one-backtick code span of a table cell: no backtick, no pipe, no newline."""
    return text.replace("`", "'").replace("|", "\\|").replace("\n", " ")


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
