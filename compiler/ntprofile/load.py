"""Stage 1, ``load``: a YAML or TOML file becomes a ``Document``.

A ``Document`` is the plain tree (dicts, lists, scalars) plus the file:line:col
of every key, so that every later stage can say *where* a value came from.
Nothing here ever constructs an arbitrary Python object: YAML is composed into
nodes (PyYAML's C parser where available) and only the standard scalar tags are
built, with bounds on alias expansion and nesting depth.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ntprofile.diagnostics import Diagnostic, Position, key_path

try:  # the C parser is several times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32
"""Deepest nesting accepted; a real profile is rarely deeper than six."""

MAX_NODES = 20_000
"""Most values one file may expand to, aliases included (stops 'billion laughs')."""

Path_ = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML_TAG}{t}" for t in ("null", "bool", "int", "float", "str", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded profile file.

    Parameters
    ----------
    name : str
        The layer name relative to the profiles root without extension
        (``env/production``), or the file path for a file outside it.
    path : Path
        The file.
    tree : dict
        The file's mapping, plain Python values only.
    positions : dict[tuple, Position]
        The position of every key (and list item) by its key path; ``()`` is the
        start of the file.

    """

    name: str
    path: Path
    tree: dict[str, Any]
    positions: dict[Path_, Position]

    def position(self, path: Path_) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        return _nearest(self.positions, path) or Position(str(self.path))


class LoadError(Exception):
    """A file cannot be loaded; carries the one diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.render())
        self.diagnostic = diagnostic


def load_file(path: Path, name: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Load one profile file; never raises for bad content."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic("Y001", f"cannot read file: {exc.strerror or exc}", Position(file))]
    return load_bytes(raw, path, name)


def load_bytes(raw: bytes, path: Path, name: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Load profile content already read (from disk or a git revision)."""
    file = str(path)
    name = name if name is not None else file
    try:
        text = _decode(raw, file)
        if path.suffix == ".toml":
            tree, positions = _load_toml(text, file)
        else:
            tree, positions = _load_yaml(text, file)
        if not isinstance(tree, dict):
            kind = "empty" if tree is None else type(tree).__name__
            raise LoadError(
                Diagnostic("Y006", f"a profile must be a mapping of keys to values, this file is {kind}", Position(file))
            )
        _check_depth(tree, file, positions)
    except LoadError as exc:
        return None, [exc.diagnostic]
    return Document(name, path, tree, positions), []


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            Diagnostic("Y002", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", Position(file, line, col))
        ) from None
    return text.removeprefix("\ufeff")


# --------------------------------------------------------------------- YAML


def _load_yaml(text: str, file: str) -> tuple[Any, dict[Path_, Position]]:
    tab = _tab_indent(text)
    if tab:
        raise LoadError(
            Diagnostic("Y004", "tab character in indentation; YAML indents with spaces", Position(file, *tab))
        )
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file)
        problem = (exc.problem or exc.context or "syntax error").strip()
        raise LoadError(Diagnostic("Y003", f"YAML syntax error: {problem}", pos)) from None
    except yaml.YAMLError as exc:
        raise LoadError(Diagnostic("Y003", f"YAML syntax error: {exc}", Position(file))) from None
    if root is None:
        return None, {}
    builder = _YamlBuilder(file)
    tree = builder.build(root, (), 0)
    return tree, builder.positions


def _tab_indent(text: str) -> tuple[int, int] | None:
    """The line and column of a tab inside leading indentation, if any."""
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return lineno, len(line) - len(stripped) + 1
    return None


