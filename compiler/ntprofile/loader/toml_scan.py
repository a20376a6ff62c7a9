"""Where each key of a TOML document is written: ``tomllib`` reports values only.

``tomllib`` decides what a TOML file means; this scanner only finds the line
and column of every key (table headers, dotted keys, quoted keys, inline
tables, arrays of tables, array items), skipping strings (multi-line ones
too), arrays and comments the way TOML does. It also stops a document whose
values nest deeper than a bound before ``tomllib`` recurses into it, and
remembers keys defined twice so a duplicate can be reported at the key.

On text that is not valid TOML it raises ``ScanError`` and the caller relies on
``tomllib``'s own error instead.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from typing import NamedTuple

Key = tuple[str | int, ...]
LineCol = tuple[int, int]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}#\r\n")


class ScanError(Exception):
    """The text is not TOML the scanner understands (``tomllib`` will say why)."""


class TooDeep(Exception):
    """Values nest deeper than the bound; ``at`` is the line and column."""

    def __init__(self, at: LineCol):
        super().__init__(f"too deep at {at}")
        self.at = at


class Duplicate(NamedTuple):
    """A key (or table) defined a second time."""

    path: Key
    at: LineCol
    first: LineCol


class Scan:
    """The scanner's findings: key positions and keys defined twice."""

    __slots__ = ("positions", "duplicates")

    def __init__(self) -> None:
        self.positions: dict[Key, LineCol] = {}
        self.duplicates: list[Duplicate] = []


def scan(text: str, max_depth: int, result: Scan | None = None) -> Scan:
    """Scan ``text``; fills and returns ``result`` (kept when ``ScanError`` is raised)."""
    scanner = _Scanner(text, max_depth, result or Scan())
    scanner.run()
    return scanner.result


