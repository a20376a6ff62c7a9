"""Secrets rules: S001-S003, S010, S011 on one profile file, S012/S013 (credentials an adapter requires) on a target.

An exchange credential (a secret key under ``exchanges``) takes no ``:-``
default at all, not even an empty one: an unset variable must stop the build,
not hand the exchange an empty key. Elsewhere an empty default is an optional
secret (``${REDIS_PASSWORD:-}``).

Checked per file, not only on the merged tree, so a literal key is reported
at the line of the file that holds it, even in a layer no target uses yet.
A finding about a secret field names the key path and never the value: not
in the message, not in the hint (DESIGN.md, "Secrets").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ntprofile.adapters import adapter_of, clients_of
from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.language import placeholders
from ntprofile.language.secrets import (
    SECRETS_FOLDER_MARKER,
    credential_variable,
    credential_variables,
    is_credential_name,
    is_secret_path,
    url_credentials,
)
from ntprofile.language.tree import Path_, walk_leaves
from ntprofile.layers import Merged, enabled_entries
from ntprofile.loader import Document, read_profile_bytes
from ntprofile.validate.policy import locate


def check_document(doc: Document, extra_secret_keys: Iterable[str] = (), text: str | None = None) -> list[Diagnostic]:
    """S001 literal secrets, S002 malformed placeholders, S003 secret defaults of one file.

    Parameters
    ----------
    doc : Document
        The loaded file.
    extra_secret_keys : iterable of str
        Lower-case key names the schema marks ``writeOnly``, on top of the name rule.
    text : str, optional
        The file's text, to place S002 at the column of its ``$``; read from
        ``doc.path`` when needed and not given.

    """
    extra = frozenset(k.lower() for k in extra_secret_keys)
    diags: list[Diagnostic] = []
    lines: list[str] | None = None if text is None else text.splitlines()
    for path, value in walk_leaves(doc.tree):
        secret = is_secret_path(path, extra)
        if not isinstance(value, str):
            if secret and isinstance(value, (int, float)) and not isinstance(value, bool):
                diags.append(_literal(doc, path))
            continue
        try:
            parts = placeholders.parse(value)
        except placeholders.PlaceholderError as exc:
            if lines is None:
                lines = _read_lines(doc.path)
            message = "malformed placeholder (value not shown)" if secret else f"malformed placeholder: {exc}"
            diags.append(
                Diagnostic(
                    "S002",
                    message,
                    _dollar_position(doc, path, value, exc.offset, lines),
                    key_path(path),
                    "write ${NAME} or ${NAME:-default}; '$$' is a literal '$'",
                )
            )
            continue
        if not secret:
            if url_credentials(value):
                diags.append(
                    Diagnostic(
                        "S010",
                        "a credential inside a URL (value not shown); it would be committed and printed with the URL",
                        doc.position(path),
                        key_path(path),
                        "write it as a placeholder, such as redis://:${REDIS_PASSWORD}@host",
                    )
                )
            supplied = credential_variables(path, value, extra)
            diags += [
                _literal_default(doc, path, part)
                for part in parts
                if isinstance(part, placeholders.Placeholder) and part.name in supplied and part.default
            ]
            continue
        if not value.strip() or any(isinstance(p, str) and p for p in parts):
            diags.append(_literal(doc, path))
            continue
        credential = path[:1] == ("exchanges",)
        for part in parts:
            if not isinstance(part, placeholders.Placeholder) or part.default is None:
                continue
            if part.default:
                diags.append(_literal_default(doc, path, part))
            elif credential:  # an optional secret outside exchanges (${REDIS_PASSWORD:-}) is fine
                diags.append(
                    Diagnostic(
                        "S003",
                        f"a credential has no default: with {part.name} unset, '${{{part.name}:-}}' "
                        "hands the exchange an empty key",
                        doc.position(path),
                        key_path(path),
                        f"drop the default: write ${{{part.name}}}",
                    )
                )
    return diags + comment_credentials(doc)


_ASSIGNED = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*[:=]\s*['\"]?([^\s'\"#,}]+)")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{16,}")


def _credential_shaped(text: str) -> bool:
    """Long enough, and letters mixed with digits, as API keys and passwords are (not a placeholder)."""
    return (
        not text.startswith("$")
        and len(text) >= 6
        and any(c.isalpha() for c in text)
        and any(c.isdigit() or not c.isalnum() for c in text)
    )


def comment_credentials(doc: Document) -> list[Diagnostic]:
    """S011: a credential-shaped literal in a comment next to a secret key, or assigned to one.

    Commented-out keys are committed like any other line (``# api_key: Xk3u...``),
    so this is an error like a literal value: a warning would pass the hook, and
    pre-commit hides a passing hook's output. The value is never shown.
    """
    if not doc.comments:
        return []
    secret_lines = {pos.line for path, pos in doc.positions.items() if path and is_secret_path(path)}
    diags = []
    for line, col, text in doc.comments:
        match = _ASSIGNED.search(text)
        key = match.group(1).rsplit(".", 1)[-1] if match else ""
        if match and is_credential_name(key) and _credential_shaped(match.group(2)):
            where = f"assigned to {key}"
        elif {line - 1, line, line + 1} & secret_lines and any(_credential_shaped(t) for t in _TOKEN.findall(text)):
            where = "next to a secret key"
        else:
            continue
        diags.append(
            Diagnostic(
                "S011",
                f"a credential-shaped value in a comment, {where} (value not shown); comments are committed too",
                Position(str(doc.path), line, col),
                None,
                "remove it, rotate the credential if it is real, and keep secrets in the environment or .env",
            )
        )
    return diags


def secrets_folder_files(files: Iterable[str]) -> list[Diagnostic]:
    """S015: each of ``files`` (a commit's staged files) that lies in a folder marked ``SECRETS_FOLDER_MARKER``.

    The marker is looked for on disk in every folder above the file: the folder
    ignores itself (its ``.gitignore`` is ``*``), so the marker is never in git.
    The file is named, never read. The marker and the folder's own ``.gitignore``
    hold no secret and pass.
    """
    diags = []
    for file in files:
        path = Path(file)
        folder = next((p for p in path.parents if (p / SECRETS_FOLDER_MARKER).is_file()), None)
        if folder is None or (path.parent == folder and path.name in (SECRETS_FOLDER_MARKER, ".gitignore")):
            continue
        diags.append(
            Diagnostic(
                "S015",
                f"a file from {folder.as_posix()}/, a folder ntprofile fills with secrets (it holds "
                f"{SECRETS_FOLDER_MARKER}): committing it commits a credential (content not read)",
                Position(file),
                None,
                f"unstage it: git rm --cached -- {file}",
            )
        )
    return diags


def _literal_default(doc: Document, path: Path_, part: placeholders.Placeholder) -> Diagnostic:
    """S003: a credential's ``:-`` default is a literal secret, committed with the profile."""
    return Diagnostic(
        "S003",
        f"the ':-' default of ${{{part.name}}} is a literal secret (value not shown)",
        doc.position(path),
        key_path(path),
        f"drop the default: write ${{{part.name}}}",
    )


def _literal(doc: Document, path: Path_) -> Diagnostic:
    return Diagnostic(
        "S001",
        "a literal value in a secret field (value not shown); secrets must be placeholders",
        doc.position(path),
        key_path(path),
        f"write ${{{_variable_for(path)}}} and set the variable in the environment or .env",
    )


def _variable_for(path: Path_) -> str:
    """A plausible variable name for a secret field: ``exchanges.BYBIT.api_key`` -> ``BYBIT_API_KEY``."""
    keys = [p for p in path if isinstance(p, str)]
    if len(keys) >= 3 and keys[0] == "exchanges":
        return credential_variable(keys[1], keys[-1])
    if "database" in keys:
        return f"REDIS_{keys[-1]}".upper()
    return "_".join(keys[-2:]).upper().replace("-", "_")


def _read_lines(path: Path) -> list[str]:
    try:
        return read_profile_bytes(path).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _dollar_position(doc: Document, path: Path_, value: str, offset: int, lines: list[str]) -> Position:
    """The column of the offending ``$``: the value found on its key's line, else the key itself."""
    pos = doc.position(path)
    if 0 < pos.line <= len(lines):
        line = lines[pos.line - 1]
        start = line.find(value[: offset + 1], max(pos.col - 1, 0))
        if start < 0:  # quoted with escapes: find the text up to the '$'
            start = line.find(value[:offset], max(pos.col - 1, 0)) if offset else -1
        if start >= 0:
            return Position(pos.file, pos.line, start + offset + 1)
    return pos


def missing_credentials(merged: Merged) -> list[Diagnostic]:
    """S012/S013: a credential the adapter requires for a client the section runs is not set.

    Without it NautilusTrader either refuses to build the node (S012, an error
    here instead of a ``ValueError`` at build) or silently reads a variable of
    its own choosing (S013, a warning: a profile says where its key comes from).
    """
    diags = []
    for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
        adapter = adapter_of(client_id, section)
        if adapter is None:
            continue
        kinds = clients_of(adapter, section)
        environment = section.get("environment")
        if not isinstance(environment, str) or placeholders.has_placeholder(environment):
            environment = adapter.default_environment or "mainnet"
        environment = environment.lower()
        for credential in adapter.credentials:
            needed = [kind for kind in credential.required if kind in kinds]
            if not needed or _is_set(section, credential.field, needed):
                continue
            path = ("exchanges", client_id, credential.field)
            fallback = credential.fallback.get(environment)
            clients = " and ".join(needed)
            if fallback is not None:
                code, severity = "S013", "warning"
                message = (
                    f"is not set: NautilusTrader would read {fallback} from the environment for the "
                    f"{adapter.name} {clients} client; a profile must say where its key comes from"
                )
                variable = fallback
            else:
                code, severity = "S012", "error"
                message = f"the {adapter.name} {clients} client needs {credential.field}, and nothing sets it"
                variable = credential_variable(client_id, credential.field, environment)
            pos, note = locate(merged, path)
            hint = f"write {credential.field}: ${{{variable}}}"
            diags.append(Diagnostic(code, message + note, pos, key_path(path), hint, severity))
    return diags


def _is_set(section: dict, field: str, kinds: list[str]) -> bool:
    """Whether ``field`` has a value for every client in ``kinds`` (the shared option, or each client's own)."""
    shared = section.get(field) is not None
    for kind in kinds:
        own = section.get(kind)
        if not shared and not (isinstance(own, dict) and own.get(field) is not None):
            return False
    return True
