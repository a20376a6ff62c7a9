"""The docs' examples run: every ``$ ntprofile ...`` line of a ```console block in docs/ and README.md.

Each block runs in a fresh temp copy of the project's shipped profiles, schemas and
examples (``examples/hook/profiles`` holds the profiles with mistakes), through the
real CLI in a subprocess; its stdout then stderr must equal the lines printed under
each command, after a small normalisation (trailing blanks, timings). A line ``...``
matches any number of lines.

A block that needs a venue, Redis or a running engine is marked where the reader
sees it, by a title that starts with "needs" (```console title="needs a venue: not
run by the tests"```), and is not run; any other attribute on a console block fails.

``NTPROFILE_DOCS_UPDATE=1 pytest tests/test_docs_examples.py`` (part of ``make docs``)
rewrites each block's outputs from real runs instead of comparing; a block holding
``...`` is only compared, since a real run cannot say what it leaves out.

Why a runner of our own rather than pytest-examples or sybil: the examples are shell
sessions of one program, not Python; what they need is a fresh copy of the project per
block, the project's own normalisation and an update mode that rewrites console output.
pytest-examples runs and rewrites Python code only; sybil would need a parser and an
evaluator for console blocks written anyway, which is most of this file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import REPO, clean_env, run_cli  # noqa: E402

DOCS = REPO / "docs"
FENCE = re.compile(r"^```console(?P<attrs>[^\n]*)\n(?P<body>.*?)^```$", re.S | re.M)
NEEDS = re.compile(r'^\s*title="needs [^"]+"\s*$')
TIMING = re.compile(r"\b\d+\.\d+ s\b")
UPDATE = os.environ.get("NTPROFILE_DOCS_UPDATE") == "1"


@dataclass
class Example:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    page: Path
    line: int
    text: str
    attrs: str
    examples: list[Example]

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def parse(body: str) -> list[Example]:
    """The commands of a console block, each with the output lines under it."""
    examples: list[Example] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            examples.append(Example(line[2:]))
        elif examples:
            examples[-1].expected.append(line)
    return examples


def blocks() -> list[Block]:
    found = []
    for page in [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(page, line, match.group(0), match.group("attrs"), parse(match.group("body"))))
    return found


def normalise(lines: list[str]) -> list[str]:
    return [TIMING.sub("N s", line.rstrip()) for line in lines]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line equality where an expected ``...`` stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def run_example(command: str, cwd: Path) -> list[str]:
    """Run one example; leading ``NAME=value`` words set variables, as in the shell."""
    argv = shlex.split(command, comments=True)
    variables = {}
    while argv and re.match(r"^[A-Z_][A-Z0-9_]*=", argv[0]):
        name, _, value = argv.pop(0).partition("=")
        variables[name] = value
    assert argv and argv[0] == "ntprofile", f"console examples run ntprofile only: {command}"
    result = run_cli(*argv[1:], cwd=cwd, env=clean_env(**variables))
    text = result.stdout + result.stderr
    return text.rstrip("\n").splitlines() if text.strip() else []


def copy_project(dest: Path) -> Path:
    for part in ("profiles", "schemas", "examples"):
        shutil.copytree(REPO / part, dest / part)
    return dest


ALL = blocks()
RUN = [b for b in ALL if not NEEDS.match(b.attrs)]


def test_every_console_block_runs_or_says_what_it_needs():
    odd = [b.id for b in ALL if b.attrs.strip() and not NEEDS.match(b.attrs)]
    assert odd == [], 'a console block is run as it is, or titled "needs ...": not run by the tests'
    assert all(b.examples for b in ALL), [b.id for b in ALL if not b.examples]


def fences(text: str) -> list[tuple[str, list[str]]]:
    """Every fenced block of a page as (info string, lines), nested fences inside a longer one included in it."""
    found, info, ticks, body = [], "", "", []
    for line in text.splitlines():
        opening = re.match(r"^(`{3,})(.*)$", line)
        if not ticks and opening:
            ticks, info, body = opening.group(1), opening.group(2).strip(), []
        elif ticks and line.strip() == ticks:
            found.append((info, body))
            ticks = ""
        elif ticks:
            body.append(line)
    return found


def test_no_command_with_its_output_hides_outside_a_console_block():
    hidden = [
        f"{page.relative_to(REPO)}: {line}"
        for page in [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
        for info, body in fences(page.read_text(encoding="utf-8"))
        if not info.startswith("console")
        for line in body
        if line.startswith("$ ")
    ]
    assert hidden == [], "a `$ command` with its output belongs in a ```console block, run or titled \"needs ...\""


def test_the_docs_show_every_everyday_command():
    commands = [ex.command for b in RUN for ex in b.examples]
    for needed in (
        "ntprofile validate",
        "ntprofile compile testnet-binance",
        "ntprofile explain prod-bybit",
        "ntprofile list",
        "ntprofile env ",
        "ntprofile diff ",
        "ntprofile init ",
        "ntprofile rules",
        "ntprofile render ",
    ):
        assert any(c.startswith(needed) for c in commands), needed


def rewrite(block: Block, outputs: list[list[str]]) -> None:
    """Put real outputs under the block's commands in its page."""
    lines = []
    for example, output in zip(block.examples, outputs):
        lines.append(f"$ {example.command}")
        lines.extend(line.rstrip() for line in output)
    new = f"```console{block.attrs}\n" + "\n".join(lines) + "\n```"
    text = block.page.read_text(encoding="utf-8")
    assert block.text in text, f"{block.id} changed while the examples ran"
    block.page.write_text(text.replace(block.text, new), encoding="utf-8")


@pytest.mark.parametrize("block", RUN, ids=[b.id for b in RUN])
def test_docs_example_output(block: Block, tmp_path: Path):
    work = copy_project(tmp_path)
    outputs = [run_example(ex.command, work) for ex in block.examples]
    elided = any("..." in ex.expected for ex in block.examples)
    if UPDATE and not elided:
        rewrite(block, outputs)
        return
    for example, output in zip(block.examples, outputs):
        expected, actual = normalise(example.expected), normalise(output)
        assert matches(expected, actual), "\n".join(
            [
                f"{block.id}: `{example.command}`",
                "the docs say:",
                *expected,
                "",
                "ntprofile prints:",
                *actual,
                "",
                "refresh the docs' outputs with `make docs`"
                " (or NTPROFILE_DOCS_UPDATE=1 pytest tests/test_docs_examples.py)",
            ]
        )
