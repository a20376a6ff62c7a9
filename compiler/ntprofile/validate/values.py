"""Numbers no NautilusTrader field can take, in each file: infinite, NaN, beyond 64 bits.

The schema says ``number`` and ``integer``, which ``.inf``, ``.nan`` and
``2**64`` all are to a JSON Schema validator; ``constraints.number_problem`` is
the one rule, run here on every file (so the pre-commit hook refuses them) and
by ``compile`` on the resolved tree.
"""

from __future__ import annotations

from ntprofile.diagnostics import Diagnostic, key_path
from ntprofile.language.constraints import number_problem
from ntprofile.language.secrets import is_secret_path
from ntprofile.language.tree import walk_leaves
from ntprofile.loader import Document


def check_document(doc: Document) -> list[Diagnostic]:
    """V003 for every number of ``doc`` that NautilusTrader cannot take; a secret's value is not shown."""
    out = []
    for path, value in walk_leaves(doc.tree):
        problem = number_problem(value)
        if problem is None:
            continue
        if is_secret_path(path):
            problem = "a number NautilusTrader cannot take (value not shown: secret)"
        out.append(Diagnostic("V003", problem, doc.position(path), key=key_path(path)))
    return out
