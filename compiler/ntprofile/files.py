"""Files and directories an operator names: read bounded, written only where it can be.

Profiles, ``NAME_FILE`` secrets, env files and health files are all named by
someone else, and any of them can be a FIFO nobody writes (``open`` waits for
ever), a device (``/dev/zero`` never ends), a directory or a sparse file of many
gigabytes. ``read_bounded`` opens without blocking and asks ``fstat`` of the
opened descriptor (so a symlink or a rename between a check and the read cannot
slip another file in) before a byte is read, and reads at most one byte past
its bound. ``writable_directory`` and ``file_slot_problem`` say, before a
command removes or starts anything, why a directory or file path it was given
cannot be written, in one line. Pure standard library: the probe
(``ntprofile health``) and the validate path import it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

__all__ = [
    "PART_IS_A_FILE",
    "FileTooLarge",
    "NotRegularFile",
    "file_slot_problem",
    "kind",
    "read_bounded",
    "writable_directory",
]

PART_IS_A_FILE = "a part of the path is a file, not a directory"
"""Why a path under a regular file can be neither read nor written."""

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


class FileTooLarge(OSError):
    """A file above the bound of its kind: refused without reading it (``size`` is ``None`` when it grew)."""

    def __init__(self, size: int | None, limit: int, what: str):
        shown = f"{size} bytes" if size is not None else "more than that"
        super().__init__(errno.EFBIG, f"the file holds {shown}; {what} is at most {limit} bytes")
        self.size = size
        self.limit = limit


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory where a file is expected."""

    def __init__(self, kind: str, path: Path | str):
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))
        self.kind = kind


def read_bounded(path: Path | str, limit: int, what: str) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Parameters
    ----------
    path : Path or str
        The file (a symlink to a regular file is fine).
    limit : int
        The most bytes accepted.
    what : str
        What such a file is, for the message (``"a profile"``, ``"a secret file"``).

    Raises ``NotRegularFile`` for anything but a regular file, ``FileTooLarge``
    above ``limit``, and the ``OSError`` of ``open`` (missing, no permission).
    Messages name the kind and the size, never the content.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket cannot be opened: say what it is
            raise NotRegularFile(kind(path), path) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(_KINDS.get(stat.S_IFMT(info.st_mode), "something else"), path)
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit, what)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(None, limit, what)
        return b"".join(chunks)
    finally:
        os.close(fd)


def kind(path: Path | str) -> str:
    """What is at ``path``, in words (``a FIFO``, ``a directory``), for a message saying it is not a file."""
    try:
        return _KINDS.get(stat.S_IFMT(os.stat(path).st_mode), "something else")
    except OSError:
        return "something else"


def writable_directory(path: Path | str, create: bool = True) -> str | None:
    """``None`` when ``path`` is (or can become) a directory a file can be written in; else why not, in words.

    Checked by doing it, not by permission bits, so it holds for root too (a
    read-only mount, ``/proc``). ``create``: make the directory (and its
    parents) as the check; without it nothing is created, and the nearest
    existing ancestor must be a directory that can be written.
    """
    path = Path(path)
    existing = path
    while not create and not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if existing != path:
        if not existing.is_dir():
            return PART_IS_A_FILE
        return _write_problem(existing)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "a file of that name is in the way"
    except NotADirectoryError:
        return PART_IS_A_FILE
    except OSError as exc:
        return f"cannot create it: {exc.strerror or exc}"
    if not path.is_dir():
        return "it is not a directory"
    return _write_problem(path)


def _write_problem(directory: Path) -> str | None:
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".ntprofile-check-"):
            pass
    except OSError as exc:
        return f"cannot write in {directory}: {exc.strerror or exc}"
    return None


def file_slot_problem(path: Path | str) -> str | None:
    """``None`` when a regular file can be written (or replaced) at ``path``; else why not, in words.

    For an output file a command replaces: what is there must be a regular
    file (or nothing), and its directory must be one that can be written.
    Nothing is created or removed.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        return "it names a directory, not a file"
    if os.path.lexists(path) and not path.is_file():
        return f"it is {kind(path) if path.exists() else 'a dangling symlink'}, not a regular file"
    if os.path.lexists(path.parent) and not path.parent.is_dir():
        return PART_IS_A_FILE
    return writable_directory(path.parent, create=False)
