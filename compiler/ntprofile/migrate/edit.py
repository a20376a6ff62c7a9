"""The edits ``migrate`` makes to a profile file, one interface for the YAML and the TOML editor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

Key = str | int


@dataclass(frozen=True, slots=True)
class Entry:
    """One key of a mapping ``nest`` creates: moved from ``old`` of the parent, or a new ``value``."""

    new: str
    old: str | None = None
    value: Any = None


class Editor(Protocol):
    """A round-trip tree of one profile file; every key path is concrete (keys and list indices)."""

    def rename(self, parent: tuple[Key, ...], old: str, new: str) -> None:
        """Rename ``old`` to ``new`` where it stands, its value and comments kept."""

    def set(self, parent: tuple[Key, ...], key: Key, value: Any) -> None:
        """Replace a scalar, its quoting kept."""

    def delete(self, parent: tuple[Key, ...], key: str, prune: bool = True) -> None:
        """Remove a key and its value, and with ``prune`` the mappings this leaves empty; other comments stay."""

    def add(self, parent: tuple[Key, ...], key: str, value: Any, after: str | None = None) -> None:
        """Add a key after ``after`` (or last) in the mapping at ``parent``."""

    def nest(self, parent: tuple[Key, ...], child: str, entries: list[Entry]) -> None:
        """Move keys of ``parent`` (and add new ones) into its mapping ``child``, made where the first moved key was."""

    def text(self) -> str:
        """The file as it now reads."""


def editor_for(suffix: str, text: str) -> Editor:
    """The round-trip editor of a ``.yaml``/``.yml`` or ``.toml`` file."""
    if suffix == ".toml":
        from ntprofile.migrate.toml_edit import TomlEditor

        return TomlEditor(text)
    from ntprofile.migrate.yaml_edit import YamlEditor

    return YamlEditor(text)
