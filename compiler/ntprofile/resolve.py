"""Where ``${NAME}`` values come from when a node is built: the environment, then ``.env``.

``compile`` keeps placeholders verbatim; ``check``, ``run`` and the Python API
hand ``compile_merged`` the lookup made here. The process environment wins over
the env file (a deployment can always override a file), and the env file is read
with python-dotenv without touching ``os.environ``, so nothing leaks into child
processes or into NautilusTrader's own credential fallbacks. Values in the env
file are literal: python-dotenv's ``$VAR`` interpolation is off, so a ``$`` in a
password reaches Redis or the exchange unchanged.

Secrets from files, the convention of official Docker images: where ``NAME``
is unset (or empty) and ``NAME_FILE`` names a file, the file's content, one
trailing newline stripped, is the value. Both set is an S007 naming both; a
file that cannot be read is an S008 naming the variable and the path (never
the content). Rendered deployments mount every secret as a file this way.

Every value that stands for a secret is registered with ``secrets.REDACTOR``
*before* anything prints, so no later output can show it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Callable, Mapping

from ntprofile.files import read_bounded
from ntprofile.language.placeholders import VariableError
from ntprofile.language.secrets import REDACTOR
from ntprofile.layers import Merged
from ntprofile.tools.variables import collect

Lookup = Callable[[str], str | None]

DEFAULT_ENV_FILE = ".env"

FILE_SUFFIX = "_FILE"
"""``NAME_FILE`` names a file holding the value of ``NAME``."""

MAX_SECRET_FILE_BYTES = 64 << 10
"""Largest ``NAME_FILE`` read (64 KiB): a key, a password or a PEM certificate chain is far smaller."""

MAX_ENV_FILE_BYTES = 1 << 20
"""Largest env file read (1 MiB), like a profile."""


class EnvFileError(FileNotFoundError):
    """An env file given explicitly (``--env-file``) does not exist or is unreadable."""


class EnvironmentLookup:
    """A name -> value lookup over the environment first, then an env file.

    Parameters
    ----------
    environ : Mapping[str, str]
        The process environment (a snapshot is fine).
    file_values : Mapping[str, str or None]
        The values of the env file; a bare ``NAME`` line has the value ``None``.
    env_file : Path or None
        The env file read, for messages.

    """

    def __init__(self, environ: Mapping[str, str], file_values: Mapping[str, str | None], env_file: Path | None):
        self._environ = environ
        self._file_values = file_values
        self.env_file = env_file

    def __call__(self, name: str) -> str | None:
        """The value of ``name``: the environment, the env file, then the file ``NAME_FILE`` names.

        Raises ``VariableError`` (S007, S008) for a ``NAME_FILE`` that cannot be used.
        """
        value, where = self._direct(name)
        path, file_where = self._direct(name + FILE_SUFFIX)
        if not path:
            return value
        if value:
            raise VariableError(
                "S007",
                f"{name} ({where}) and {name}{FILE_SUFFIX} ({file_where}) are both set; set only one of them",
            )
        return read_variable_file(name, path)

    def _direct(self, name: str) -> tuple[str | None, str]:
        if name in self._environ:
            return self._environ[name], "environment"
        return self._file_values.get(name), str(self.env_file) if self.env_file else "env file"

    def __repr__(self) -> str:  # never the values
        return f"EnvironmentLookup(env_file={str(self.env_file) if self.env_file else None!r})"


def read_variable_file(name: str, path: str) -> str:
    """The content of the file ``NAME_FILE`` names, one trailing newline stripped; S008 when it cannot be read.

    Only a regular file of at most ``MAX_SECRET_FILE_BYTES`` is read
    (``files.read_bounded``): a FIFO, a device or a huge file is an S008 at
    once, never a hang or the host's memory. The message carries the variable
    and the path, never a byte of the content (a file that is not UTF-8 may
    still be a secret).
    """
    try:
        text = read_bounded(path, MAX_SECRET_FILE_BYTES, "a secret file").decode("utf-8")
    except UnicodeDecodeError:
        raise VariableError("S008", f"{name}{FILE_SUFFIX}: {path} is not UTF-8 text") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise VariableError("S008", f"{name}{FILE_SUFFIX}: cannot read {path}: {reason}") from None
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def environment_lookup(env_file: Path | str | None = None, base: Path = Path()) -> EnvironmentLookup:
    """The lookup ``check``, ``run`` and the API resolve placeholders with.

    Parameters
    ----------
    env_file : Path, optional
        The env file to read after the environment. ``None`` reads ``.env`` in
        ``base`` (the working directory, or the command line's repository top)
        when it exists; an explicit file that is missing raises ``EnvFileError``
        (a usage error on the command line), because silently ignoring it would
        build a node without the credentials the operator meant to give. Either
        is read bounded (``files.read_bounded``): a ``.env`` that is a FIFO, a
        directory, a device or above ``MAX_ENV_FILE_BYTES`` is an ``EnvFileError``.
    base : Path
        Where the default ``.env`` is looked for.

    """
    if env_file is None:
        path: Path | None = base / DEFAULT_ENV_FILE
        if not os.path.lexists(path):
            path = None
    else:
        path = Path(env_file)
        if not os.path.lexists(path):
            raise EnvFileError(f"env file not found: {path}")
    values: Mapping[str, str | None] = {}
    if path is not None:
        from dotenv import dotenv_values  # ntprofile[node]: imported here so `import ntprofile.api` needs only the core

        try:
            text = read_bounded(path, MAX_ENV_FILE_BYTES, "an env file").decode("utf-8")
        except UnicodeDecodeError:
            raise EnvFileError(f"cannot read env file {path}: not UTF-8 text") from None
        except OSError as exc:
            raise EnvFileError(f"cannot read env file {path}: {exc.strerror or exc}") from None
        # interpolate=False: a value in .env is literal (a password 'Pw$HOME${X}$$z' stays
        # exactly that); ntprofile's own placeholders live in the profiles only
        values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return EnvironmentLookup(dict(os.environ), values, path)


def register_secrets(merged: Merged, lookup: Lookup) -> list[str]:
    """Register the value of every variable used in a secret field with the redactor.

    Called before compiling, so that even a message about a bad value can never
    show a secret. Defaults of secret placeholders are registered too (validate
    forbids non-empty ones, but a profile being checked may not be valid yet).

    Returns
    -------
    list[str]
        The names of the secret variables (their values stay unreturned).

    """
    names = []
    for var in collect(merged):
        if not var.secret:
            continue
        names.append(var.name)
        try:
            REDACTOR.add(lookup(var.name))
        except VariableError:
            pass  # compile reports it at the placeholder; there is no value to hide
        REDACTOR.add(var.default)
    return names
