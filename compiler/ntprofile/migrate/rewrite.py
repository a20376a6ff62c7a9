"""Apply the tables of ``plan`` to one profile file: the new text and the findings (M001, M002).

The rules are matched on the plain tree the loader reads (so every finding has
its file:line from the loader's positions, as every other stage's), and the
edits are made on a round-trip tree (``edit.editor_for``) so that everything
the rules do not touch is written back as it was.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from ntprofile.diagnostics import Diagnostic, key_path
from ntprofile.language.placeholders import has_placeholder
from ntprofile.language.vocabulary import CLIENT_KINDS
from ntprofile.loader import Document
from ntprofile.migrate.edit import Editor, Entry, Key
from ntprofile.migrate.plan import (
    ADAPTERS,
    ANY,
    GONE_ADAPTERS,
    ITEM,
    SECTIONS,
    REQUIRED,
    Combine,
    Dropped,
    Rename,
    Required,
    Rule,
)

Concrete = tuple[Key, ...]


@dataclass(slots=True)
class Result:
    """One file migrated: its new text (``None``: nothing to change) and what could not be carried."""

    text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def adapter_names(documents: list[Document]) -> dict[str, str]:
    """Exchange client id -> the adapter some layer names for it (an overlay often leaves ``adapter`` out)."""
    names: dict[str, str] = {}
    for doc in documents:
        exchanges = doc.tree.get("exchanges")
        for client_id, section in exchanges.items() if isinstance(exchanges, dict) else ():
            adapter = section.get("adapter") if isinstance(section, dict) else None
            if isinstance(adapter, str):
                names.setdefault(str(client_id), adapter)
    return names


@dataclass(frozen=True, slots=True)
class Addition:
    """A required value to write into one exchange section of one file (``value`` ``None``: it cannot be derived)."""

    client_id: str
    spec: Required
    value: str | None
    unclear: tuple[str, ...] = ()
    """Keys of the template no layer sets, or layers set differently."""


def additions(documents: Mapping[str, Document], adapters: Mapping[str, str]) -> dict[str, list[Addition]]:
    """File -> the values its exchanges need on 2.0 that 1.231 chose itself (``plan.REQUIRED``).

    Written into each file that names the exchange's adapter (else the first that
    defines it); a 1.231 key the template reads comes from that section, else from
    the one value the other files give it, else from 1.231's default.
    """
    sections: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, doc in documents.items():
        exchanges = doc.tree.get("exchanges")
        for client_id, section in exchanges.items() if isinstance(exchanges, dict) else ():
            if isinstance(section, dict):
                sections.setdefault(str(client_id), []).append((name, section))
    out: dict[str, list[Addition]] = {}
    for client_id, found in sections.items():
        spec = REQUIRED.get(adapters.get(client_id, client_id.lower()))
        if spec is None or any(spec.name in _client_keys(section) for _, section in found):
            continue
        homes = [(n, s) for n, s in found if "adapter" in s] or found[:1]  # each target may define its own
        for home, section in homes:
            if section.get("exec") is False:
                continue
            values: dict[str, str] = {"client_id": client_id}
            unclear = []
            for key in _template_keys(spec.template or ""):
                own = _client_keys(section)
                given = {str(own[key])} if key in own else {str(_client_keys(s)[key]) for _, s in found if key in _client_keys(s)}
                if len(given) == 1 or (not given and key in spec.defaults):
                    values[key] = given.pop() if given else spec.defaults[key]
                else:  # unset, or set differently by other layers: each target had its own account
                    unclear.append(key)
            value = None if unclear or spec.template is None else spec.template.format(**values)
            out.setdefault(home, []).append(Addition(client_id, spec, value, tuple(unclear)))
    return out


def _client_keys(section: Mapping[str, Any]) -> dict[str, Any]:
    """The section's shared options with its ``exec`` mapping's on top (what the exec config is made of)."""
    exec_keys = section.get("exec")
    return {**section, **(exec_keys if isinstance(exec_keys, dict) else {})}


def _template_keys(template: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(template) if field and field != "client_id"]


def rules_of(doc: Document, adapters: Mapping[str, str]) -> Iterator[tuple[Rule, Concrete]]:
    """Every rule of the tables with the concrete path where it matches ``doc`` (adapter rules made absolute)."""
    for rule in SECTIONS:
        yield from ((rule, base) for base in _expand(doc.tree, (), _anchor(rule)))
    exchanges = doc.tree.get("exchanges")
    for client_id, section in exchanges.items() if isinstance(exchanges, dict) else ():
        if not isinstance(section, dict):
            continue
        adapter = adapters.get(str(client_id), str(client_id).lower())
        here: Concrete = ("exchanges", client_id)
        clients = [here] + [here + (kind,) for kind in CLIENT_KINDS if isinstance(section.get(kind), dict)]
        for rule in ADAPTERS.get(adapter, ()):
            for client in clients:
                yield from ((_absolute(rule, client), base) for base in _expand(doc.tree, client, _anchor(rule)))


def _anchor(rule: Rule) -> tuple[str, ...]:
    """The path whose presence makes a rule apply (a ``Combine``: the parent of its keys)."""
    if isinstance(rule, Rename):
        return rule.old
    if isinstance(rule, Dropped):
        return rule.path
    return rule.old[0][:-1]


def _absolute(rule: Rule, client: Concrete) -> Rule:
    prefix = tuple(str(p) for p in client)
    if isinstance(rule, Rename):
        return Rename(prefix + rule.old, prefix + rule.new, rule.values, rule.factor)
    if isinstance(rule, Dropped):
        return Dropped(prefix + rule.path, rule.advice, rule.implied)
    return Combine(tuple(prefix + p for p in rule.old), prefix + rule.new, rule.defaults)


def _expand(tree: Any, base: Concrete, pattern: tuple[str, ...]) -> Iterator[Concrete]:
    """The concrete paths below ``base`` that ``pattern`` (relative to it, ``*``/``[]`` wildcards) names."""

    def walk(node: Any, at: Concrete, rest: tuple[str, ...]) -> Iterator[Concrete]:
        if not rest:
            yield at
            return
        head, tail = rest[0], rest[1:]
        if head == ANY and isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, at + (key,), tail)
        elif head == ITEM and isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, at + (index,), tail)
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], at + (head,), tail)

    yield from walk(_get(tree, base), base, pattern)


def _get(tree: Any, path: Concrete) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _concrete(pattern: tuple[str, ...], like: Concrete) -> Concrete:
    """``pattern`` with its wildcards filled from the matched path ``like``."""
    return tuple(like[i] if part in (ANY, ITEM) and i < len(like) else part for i, part in enumerate(pattern))


def migrate_document(
    doc: Document, editor: Editor, adapters: Mapping[str, str], added: list[Addition] = ()
) -> Result:
    """Rewrite one file by the tables: deepest keys first, so a renamed section's children are still found."""
    run = _Run(doc, editor)
    for addition in added:
        run.add(addition)
    for exchange in _gone_exchanges(doc, adapters):
        adapter = adapters.get(str(exchange[-1]), str(exchange[-1]).lower())
        run.report("M001", exchange, f"adapter '{adapter}' has no 2.0 equivalent", GONE_ADAPTERS[adapter])
    for rule, path in sorted(rules_of(doc, adapters), key=lambda match: -len(match[1])):
        if isinstance(rule, Dropped):
            run.drop(rule, path)
        elif isinstance(rule, Rename):
            run.rename(rule, path)
        else:
            run.combine(rule, path)
    for (parent, child), entries in run.nests.items():
        if entries:
            editor.nest(parent, child, entries)
    if run.changed:
        run.result.text = editor.text()
    return run.result


