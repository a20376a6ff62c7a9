"""Edit a TOML profile in place with tomlkit: comments, order, quoting and table layout kept.

tomlkit has no public rename or insert-at, and its private ``_replace`` loses
the key from the container's index; a rename is a removal and an
``_insert_at`` (what tomlkit's own ``add`` uses) at the same place. Keys moved
one mapping deeper become dotted keys where they stood (``file_config.directory``),
so their comments and order stay.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, InlineTable, String, Table, Whitespace

from ntprofile.migrate.edit import Entry, Key


class TomlEditor:
    """One TOML file's round-trip document and the edits ``migrate`` makes to it."""

    def __init__(self, text: str):
        self._doc = tomlkit.parse(text)

    def text(self) -> str:
        return self._doc.as_string()

    def _node(self, path: tuple[Key, ...]) -> Any:
        node: Any = self._doc
        for part in path:
            node = node[part]
        return node

    def _container(self, path: tuple[Key, ...]) -> Container:
        node = self._node(path)
        return node.value if isinstance(node, (Table, InlineTable)) else node

    def rename(self, parent: tuple[Key, ...], old: str, new: str) -> None:
        container = self._container(parent)
        item = container.item(old)
        position = _body_keys(container).index(old)
        container.remove(old)
        if isinstance(item, Table):
            item.invalidate_display_name()  # a [section] header names the table by its key
        _insert(container, position, new, item)

    def set(self, parent: tuple[Key, ...], key: Key, value: Any) -> None:
        node = self._node(parent)
        old = node[key]
        new = String.from_raw(value, old.type) if isinstance(old, String) and isinstance(value, str) else tomlkit.item(value)
        new._trivia = old.trivia  # its end-of-line comment
        node[key] = new

    def delete(self, parent: tuple[Key, ...], key: str, prune: bool = True) -> None:
        container = self._container(parent)
        if prune and len(container) == 1 and parent and isinstance(parent[-1], str):
            self.delete(parent[:-1], parent[-1])  # an emptied table goes with its last key
            return
        container.remove(key)
        if isinstance(self._node(parent), InlineTable):  # no separator left dangling by the braces
            keyed = [i for i, key in enumerate(_body_keys(container)) if key is not None]
            for i, (key, item) in enumerate(container.body):
                if key is None and not keyed[0] < i < keyed[-1]:
                    container.body[i] = (None, Whitespace(""))  # in place: the body's key index stays valid

    def add(self, parent: tuple[Key, ...], key: str, value: Any, after: str | None = None) -> None:
        container = self._container(parent)
        body_keys = _body_keys(container)
        plain = [i for i, (k, item) in enumerate(container.body) if k is not None and not isinstance(item, (Table, AoT))]
        position = body_keys.index(after) + 1 if after in body_keys else (plain[-1] + 1 if plain else 0)
        _insert(container, position, key, tomlkit.item(value))  # before any [sub.table] of the section

    def nest(self, parent: tuple[Key, ...], child: str, entries: list[Entry]) -> None:
        container = self._container(parent)
        target = container.get(child)
        if isinstance(target, (Table, InlineTable)) or isinstance(self._node(parent), InlineTable):
            self._nest_inline(container, child, target, entries)
            return
        # A dotted key (``file_config.directory = ...``) where each key stood keeps its comment and place.
        last = max((i for i, key in enumerate(_body_keys(container)) if key is not None), default=-1) + 1
        for entry in entries:
            if entry.old is None:
                _insert(container, last, tomlkit.key([child, entry.new]), tomlkit.item(entry.value))
                last += 1
                continue
            item = container.item(entry.old)
            position = _body_keys(container).index(entry.old)
            container.remove(entry.old)
            _insert(container, position, tomlkit.key([child, entry.new]), item)
            last = position + 1

    def _nest_inline(self, container: Container, child: str, target: Any, entries: list[Entry]) -> None:
        """Into an existing ``child`` table, or a new inline table where the first moved key was (inline parents)."""
        created = not isinstance(target, (Table, InlineTable))
        if created:
            target = tomlkit.inline_table()
            body_keys = _body_keys(container)
            last = max((i for i, key in enumerate(body_keys) if key is not None), default=-1)
            position = min((body_keys.index(e.old) for e in entries if e.old is not None), default=last + 1)
        for entry in entries:
            if entry.old is None:
                target.append(entry.new, tomlkit.item(entry.value))
                continue
            item = container.item(entry.old)
            container.remove(entry.old)
            if isinstance(target, InlineTable):
                item.trivia.comment = ""  # an inline table holds no comments
                item.trivia.comment_ws = ""
            target.append(entry.new, item)
        if created:
            _insert(container, position, child, target)

def _body_keys(container: Container) -> list[str | None]:
    """The key of each item of the container's body, in file order (``None`` for comments and blank lines)."""
    return [key.key if key is not None else None for key, _ in container.body]


def _insert(container: Container, position: int, key: Any, item: Any) -> None:
    if position < len(container.body):
        container._insert_at(position, key, item)
    else:
        container.append(key, item)
