"""Stage 1, ``load``: a YAML or TOML file becomes a ``Document``.

A ``Document`` is the plain tree (dicts, lists, scalars) plus the file:line:col
of every key, so that every later stage can say *where* a value came from.
Nothing here ever constructs an arbitrary Python object: YAML is composed into
nodes (PyYAML's C parser where available) and only the standard scalar tags are
built, with bounds on alias expansion and nesting depth. Every problem with a
file's content is a ``Y`` diagnostic, never an exception.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ntprofile.diagnostics import Diagnostic, Position, key_path
from ntprofile.files import FileTooLarge, read_bounded
from ntprofile.language.tree import Path_, nearest
from ntprofile.loader import toml_scan

try:  # the C parser is several times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32
"""Deepest nesting accepted; a real profile is rarely deeper than six."""

MAX_NODES = 20_000
"""Most values one file may expand to, aliases included (stops 'billion laughs')."""

MAX_FILE_BYTES = 1 << 20
"""Largest profile file read (1 MiB); the shipped ones are a few hundred bytes."""

PROFILE = "a profile"
"""What a profile file is, in ``FileTooLarge``'s message."""

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML_TAG}{t}" for t in ("null", "bool", "int", "float", "str", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class Document(NamedTuple):
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
    comments: tuple[tuple[int, int, str], ...] = ()
    """``(line, col, text)`` of every ``#`` comment (YAML and TOML), for the rule on keys pasted into comments."""

    def position(self, path: Path_) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        return nearest(self.positions, path) or Position(str(self.path))


class LoadError(Exception):
    """A file cannot be loaded; carries the diagnostics that say why."""

    def __init__(self, *diagnostics: Diagnostic):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = list(diagnostics)


def read_profile_bytes(path: Path | str) -> bytes:
    """The bytes of a profile file: a regular file of at most ``MAX_FILE_BYTES`` (``files.read_bounded``)."""
    return read_bounded(path, MAX_FILE_BYTES, PROFILE)


