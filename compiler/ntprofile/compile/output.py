"""Write ``build/PROFILE/`` atomically: ``node.json`` and ``env.example`` (rendered by ``tools.variables``).

Nothing is lost or half-written, and ``build/PROFILE/`` stays a plain
directory (operators copy it, mount it, ``COPY`` it into images):

- the new output is written to a temporary directory next to the target and
  swapped in with ``renameat2(RENAME_EXCHANGE)``, one atomic step on Linux, so
  a reader sees the old output or the new one and never neither; where the
  platform or file system has no exchange, two renames do it and an interrupted
  swap is repaired by the next ``compile`` (``recover``);
- ntprofile replaces only what it wrote: its output carries a marker
  (``MARKER``, listing its files); a regular file, a symlink, or a directory
  holding anything else in the target's place is refused (``OutputError``);
- compiles of one build directory take turns (``flock`` on the directory), so
  two at once both succeed, and leftovers of a run killed midway (``SIGKILL``)
  are removed, or put back when they are the only output;
- directories follow the umask, as the files do.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: compiles of one directory are not serialised
    fcntl = None  # type: ignore[assignment]


def render_node_json(node_json: dict[str, Any]) -> str:
    """``node.json`` text: NautilusTrader's JSON, indented for review in a diff."""
    return json.dumps(node_json, indent=2) + "\n"


def config_digest(node_json: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the ``node.json`` text: placeholders verbatim, so no resolved value (no secret) goes in.

    ``run`` logs it and rendered deployments carry it: it equals ``sha256sum``
    of the ``node.json`` that ``ntprofile compile`` writes from the same profiles.
    """
    return "sha256:" + hashlib.sha256(render_node_json(node_json).encode("utf-8")).hexdigest()


MARKER = ".ntprofile-output"
"""The file that marks a directory as ntprofile's output; it lists the files ntprofile wrote there."""

_MARKER_HEADER = "# Written by ntprofile compile: this directory is replaced as a whole on every compile.\n"
_LEGACY_NAMES = frozenset({"node.json", "env.example"})
"""What an output written before the marker existed may hold."""


class OutputError(Exception):
    """The target path holds something ntprofile did not write, so it is not replaced (a usage error)."""


def write_build(build_dir: Path, profile: str, files: dict[str, str]) -> Path:
    """Replace ``build_dir/profile/`` by exactly ``files`` (name -> text), atomically.

    Returns the output directory. On any error the previous output is kept.
    A ``profile`` with '/' (``env/production``) writes ``build_dir/env/production/``;
    one that would leave ``build_dir`` (absolute, ``..``, empty parts) is a ``ValueError``.
    Raises ``OutputError`` when the target is not ntprofile's output, ``OSError``
    when it cannot be written (a read-only or full file system).
    """
    parts = profile.split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        raise ValueError(f"not a profile name to write under {build_dir}: {profile!r}")
    target = build_dir.joinpath(*parts)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    leaf = parts[-1]
    with _locked(parent):
        _recover(parent, leaf)
        _check_replaceable(target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{leaf}.", suffix=".tmp", dir=parent))
        try:
            os.chmod(tmp, 0o777 & ~_umask())
            for name, text in {**files, MARKER: _MARKER_HEADER + "".join(f"{n}\n" for n in files)}.items():
                with open(tmp / name, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            _fsync_dir(tmp)
            if not os.path.lexists(target):
                os.rename(tmp, target)
            elif not _exchange(tmp, target):  # tmp now holds the old output, removed below
                _swap_by_renames(tmp, target, parent, leaf)
            _fsync_dir(parent)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def recover(build_dir: Path, profile: str) -> None:
    """Repair what a compile of ``profile`` killed midway left in ``build_dir`` (nothing when it does not exist)."""
    target = build_dir.joinpath(*profile.split("/"))
    if target.parent.is_dir():
        with _locked(target.parent):
            _recover(target.parent, target.name)


def _leftovers(parent: Path, leaf: str) -> list[Path]:
    """``.LEAF.XXXXXXXX.tmp`` / ``.old`` directories of ``leaf`` (never of a target named ``LEAF.x``)."""
    pattern = re.compile(rf"\.{re.escape(leaf)}\.[a-z0-9_]{{8}}\.(tmp|old)")
    return sorted(parent / name for name in os.listdir(parent) if pattern.fullmatch(name))


def _recover(parent: Path, leaf: str) -> None:
    """Under the lock no compile is under way, so every leftover is from one that was killed.

    A ``.old`` holding the previous output goes back in place when the target
    is missing (killed between two renames); everything else is removed.
    """
    target = parent / leaf
    for path in _leftovers(parent, leaf):
        if path.suffix == ".old" and not os.path.lexists(target):
            inner = path / leaf  # earlier versions of ntprofile kept it one level down
            old = inner if inner.is_dir() else path
            if _is_own_output(old):
                os.rename(old, target)
        shutil.rmtree(path, ignore_errors=True)


def _is_own_output(path: Path) -> bool:
    """True for a directory ntprofile wrote: only the files its marker lists (or, unmarked, node.json/env.example)."""
    names = set(os.listdir(path))
    try:
        listed = {line for line in (path / MARKER).read_text(encoding="utf-8").splitlines() if not line.startswith("#")}
    except FileNotFoundError:
        return names <= _LEGACY_NAMES
    except (OSError, UnicodeDecodeError):
        return False
    return names - {MARKER} <= listed


def _check_replaceable(target: Path) -> None:
    """``OutputError`` unless ``target`` is absent or ntprofile's own output."""
    if not os.path.lexists(target):
        return
    if target.is_symlink() or not target.is_dir():
        kind = "a symlink" if target.is_symlink() else "a file"
        raise OutputError(
            f"{target} is {kind}, not ntprofile's output; ntprofile replaces only a directory it wrote "
            "(move it away, or pick another --build-dir)"
        )
    if not _is_own_output(target):
        foreign = sorted(set(os.listdir(target)) - _LEGACY_NAMES - {MARKER})
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise OutputError(
            f"{target} holds files ntprofile did not write ({shown}); ntprofile replaces only its own output "
            "(move them away, or pick another --build-dir)"
        )


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``directory``: compiles into it take turns."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a file system that cannot sync a directory is left as it is)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where that is not available."""
    renameat2: Any = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_by_renames(tmp: Path, target: Path, parent: Path, leaf: str) -> None:
    """The swap without an exchange: old output aside, new one in. Killed in between, ``recover`` puts it back."""
    old = Path(tempfile.mkdtemp(prefix=f".{leaf}.", suffix=".old", dir=parent))
    os.rmdir(old)  # a fresh name to rename to
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
