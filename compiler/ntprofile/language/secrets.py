"""Which keys are secret, and how secret values are kept out of every output.

A key is secret by its name (DESIGN.md rule) or because the schema marks it
``writeOnly``. Resolved secret values are registered with the process-wide
``REDACTOR`` so that any text ntprofile prints can be scrubbed of them.
"""

from __future__ import annotations

from typing import Iterable

MASK = "***"

SECRET_NAMES = frozenset({"api_key", "api_secret", "password"})
SECRET_WORDS = ("secret", "password", "passphrase", "token")


def is_secret_key(name: str | int, extra: Iterable[str] = ()) -> bool:
    """True for ``api_key``, ``api_secret``, ``password`` and names containing a secret word."""
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    return lowered in SECRET_NAMES or lowered in extra or any(w in lowered for w in SECRET_WORDS)


def is_secret_path(path: tuple, extra: Iterable[str] = ()) -> bool:
    """True when the last key of ``path`` (list indices skipped) is secret."""
    for part in reversed(path):
        if isinstance(part, str):
            return is_secret_key(part, extra)
    return False


class Redactor:
    """Replaces every registered secret value in text by ``***``."""

    MIN_LENGTH = 4  # shorter values would mask ordinary words and digits

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        if value and len(value) >= self.MIN_LENGTH:
            self._values.add(value)

    def __call__(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return text


REDACTOR = Redactor()