class _YamlBuilder:
    """Turns composed YAML nodes into plain values, recording positions."""

    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path_, Position] = {(): Position(file, 1, 1)}
        self.count = 0

    def _pos(self, node: yaml.Node) -> Position:
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(
                Diagnostic(
                    "Y008",
                    f"the file expands to more than {MAX_NODES} values (aliases expanding without bound?)",
                    self._pos(node),
                )
            )
        if depth > MAX_DEPTH:
            raise LoadError(Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", self._pos(node)))
        tag = node.tag or ""
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, f"{_YAML_TAG}map")
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, f"{_YAML_TAG}seq")
            items = []
            for i, item in enumerate(node.value):
                self.positions.setdefault(path + (i,), self._pos(item))
                items.append(self.build(item, path + (i,), depth + 1))
            return items
        if tag not in _SCALAR_TAGS:
            self._check_tag(node, "")
        if tag == f"{_YAML_TAG}timestamp":
            return node.value  # dates stay text: NautilusTrader parses its own
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise LoadError(
                Diagnostic(
                    "Y007",
                    f"YAML tag '{node.tag}' is not allowed; profiles hold plain data only",
                    self._pos(node),
                )
            )

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_YAML_TAG}merge":
                raise LoadError(
                    Diagnostic(
                        "Y007",
                        "YAML merge keys ('<<') are not supported; share values with 'extends'",
                        self._pos(key_node),
                    )
                )
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_YAML_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise LoadError(
                    Diagnostic(
                        "Y010",
                        f"key {shown!r} is not a string; quote it",
                        self._pos(key_node),
                    )
                )
            key = key_node.value
            if key in out:
                first = self.positions[path + (key,)]
                raise LoadError(
                    Diagnostic(
                        "Y005",
                        f"duplicate key '{key}' (first defined at line {first.line})",
                        self._pos(key_node),
                        key=key_path(path + (key,)),
                    )
                )
            self.positions[path + (key,)] = self._pos(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


# --------------------------------------------------------------------- TOML

_TOML_ERR = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_EOF = re.compile(r"\(at end of document\)")


def _load_toml(text: str, file: str) -> tuple[Any, dict[Path_, Position]]:
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        match = _TOML_ERR.search(msg)
        if match:
            pos = Position(file, int(match.group(1)), int(match.group(2)))
        elif _TOML_EOF.search(msg):
            pos = Position(file, text.count("\n") + 1, 1)
        else:
            pos = Position(file)
        problem = _TOML_ERR.sub("", _TOML_EOF.sub("", msg)).strip()
        code = "Y005" if "overwrite" in problem.lower() else "Y003"
        raise LoadError(Diagnostic(code, f"TOML syntax error: {problem}", pos)) from None
    return tree, _toml_positions(text, file, tree)


_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE = re.compile(rf"^\s*\[\s*({_DOTTED_KEY})\s*\]")
_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*({_DOTTED_KEY})\s*\]\]")
_ASSIGN = re.compile(rf"({_DOTTED_KEY})\s*=")


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(_KEY_PART, dotted)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _toml_positions(text: str, file: str, tree: dict) -> dict[Path_, Position]:
    """Key positions for TOML, which ``tomllib`` does not report.

    ``tomllib`` decides the values; this scanner only finds where each key is
    written: table headers, ``key = value`` lines and keys of inline tables.
    """
    positions: dict[Path_, Position] = {(): Position(file, 1, 1)}
    prefix: tuple[str | int, ...] = ()
    array_counts: dict[tuple, int] = {}
    lines = text.splitlines()
    multiline: str | None = None
    depth = 0
    for lineno, line in enumerate(lines, 1):
        if multiline:
            if multiline in line:
                multiline = None
            continue
        if depth > 0:  # inside a multi-line array or inline table value
            depth += _bracket_balance(line)
            continue
        match = _ARRAY_TABLE.match(line)
        if match:
            base = tuple(_split_key(match.group(1)))
            index = array_counts.get(base, -1) + 1
            array_counts[base] = index
            prefix = base + (index,)
            positions.setdefault(base, Position(file, lineno, line.index("[") + 1))
            positions[prefix] = Position(file, lineno, line.index("[") + 1)
            continue
        match = _TABLE.match(line)
        if match:
            prefix = tuple(_split_key(match.group(1)))
            col = line.index("[") + 1
            for i in range(1, len(prefix) + 1):
                positions.setdefault(prefix[:i], Position(file, lineno, col))
            continue
        match = re.match(rf"^(\s*)({_DOTTED_KEY})\s*=(.*)$", line)
        if not match:
            continue
        col = len(match.group(1)) + 1
        key = prefix + tuple(_split_key(match.group(2)))
        for i in range(len(prefix) + 1, len(key) + 1):
            positions.setdefault(key[:i], Position(file, lineno, col))
        rest = match.group(3)
        for quote in ('"""', "'''"):
            if rest.count(quote) == 1:
                multiline = quote
        if rest.lstrip().startswith("{"):
            for sub in _ASSIGN.finditer(rest):
                sub_key = key + tuple(_split_key(sub.group(1)))
                positions.setdefault(sub_key, Position(file, lineno, len(line) - len(rest) + sub.start() + 1))
        depth = max(0, _bracket_balance(rest))
    return positions


def _bracket_balance(text: str) -> int:
    text = re.sub(_QUOTED_KEY, "", text.split("#", 1)[0] if '"' not in text else text)
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


# --------------------------------------------------------------------- shared


def _check_depth(tree: Any, file: str, positions: dict[Path_, Position], path: Path_ = ()) -> None:
    stack: list[tuple[Any, Path_]] = [(tree, path)]
    while stack:
        value, here = stack.pop()
        if len(here) > MAX_DEPTH:
            pos = _nearest(positions, here) or Position(file)
            raise LoadError(Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", pos))
        if isinstance(value, dict):
            stack.extend((v, here + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, here + (i,)) for i, v in enumerate(value))


def _nearest(positions: dict[Path_, Position], path: Path_) -> Position | None:
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path)
