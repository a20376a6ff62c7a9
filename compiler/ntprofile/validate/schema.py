"""The schema passes of ``validate``: one file alone, and each merged target.

Reads the committed ``profile.schema.json`` packaged with ntprofile (never
``nautilus_trader``: this is the pre-commit path) and compiles it once per
process into two validators sharing one reference resolver: the partial root
``#`` (a layer, nothing required) and ``#/$defs/target`` (a merged target:
stage, trader_id, exchanges required). jsonschema's errors become ruff-style
one-line diagnostics (V001-V004) at the file:line:col that set the value, with
``did you mean`` hints, a readable pick among ``anyOf`` branches instead of
jsonschema's dump, and never the value of a secret key.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from ntprofile.adapters import UNSUPPORTED, adapter_of, clients_of, unsupported_hint, unsupported_message
from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.diagnostics.hints import closest, did_you_mean
from ntprofile.language import constraints as prechecks
from ntprofile.language.secrets import MASK, is_secret_path, mask_url_credentials
from ntprofile.language.vocabulary import COMPONENT_CLASSES, COMPONENTS, STAGES, class_name
from ntprofile.layers import enabled_entries
from ntprofile.schema import CLIENT_REQUIRED, PACKAGED_SCHEMA, SECRET_INDEX, load, write_only_names
from ntprofile.schema.refine import (
    LOG_FILE_FORMAT_PATTERN,
    PLACEHOLDER_PATTERN,
    RATE_LIMIT_PATTERN,
    TRADER_ID_PATTERN,
    UUID_PATTERN,
)

if TYPE_CHECKING:  # the type only: importing layers/load at run time is already done above
    from jsonschema.exceptions import ValidationError

    from ntprofile.layers import Merged
    from ntprofile.loader import Document

SCHEMA_PATH = PACKAGED_SCHEMA
"""The packaged schema (a symlink to ``schemas/profile.schema.json`` in a checkout)."""

PLACEHOLDER_REF = "#/$defs/placeholder"
IGNORED_ROOTS = (("extends",),)
"""Keys another stage owns (``layers`` reports a bad ``extends`` as L004)."""

_PATTERN_TEXT = {
    TRADER_ID_PATTERN: "is not of the form NAME-TAG such as PROD-BINANCE-001: parts of ASCII letters, "
    "digits, '_' and '.' joined by single hyphens (NautilusTrader aborts on anything else)",
    RATE_LIMIT_PATTERN: "must be '<count>/<HH:MM:SS>' with a positive count and a non-zero interval, "
    "such as '100/00:00:01'",
    LOG_FILE_FORMAT_PATTERN: "is not a log file format: NautilusTrader writes JSON for 'json' and plain text "
    "for null (anything else falls back to plain text)",
    UUID_PATTERN: "must be a UUID4 such as 3f2c1e6a-8b5d-4c7e-9a1b-0d2e4f6a8c0b",
    PLACEHOLDER_PATTERN: "must be a placeholder such as ${NAME}",
}
_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


_REQUIRED_LEAF = {("profile",): ("profile", "stage"), ("node",): ("node", "trader_id")}
"""A missing section is reported as the key inside it that a target needs."""


class _Finding(NamedTuple):
    code: str
    path: tuple
    message: str
    hint: str | None = None


# ------------------------------------------------------------------ loading


def schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """A schema file (default: the packaged one), read once per process (``ntprofile.schema.load``)."""
    return load(path)


def repository_schema(root: Path) -> Path:
    """The schema ``validate`` holds a profiles root to (``releases.repository_schema``)."""
    from ntprofile.releases import repository_schema as of_root

    return of_root(root)


@cache
def _validators(path: Path = SCHEMA_PATH) -> tuple[Any, Any]:
    """(partial, target) validators, compiled once per schema file; the target reuses the root's resolver."""
    from jsonschema import Draft202012Validator

    partial = Draft202012Validator(schema(path))
    target = partial.evolve(schema=schema(path)["$defs"]["target"])
    return partial, target


@cache
def _section_validator(kind: str, section: str, path: Path = SCHEMA_PATH) -> Any:
    """The rules of one top-level section: the root's, plus (``kind == "target"``) what a target adds.

    A section's findings depend on its value alone (the root has no rule across
    sections), so ``_section_findings`` validates each distinct value once.
    """
    partial, _ = _validators(path)
    rules = _dereferenced(schema(path)["properties"][section], path)  # no pointer lookup per validation
    extra = schema(path)["$defs"]["target"].get("properties", {}).get(section) if kind == "target" else None
    return partial.evolve(schema={"allOf": [rules, extra]} if extra is not None else rules)


