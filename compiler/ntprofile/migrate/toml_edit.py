"""Edit a TOML profile in place with tomlkit: comments, order, quoting and table layout kept.

tomlkit has no public rename or insert-at: ``Container._replace`` and
``Container._insert_at`` are what its own ``__setitem__`` uses. Keys moved one
mapping deeper become an inline table where the first of them stood.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import InlineTable, String, Table

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
        container._replace(old, new, item)
        if isinstance(item, Table):
            item.invalidate_display_name()  # a [section] header names the table by its key

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

    def nest(self, parent: tuple[Key, ...], child: str, entries: list[Entry]) -> None:
        container = self._container(parent)
        target = container.get(child)
        created = not isinstance(target, (Table, InlineTable))
        if created:
            target = tomlkit.inline_table()
            body_keys = [key.key if key is not None else None for key, _ in container.body]
            position = min((body_keys.index(e.old) for e in entries if e.old is not None), default=len(body_keys))
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
            container._insert_at(position, child, target)
