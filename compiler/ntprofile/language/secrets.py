"""Which keys are secret, and how secret values are kept out of every output.

A key is secret by its name (DESIGN.md rule) or because the schema marks it
``writeOnly``; every renderer masks such fields (and values that come from a
variable used in one) itself. Resolved secret values are registered with the
process-wide ``REDACTOR``, which guards text ntprofile did not write (see there).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Iterable
from urllib.parse import unquote

from ntprofile.language.placeholders import Placeholder, parse

MASK = "***"

SECRETS_FOLDER_MARKER = ".ntprofile-secrets"
"""The file that marks a folder ntprofile asks users to fill with secret files (``render`` writes it there,
beside a ``.gitignore`` of ``*``): the hook refuses a staged file from any folder that holds it (S015)."""

URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@/\s]+)(?=@)")
"""The password of a URL's user information (``redis://:S3cr3t@10.0.0.5``, ``http://user:pass@proxy``)."""
URL_PARAMETER = re.compile(r"[?&;](?P<name>[^=&;#?\s/]+)=(?P<value>[^&;#\s]*)")
"""A query parameter of a URL (``wss://host/stream?token=...``); a secret-named one carries a credential."""
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


def credential_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a credential inside a URL: its password, and secret-named query parameters' values.

    The one notion of a credential-bearing part of a value: S010 refuses a
    literal there, every output masks it, and a variable written there is a
    secret (``credential_variables``).
    """
    if "://" not in text:
        return []
    spans = [m.span("password") for m in URL_CREDENTIALS.finditer(text)]
    spans += [
        m.span("value")
        for m in URL_PARAMETER.finditer(text)
        if m.group("value") and is_secret_key(unquote(m.group("name")))
    ]
    return sorted(spans)


def url_credentials(text: str) -> list[str]:
    """The literal credentials inside URL-shaped parts of ``text`` (a placeholder alone is not one)."""
    return [text[a:b] for a, b in credential_spans(text) if not _PLACEHOLDER.fullmatch(text[a:b])]


def mask_url_credentials(text: str) -> str:
    """``redis://:S3cr3t@host`` -> ``redis://:***@host``: every output shows URLs without their credentials."""
    for a, b in reversed(credential_spans(text)):
        if not _PLACEHOLDER.fullmatch(text[a:b]):
            text = text[:a] + MASK + text[b:]
    return text


_TOKEN = re.compile("\ue000(\\d+)\ue001")


