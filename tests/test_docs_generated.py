"""The generated reference pages agree with their sources: a new code, command or venue cannot ship undocumented.

``tools/gen_docs.py`` writes them (``make docs``); these tests run its check on the
committed docs, and show on a temp copy that the check catches a stale page, a missing
one and an orphan, and that a regeneration keeps the prose written around a page's
generated part.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SPEC = importlib.util.spec_from_file_location("gen_docs", REPO / "tools" / "gen_docs.py")
gen_docs = importlib.util.module_from_spec(SPEC)
sys.modules["gen_docs"] = gen_docs
SPEC.loader.exec_module(gen_docs)


def test_generated_pages_agree_with_their_sources():
    problems = gen_docs.differences()
    assert problems == [], "\n".join([*problems, "run `make docs` (or `python tools/gen_docs.py`) and commit docs/"])


def test_every_code_command_and_venue_has_its_page():
    from ntprofile.adapters import ADAPTERS
    from ntprofile.cli import build_parser
    from ntprofile.diagnostics.codes import CODES

    commands = build_parser()._subparsers._group_actions[0].choices
    for folder, names in (("codes", CODES), ("commands", commands), ("venues", ADAPTERS)):
        for name in names:
            page = REPO / "docs" / "reference" / folder / f"{name}.md"
            assert page.exists(), page
            assert f"]({name}.md)" in (page.parent / "index.md").read_text(), f"{folder}/index.md does not link {name}"


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO / "docs", tmp_path / "docs"))


def test_the_check_finds_stale_missing_and_orphaned_pages_and_says_what_to_run(docs_copy: Path):
    p104 = docs_copy / "reference" / "codes" / "P104.md"
    p104.write_text(p104.read_text().replace("an hour", "a minute"))
    (docs_copy / "reference" / "commands" / "list.md").unlink()
    (docs_copy / "reference" / "venues" / "nasdaq.md").write_text("# nasdaq\n")
    problems = gen_docs.differences(docs_copy)
    assert "docs/reference/codes/P104.md: differs from compiler/ntprofile/diagnostics/codes.py" in problems
    assert any(p.startswith("docs/reference/commands/list.md: missing") for p in problems)
    assert "docs/reference/venues/nasdaq.md: documents something that no longer exists" in problems
    assert len(problems) == 3


def test_regenerating_keeps_the_prose_around_the_generated_part(docs_copy: Path):
    page = docs_copy / "reference" / "codes" / "P104.md"
    prose = "\n## Example\n\nA production profile with `reconciliation_lookback_mins: 30`.\n"
    page.write_text(page.read_text().replace("an hour", "a minute") + prose)
    written = gen_docs.write(docs_copy)
    assert written == ["wrote docs/reference/codes/P104.md"]
    text = page.read_text()
    assert "over at least an hour" in text and text.endswith(prose)
    assert gen_docs.differences(docs_copy) == []


def test_the_command_line_check_exits_1_naming_make_docs(tmp_path: Path):
    # the script itself, as `make docs` and a contributor run it, on a repository copy with one stale page
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "docs", repo / "docs")
    shutil.copytree(REPO / "tools", repo / "tools")
    shutil.copytree(REPO / "compiler", repo / "compiler", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    page = repo / "docs" / "reference" / "exit-codes.md"
    page.write_text(page.read_text().replace("| 4 |", "| 40 |"))
    proc = subprocess.run(
        [sys.executable, str(repo / "tools" / "gen_docs.py"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout == "docs/reference/exit-codes.md: differs from compiler/ntprofile/exits.py\n"
    assert "make docs" in proc.stderr
