"""Edit a YAML profile in place with ruamel.yaml's round-trip mode: comments, order, quoting and flow style kept.

ruamel.yaml keeps the comment lines that precede a key on the key *before* it
(as the tail of that key's end-of-line comment). So removing or moving a key
must hand those lines on to its predecessor, or the next key's comment would go
with it; ``_detach`` does that.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from ntprofile.migrate.edit import Entry, Key


class YamlEditor:
    """One YAML file's round-trip tree and the edits ``migrate`` makes to it."""

    def __init__(self, text: str):
        mapping, offset = _indentation(text)
        self._yaml = YAML()  # round-trip mode
        self._yaml.preserve_quotes = True
        self._yaml.width = 1 << 16  # never re-wrap a long line
        self._yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        self._yaml.representer.add_representer(type(None), _null)
        head = _HEAD.match(text)
        self._yaml.explicit_start = head is not None
        self._head = head.group(0) if head else ""
        """A leading '---' and the comments around it, kept as written (ruamel.yaml moves or drops them)."""
        self._root = self._yaml.load(text)

    def text(self) -> str:
        buffer = io.StringIO()
        self._yaml.dump(self._root, buffer)
        text = buffer.getvalue()
        return _HEAD.sub(lambda _: self._head, text, count=1) if self._head else text

    def _node(self, path: tuple[Key, ...]) -> Any:
        node = self._root
        for part in path:
            node = node[part]
        return node

    def rename(self, parent: tuple[Key, ...], old: str, new: str) -> None:
        mapping = self._node(parent)
        position = list(mapping).index(old)
        comment = mapping.ca.items.pop(old, None)
        value = mapping.pop(old)
        mapping.insert(position, new, value)
        if comment is not None:
            mapping.ca.items[new] = comment
            _shift(comment, len(new) - len(old))

    def set(self, parent: tuple[Key, ...], key: Key, value: Any) -> None:
        node = self._node(parent)
        old = node[key]
        node[key] = type(old)(value) if isinstance(old, ScalarString) and isinstance(value, str) else value
        comment = node.ca.items.get(key) if isinstance(node, CommentedMap) else None
        if comment:
            _shift(comment, len(str(value)) - len(str(old)))

    def delete(self, parent: tuple[Key, ...], key: str, prune: bool = True) -> None:
        mapping = self._node(parent)
        if prune and len(mapping) == 1 and parent and isinstance(parent[-1], str):
            self.delete(parent[:-1], parent[-1])  # an emptied section goes with its last key
            return
        self._detach(mapping, key)

    def add(self, parent: tuple[Key, ...], key: str, value: Any, after: str | None = None) -> None:
        mapping = self._node(parent)
        keys = list(mapping)
        position = keys.index(after) + 1 if after in keys else len(keys)
        if position == len(keys) and keys:  # the last key's trailing comment lines stay after the new one
            token = _last_token(mapping, keys[-1])
            eol, newline, rest = token.value.partition("\n") if token is not None else ("", "", "")
            if rest:
                token.value = eol + newline
                mapping.insert(position, key, value)
                _append_tail(mapping, key, rest)
                return
        mapping.insert(position, key, value)

    def nest(self, parent: tuple[Key, ...], child: str, entries: list[Entry]) -> None:
        mapping = self._node(parent)
        moved = [e.old for e in entries if e.old is not None]
        keys = list(mapping)
        target = mapping.get(child)
        if not isinstance(target, CommentedMap):
            target = CommentedMap()
            if mapping.fa.flow_style():
                target.fa.set_flow_style()
            position = min((keys.index(k) for k in moved), default=len(keys))
        for entry in entries:
            if entry.old is None:
                value = entry.value
                if isinstance(value, list):
                    value = CommentedSeq(value)
                    value.fa.set_flow_style()
                target[entry.new] = value
                continue
            value = mapping[entry.old]
            eol = self._detach(mapping, entry.old)
            target[entry.new] = value
            if eol:
                target.yaml_add_eol_comment(eol, entry.new)
        if child not in mapping:
            mapping.insert(position, child, target)

    def _detach(self, mapping: CommentedMap, key: str) -> str:
        """Remove ``key``; give the comment lines after its value to the key before it; return its own comment."""
        keys = list(mapping)
        token = _last_token(mapping, key)
        mapping.pop(key)
        mapping.ca.items.pop(key, None)
        if token is None:
            return ""
        eol, _, rest = token.value.partition("\n")
        if rest:
            index = keys.index(key)
            if index > 0:
                _append_tail(mapping, keys[index - 1], rest)
            elif len(keys) > 1:
                lines = [line.strip().lstrip("#").strip() for line in rest.splitlines() if line.strip()]
                if lines:
                    column = mapping.lc.key(keys[1])[1] if keys[1] in mapping.lc.data else 0
                    mapping.yaml_set_comment_before_after_key(keys[1], before="\n".join(lines), indent=column)
        return eol.strip().lstrip("#").strip()