def credential_variables(path: tuple, text: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The variables that supply a credential in ``text``, the value at key path ``path``.

    Every variable of a secret field's value (``api_key``, any ``password``,
    ``token``, ``passphrase``, a secret-named key, an adapter's declared
    credential), wherever in the string; elsewhere, the variables written in a
    credential part of a URL (``credential_spans``: ``http://desk:${PROXY_PASSWORD}@host``,
    ``?token=${FEED_TOKEN}``). Such a variable is a secret everywhere: ``env``,
    rendered deployments (a file), masking and the redactor all ask this.
    Raises ``PlaceholderError`` for a malformed placeholder.
    """
    parts = parse(text)
    refs = [part for part in parts if isinstance(part, Placeholder)]
    if not refs:
        return frozenset()
    if is_secret_path(path, extra):
        return frozenset(ref.name for ref in refs)
    # each placeholder as one opaque token, so a default's ':' '@' or '/' cannot move the URL's parts
    shape, names = [], []
    for part in parts:
        if isinstance(part, Placeholder):
            shape.append(f"\ue000{len(names)}\ue001")
            names.append(part.name)
        else:
            shape.append(part)
    joined = "".join(shape)
    return frozenset(
        names[int(index)] for a, b in credential_spans(joined) for index in _TOKEN.findall(joined[a:b])
    )


SECRET_NAMES = frozenset({"api_key", "api_secret", "password"})
SECRET_WORDS = ("secret", "password", "passphrase", "token")


_DECLARED: list[frozenset[str]] = [frozenset()]


def declare(fields: frozenset[str]) -> None:
    """The credential fields the adapters in force declare secret (Hyperliquid's and dYdX's ``private_key``).

    ``ntprofile.adapters`` calls this when it loads a release's records: the
    language knows no adapter, the adapters tell it.
    """
    _DECLARED[0] = fields
    _secret_name.cache_clear()


def declared_secrets() -> frozenset[str]:
    """The credential fields the adapters in force declare secret."""
    return _DECLARED[0]


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


def is_credential_name(name: str) -> bool:
    """A secret key, or a variable named after one (``BINANCE_API_KEY``, ``DYDX_PRIVATE_KEY``), as a comment has it."""
    lowered = name.lower()
    return is_secret_key(name) or any(lowered.endswith("_" + s) for s in SECRET_NAMES | declared_secrets())


def is_secret_path(path: tuple, extra: Iterable[str] = ()) -> bool:
    """True when the last key of ``path`` (list indices skipped) is secret."""
    for part in reversed(path):
        if isinstance(part, str):
            return is_secret_key(part, extra)
    return False


class Redactor:
    """The secret values of this run (resolved credentials) and the two last-resort uses of them.

    Secrets are masked where they are rendered: every renderer knows which
    fields are secret (``is_secret_path``) and which variables feed one, and
    prints ``***`` there, whatever the value. What is registered here serves
    only text ntprofile did not write itself:

    - ``withhold(text)``: an error message of NautilusTrader, redis-py or user
      code that spells a registered value in any form (raw, ``repr``-escaped,
      JSON-escaped) is replaced as a whole, so neither the value nor the place
      it stood in shows; a short or ordinary value (``abc``, ``testnet``) is
      caught too, and nothing else is masked;
    - ``__call__(text)``: the net over everything ntprofile prints, for values
      of at least ``NET_MIN_LENGTH`` characters in any of those forms. Shorter
      ones are left alone: masking every ``testnet`` or ``BYBIT`` in the output
      would both garble it and tell where the secret's word stands.
    """

    NET_MIN_LENGTH = 12

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        if value:
            self._values.add(value)

    @staticmethod
    def spellings(value: str) -> set[str]:
        """``value`` as it may appear in text: raw, inside ``repr()`` quotes, inside JSON quotes."""
        forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
        forms |= {form.replace("'", "\\'") for form in forms}  # a repr that chose single quotes
        return {form for form in forms if form}

    def mentioned_in(self, text: str) -> bool:
        """True when ``text`` spells a registered value in any form.

        A value shorter than ``NET_MIN_LENGTH`` counts only as a whole token (an
        echo such as ``'k3y'`` or ``:k3y@``), not inside a word: a one-letter
        secret would otherwise withhold every message.
        """
        for value in self._values:
            for form in self.spellings(value):
                if len(value) >= self.NET_MIN_LENGTH:
                    if form in text:
                        return True
                elif re.search(rf"(?<![^\W_]){re.escape(form)}(?![^\W_])", text):
                    return True
        return False

    def withhold(self, text: str) -> str:
        """``text``, or a notice in its place when it spells a registered value (see the class)."""
        return "(detail not shown: it contains a secret value)" if self.mentioned_in(text) else text

    def __call__(self, text: str) -> str:
        forms = {form for value in self._values if len(value) >= self.NET_MIN_LENGTH for form in self.spellings(value)}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, MASK)
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


DATA_WORD = "DATA"
"""A credential variable with this word (``BINANCE_DATA_API_KEY``) holds a market-data-only key: one that
cannot trade, for paper targets, which never read the variables a production target trades with."""


def data_variable(client_id: str, field: str) -> str:
    """``BINANCE`` + ``api_key`` -> ``BINANCE_DATA_API_KEY``: the conventional variable of a market-data-only key."""
    return f"{client_id}_{DATA_WORD}_{field}".upper().replace("-", "_")


def is_data_variable(name: str) -> bool:
    """True for a variable named for a market-data-only key (the word ``DATA``, not ``DATABENTO``)."""
    return DATA_WORD in name.upper().split("_")


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
