"""The exit codes of the ``ntprofile`` command, in one place (README, "Diagnostics and exit codes")."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Exit", "signalled"]


class Exit(IntEnum):
    """What the process status of a command means."""

    OK = 0
    """Valid, success; ``diff``: equal."""
    INVALID = 1
    """An invalid profile or a failed check; ``diff``: different; ``run``: the node stopped without a signal."""
    USAGE = 2
    """A wrong command line, an unknown profile, key or revision; ``diff``: a side does not load."""
    INTERNAL = 3
    """A bug in ntprofile (``NTPROFILE_DEBUG=1`` shows the traceback)."""
    STOP_TIMEOUT = 4
    """``run``: the node did not stop within its bound."""
    START_FAILED = 5
    """``run``: the node did not start: clients not all connected within ``timeout_connection``, or the start-up
    reconciliation (or portfolio initialisation) failed; stopped and disposed."""
    INTERRUPTED = 130  # 128 + SIGINT (2 on every POSIX system; importing ``signal`` costs the hook 0.5 ms)
    """SIGINT before the node ran: nothing started."""
    TERMINATED = 143  # 128 + SIGTERM (15)
    """SIGTERM before the node ran: nothing started."""


def signalled(signum: int) -> int:
    """``128 + signal number``: the status a shell reports for a process ended by that signal."""
    return 128 + int(signum)
