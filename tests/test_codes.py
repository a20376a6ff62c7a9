"""Every code any stage can emit is in the catalogue (``diagnostics/codes.py``), and every catalogued code is emitted.

Read from the source of every stage, so a new finding in the loader, layers,
validate, compile, resolve or the node's preflight cannot ship without its
rationale in ``ntprofile rules``, and a code nothing emits any more cannot linger.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO
from ntprofile.diagnostics.codes import CODES

PACKAGE = REPO / "compiler" / "ntprofile"
LITERAL = re.compile(r"""["']([YLVSPRDM]\d{3})["']""")


def emitted() -> dict[str, list[str]]:
    """Code -> the modules whose source names it."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "codes.py":
            continue
        for code in set(LITERAL.findall(path.read_text(encoding="utf-8"))):
            found.setdefault(code, []).append(str(path.relative_to(PACKAGE)))
    return found


def test_every_emitted_code_is_catalogued() -> None:
    unknown = {code: where for code, where in emitted().items() if code not in CODES}
    assert unknown == {}


def test_every_catalogued_code_is_emitted_by_some_stage() -> None:
    assert sorted(set(CODES) - set(emitted())) == []


def test_every_stage_package_reports_through_the_catalogue() -> None:
    stages = {Path(m).parts[0] for where in emitted().values() for m in where}
    assert {"loader", "layers", "validate", "compile", "node", "adapters"} <= stages