def load_file(path: Path, name: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Load one profile file; never raises for bad content."""
    try:
        raw = read_profile_bytes(path)
    except OSError as exc:
        return None, [unreadable(path, exc)]
    return load_bytes(raw, path, name)


def unreadable(path: Path, exc: OSError) -> Diagnostic:
    """Y001 for a file that cannot be read (missing, a FIFO, no permission), Y011 for one too large."""
    if isinstance(exc, FileTooLarge):
        return Diagnostic("Y011", str(exc.strerror), Position(str(path)))
    return Diagnostic("Y001", f"cannot read file: {exc.strerror or exc}", Position(str(path)))


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
            raise LoadError(
                Diagnostic(
                    "Y006",
                    f"a profile must be a mapping of keys to values, this file is {_kind(tree)}",
                    positions.get((), Position(file)),
                )
            )
        _check_depth(tree, file, positions)
        _check_keys(tree, file, positions)
    except LoadError as exc:
        return None, exc.diagnostics
    return Document(name, path, tree, positions, comments(text)), []


def comments(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every ``#`` comment of a YAML or TOML text: a ``#`` outside quotes, at a line's start or after a space."""
    if "#" not in text:
        return ()
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if "#" not in line:
            continue
        quote = ""
        for index, char in enumerate(line):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                found.append((number, index + 1, line[index + 1 :]))
                break
    return tuple(found)


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise LoadError(
            Diagnostic("Y002", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", Position(file, line, col))
        ) from None
    return text.removeprefix("\ufeff")


# --------------------------------------------------------------------- YAML


_DIRECTIVE = re.compile(r"%YAML[ \t]+(\S+)")


def _check_directive(text: str, file: str) -> None:
    """Refuse a ``%YAML`` directive other than 1.1: PyYAML reads YAML 1.1 whatever the file declares.

    Under 1.2 ``no``, ``off``, ``yes`` and ``on`` are strings; PyYAML would
    still read them as booleans, so a file asking for 1.2 would silently mean
    something else than its author wrote.
    """
    for lineno, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _DIRECTIVE.match(line)
        if match is None:
            if stripped.startswith("%"):
                continue  # another directive (%TAG): tags are refused where they are used
            return
        if match.group(1) != "1.1":
            raise LoadError(
                Diagnostic(
                    "Y012",
                    f"the file declares %YAML {match.group(1)}; ntprofile reads YAML 1.1, where unquoted "
                    "no/off/yes/on are booleans, not strings",
                    Position(file, lineno, 1),
                    hint="remove the directive, and quote any such value that is meant as text",
                )
            )


def _load_yaml(text: str, file: str) -> tuple[Any, dict[Path_, Position]]:
    _check_directive(text, file)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(_yaml_error(text, file, exc)) from None
    except yaml.reader.ReaderError as exc:  # a control character or bad encoding
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise LoadError(
            Diagnostic(
                "Y003",
                f"YAML syntax error: character {exc.character!r} is not allowed ({exc.reason})",
                Position(file, line, col),
            )
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above carries a mark
        raise LoadError(Diagnostic("Y003", f"YAML syntax error: {_one_line(str(exc))}", Position(file))) from None
    if root is None:
        return None, {(): Position(file, 1, 1)}
    builder = _YamlBuilder(file)
    tree = builder.build(root, (), 0)
    if builder.errors:
        raise LoadError(*builder.errors)
    return tree, builder.positions


def _yaml_error(text: str, file: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """A parser error as one diagnostic: tabs (Y004) and nesting (Y009) by their own codes."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = _one_line(exc.problem or "")
    context = _one_line(exc.context or "")
    lines = text.split("\n")
    for lineno in (line, line - 1):  # libyaml stops on the tab's line, rarely one later
        if 1 <= lineno <= len(lines):
            tab = _tab_in_indent(lines[lineno - 1])
            if tab:
                return Diagnostic(
                    "Y004", "tab character in indentation; YAML indents with spaces", Position(file, lineno, tab)
                )
    if "nesting depth" in problem:
        return Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", Position(file, line, col))
    message = f"{context}: {problem}" if context and problem else problem or context or "syntax error"
    if problem in _INDENTATION_PROBLEMS and 1 <= line <= len(lines):
        explained = _indentation(lines, line)
        if explained is not None:
            at, why = explained
            indent = len(lines[at - 1]) - len(lines[at - 1].lstrip(" "))
            return Diagnostic(
                "Y003", f"YAML indentation error: {why} (PyYAML: {problem})", Position(file, at, indent + 1)
            )
    return Diagnostic("Y003", f"YAML syntax error: {message}", Position(file, line, col))


_INDENTATION_PROBLEMS = ("mapping values are not allowed in this context", "did not find expected key")
"""What PyYAML says when a line's indentation is off (it names neither the line nor the indentation)."""


def _content(line: str) -> str:
    """A line without its comment and surrounding blanks (quotes are rare on these lines: ignored)."""
    at = line.find(" #")
    return (line if at < 0 else line[:at]).strip()


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def _indentation(lines: list[str], number: int) -> tuple[int, str] | None:
    """Which line's indentation is off and what was expected, read from the lines above it.

    The open levels are the indentations of the keys above that are still
    enclosing; a line may start at one of them, or one level deeper right after
    a key that opens a block (``cache:``). Returns the line to fix and why: the
    line PyYAML stops at is sometimes right and a line above it wrong (see
    ``_unindented_block``).
    """
    bad = lines[number - 1]
    indent = len(bad) - len(bad.lstrip(" "))
    levels: list[int] = []
    seen: list[tuple[int, int, str]] = []  # (line number, indent, content) of every content line above
    previous: tuple[int, int, str] | None = None
    for index in range(number - 1):
        text = lines[index]
        content = _content(text)
        if not content or content.startswith("#") or content in ("---", "..."):
            continue
        here = len(text) - len(text.lstrip(" "))
        while levels and levels[-1] > here:
            levels.pop()
        if not levels or levels[-1] < here:
            levels.append(here)
        if content.startswith("- "):
            levels.append(here + 2)
        previous = (index + 1, here, content)
        seen.append(previous)
    if previous is None:
        return None
    prev_line, prev_indent, prev_content = previous
    opens = prev_content.endswith(":")
    if indent > prev_indent and not opens:
        unindented = _unindented_block(seen, indent)
        if unindented is not None:
            return unindented
        return number, (
            f"line {number} is indented {_spaces(indent)}, deeper than line {prev_line} ('{prev_content[:40]}'), "
            f"which holds a value and opens no block; expected {prev_indent} spaces like line {prev_line}"
        )
    if indent not in levels and not (opens and indent > prev_indent):
        below = [n for n in levels if n < indent][-1:]
        above = [n for n in levels if n > indent][:1] if not opens else [prev_indent + 2]
        expected = " or ".join(str(n) for n in below + above) or "0"
        return number, (
            f"line {number} is indented {_spaces(indent)}, which lines up with no key above it; "
            f"expected {expected} spaces"
        )
    return None


def _unindented_block(seen: list[tuple[int, int, str]], indent: int) -> tuple[int, str] | None:
    """The first line of a block written at its key's own indentation, when the line after it is right.

    ``BINANCE:`` followed by ``api_key: x`` at the same indentation parses (an
    empty ``BINANCE``); PyYAML stops only at the next line, ``api_secret``,
    correctly indented deeper. The line to fix is the first one under the empty
    key: ``seen`` ends with lines at one indentation, the first of them right
    after a key at that indentation that opens a block.
    """
    last, level, _ = seen[-1]
    first = len(seen) - 1
    while first > 0 and seen[first - 1][1] == level and not seen[first - 1][2].endswith(":"):
        first -= 1
    if first == 0 or indent <= level:
        return None
    key_line, key_indent, key_content = seen[first - 1]
    if key_indent != level or not key_content.endswith(":"):
        return None
    line, _, content = seen[first]
    through = f" (through line {last})" if last != line else ""
    return line, (
        f"line {line} ('{content[:40]}') is indented {_spaces(level)} like line {key_line} ('{key_content[:40]}') "
        f"above it, which then holds nothing; expected {indent} spaces, under it{through}"
    )


def _tab_in_indent(line: str) -> int | None:
    """The 1-based column of a tab within the line's leading whitespace."""
    for index, char in enumerate(line):
        if char == "\t":
            return index + 1
        if char != " ":
            return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _YamlBuilder:
    """Turns composed YAML nodes into plain values, recording positions.

    Aliases are the same node object reached twice; the builder expands them,
    counting every value it builds so that a small file cannot expand to a
    huge tree, and refusing a node that contains itself.
    """

    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path_, Position] = {(): Position(file, 1, 1)}
        self.count = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.alias_site: Position | None = None
        self.errors: list[Diagnostic] = []
        """Findings that do not stop the walk (tags, keys), so one run reports them all."""

    def _pos(self, node: yaml.Node) -> Position:
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(
                Diagnostic(
                    "Y008",
                    f"an alias here expands the file past {MAX_NODES} values ('billion laughs'?)"
                    if self.alias_site
                    else f"the file holds more than {MAX_NODES} values; a profile is far smaller",
                    self.alias_site or self._pos(node),
                    key=key_path(path) or None,
                )
            )
        if depth > MAX_DEPTH:
            raise LoadError(
                Diagnostic(
                    "Y009",
                    f"nesting deeper than {MAX_DEPTH} levels",
                    self.positions.get(path, self._pos(node)),
                    key=key_path(path[:3]) + "..." if len(path) > 3 else None,
                )
            )
        if not isinstance(node, yaml.ScalarNode):
            return self._collection(node, path, depth)
        tag = node.tag or ""
        if tag not in _SCALAR_TAGS:
            self._check_tag(node, "")  # noted as Y007; nothing is built from it
            return None
        if tag == f"{_YAML_TAG}timestamp":
            return node.value  # dates stay text: NautilusTrader parses its own
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)

    def _collection(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        ident = id(node)
        if ident in self.active:
            raise LoadError(
                Diagnostic(
                    "Y008",
                    "an alias refers to a node that contains it (endless expansion)",
                    self.positions.get(path, self._pos(node)),
                    key=key_path(path) or None,
                )
            )
        outermost_alias = ident in self.seen and self.alias_site is None
        if outermost_alias:
            self.alias_site = self.positions.get(path, self._pos(node))
        self.seen.add(ident)
        self.active.add(ident)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth) if self._check_tag(node, f"{_YAML_TAG}map") else None
            if not self._check_tag(node, f"{_YAML_TAG}seq"):
                return None
            items = []
            for i, item in enumerate(node.value):
                self.positions.setdefault(path + (i,), self._pos(item))
                items.append(self.build(item, path + (i,), depth + 1))
            return items
        finally:
            self.active.discard(ident)
            if outermost_alias:
                self.alias_site = None

    def _check_tag(self, node: yaml.Node, expected: str) -> bool:
        """False (and a Y007 noted) for a tag other than ``expected``: its value is never built."""
        if node.tag == expected:
            return True
        self.errors.append(
            Diagnostic("Y007", f"YAML tag '{node.tag}' is not allowed; profiles hold plain data only", self._pos(node))
        )
        return False

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_YAML_TAG}merge":
                message = "YAML merge keys ('<<') are not supported; share values with 'extends'"
                self.errors.append(Diagnostic("Y007", message, self._pos(key_node)))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_YAML_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                message = f"key {shown!r} is not a string (YAML reads it as {_tag_name(key_node)}); quote it"
                self.errors.append(Diagnostic("Y010", message, self._pos(key_node)))
                continue
            key = key_node.value
            if key in out:
                first = self.positions[path + (key,)]
                message = f"duplicate key '{key}' (first defined at line {first.line})"
                self.errors.append(Diagnostic("Y005", message, self._pos(key_node), key=key_path(path + (key,))))
                continue
            self.positions[path + (key,)] = self._pos(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


def _tag_name(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return "a collection"
    name = (node.tag or "").removeprefix(_YAML_TAG)
    return {"bool": "a boolean", "int": "a number", "float": "a number", "null": "null"}.get(name, name)


# --------------------------------------------------------------------- TOML

_TOML_ERR = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_TOML_EOF = re.compile(r"\s*\(at end of document\)")
_TOML_DUPLICATE = ("overwrite", "twice", "duplicate", "redefine namespace", "mutate immutable")


def _load_toml(text: str, file: str) -> tuple[Any, dict[Path_, Position]]:
    scan = toml_scan.Scan()
    try:
        toml_scan.scan(text, MAX_DEPTH, scan)
    except toml_scan.TooDeep as exc:  # before tomllib, which would recurse into it
        raise LoadError(
            Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", Position(file, *exc.at))
        ) from None
    except toml_scan.ScanError:
        pass  # not valid TOML: tomllib reports it below
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(_toml_error(text, file, str(exc), scan)) from None
    except RecursionError:  # pragma: no cover - the scanner bounds nesting first
        raise LoadError(Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", Position(file))) from None
    positions = {path: Position(file, line, col) for path, (line, col) in scan.positions.items()}
    positions[()] = Position(file, 1, 1)
    return (tree or None), positions  # no key at all: empty, as an empty YAML file is


def _toml_error(text: str, file: str, msg: str, scan: toml_scan.Scan) -> Diagnostic:
    match = _TOML_ERR.search(msg)
    if match:
        pos = Position(file, int(match.group(1)), int(match.group(2)))
    elif _TOML_EOF.search(msg):
        pos = Position(file, text.count("\n") + 1, 1)
    else:
        pos = Position(file)
    problem = _one_line(_TOML_ERR.sub("", _TOML_EOF.sub("", msg)))
    if not any(word in problem.lower() for word in _TOML_DUPLICATE):
        return Diagnostic("Y003", f"TOML syntax error: {problem}", pos)
    for dup in scan.duplicates:
        if dup.at[0] == pos.line:
            return Diagnostic(
                "Y005",
                f"duplicate key '{key_path(dup.path)}' (first defined at line {dup.first[0]})",
                Position(file, *dup.at),
                key=key_path(dup.path),
            )
    return Diagnostic("Y005", f"duplicate key: {problem}", pos)


# --------------------------------------------------------------------- shared


def _check_depth(tree: Any, file: str, positions: dict[Path_, Position], path: Path_ = ()) -> None:
    stack: list[tuple[Any, Path_]] = [(tree, path)]
    while stack:
        value, here = stack.pop()
        if len(here) > MAX_DEPTH:
            pos = nearest(positions, here) or Position(file)
            raise LoadError(Diagnostic("Y009", f"nesting deeper than {MAX_DEPTH} levels", pos))
        if isinstance(value, dict):
            stack.extend((v, here + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, here + (i,)) for i, v in enumerate(value))


_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _check_keys(tree: Any, file: str, positions: dict[Path_, Position]) -> None:
    """Refuse keys holding a line break or another control character (Y013).

    A key is printed in every finding, in ``explain`` and ``diff``, and in the
    comments of ``env.example``: a line break there would start a new line of
    someone else's choosing (a live ``REDIS_HOST=...`` in a file that is copied
    to ``.env``).
    """
    found = []
    stack: list[tuple[Any, Path_]] = [(tree, ())]
    while stack:
        value, here = stack.pop()
        if isinstance(value, dict):
            for key, sub in value.items():
                if isinstance(key, str) and _CONTROL.search(key):
                    found.append(
                        Diagnostic(
                            "Y013",
                            f"key {json.dumps(key)} holds a line break or control character",
                            nearest(positions, here + (key,)) or Position(file),
                        )
                    )
                stack.append((sub, here + (key,)))
        elif isinstance(value, list):
            stack.extend((sub, here + (i,)) for i, sub in enumerate(value))
    if found:
        raise LoadError(*sorted(found, key=Diagnostic.sort_key))
