"""Write the reference pages the code already knows: codes, commands, venues, exit codes.

Run as ``python tools/gen_docs.py`` (``make docs`` does, then refreshes the examples'
outputs and builds the site). ``--check`` writes nothing and exits 1 naming every
page that differs from its source; ``tests/test_docs_generated.py`` runs the same check.

Sources, one each:

- ``docs/reference/codes/``: ``ntprofile.diagnostics.codes.CODES`` (and the stages a
  policy rule guards, ``ntprofile.validate.policy.RULES``): an index and one page per code;
- ``docs/reference/commands/``: ``ntprofile.cli.build_parser()`` and each command
  module's docstring: an index and one page per command;
- ``docs/reference/venues/``: ``ntprofile.adapters.ADAPTERS`` (and ``UNSUPPORTED``), each
  adapter module's docstring and its ``check --online`` module's: an index and one page
  per adapter;
- ``docs/reference/exit-codes.md``: ``ntprofile.exits.Exit`` and its members' docstrings;
- ``docs/reference/python-api.md``: ``ntprofile.__all__``, their signatures and docstrings.

The generator owns only the text between the ``BEGIN GENERATED`` and ``END GENERATED``
markers of a page: prose written around them stays. A page missing for a new code,
command or venue is created; a page whose code, command or venue is gone is removed.
Nothing here imports ``nautilus_trader``: docstrings are read with ``ast``.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "compiler"))

from ntprofile import adapters as adapters_package  # noqa: E402
from ntprofile.adapters import ADAPTERS, UNSUPPORTED, Adapter  # noqa: E402
from ntprofile.cli import build_parser  # noqa: E402
from ntprofile.diagnostics.codes import CODES  # noqa: E402
from ntprofile.validate.policy import RULES  # noqa: E402

DOCS = REPO / "docs"
PACKAGE = REPO / "compiler" / "ntprofile"
COMMAND = "make docs"
"""What a reader of a failing check runs (``python tools/gen_docs.py`` does the pages alone)."""
BEGIN = "<!-- BEGIN GENERATED from {source} by tools/gen_docs.py: edit the source, then run `make docs` -->"
END = "<!-- END GENERATED -->"
REGION = re.compile(r"<!-- BEGIN GENERATED from [^\n]*? -->\n.*?<!-- END GENERATED -->\n?", re.S)
OWNED_DIRS = ("reference/codes", "reference/commands", "reference/venues")
"""Folders whose every page is generated: a page there that no source produces is removed."""
USAGE_WIDTH = 88


@dataclass(frozen=True)
class Page:
    """One generated region and the source it comes from."""

    path: str
    source: str
    body: str

    def region(self) -> str:
        return f"{BEGIN.format(source=self.source)}\n{self.body.rstrip()}\n{END}\n"


def rst_to_md(text: str) -> str:
    """Docstrings use reST's ``literal`` and numpy's underlined section names (Markdown: `literal`, **Raises**)."""
    text = re.sub(r"^(\w[\w ]*)\n-{3,}$", r"**\1**\n", text, flags=re.M)
    return re.sub(r"``(.+?)``", r"`\1`", text)


def link_codes(text: str, codes_dir: str) -> str:
    """Each catalogued code named in prose (not in `code`) as a link to its page."""
    parts = re.split(r"(`[^`]*`)", text)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(
            r"\b([A-Z]\d{3})\b",
            lambda m: f"[{m[1]}]({codes_dir}/{m[1]}.md)" if m[1] in CODES else m[1],
            parts[i],
        )
    return "".join(parts)


def cell(text: object) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def docstring_of(path: Path) -> str:
    """A module's docstring, read without importing it (online modules import NautilusTrader)."""
    return inspect.cleandoc(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")


# --- diagnostic codes -----------------------------------------------------------------------------


def code_pages() -> list[Page]:
    source = "compiler/ntprofile/diagnostics/codes.py"
    index = [
        "# Diagnostic codes",
        "",
        "Every code ntprofile reports, family by family, as `ntprofile rules` lists them. A finding prints as",
        "`path:line:col: severity[CODE] key.path: message (hint)`; a policy rule (`P`) can be waived per",
        "profile with `profile.waivers: {CODE: reason}`.",
    ]
    pages = []
    family = None
    for code, entry in CODES.items():
        if entry.family != family:
            family = entry.family
            index += ["", f"## {code[0]}: {family} {{ #{family_anchor(code)} }}", "", "| code | title | stages |"]
            index.append("| --- | --- | --- |")
        rule = RULES.get(code)
        stages = rule.stage_text if rule and rule.stage_text else ""
        index.append(f"| [{code}]({code}.md) | {cell(entry.title)} | {cell(stages)} |")
        facts = [f"- family: **{code[0]}**, {entry.family} ([all {code[0]} codes](index.md#{family_anchor(code)}))"]
        if rule is not None:
            facts.append(f"- stages guarded: {rule.stage_text or 'every stage'}")
            facts.append(f"- waivable: yes, `profile.waivers: {{{code}: \"reason\"}}`")
        body = [f"# {code}: {entry.title}", "", entry.rationale, "", *facts]
        pages.append(Page(f"reference/codes/{code}.md", source, "\n".join(body)))
    pages.insert(0, Page("reference/codes/index.md", source, "\n".join(index)))
    return pages


def family_anchor(code: str) -> str:
    """The anchor of a family's heading on the codes index (``#p-codes``), set explicitly so a
    renamed family keeps its links."""
    return f"{code[0].lower()}-codes"


# --- commands -------------------------------------------------------------------------------------


def subparsers() -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Command name -> (its parser, its module's file), in the CLI's order."""
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    modules = {}
    from ntprofile import commands

    for info in pkgutil.iter_modules(commands.__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{commands.__name__}.{info.name}")
            modules[module.NAME] = Path(module.__file__)
    return {name: (cmd, modules[name]) for name, cmd in sub.choices.items()}


def usage(cmd: argparse.ArgumentParser) -> str:
    """The usage line at a fixed width, so the page does not depend on the terminal."""
    formatter = argparse.HelpFormatter(cmd.prog, width=USAGE_WIDTH)
    formatter.add_usage(cmd.usage, cmd._actions, cmd._mutually_exclusive_groups)
    return formatter.format_help().strip()


def argument_rows(cmd: argparse.ArgumentParser) -> list[str]:
    """One row per argument, spelled as ``--help`` spells it (``--all [REV]``, ``--format {text,json}``)."""
    formatter = argparse.HelpFormatter(cmd.prog, width=USAGE_WIDTH)
    rows = []
    for action in cmd._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            name = ", ".join(action.option_strings)
            if action.nargs != 0:
                name += " " + formatter._format_args(action, action.dest.upper())
        else:
            name = formatter._format_args(action, action.dest)
        help_text = formatter._expand_help(action) if action.help else ""
        if action.required and action.option_strings:
            help_text += " (required)"
        rows.append(f"| `{cell(name)}` | {cell(help_text)} |")
    return rows


def command_pages() -> list[Page]:
    source = "the argument parser (compiler/ntprofile/cli.py, compiler/ntprofile/commands/)"
    index = [
        "# Commands",
        "",
        "Every `ntprofile` command, as its argument parser defines it. Each command that reads profiles",
        "takes `--profiles DIR` (default: `$NTPROFILE_PROFILES`, else `./profiles`).",
        "",
        "| command | does |",
        "| --- | --- |",
    ]
    pages = []
    for name, (cmd, module) in subparsers().items():
        index.append(f"| [`{name}`]({name}.md) | {cell(cmd.description or '')} |")
        body = [
            f"# ntprofile {name}",
            "",
            f"{cmd.description or ''}",
            "",
            "```text",
            usage(cmd),
            "```",
            "",
            "| argument | meaning |",
            "| --- | --- |",
            *argument_rows(cmd),
        ]
        doc = docstring_of(module)
        if doc:
            body += ["", link_codes(rst_to_md(doc), "../codes")]
        pages.append(Page(f"reference/commands/{name}.md", source, "\n".join(body)))
    pages.insert(0, Page("reference/commands/index.md", source, "\n".join(index)))
    return pages


# --- venues ---------------------------------------------------------------------------------------


def adapter_modules() -> dict[str, Path]:
    """Adapter name -> the module file that defines its ``ADAPTER``."""
    out = {}
    for info in pkgutil.iter_modules(adapters_package.__path__):
        module = importlib.import_module(f"{adapters_package.__name__}.{info.name}")
        if isinstance(getattr(module, "ADAPTER", None), Adapter):
            out[module.ADAPTER.name] = Path(module.__file__)
    return out


def environments_text(adapter: Adapter) -> str:
    if adapter.simulated:
        return "none: simulated fills on `venue`"
    if adapter.environment_field is None:
        return "one (live)"
    names = ", ".join(adapter.environments)
    money = ", ".join(sorted(adapter.real_money)) or "none"
    return f"{names} (real money: {money}; unset: {adapter.default_environment or '-'})"


def credentials_text(adapter: Adapter) -> str:
    parts = []
    for cred in adapter.credentials:
        notes = []
        if cred.secret:
            notes.append("secret")
        if cred.required:
            notes.append(f"required by {'+'.join(cred.required)}")
        parts.append(f"`{cred.field}` ({', '.join(notes)})" if notes else f"`{cred.field}`")
    return ", ".join(parts) or "none"


def fallback_text(adapter: Adapter) -> str:
    names = sorted({var for cred in adapter.credentials for var in cred.fallback.values()})
    return ", ".join(f"`{name}`" for name in names) or "-"


def venue_pages() -> list[Page]:
    source = "the adapter records (compiler/ntprofile/adapters/)"
    index = [
        "# Venues",
        "",
        "Every NautilusTrader live adapter that imports without extra packages is an `adapter:` value,",
        "with its own config fields as options (the schema carries their docstrings). `environment` maps",
        "onto the adapter's own setting; *real money* is the environment whose exec client trades it;",
        "*unset* is what NautilusTrader uses when a profile says nothing.",
        "",
        "| adapter | clients | environments | credentials | NautilusTrader falls back to |",
        "| --- | --- | --- | --- | --- |",
    ]
    pages = []
    modules = adapter_modules()
    for name, adapter in ADAPTERS.items():
        kinds = "+".join(adapter.kinds) + (" (simulated)" if adapter.simulated else "")
        index.append(
            f"| [`{name}`]({name}.md) | {kinds} | {cell(environments_text(adapter))} | "
            f"{cell(credentials_text(adapter))} | {cell(fallback_text(adapter))} |"
        )
        pages.append(Page(f"reference/venues/{name}.md", source, venue_body(name, adapter, modules[name])))
    index += [
        "",
        "Adapters that need an optional NautilusTrader package are refused with [V006](../codes/V006.md),",
        "naming the extra:",
        "",
        *(f"- `{name}`: `{extra}`" for name, extra in UNSUPPORTED.items()),
    ]
    pages.insert(0, Page("reference/venues/index.md", source, "\n".join(index)))
    return pages


def venue_body(name: str, adapter: Adapter, module: Path) -> str:
    body = [f"# {name}", "", link_codes(rst_to_md(docstring_of(module)), "../codes"), "", "| fact | value |"]
    body.append("| --- | --- |")
    body.append(f"| `adapter:` | `{name}` |")
    for kind in ("data", "exec"):
        spec = adapter.client(kind)
        if spec is not None:
            body.append(f"| {kind} client | `{spec.config}`, built by `{spec.factory}` |")
    venue = f"`{adapter.venue}`" if adapter.venue else "none: the profile names it"
    if adapter.venue_field:
        venue += f" (set with `{adapter.venue_field}`)"
    body.append(f"| venue | {venue} |")
    if adapter.environment_field:
        mapping = ", ".join(f"`{env}` -> `{value}`" for env, value in adapter.environments.items())
        body.append(f"| environment | `{adapter.environment_field}`: {cell(mapping)} |")
    body.append(f"| environments | {cell(environments_text(adapter))} |")
    for cred in adapter.credentials:
        fallback = ", ".join(f"{env}: `{var}`" for env, var in cred.fallback.items())
        notes = ("secret" if cred.secret else "not secret") + (
            f", required by the {' and '.join(cred.required)} client" if cred.required else ", optional"
        )
        body.append(f"| credential `{cred.field}` | {notes}{'; falls back to ' + fallback if fallback else ''} |")
    for env, hosts in adapter.hosts.items():
        body.append(f"| {env} hosts | {', '.join(f'`{h}`' for h in sorted(hosts))} |")
    online = PACKAGE / "node" / "online" / module.name
    body += ["", "## check --online", ""]
    if online.exists():
        body.append(link_codes(rst_to_md(docstring_of(online)), "../codes"))
    else:
        body.append(
            "ntprofile has no online check for this adapter yet: `check --online` reports [R110](../codes/R110.md)."
        )
    return "\n".join(body)


# --- exit codes -----------------------------------------------------------------------------------


def exit_pages() -> list[Page]:
    from ntprofile.exits import Exit

    path = PACKAGE / "exits.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    [klass] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Exit"]
    docs = {}
    for node, following in zip(klass.body, klass.body[1:]):
        if isinstance(node, ast.Assign) and isinstance(following, ast.Expr):
            docs[node.targets[0].id] = inspect.cleandoc(following.value.value)
    rows = ["| exit code | name | meaning |", "| --- | --- | --- |"]
    for member in Exit:
        rows.append(f"| {int(member)} | `{member.name}` | {cell(rst_to_md(docs.get(member.name, '')))} |")
    return [Page("reference/exit-codes.md", "compiler/ntprofile/exits.py", "\n".join(rows))]


# --- Python API -----------------------------------------------------------------------------------


def numpy_items(text: str) -> str:
    """numpy's ``name`` line with its indented description, as a Markdown list item."""
    return re.sub(
        r"^([A-Za-z_][\w.]*(?: : [^\n]+)?)\n((?:    [^\n]+\n?)+)",
        lambda m: f"- `{m[1]}`: " + " ".join(line.strip() for line in m[2].splitlines()) + "\n",
        text,
        flags=re.M,
    )


def signature(name: str, function: object) -> str:
    """``name(a: T, *, b: U = 1) -> R`` with the annotations as written (they are strings here)."""
    sig = inspect.signature(function)
    parts, star = [], False
    for param in sig.parameters.values():
        if param.kind is param.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        text = param.name + (f": {param.annotation}" if param.annotation is not param.empty else "")
        if param.default is not param.empty:
            text += f" = {param.default!r}"
        parts.append(text)
    returns = f" -> {sig.return_annotation}" if sig.return_annotation is not sig.empty else ""
    return f"{name}({', '.join(parts)}){returns}"


def api_pages() -> list[Page]:
    """``ntprofile.__all__``: each function, and each public method of each class, with its docstring."""
    import ntprofile

    body = []
    for name in ntprofile.__all__:
        obj = getattr(ntprofile, name)
        members = [(f"ntprofile.{name}", obj)]
        if inspect.isclass(obj):
            body += [f"## `ntprofile.{name}`", "", rst_to_md(inspect.getdoc(obj) or ""), ""]
            members = [
                (f"{name}.{attr}", getattr(obj, attr))
                for attr in vars(obj)
                if not attr.startswith("_") and callable(getattr(obj, attr))
            ]
        for label, function in members:
            heading = "###" if inspect.isclass(obj) else "##"
            body += [f"{heading} `{label}`", "", "```python", signature(label, function), "```", ""]
            body += [numpy_items(rst_to_md(inspect.getdoc(function) or "")), ""]
    source = "ntprofile.__all__ (compiler/ntprofile/api.py, facade.py)"
    return [Page("reference/python-api.md", source, "\n".join(body))]


# --- writing and checking -------------------------------------------------------------------------


def all_pages() -> list[Page]:
    return [*code_pages(), *command_pages(), *venue_pages(), *exit_pages(), *api_pages()]


def rendered(page: Page, existing: str | None) -> str:
    """``existing`` with its generated region replaced (or the region alone for a new page)."""
    if existing is None:
        return page.region()
    if not REGION.search(existing):
        return page.region() + "\n" + existing
    return REGION.sub(lambda _: page.region(), existing, count=1)


def orphans(pages: list[Page], docs: Path) -> list[Path]:
    """Pages in the generated folders that no code, command or venue produces any more."""
    wanted = {docs / page.path for page in pages}
    return sorted(p for d in OWNED_DIRS for p in (docs / d).glob("*.md") if p not in wanted)


def differences(docs: Path = DOCS) -> list[str]:
    """Every generated page that is missing, stale or orphaned, one line each; empty when all agree."""
    pages = all_pages()
    problems = []
    for page in pages:
        path = docs / page.path
        existing = path.read_text(encoding="utf-8") if path.exists() else None
        if existing is None:
            problems.append(f"docs/{page.path}: missing (its source is {page.source})")
        elif rendered(page, existing) != existing:
            problems.append(f"docs/{page.path}: differs from {page.source}")
    problems += [f"docs/{p.relative_to(docs)}: documents something that no longer exists" for p in orphans(pages, docs)]
    return problems


def write(docs: Path = DOCS) -> list[str]:
    """Bring every generated page in line with its source; the paths written or removed."""
    pages = all_pages()
    changed = []
    for page in pages:
        path = docs / page.path
        existing = path.read_text(encoding="utf-8") if path.exists() else None
        text = rendered(page, existing)
        if text != existing:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(f"wrote docs/{page.path}")
    for path in orphans(pages, docs):
        path.unlink()
        changed.append(f"removed docs/{path.relative_to(docs)}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/gen_docs.py", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a page differs")
    args = parser.parse_args(argv)
    if args.check:
        problems = differences()
        for line in problems:
            print(line)
        if problems:
            print(f"run `{COMMAND}` (or `python tools/gen_docs.py`) and commit docs/", file=sys.stderr)
        return 1 if problems else 0
    for line in write():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
