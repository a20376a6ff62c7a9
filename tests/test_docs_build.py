"""The documentation site builds with ``mkdocs build --strict``, and any command, code or venue is two clicks away.

The build goes to a temp dir (the site is built, not published). Strict mode turns
a broken link or anchor into a failure; the second test shows it does. Two clicks:
every page's navigation links the commands, codes and venues index pages, and each
index links every page of its kind.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(REPO / "mkdocs.yml", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


def links(site: Path, page: str) -> set[str]:
    """The pages ``page`` links to, as paths from the site root (``reference/commands/``)."""
    base = posixpath.dirname(page)
    out = set()
    for href in re.findall(r'href="([^"#]*)', (site / page).read_text(encoding="utf-8")):
        if href and "://" not in href:
            target = posixpath.normpath(posixpath.join(base, href))
            out.add("" if target == "." else target.rstrip("/") + "/")
    return out


def test_the_site_builds_strict(site: Path):
    assert (site / "index.html").exists()
    assert (site / "reference" / "codes" / "P104" / "index.html").exists()


@pytest.mark.parametrize("start", ["index.html", "guides/secrets/index.html", "reference/codes/P104/index.html"])
def test_commands_codes_and_venues_are_two_clicks_from_any_page(site: Path, start: str):
    from ntprofile.adapters import ADAPTERS
    from ntprofile.cli import build_parser
    from ntprofile.diagnostics.codes import CODES

    commands = build_parser()._subparsers._group_actions[0].choices
    for folder, names in (("commands", commands), ("codes", CODES), ("venues", ADAPTERS)):
        index = f"reference/{folder}/"
        assert index in links(site, start), f"{start}: the navigation does not link {index}"
        listed = links(site, f"{index}index.html")
        missing = [name for name in names if f"{index}{name}/" not in listed]
        assert missing == [], f"reference/{folder}/ does not link {missing}"


def test_a_broken_link_fails_the_build(tmp_path: Path):
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    page = tmp_path / "docs" / "guides" / "secrets.md"
    page.write_text(page.read_text() + "\nSee [the old page](../reference/codes/S999.md).\n")
    proc = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert proc.returncode != 0
    assert "S999.md" in proc.stderr
