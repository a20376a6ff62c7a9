"""Profile files as they were at a git revision, for ``diff PROFILE@REV``.

A reviewer compares a profile with itself at ``HEAD~1`` or ``main``: every
layer must come from that revision, not from the working tree, so ``extends``
resolves inside it. ``GitSource`` is a ``layers.Source``: one ``git ls-tree``
lists the files with their blob ids, one ``git cat-file --batch-check`` sizes
them and one ``git cat-file --batch`` reads them all by id (naming them
``REV:path`` would make git walk the trees once per file, several times slower
for a thousand files).

A committed symlink (mode 120000, its blob is the link's target path) is
followed inside the repository, as the working tree follows it
(``--follow-symlinks``); one that points outside the repository, or nowhere, is
refused with the reason, never read as YAML. A blob above the loader's size
bound is refused before it is read.
"""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path, PurePosixPath
from typing import Iterable

from ntprofile.layers import EXTENSIONS
from ntprofile.loader import MAX_FILE_BYTES, PROFILE, FileTooLarge

_SYMLINK = "120000"
_LINK_PROBLEMS = {
    b"symlink": "a symlink to '{}', outside the repository",
    b"dangling": "a symlink to a file that does not exist at this revision",
    b"loop": "a symlink loop",
    b"notdir": "a symlink through a file that is not a directory",
}


class GitError(Exception):
    """A revision or repository problem, worded for the user (a usage error)."""


def _git(cwd: Path, *args: str, input_: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], input=input_, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; PROFILE@REV needs it") from None


