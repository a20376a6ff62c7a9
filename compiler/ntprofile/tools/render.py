"""One text renderer and one JSON renderer for every operator command.

``explain``, ``diff``, ``list`` and ``env`` build plain data and hand it here,
so values, secrets, locations, tables and colours look the same everywhere and
no command formats on its own. Colour is used only when stdout is a terminal
and ``NO_COLOR`` is not set (https://no-color.org).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Iterable, Sequence, TextIO

from ntprofile.diagnostics import Position, display_path
from ntprofile.language.placeholders import PlaceholderError, names
from ntprofile.language.secrets import MASK, is_secret_key, mask_url_credentials

RESET = "\033[0m"
STYLES = {
    "bold": "\033[1m",
    "dim": "\033[2m",
    "red": "\033[31m",
    "green": "\033[32m",
    "yellow": "\033[33m",
    "cyan": "\033[36m",
}


def colour_enabled(stream: TextIO | None = None) -> bool:
    """True when ``stream`` (default stdout) is a terminal and ``NO_COLOR`` is unset or empty."""
    if os.environ.get("NO_COLOR"):  # no-color.org: present and not empty
        return False
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Painter:
    """Wraps text in ANSI styles, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = colour_enabled() if enabled is None else enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles or not text:
            return text
        return "".join(STYLES[s] for s in styles) + text + RESET


# ------------------------------------------------------------------- values


def secret_mask(value: Any) -> str:
    """``***`` plus the variable names of a secret placeholder (``*** (${BYBIT_API_KEY})``).

    A literal secret, or a placeholder's ``:-default``, is never shown.
    """
    if isinstance(value, str) and "$" in value:
        try:
            refs = names(value)
        except PlaceholderError:
            refs = []
        if refs:
            return f"{MASK} (" + ", ".join(f"${{{r.name}}}" for r in refs) + ")"
    return MASK


def masked(value: Any, secret: bool = False) -> Any:
    """A copy of ``value`` fit for output: secret leaves (by flag or key name) masked."""
    if secret and not isinstance(value, (dict, list)):
        return None if value is None else secret_mask(value)
    if isinstance(value, dict):
        return {k: masked(v, secret or is_secret_key(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, secret) for v in value]
    return mask_url_credentials(value) if isinstance(value, str) else value


def value_text(value: Any, secret: bool = False) -> str:
    """A profile value as one line: JSON spelling (``"text"``, ``1440``, ``null``), secrets masked."""
    if secret and not isinstance(value, (dict, list)) and value is not None:
        return secret_mask(value)
    shown = masked(value, secret)
    return json.dumps(shown, ensure_ascii=False, default=str, separators=(", ", ": "))


def position_json(pos: Position | None) -> dict[str, Any]:
    """``{"file", "line", "col"}`` of a position for JSON output."""
    if pos is None:
        return {"file": None, "line": None, "col": None}
    return {"file": display_path(pos.file), "line": pos.line, "col": pos.col}


# ------------------------------------------------------------------ layouts


def table(
    rows: Iterable[Sequence[str]],
    header: Sequence[str] | None = None,
    paint: Painter | None = None,
    styles: Sequence[Sequence[str]] = (),
    gap: int = 2,
    max_width: int = 60,
) -> str:
    """Columns aligned on the widest cell (capped at ``max_width``); the last column is never padded.

    ``styles[i]`` are the styles of column ``i``; the header is bold.
    """
    paint = paint or Painter(False)
    rows = [list(r) for r in rows]
    if header:
        rows.insert(0, list(header))
    if not rows:
        return ""
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], min(len(cell), max_width))
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            pad = "" if i == len(row) - 1 else " " * max(gap, widths[i] - len(cell) + gap)
            if header and index == 0:
                style: Sequence[str] = ("bold",)
            else:
                style = styles[i] if i < len(styles) else ()
            cells.append(paint(cell, *style) + pad)
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)


def to_json(data: Any) -> str:
    """The JSON form of every command: indented, key order kept, secrets already masked by the caller."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