class _Scanner:
    def __init__(self, text: str, max_depth: int, result: Scan):
        self.s = text
        self.n = len(text)
        self.i = 0
        self.max_depth = max_depth
        self.result = result
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.defined: dict[Key, LineCol] = {}
        self.aot: dict[Key, int] = {}  # array-of-tables path -> elements so far

    # ---------------------------------------------------------------- helpers

    def where(self, i: int) -> LineCol:
        line = bisect.bisect_right(self.starts, i)
        return line, i - self.starts[line - 1] + 1

    def peek(self) -> str:
        return self.s[self.i] if self.i < self.n else ""

    def expect(self, token: str) -> None:
        if not self.s.startswith(token, self.i):
            raise ScanError(f"expected {token!r} at {self.where(self.i)}")
        self.i += len(token)

    def skip_ws(self) -> None:
        while self.i < self.n and self.s[self.i] in " \t":
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            end = self.s.find("\n", self.i)
            self.i = self.n if end < 0 else end

    def skip_trivia(self) -> None:
        """Whitespace, newlines and comments (between statements and array items)."""
        while True:
            self.skip_ws()
            self.skip_comment()
            if self.peek() in ("\n", "\r") and self.i < self.n:
                self.i += 1
                continue
            return

    def note(self, path: Key, i: int) -> None:
        self.result.positions.setdefault(path, self.where(i))

    def define(self, path: Key, i: int) -> None:
        at = self.where(i)
        if path in self.defined:
            self.result.duplicates.append(Duplicate(path, at, self.defined[path]))
        else:
            self.defined[path] = at

    # ------------------------------------------------------------- statements

    def run(self) -> None:
        prefix: Key = ()
        while True:
            self.skip_trivia()
            if self.i >= self.n:
                return
            start = self.i
            if self.s.startswith("[[", self.i):
                self.i += 2
                parts = self.key()
                self.skip_ws()
                self.expect("]]")
                base = self.table_path(parts[:-1]) + (parts[-1][0],)
                self.note(base, parts[-1][1])
                index = self.aot.get(base, 0)
                self.aot[base] = index + 1
                prefix = base + (index,)
                self.result.positions[prefix] = self.where(start)
            elif self.peek() == "[":
                self.i += 1
                parts = self.key()
                self.skip_ws()
                self.expect("]")
                prefix = self.table_path(parts)
                self.define(prefix, parts[-1][1])
            else:
                self.pair(prefix)
            self.end_of_line()

    def end_of_line(self) -> None:
        self.skip_ws()
        self.skip_comment()
        if self.i < self.n and self.peek() not in ("\n", "\r"):
            raise ScanError(f"unexpected text at {self.where(self.i)}")

    def table_path(self, parts: list[tuple[str, int]]) -> Key:
        """A header's key path, through the last element of arrays of tables."""
        path: Key = ()
        for name, at in parts:
            path += (name,)
            self.note(path, at)
            if path in self.aot:
                path += (self.aot[path] - 1,)
        return path

    def pair(self, prefix: Key) -> None:
        """``key = value`` (the key possibly dotted) below ``prefix``."""
        parts = self.key()
        self.skip_ws()
        self.expect("=")
        self.skip_ws()
        path = prefix
        for name, at in parts:
            path += (name,)
            self.note(path, at)
        self.define(path, parts[-1][1])
        self.value(path)

    def key(self) -> list[tuple[str, int]]:
        """A dotted key: each part's text and the index where it is written."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip_ws()
            at = self.i
            c = self.peek()
            if c == '"':
                parts.append((self.basic_string(), at))
            elif c == "'":
                parts.append((self.literal_string(), at))
            else:
                while self.i < self.n and self.s[self.i] in _BARE:
                    self.i += 1
                if self.i == at:
                    raise ScanError(f"no key at {self.where(at)}")
                parts.append((self.s[at : self.i], at))
            self.skip_ws()
            if self.peek() != ".":
                return parts
            self.i += 1

    # ----------------------------------------------------------------- values

    def value(self, path: Key) -> None:
        if len(path) > self.max_depth:
            raise TooDeep(self.where(self.i))
        c = self.peek()
        if self.s.startswith('"""', self.i):
            self.multiline('"""', escapes=True)
        elif self.s.startswith("'''", self.i):
            self.multiline("'''", escapes=False)
        elif c == '"':
            self.basic_string()
        elif c == "'":
            self.literal_string()
        elif c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        else:
            start = self.i
            while self.i < self.n and self.s[self.i] not in _SCALAR_END:
                self.i += 1
            if self.i == start:
                raise ScanError(f"no value at {self.where(start)}")

    def basic_string(self) -> str:
        start = self.i
        j = self.i + 1
        while j < self.n and self.s[j] != '"':
            if self.s[j] == "\n":
                raise ScanError("newline in a string")
            j += 2 if self.s[j] == "\\" else 1
        if j >= self.n:
            raise ScanError("unterminated string")
        self.i = j + 1
        raw = self.s[start : self.i]
        if "\\" not in raw:
            return raw[1:-1]
        try:  # let tomllib decode the escapes exactly as it does for the value
            return tomllib.loads(f"k = {raw}")["k"]
        except tomllib.TOMLDecodeError as exc:
            raise ScanError(str(exc)) from None

    def literal_string(self) -> str:
        end = self.s.find("'", self.i + 1)
        if end < 0 or "\n" in self.s[self.i : end]:
            raise ScanError("unterminated literal string")
        text = self.s[self.i + 1 : end]
        self.i = end + 1
        return text

    def multiline(self, delim: str, escapes: bool) -> None:
        self.i += 3
        while self.i < self.n:
            if escapes and self.s[self.i] == "\\":
                self.i += 2
            elif self.s.startswith(delim, self.i):
                self.i += 3
                for _ in range(2):  # up to two quotes right before the end are content
                    if self.peek() == delim[0]:
                        self.i += 1
                return
            else:
                self.i += 1
        raise ScanError("unterminated multi-line string")

    def array(self, path: Key) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip_trivia()
            if self.peek() == "]":
                self.i += 1
                return
            item = path + (index,)
            self.result.positions.setdefault(item, self.where(self.i))
            self.value(item)
            self.skip_trivia()
            if self.peek() == ",":
                self.i += 1
                index += 1
            elif self.peek() == "]":
                self.i += 1
                return
            else:
                raise ScanError(f"expected ',' or ']' at {self.where(self.i)}")

    def inline_table(self, path: Key) -> None:
        self.i += 1
        while True:
            self.skip_trivia()
            if self.peek() == "}":
                self.i += 1
                return
            self.pair(path)
            self.skip_trivia()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "}":
                self.i += 1
                return
            else:
                raise ScanError(f"expected ',' or '}}' at {self.where(self.i)}")
