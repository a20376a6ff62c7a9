"""``${NAME}``, ``${NAME:-default}``, ``$NAME`` and ``$$`` inside profile strings.

Placeholders are parsed here and nowhere else. ``compile`` keeps them verbatim
and lists what they need; ``resolve`` fills them in when a node is built.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, NamedTuple

from ntprofile.language.tree import walk_leaves

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(rf"\$(?:(\$)|\{{({_NAME})(?::-([^}}]*))?\}}|({_NAME}))")


class Placeholder(NamedTuple):
    """One ``${NAME}`` reference; ``default`` is ``None`` when none is given."""

    name: str
    default: str | None
    text: str


class PlaceholderError(ValueError):
    """A malformed placeholder; ``offset`` is its 0-based index in the string."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


class VariableError(LookupError):
    """A lookup cannot give a variable's value (``NAME`` and ``NAME_FILE`` both set, an unreadable file).

    ``code`` and ``message`` become the finding at the placeholder that needs
    it; the message names variables and paths, never a value.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


Part = str | Placeholder


def parse(text: str) -> list[Part]:
    """Split ``text`` into literal strings and placeholders (``$$`` becomes ``$``)."""
    parts: list[Part] = []
    literal = ""
    i = 0
    while True:
        j = text.find("$", i)
        if j < 0:
            literal += text[i:]
            break
        literal += text[i:j]
        match = _TOKEN.match(text, j)
        if not match:
            raise PlaceholderError(_explain(text, j), j)
        dollar, braced, default, bare = match.groups()
        if default is not None and "${" in default:
            raise PlaceholderError(f"'{match.group(0)}': placeholders do not nest; a default is literal text", j)
        if default is not None and not default.isprintable():
            raise PlaceholderError(
                f"the default of ${{{braced}}} holds a line break or control character "
                "(it would be written into env.example as a line of its own)",
                j,
            )
        if dollar:
            literal += "$"
        else:
            if literal:
                parts.append(literal)
                literal = ""
            parts.append(Placeholder(braced or bare, default, match.group(0)))
        i = match.end()
    if literal or not parts:
        parts.append(literal)
    return parts


def _explain(text: str, at: int) -> str:
    rest = text[at + 1 :]
    if rest.startswith("{"):
        if "}" not in rest:
            return "unclosed '${': add the closing '}'"
        inner = rest[1 : rest.index("}")]
        name = re.split(r":?-|:", inner, maxsplit=1)[0]
        if re.fullmatch(_NAME, name) and inner != name:
            return f"'${{{inner}}}': a default is written '${{{name}:-default}}'"
        return f"'${{{inner}}}': '{name}' is not a variable name (letters, digits, '_'; not starting with a digit)"
    if rest[:1].isdigit():
        return f"'${rest[:1]}': a variable name does not start with a digit (a literal '$' is written '$$')"
    return "a lone '$' must be written '$$'"


def names(text: str) -> list[Placeholder]:
    """The placeholders in ``text`` (raises ``PlaceholderError`` when malformed)."""
    return [p for p in parse(text) if isinstance(p, Placeholder)]


def has_placeholder(value: Any) -> bool:
    """True for a string that holds at least one placeholder (malformed ones too).

    ``"a$$b"`` holds none, yet it still changes on substitution (to ``"a$b"``):
    use ``needs_substitution`` to decide whether a string must go through
    ``substitute``.
    """
    return isinstance(value, str) and "$" in value.replace("$$", "")


def needs_substitution(value: Any) -> bool:
    """True for a string that ``substitute`` changes: a placeholder or a ``$$``."""
    return isinstance(value, str) and "$" in value


def substitute(text: str, lookup: Callable[[Placeholder], str | None]) -> str | None:
    """Fill every placeholder through ``lookup``; ``None`` if any has no value."""
    out = []
    for part in parse(text):
        if isinstance(part, str):
            out.append(part)
            continue
        value = lookup(part)
        if value is None:
            return None
        out.append(value)
    return "".join(out)


def walk_strings(tree: Any) -> Iterator[tuple[tuple, str]]:
    """Every string value in a tree, with its key path."""
    return ((path, value) for path, value in walk_leaves(tree) if isinstance(value, str))


def as_deployed(value: Any) -> Any:
    """A value as a node started without its variables gets it: each placeholder replaced by its
    ``:-default``; one without a default (or a malformed one) is kept as written."""
    if isinstance(value, str) and has_placeholder(value):
        try:
            return substitute(value, lambda ph: ph.default) or value
        except PlaceholderError:
            pass  # S002 reports it; compare it as written
    return value