@dataclass(slots=True)
class _Run:
    """One file being migrated: the edits made so far, the keys to move one mapping deeper, the findings."""

    doc: Document
    editor: Editor
    result: Result = field(default_factory=Result)
    nests: dict[tuple[Concrete, str], list[Entry]] = field(default_factory=dict)
    """(parent, new child mapping) -> what moves into it, in file order; made once every rule has run."""
    changed: bool = False

    def report(self, code: str, path: Concrete, message: str, hint: str | None = None) -> None:
        self.result.diagnostics.append(Diagnostic(code, message, self.doc.position(path), key_path(path), hint))

    def add(self, addition: Addition) -> None:
        section, spec = ("exchanges", addition.client_id), addition.spec
        if addition.value is not None:
            self.editor.add(section, spec.name, addition.value, after="adapter")
            self.changed = True
        elif spec.template is None:
            self.report("M002", section, f"2.0 requires {spec.name} here", spec.advice)
        else:
            message = f"2.0 requires {spec.name} here; 1.231 used {spec.template}"
            unclear = " or ".join(addition.unclear)
            self.report("M002", section, message, f"set it by hand: no layer sets {unclear}, or layers set it differently")

    def drop(self, rule: Dropped, path: Concrete) -> None:
        if rule.implied is None or _get(self.doc.tree, path) != rule.implied:
            self.report("M001", path, "no NautilusTrader 2.0 equivalent; removed", rule.advice)
        self.editor.delete(path[:-1], str(path[-1]))
        self.changed = True

    def rename(self, rule: Rename, path: Concrete) -> None:
        parent, key = path[:-1], path[-1]
        new = _concrete(rule.new, path)
        value = _get(self.doc.tree, path)
        mapped = _map_value(rule, value)
        if mapped is _REVIEW and rule.values is not None:
            allowed = ", ".join(dict.fromkeys(v for v in rule.values.values.values() if v))
            message = f"{value!r} has no 2.0 counterpart as {key_path(new)}; the key is renamed, choose the value"
            self.report("M002", path, message, f"2.0 takes {allowed}")
        elif mapped is _REVIEW:
            message = (
                f"{key_path(new)} counts in units {rule.factor} times smaller; {value!r} is kept as it is, "
                "convert it by hand"
            )
            self.report("M002", path, message, f"multiply by {rule.factor}")
        elif mapped != value:
            self.editor.set(parent, key, mapped)
        if new[:-1] != parent:
            self.nests.setdefault((parent, str(new[-2])), []).append(Entry(str(new[-1]), old=str(key)))
        elif new[-1] != key:
            self.editor.rename(parent, str(key), str(new[-1]))
        self.changed = True

    def combine(self, rule: Combine, parent: Concrete) -> None:
        olds = [p[-1] for p in rule.old]
        present = [k for k in olds if k in _get(self.doc.tree, parent)]
        if not present:
            return
        values = [_get(self.doc.tree, parent + (k,)) if k in present else d for k, d in zip(olds, rule.defaults)]
        entries = self.nests.setdefault((parent, str(rule.new[-2])), [])
        self.changed = True
        if None in values or any(isinstance(v, str) and has_placeholder(v) for v in values):
            missing = [k for k, v in zip(olds, values) if v is None]
            message = (
                f"2.0 takes {' and '.join(olds)} as one value {key_path(rule.new[-2:])}: [{', '.join(olds)}]; "
                "removed, set it by hand"
            )
            hint = f"{', '.join(missing)} is not set here" if missing else "a placeholder cannot be combined"
            self.report("M002", parent + (present[0],), message, hint)
            for k in present:
                self.editor.delete(parent, k)
            return
        for k in present:
            self.editor.delete(parent, k, prune=False)  # the combined value takes their place
        entries.append(Entry(str(rule.new[-1]), value=values))


def _gone_exchanges(doc: Document, adapters: Mapping[str, str]) -> list[Concrete]:
    exchanges = doc.tree.get("exchanges")
    return [
        ("exchanges", client_id)
        for client_id in (exchanges if isinstance(exchanges, dict) else ())
        if adapters.get(str(client_id), str(client_id).lower()) in GONE_ADAPTERS
    ]


_REVIEW = object()
"""A value ``Rename`` cannot carry: the key is renamed and the value reported (M002)."""


def _map_value(rule: Rename, value: Any) -> Any:
    if rule.values is not None:
        members = rule.values.values
        if isinstance(value, str) and value.upper() in members:
            mapped = members[value.upper()]
            return _REVIEW if mapped is None else mapped
        if isinstance(value, str) and value in members.values():
            return value  # already 2.0's spelling: a second run changes nothing
        return _REVIEW
    if rule.factor != 1:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value * rule.factor
        return _REVIEW
    return value