def _dereferenced(rules: dict[str, Any], path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """A subschema that is only ``{"$ref": "#/$defs/NAME"}`` replaced by that definition (what it means)."""
    defs = schema(path)["$defs"]
    while set(rules) == {"$ref"} and isinstance(rules["$ref"], str) and rules["$ref"].startswith("#/$defs/"):
        name = rules["$ref"].removeprefix("#/$defs/")
        if "/" in name or "~" in name or name not in defs:
            break
        rules = defs[name]
    return rules


@cache
def _shell_validator(kind: str, path: Path = SCHEMA_PATH) -> Any:
    """The root's own rules without the sections' contents: an object, no unknown key, required sections."""
    partial, _ = _validators(path)
    root = schema(path)
    shell: dict[str, Any] = {
        "type": "object",
        "properties": {name: True for name in root.get("properties", {})},
        "additionalProperties": root.get("additionalProperties", True),
    }
    if kind == "target":
        shell["required"] = root["$defs"]["target"].get("required", [])
    return partial.evolve(schema=shell)


_SECTION_FINDINGS: dict[tuple[Any, ...], list[_Finding]] = {}

_KEYED = frozenset({"type", "description", "patternProperties", "additionalProperties"})
"""The keywords of a section that is a mapping of independent entries (``exchanges``: client id -> section)."""

_Keyed = tuple[tuple[tuple[tuple["re.Pattern[str]", Any], ...], Any], ...]


@cache
def _keyed(kind: str, section: str, path: Path = SCHEMA_PATH) -> _Keyed | None:
    """Per rule set of the section (the root's, and what a target adds): its entries' patterns and the
    schema of any other entry; ``None`` when the section's rules are more than that (validated whole)."""
    rules = [_dereferenced(schema(path)["properties"][section], path)]
    extra = schema(path)["$defs"]["target"].get("properties", {}).get(section) if kind == "target" else None
    rules += [extra] if extra is not None else []
    out = []
    for rule in rules:
        if not isinstance(rule, dict) or not set(rule) <= _KEYED or rule.get("type", "object") != "object":
            return None
        patterns = tuple((re.compile(p), sub) for p, sub in rule.get("patternProperties", {}).items())
        other = rule.get("additionalProperties", True)
        if other is False or any(sub is False for _, sub in patterns):
            return None
        out.append((patterns, other))
    return tuple(out)


_ENTRY_VALIDATORS: dict[tuple[int, ...], Any] = {}
"""The validator of the subschemas that apply to an entry, by their ``id`` (they live as long as their
schema file, which ``load`` keeps for the process)."""


def _section_findings(kind: str, section: str, value: Any, path: Path = SCHEMA_PATH) -> list[_Finding]:
    """The findings of one section value, computed once per distinct value (``repr`` keeps types apart).

    A mapping of independent entries is validated entry by entry, each distinct entry once
    (the same client section in a layer and in every target merging it costs one validation).
    """
    keyed = _keyed(kind, section, path)
    if keyed is not None and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return [f for name, entry in value.items() for f in _entry_findings(keyed, section, name, entry, path)]
    key = (path, kind, section, repr(value))
    found = _SECTION_FINDINGS.get(key)
    if found is None:
        found = _SECTION_FINDINGS[key] = _findings(_section_validator(kind, section, path), value, (section,))
    return found


def _entry_findings(keyed: _Keyed, section: str, name: str, entry: Any, path: Path) -> list[_Finding]:
    """The findings of the entry ``name`` of a keyed section: what JSON Schema applies to it (every
    matching pattern's schema, else the schema of other entries), in each rule set."""
    subs = []
    for patterns, other in keyed:
        matched = [sub for pattern, sub in patterns if pattern.search(name)]
        subs += [sub for sub in matched or [other] if sub is not True and sub != {}]
    if not subs:
        return []
    ids = tuple(id(sub) for sub in subs)
    key = (ids, section, name, repr(entry))
    found = _SECTION_FINDINGS.get(key)
    if found is None:
        validator = _ENTRY_VALIDATORS.get(ids)
        if validator is None:
            partial, _ = _validators(path)
            validator = _ENTRY_VALIDATORS[ids] = partial.evolve(schema=subs[0] if len(subs) == 1 else {"allOf": subs})
        found = _SECTION_FINDINGS[key] = _findings(validator, entry, (section, name))
    return found


def _tree_findings(kind: str, tree: Any, path: Path = SCHEMA_PATH) -> list[_Finding]:
    """Every schema finding of a profile tree, the same as validating it whole, section by section.

    Targets share most of their sections (the layers' values), so with one
    cache per process a thousand targets cost about as many validations as
    they have distinct sections, not a full validation each.
    """
    if not isinstance(tree, dict):
        partial, target = _validators(path)
        return _findings(target if kind == "target" else partial, tree)
    out = _findings(_shell_validator(kind, path), tree)
    known = schema(path).get("properties", {})
    for section, value in tree.items():
        if section in known and (section,) not in IGNORED_ROOTS:
            out += _section_findings(kind, section, value, path)
    return out


@cache
def secret_fields(path: Path = SCHEMA_PATH) -> frozenset[str]:
    """Every property name the schema marks ``writeOnly`` (secret beyond the name rule): its index
    when it has one (every generated schema does), else found by a walk (a hand-made schema)."""
    root = schema(path)
    index = root.get(SECRET_INDEX)
    if isinstance(index, list) and all(isinstance(name, str) for name in index):
        return frozenset(index)
    return frozenset(write_only_names(root))


# ------------------------------------------------------------------- passes


def check_document(doc: Document, path: Path = SCHEMA_PATH) -> list[Diagnostic]:
    """One file alone, as a partial profile: every key known, every value well-typed."""
    return [_diagnostic(f, doc.position(f.path)) for f in _tree_findings("partial", doc.tree, path)]


def check_merged(merged: Merged, path: Path = SCHEMA_PATH) -> list[Diagnostic]:
    """A merged target: the partial rules plus stage, trader_id and an enabled exchange.

    Each error points at the file:line of the layer that set the offending
    value; a missing required key points at the target file itself.
    """
    target_doc = merged.chain[-1] if merged.chain else None
    out = []
    for f in _tree_findings("target", merged.tree, path):
        if f.code == "V004" and f.path[:1] == ("exchanges",) and len(f.path) == 3:
            settings = merged.provenance.get(f.path[:2])  # where the client is defined, once for every target
            pos = settings[0].pos if settings else _target_position(target_doc, f.path[:-1])
        elif f.code == "V004":  # nothing set it: point at the target file
            pos = _target_position(target_doc, f.path[:-1])
        else:
            pos = merged.origin(f.path) or _target_position(target_doc, ())
        out.append(_diagnostic(f, pos))
    exchanges = merged.tree.get("exchanges")
    if isinstance(exchanges, dict) and exchanges and not enabled_entries(exchanges):
        f = _Finding(
            "V004", ("exchanges",), "a target needs at least one enabled exchange (every one is enabled: false)"
        )
        out.append(_diagnostic(f, merged.origin(("exchanges",)) or _target_position(target_doc, ())))
    unknown = unknown_component_classes(merged, path)
    refused = {d.key for d in unknown}  # a config class that is not there: V103 says so, not also V104
    uncovered = [d for d in uncovered_components(merged, path) if d.key not in refused]
    return out + missing_client_fields(merged, path) + uncovered + unknown


def missing_client_fields(merged: Merged, path: Path = SCHEMA_PATH) -> list[Diagnostic]:
    """V004: a client the target runs lacks a field its config class cannot be built without (``CLIENT_REQUIRED``),
    as ``compile`` would report it; credentials are the secrets checks' (S012, S013)."""
    index = schema(path).get(CLIENT_REQUIRED)
    out = []
    for client_id, section in enabled_entries(merged.tree.get("exchanges")).items():
        adapter = adapter_of(client_id, section)
        kinds = index.get(adapter.name) if adapter is not None and isinstance(index, dict) else None
        if not isinstance(kinds, dict):
            continue
        for kind in clients_of(adapter, section):
            own = section.get(kind)
            own = own if isinstance(own, dict) else {}
            fields = kinds.get(kind)
            for field in fields if isinstance(fields, list) else ():
                if not isinstance(field, str) or adapter.credential(field) is not None:
                    continue  # a credential is the secrets checks'
                if field in own or field in section:
                    continue  # a null is the schema's V002: no field listed here takes one
                where = ("exchanges", client_id, field)
                out.append(
                    Diagnostic(
                        "V004",
                        f"missing required key '{field}' of {class_name(adapter.client(kind).config)}",
                        merged.origin(where),
                        key_path(where),
                        f"NautilusTrader builds no {adapter.name} {kind} client without it",
                    )
                )
    return out


COMPONENT_INDEX = "x-components"
"""The schema's index of the component config classes it covers (``schema.generate`` writes it)."""


def uncovered_components(merged: Merged, path: Path = SCHEMA_PATH) -> list[Diagnostic]:
    """V104 (warning): a component whose config class the schema does not cover, so its config is unchecked here."""
    covered = schema(path).get(COMPONENT_INDEX, {})
    out = []
    for section, kind in COMPONENTS.items():
        for name, entry in enabled_entries(merged.tree.get(section)).items():
            config_path = entry.get("config_path") if isinstance(entry, dict) else None
            if not isinstance(config_path, str) or config_path in covered:
                continue
            where = (section, name, "config_path")
            out.append(
                Diagnostic(
                    "V104",
                    f"the schema does not cover {config_path}, so a typo or wrong type in its config is found "
                    "only by compile or check",
                    merged.origin(where),
                    key_path(where),
                    "run `ntprofile schema` in this repository where the class imports, and commit "
                    "schemas/profile.schema.json",
                    severity="warning",
                )
            )
    return out


def unknown_component_classes(merged: Merged, path: Path = SCHEMA_PATH) -> list[Diagnostic]:
    """V103: a component or config class its module does not have (or has, of another kind), where the
    repository's schema lists that module's classes; found without importing NautilusTrader."""
    modules = schema(path).get(COMPONENT_CLASSES, {})
    out = []
    for section, kind in COMPONENTS.items():
        for name, entry in enabled_entries(merged.tree.get(section)).items():
            for field, role, label in ((kind.path_field, "class", kind.noun), ("config_path", "config", "config")):
                class_path = entry.get(field)
                if not isinstance(class_path, str) or class_path.count(":") != 1:
                    continue
                module_name, _, attr = class_path.partition(":")
                known = modules.get(module_name, {}).get(section, {}).get(role)
                if known is None or attr in known:
                    continue
                match = closest(attr, known)
                where = (section, name, field)
                out.append(
                    Diagnostic(
                        "V103",
                        f"module '{module_name}' has no {label} class '{attr}' (it has: {_listed(known)})",
                        merged.origin(where),
                        key_path(where),
                        f"did you mean '{module_name}:{match}'?" if match else None,
                    )
                )
    return out


def _listed(names: list[str], most: int = 8) -> str:
    shown = ", ".join(names[:most]) or "none"
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _target_position(doc: Document | None, path: tuple) -> Position | None:
    return doc.position(path) if doc is not None else None


def _diagnostic(f: _Finding, pos: Position | None) -> Diagnostic:
    return Diagnostic(f.code, f.message, pos, key=key_path(f.path) or None, hint=f.hint)


# ------------------------------------------------------------ error mapping


def _findings(validator: Any, tree: Any, prefix: tuple = ()) -> list[_Finding]:
    """The findings of validating ``tree``, which sits at ``prefix`` in the profile."""
    out: dict[_Finding, None] = {}  # ordered and de-duplicated
    for error in validator.iter_errors(tree):
        for finding in _convert(error, prefix + tuple(error.absolute_path), prefix):
            if finding.path[:1] not in IGNORED_ROOTS:
                out[finding] = None
    return list(out)


def _earlier_name(path: tuple) -> str | None:
    """A 1.x key in a repository of a later line: the migration table says what it became."""
    from ntprofile.releases import DEFAULT, active

    if active() is DEFAULT:
        return None
    from ntprofile.migrate.plan import earlier_name

    return earlier_name(tuple(str(p) for p in path))


def _convert(error: ValidationError, path: tuple, prefix: tuple = ()) -> Iterable[_Finding]:
    """One jsonschema error (at ``path``; the instance validated sits at ``prefix``) -> the findings to read."""
    kind = error.validator
    value = error.instance
    secret = is_secret_path(path)
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        for key in value if isinstance(value, dict) else ():
            if key in allowed or _matches_any(key, patterns):
                continue
            hint = _earlier_name(path + (key,)) or did_you_mean(str(key), allowed) or _other_section(str(key), path)
            yield _Finding("V001", path + (key,), f"unknown key '{key}'", hint)
        return
    if kind == "required":
        for key in error.validator_value:
            if isinstance(value, dict) and key not in value:
                missing = _REQUIRED_LEAF.get(path + (key,), path + (key,))
                yield _Finding("V004", missing, _required_message(missing))
        return
    if kind in ("anyOf", "oneOf"):
        yield from _convert_branches(error, path, prefix)
        return
    if kind == "type":
        expected = error.validator_value
        hint = brace_hint(value) or _bool_hint(value, [expected] if isinstance(expected, str) else expected)
        yield _Finding("V002", path, f"expected {_types(expected)}, got {_got(value, path)}", hint)
        return
    shown = "the value" if secret else _show(value)
    if kind == "enum" and path[-1:] == ("adapter",) and isinstance(value, str) and value in UNSUPPORTED:
        yield _Finding("V006", path, unsupported_message(value), unsupported_hint())
        return
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        shown_choices = ", ".join(c for c in choices if not (c.islower() and c.upper() in choices))
        if _json_type(value) not in {_json_type(c) for c in error.validator_value}:
            types = sorted({_json_type(c) for c in error.validator_value})
            hint = _bool_hint(value, types)
            yield _Finding(
                "V002", path, f"expected {_types(types)} (one of {shown_choices}), got {_got(value, path)}", hint
            )
            return
        hint = None if secret else did_you_mean(str(value), choices)
        yield _Finding("V003", path, f"{shown} is not one of {shown_choices}", hint)
    elif kind == "const":
        yield _Finding("V003", path, f"{shown} must be {_show(error.validator_value)}")
    elif kind == "pattern":
        yield _pattern_finding(error.validator_value, value, shown, path)
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        yield _Finding("V003", path, f"{shown} {_bound_text(error)}")
    elif kind == "minProperties":
        yield _Finding("V003", path, f"needs at least {error.validator_value} entries")
    else:  # a keyword the schema does not use today: still one line, no value
        yield _Finding("V003", path, f"invalid value (fails '{kind}')")


_PATTERN_HINTS = {LOG_FILE_FORMAT_PATTERN: "write json, or null for plain text"}


def _pattern_finding(pattern: str, value: Any, shown: str, path: tuple) -> _Finding:
    """V003 for a string that fails a pattern: what the form is, and the precise reason where one is known."""
    text = _PATTERN_TEXT.get(pattern, f"must match {pattern}")
    if pattern == RATE_LIMIT_PATTERN and isinstance(value, str) and prechecks.RATE_LIMIT.match(value):
        problem = prechecks.rate_limit_problem(value)  # the form is right: say which part is not
        if problem is not None:
            return _Finding("V003", path, problem, "such as '100/00:00:01'")
    return _Finding("V003", path, f"{shown} {text}", _PATTERN_HINTS.get(pattern))


def _convert_branches(error: ValidationError, path: tuple, prefix: tuple = ()) -> Iterable[_Finding]:
    """``anyOf``: explain the branch the user meant, not all of them.

    The placeholder, ``null`` and ``false`` branches are alternatives, never
    what was meant when they fail; a branch whose type matches the value is
    what was meant (report why it failed); when none matches, one V002 lists
    the accepted types.
    """
    branches = error.validator_value
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    value = error.instance
    for index, branch in enumerate(branches):
        if _is_alternative(branch):
            continue
        errors = by_branch.get(index, [])
        if errors and not any(_is_own_type_error(e, error) for e in errors):
            for sub in errors:
                yield from _convert(sub, prefix + tuple(sub.absolute_path), prefix)
            return
    accepted = _branch_types(branches)
    hint = brace_hint(value) or _bool_hint(value, accepted)
    yield _Finding("V002", path, f"expected {_types(accepted)}, got {_got(value, path)}", hint)


def _bool_hint(value: Any, expected: Iterable[str]) -> str | None:
    """For a boolean where text is expected: YAML 1.1 read an unquoted word (``OFF``) as one."""
    if not isinstance(value, bool) or "string" not in expected:
        return None
    words, example = ("ON, YES and TRUE", "ON") if value else ("OFF, NO and FALSE", "OFF")
    return f"YAML reads unquoted {words} as {str(value).lower()}; quote the value: '{example}'"


def _is_alternative(branch: dict[str, Any]) -> bool:
    return branch.get("$ref") == PLACEHOLDER_REF or branch.get("type") == "null" or branch.get("const") is False


def _is_own_type_error(sub: ValidationError, parent: ValidationError) -> bool:
    """A type mismatch of the branch itself (not of something inside it)."""
    return sub.validator in ("type", "const") and len(sub.absolute_path) == len(parent.absolute_path)


def _branch_types(branches: list[dict[str, Any]]) -> list[str]:
    accepted: list[str] = []
    refs = schema()["$defs"]
    for branch in branches:
        if branch.get("$ref") == PLACEHOLDER_REF:
            name = "a ${VAR} placeholder"
        elif "$ref" in branch:
            target = refs.get(branch["$ref"].rsplit("/", 1)[-1], {})
            name = target.get("type", "string" if "enum" in target else "value")
        elif branch.get("const") is False:
            name = "false"
        elif "type" in branch:
            name = branch["type"] if isinstance(branch["type"], str) else " or ".join(branch["type"])
        elif "enum" in branch:
            name = "string"
        else:
            name = "value"
        if name not in accepted:
            accepted.append(name)
    return accepted


def _types(expected: Any) -> str:
    """``integer`` / ``integer or null`` / ``integer, null or a ${VAR} placeholder``."""
    names = [str(expected)] if isinstance(expected, str) else [str(n) for n in expected]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _json_type(value: Any) -> str:
    for py, name in _JSON_TYPES.items():
        if type(value) is py:
            return name
    return type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else f"'{mask_url_credentials(value)}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _got(value: Any, path: tuple) -> str:
    """What a V002 found: the type, and a scalar as written (``string 'ten'``) so the line need not be looked up.

    A secret field's value prints as ``***``; a mapping or list is named by its
    type only (it may hold secrets of its own, and would not fit on one line).
    """
    kind = _json_type(value)
    if value is None or isinstance(value, (dict, list)):
        return kind
    return f"{kind} {MASK if is_secret_path(path) else _show(value)}"


def _bound_text(error: ValidationError) -> str:
    bound = error.validator_value
    return {
        "minimum": f"is below the minimum {bound}",
        "exclusiveMinimum": f"must be greater than {bound}",
        "maximum": f"is above the maximum {bound}",
        "exclusiveMaximum": f"must be less than {bound}",
    }[error.validator]


def _required_message(path: tuple) -> str:
    reasons = {
        ("profile", "stage"): f"a target needs profile.stage ({', '.join(STAGES[:-1])} or {STAGES[-1]})",
        ("node", "trader_id"): "a target needs node.trader_id (NAME-TAG, unique per node)",
        ("exchanges",): "a target needs at least one exchange",
    }
    if path in reasons:
        return reasons[path]
    if len(path) == 3 and path[0] == "exchanges" and path[2] == "adapter":
        return f"client id '{path[1]}' names no adapter: set adapter"
    return f"missing required key '{path[-1]}'"


_BRACED = re.compile(r"(?<![$\w]){([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}")


def brace_hint(value: Any) -> str | None:
    """``did you mean '${VAR}'?`` for ``{VAR}`` written without its ``$`` (YAML reads a bare one as a mapping)."""
    if isinstance(value, dict) and len(value) == 1:
        ((name, inner),) = value.items()
        if inner is None and isinstance(name, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(:-.*)?", name):
            return f'did you mean "${{{name}}}"?; YAML reads a bare {{{name}}} as a mapping'
    if isinstance(value, str):
        match = _BRACED.search(value)
        if match:
            return f"did you mean '${match.group(0)}'?"
    return None


@cache
def _section_fields() -> dict[str, list[str]]:
    """Field name -> the top-level sections that have it (from the packaged schema)."""
    defs = schema()["$defs"]
    found: dict[str, list[str]] = {}
    for section, prop in schema()["properties"].items():
        refs = [prop] + list(prop.get("anyOf", []))
        for ref in refs:
            target = defs.get(str(ref.get("$ref", "")).rsplit("/", 1)[-1], {})
            for field in target.get("properties", {}) if isinstance(target, dict) else ():
                found.setdefault(field, []).append(section)
    return found


def _other_section(key: str, path: tuple) -> str | None:
    """``did you mean `logging.log_file_format`?`` for a key written in the wrong section (or at the top)."""
    if len(path) > 1:
        return None
    sections = [s for s in _section_fields().get(key, []) if (s,) != path]
    if not sections:
        return None
    return "it belongs to another section: did you mean " + " or ".join(f"`{s}.{key}`" for s in sections) + "?"


def _matches_any(key: str, patterns: dict[str, Any]) -> bool:
    return any(re.search(p, key) for p in patterns)