def locate(root: Path) -> tuple[Path, str]:
    """The repository toplevel holding ``root`` and ``root``'s path inside it (POSIX, ``''`` at the top).

    ``root`` need not exist in the working tree (a profiles folder deleted
    since): its nearest existing parent finds the repository.
    """
    absolute = Path(root).absolute()
    probe = absolute
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    proc = _git(probe, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise GitError(f"'{root}' is not inside a git repository; PROFILE@REV reads profiles from git")
    top = Path(proc.stdout.decode().strip())
    try:
        inside = absolute.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise GitError(f"'{root}' is not inside the git repository {top}") from None
    return top, "" if inside == "." else inside


class GitSource:
    """The profile files under ``prefix`` at revision ``rev`` of the repository at ``top``.

    ``root`` reads ``REV:prefix`` so positions print in git's own spelling
    (``HEAD~1:profiles/prod-bybit.yaml:14``), which ``git show`` accepts.
    """

    def __init__(self, top: Path, rev: str, prefix: str):
        self.top = top
        self.rev = rev
        self.prefix = prefix.strip("/")
        proc = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        if proc.returncode != 0 or not rev or rev.startswith("-"):
            raise GitError(f"unknown git revision '{rev}' in {top}")
        self.commit = proc.stdout.decode().strip()
        self.root = Path(f"{rev}:{self.prefix or '.'}")
        self._files: list[str] | None = None
        self._ids: dict[str, str] = {}
        self._links: set[str] = set()
        self._blobs: dict[str, bytes | OSError] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            spec = [f"{self.prefix}/"] if self.prefix else []
            proc = _git(self.top, "ls-tree", "-r", "-z", self.commit, "--", *spec)
            if proc.returncode != 0:
                raise GitError(f"cannot list files at revision '{self.rev}': {proc.stderr.decode().strip()}")
            ids: dict[str, str] = {}
            for record in proc.stdout.decode().split("\0"):
                meta, tab, full = record.partition("\t")
                fields = meta.split()
                if not tab or len(fields) != 3 or fields[1] != "blob":
                    continue
                rel = full[len(self.prefix) + 1 :] if self.prefix else full
                parts = PurePosixPath(rel).parts
                if rel.endswith(EXTENSIONS) and "\n" not in rel and not any(p.startswith(".") for p in parts):
                    ids[rel] = fields[2]
                    if fields[0] == _SYMLINK:
                        self._links.add(rel)
            self._files = sorted(ids)
            self._ids = ids
        return self._files

    def read(self, rel: str) -> bytes:
        if self._blobs is None:
            self._blobs = self._read_all()
        try:
            blob = self._blobs[rel]
        except KeyError:
            raise FileNotFoundError(2, f"no file '{rel}' at revision '{self.rev}'") from None
        if isinstance(blob, OSError):
            raise blob
        return blob

    def _cat_file(self, option: str, names: list[str]) -> bytes:
        proc = _git(
            self.top, "cat-file", option, "--buffer", "--follow-symlinks", input_=("\n".join(names) + "\n").encode()
        )
        if proc.returncode != 0:
            raise GitError(f"cannot read files at revision '{self.rev}': {proc.stderr.decode().strip()}")
        return proc.stdout

    def _read_all(self) -> dict[str, bytes | OSError]:
        """Every listed file: its bytes, or the ``OSError`` that says why it is not read.

        ``--batch-check`` first (by blob id; a symlink by its path, so git follows
        it), so a link leaving the repository or a huge blob is known before
        anything is read; then one ``--batch`` reads the rest by id.
        """
        rels = self.files()
        if not rels:
            return {}
        prefix = f"{self.prefix}/" if self.prefix else ""
        names = [f"{self.commit}:{prefix}{rel}" if rel in self._links else self._ids[rel] for rel in rels]
        data, at = self._cat_file("--batch-check", names), 0
        out: dict[str, bytes | OSError] = {}
        wanted: list[tuple[str, str]] = []
        for rel in rels:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if header and header[0] in _LINK_PROBLEMS:  # '<kind> <size>', then that many bytes
                size = int(header[1])
                detail = data[at : at + size].decode("utf-8", "replace")
                at += size + 1
                out[rel] = OSError(errno.ELOOP, _LINK_PROBLEMS[header[0]].format(detail))
            elif len(header) >= 3 and header[1] == b"blob":
                size = int(header[2])
                if size > MAX_FILE_BYTES:
                    out[rel] = FileTooLarge(size, MAX_FILE_BYTES, PROFILE)
                else:
                    wanted.append((rel, header[0].decode()))
            else:  # 'missing', or a link to a directory
                out[rel] = OSError(errno.ENOENT, f"not a file at revision '{self.rev}'")
        if wanted:
            data, at = self._cat_file("--batch", [sha for _, sha in wanted]), 0
            for rel, _ in wanted:
                end = data.index(b"\n", at)
                size = int(data[at:end].split()[2])
                at = end + 1
                out[rel] = data[at : at + size]
                at += size + 1
        return out


def split_revision(arg: str) -> tuple[str, str | None]:
    """``prod-bybit@HEAD~1`` -> ``("prod-bybit", "HEAD~1")``; no ``@`` -> ``(arg, None)``."""
    if "@" not in arg:
        return arg, None
    name, _, rev = arg.partition("@")
    return name, rev


REVISION_VARIABLE = "NTPROFILE_REVISION"
"""The profiles' revision where git cannot tell (a container); rendered deployments set it."""


def revision(root: Path | str, files: Iterable[Path | str] | None = None) -> str | None:
    """The commit of the profiles: the root's ``HEAD``, or with ``files`` the last commit that changed them.

    ``<sha>-dirty`` when one of them (or anything below the root) has
    uncommitted changes; ``None`` outside a repository, without git, or for
    files git does not know yet. Per-target ``files`` (its layer chain) make the
    revision change only when that target's profiles do, so a deployment that
    carries it restarts only the nodes whose profiles changed.
    """
    root = Path(root)
    if not root.is_dir():
        return None
    paths = [str(Path(f).absolute()) for f in files] if files is not None else ["."]
    try:
        if files is None:
            head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
        else:
            head = _git(root, "log", "-1", "--format=%H", "--", *paths)
        if head.returncode != 0 or not head.stdout.strip():
            return None
        status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", *paths)
    except GitError:
        return None
    commit = head.stdout.decode().strip()
    return f"{commit}-dirty" if status.returncode != 0 or status.stdout.strip() else commit
