"""Which keys are secret, and how secret values are kept out of every output.

A key is secret by its name (DESIGN.md rule) or because the schema marks it
``writeOnly``. Resolved secret values are registered with the process-wide
``REDACTOR`` so that any text ntprofile prints can be scrubbed of them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Iterable

MASK = "***"

URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@/\s]+)(?=@)")
"""The password of a URL's user information (``redis://:S3cr3t@10.0.0.5``, ``http://user:pass@proxy``)."""
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


def url_credentials(text: str) -> list[str]:
    """The literal passwords inside URL-shaped parts of ``text`` (a placeholder alone is not one)."""
    return [m.group("password") for m in URL_CREDENTIALS.finditer(text) if not _PLACEHOLDER.fullmatch(m.group(2))]


def mask_url_credentials(text: str) -> str:
    """``redis://:S3cr3t@host`` -> ``redis://:***@host``: every output shows URLs without their password."""
    if "://" not in text:
        return text
    return URL_CREDENTIALS.sub(lambda m: m.group(0) if _PLACEHOLDER.fullmatch(m.group(2)) else m.group(1) + MASK, text)


SECRET_NAMES = frozenset({"api_key", "api_secret", "password"})
SECRET_WORDS = ("secret", "password", "passphrase", "token")


@cache
def declared_secrets() -> frozenset[str]:
    """The credential fields the adapters declare secret (Hyperliquid's and dYdX's ``private_key``)."""
    from ntprofile.adapters import ADAPTERS  # at first use: the adapters import layers, which import this

    return frozenset(field for adapter in ADAPTERS.values() for field in adapter.secret_fields)


def is_secret_key(name: str | int, extra: Iterable[str] = ()) -> bool:
    """True for ``api_key``, ``api_secret``, ``password``, names containing a secret word, declared credentials."""
    if not isinstance(name, str):
        return False
    return _secret_name(name) or (bool(extra) and name.lower() in extra)


@cache
def _secret_name(name: str) -> bool:
    """The name rule alone, once per distinct key name (every leaf of every target asks it)."""
    lowered = name.lower()
    return lowered in SECRET_NAMES or any(w in lowered for w in SECRET_WORDS) or lowered in declared_secrets()


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


# ------------------------------------------------------- credential variables

SANDBOX_WORDS = ("TESTNET", "DEMO")
"""A credential variable naming one of these is for a venue's testnet or demo environment."""


def credential_variable(client_id: str, field: str, environment: str = "mainnet") -> str:
    """The conventional variable of an exchange credential.

    ``BYBIT`` + ``api_key`` is ``BYBIT_API_KEY`` on mainnet, ``BYBIT_TESTNET_API_KEY``
    on testnet, ``BYBIT_DEMO_API_KEY`` on demo: the names the shipped profiles,
    ``.env.example`` and the P108 rule use.
    """
    infix = "" if environment == "mainnet" else f"{environment}_"
    return f"{client_id}_{infix}{field}".upper().replace("-", "_")


def is_sandbox_variable(name: str) -> bool:
    """True for a variable named for a testnet or demo credential (``BYBIT_TESTNET_API_KEY``)."""
    upper = name.upper()
    return any(word in upper for word in SANDBOX_WORDS)


def mainnet_variable(name: str) -> str:
    """``BYBIT_TESTNET_API_KEY`` -> ``BYBIT_API_KEY``: the mainnet counterpart of a sandbox variable."""
    parts = [p for p in name.upper().split("_") if p not in SANDBOX_WORDS]
    return "_".join(parts)


def testnet_variable(name: str) -> str:
    """``BYBIT_API_KEY`` -> ``BYBIT_TESTNET_API_KEY``: the testnet counterpart of a mainnet variable."""
    head, _, rest = name.partition("_")
    return f"{head}_TESTNET_{rest}" if rest else f"{name}_TESTNET"