_BLANK_OR_COMMENT = r"(?:[ \t]*(?:#[^\n]*)?\n)*"
_HEAD = re.compile(_BLANK_OR_COMMENT + r"---(?:[ \t][^\n]*)?\n" + _BLANK_OR_COMMENT)
_OPENS_BLOCK = re.compile(r"^(\s*)(?:- )?[^#\s][^#]*:\s*(?:#.*)?$")


def _indentation(text: str) -> tuple[int, int]:
    """(mapping indent, block sequence offset) the file uses, so ruamel.yaml writes it back the same way.

    ``ruamel.yaml.util.load_yaml_guess_indent`` counts a ``- `` item's content as the
    mapping indent (4 for ``catalogs:\\n  - path:``); this looks at what follows a ``key:``.
    """
    mapping = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in zip(lines, lines[1:]):
        opens = _OPENS_BLOCK.match(above)
        if opens is None:
            continue
        step = (len(line) - len(line.lstrip())) - len(opens.group(1)) - (2 if above.lstrip().startswith("- ") else 0)
        if line.lstrip().startswith("- ") and offset is None and step >= 0:
            offset = step
        elif not line.lstrip().startswith("- ") and mapping is None and step > 0:
            mapping = step
    return mapping or 2, offset or 0


def _shift(comment: list[Any], delta: int) -> None:
    """Move a key's end-of-line comment by ``delta`` columns, so the gap before it stays as written."""
    token = comment[2] if len(comment) > 2 else None
    if token is not None and token.value.startswith("#") and token.start_mark is not None:
        token.start_mark = CommentMark(max(0, token.start_mark.column + delta))


def _null(representer: Any, _: None) -> Any:
    """``null`` stays ``null`` (ruamel.yaml writes an empty value)."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _last_token(mapping: CommentedMap, key: Any) -> CommentToken | None:
    """The comment token after the last scalar under ``mapping[key]``: its line's comment and the lines below."""
    value = mapping[key]
    if isinstance(value, CommentedMap) and len(value):
        return _last_token(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        return _last_item_token(value)
    entry = mapping.ca.items.get(key)
    return entry[2] if entry and len(entry) > 2 else None


def _last_item_token(seq: CommentedSeq) -> CommentToken | None:
    last = len(seq) - 1
    if isinstance(seq[last], CommentedMap) and len(seq[last]):
        return _last_token(seq[last], list(seq[last])[-1])
    entry = seq.ca.items.get(last)
    return entry[0] if entry else None


def _append_tail(mapping: CommentedMap, key: Any, rest: str) -> None:
    """Add comment lines after the value of ``mapping[key]`` (ruamel's place for the next key's comments)."""
    token = _last_token(mapping, key)
    if token is not None:
        token.value += rest.lstrip("\n") if token.value.endswith("\n\n") else rest  # one blank line stays one
        return
    value = mapping[key]
    if isinstance(value, CommentedMap) and len(value):
        _append_tail(value, list(value)[-1], rest)
        return
    mapping.ca.items.setdefault(key, [None, None, None, None])[2] = CommentToken("\n" + rest, CommentMark(0), None)
