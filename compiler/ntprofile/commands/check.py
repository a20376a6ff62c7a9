"""``ntprofile check PROFILE``: resolve, preflight, build the node without connecting, dispose.

The last gate before real money: every placeholder resolved from the
environment and ``.env``, Redis answering, directories writable, strategies
importable, NautilusTrader's ``TradingNode`` built with the adapters' client
factories, then disposed. No exchange is contacted: clients are created, never
connected. ``run`` shares everything up to the build.

``--online`` then asks each venue, read-only, what only it can confirm (the key
accepted, its permissions, the clock, the account's position mode): see
``ntprofile.node.online``.

``check PROFILE ...`` and ``check --all`` check each target in turn in a fresh
``ntprofile check`` process: NautilusTrader sets up its logging once per
process, so a second node built in the same one would log under the first
one's trader id and into its file, and its own log directory would stay empty.
A process per target keeps every target's logs its own, at the price of
NautilusTrader's import per target (``compile --all`` imports it once).
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Sequence

from ntprofile.cli import UsageError, add_profiles_option, err, out
from ntprofile.exits import Exit
from ntprofile.node.requirements import require_node

NAME = "check"
HELP = "resolve variables, preflight (Redis, directories, strategies), build the node without connecting, dispose"

PROFILE_VARIABLE = "PROFILE"
"""Read when no PROFILE argument is given (the Docker image sets it), from the environment, then the env file."""


def configure(parser: argparse.ArgumentParser) -> None:
    add_node_options(parser, several=True)
    parser.add_argument(
        "--online",
        action="store_true",
        help="then make read-only signed calls to each venue: key accepted, permissions, clock, position mode",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show NautilusTrader's own log lines at the profile's level (default: warnings only)",
    )


def add_node_options(parser: argparse.ArgumentParser, several: bool = False) -> None:
    """The options ``check`` and ``run`` share; ``several``: more than one target, or ``--all`` (``check``)."""
    parser.add_argument(
        "targets" if several else "profile",
        metavar="PROFILE",
        nargs="*" if several else "?",
        default=[] if several else None,
        help=f"target name (prod-bybit) or its file; default ${PROFILE_VARIABLE} (environment, then the env file)",
    )
    if several:
        parser.add_argument("--all", action="store_true", help="every target of the profiles root, one at a time")
    parser.add_argument(
        "--env-file",
        metavar="PATH",
        default=None,
        help="read variables from PATH after the environment (default: ./.env when present, or .env beside a "
        "profiles root found in a folder above)",
    )
    add_profiles_option(parser)


def prepare_from_args(args: argparse.Namespace, command: str) -> Any | None:
    """The prepared target of the command line, or ``None`` after printing why it failed."""
    from ntprofile.diagnostics import render
    from ntprofile.language.placeholders import VariableError
    from ntprofile.layers import Workspace, output_base
    from ntprofile.pipeline import prepare
    from ntprofile.resolve import EnvFileError, environment_lookup

    try:
        lookup = environment_lookup(args.env_file, output_base(args.profiles))
    except EnvFileError as exc:
        raise UsageError(str(exc)) from None
    try:
        arg = args.profile or lookup(PROFILE_VARIABLE)  # the environment, then .env / --env-file, then PROFILE_FILE
    except VariableError as exc:
        raise UsageError(exc.message) from None
    if not arg:
        raise UsageError(
            f"no PROFILE given (an argument, or {PROFILE_VARIABLE} in the environment or the env file);"
            " see 'ntprofile list'"
        )
    workspace = Workspace(args.profiles)
    name = workspace.select(arg)
    prepared = prepare(workspace, name, lookup=lookup, preflight=True)
    if prepared.diagnostics:
        out(render(prepared.diagnostics))
    if not prepared.ok:
        errors = sum(d.is_error for d in prepared.diagnostics)
        err(f"ntprofile {command} {name}: failed with {errors} error(s); no node built")
        return None
    return prepared


def build(prepared: Any, command: str, quiet: bool, signals: Any) -> Any | None:
    """The built node, or ``None`` after printing NautilusTrader's refusal as R006.

    SIGINT/SIGTERM raise ``ntprofile.node.Interrupted`` from here on (the node,
    if any, disposed): see ``interrupted``.
    """
    from ntprofile.diagnostics import Diagnostic
    from ntprofile.releases import backend

    node_backend = backend()
    config = prepared.config
    if quiet:
        config = node_backend.quiet(config)
    try:
        return node_backend.build_node(config, signals)
    except Exception as exc:  # noqa: BLE001 - NautilusTrader raises many types; report, never trace
        from ntprofile.language.secrets import REDACTOR

        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        detail = REDACTOR.withhold(detail)
        diag = Diagnostic("R006", f"NautilusTrader could not build the node: {type(exc).__name__}: {detail}")
        out(diag.render())
        err(f"ntprofile {command} {prepared.name}: failed with 1 error(s)")
        return None


def prepared_node(args: argparse.Namespace, command: str, quiet: bool, signals: Any) -> tuple[Any, Any, float] | None:
    """The prepared target, its built node and the seconds the build took; ``None`` after printing why not."""
    prepared = prepare_from_args(args, command)
    if prepared is None:
        return None
    started = time.perf_counter()
    node = build(prepared, command, quiet=quiet, signals=signals)
    if node is None:
        return None
    return prepared, node, time.perf_counter() - started


def interrupted(exc: Any, command: str, before: str) -> int:
    """Report a SIGINT/SIGTERM that arrived ``before`` something, and the exit status to use."""
    err(f"ntprofile {command}: interrupted by {exc.name} {before}")
    return exc.exit_code


def print_summary(prepared: Any, status: str, extra: Sequence[tuple[str, str]] = ()) -> None:
    from ntprofile.node.summary import summary

    out(f"{prepared.name}: {status}")
    for label, text in [*summary(prepared), *extra]:
        out(f"  {label:<12} {text}")


def run(args: argparse.Namespace) -> int:
    if args.online:
        from ntprofile.layers import default_root
        from ntprofile.releases import repository_release

        release, version, _ = repository_release(default_root(args.profiles))
        if not release.online:
            raise UsageError(
                f"--online asks the venues with NautilusTrader 1.x's clients; this repository targets {version}, "
                "whose client configs keep no credential a venue check could sign with (plain 'check' works)"
            )
    if args.all or len(args.targets) > 1:
        return run_several(args)
    args.profile = args.targets[0] if args.targets else None
    return run_one(args)


def run_several(args: argparse.Namespace) -> int:
    """Each target checked in its own ``ntprofile check`` process, in turn; one summary line.

    A SIGINT or SIGTERM is passed on to the target being checked (its own
    process group, so a terminal's Ctrl+C reaches it once), and no further
    target is started.
    """
    import signal
    import subprocess
    import sys

    from ntprofile.commands.compile import selected
    from ntprofile.exits import signalled
    from ntprofile.layers import Workspace

    names = selected(Workspace(args.profiles), args.targets, args.all)
    options = [*(["--env-file", args.env_file] if args.env_file else [])]
    options += [*(["--profiles", args.profiles] if args.profiles else []), *(["--verbose"] if args.verbose else [])]
    options += ["--online"] if args.online else []
    codes: dict[str, int] = {}
    received: list[int] = []
    child: list[subprocess.Popen] = []

    def forward(signum: int, _frame: Any) -> None:
        received.append(signum)
        if child and child[0].poll() is None:
            child[0].send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for name in names:
            if received:
                break
            child[:] = [
                subprocess.Popen([sys.executable, "-m", "ntprofile", NAME, name, *options], start_new_session=True)
            ]
            codes[name] = child[0].wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    failed = [name for name, code in codes.items() if code != Exit.OK]
    skipped = [name for name in names if name not in codes]
    err(
        f"Checked {len(codes) - len(failed)} of {len(names)} targets ok"
        + (f"; failed: {', '.join(failed)}" if failed else "")
        + (f"; not checked (interrupted): {', '.join(skipped)}" if skipped else "")
        + "."
    )
    if received:
        return signalled(received[0])
    worst = set(codes.values()) - {Exit.OK}
    for code in (Exit.INTERNAL, Exit.USAGE):
        if code in worst:
            return code
    return Exit.INVALID if worst else Exit.OK


def run_one(args: argparse.Namespace) -> int:
    from ntprofile.node import Interrupted, StopSignals
    from ntprofile.releases import backend

    require_node(profiles=args.profiles)

    signals = StopSignals()
    signals.start()
    try:
        made = prepared_node(args, NAME, quiet=not args.verbose, signals=signals)
        if made is None:
            return Exit.INVALID
        prepared, node, elapsed = made
        signals.stopping()  # a signal from now on must not cut the dispose short
        backend().dispose_node(node)
        online = check_online(prepared) if args.online else None
    except Interrupted as exc:
        return interrupted(exc, NAME, "before the check completed")
    from ntprofile.releases import active

    built = f"{active().node_name} built in {elapsed:.2f} s and disposed"
    if online is None:
        print_summary(prepared, f"ok ({built}; no exchange contacted)")
        return Exit.OK
    if any(d.is_error for d in online):
        err(f"ntprofile {NAME} {prepared.name}: failed with {sum(d.is_error for d in online)} error(s) at the venues")
        return Exit.INVALID
    print_summary(prepared, f"ok ({built}; {confirmed(prepared)})")
    return Exit.OK


def confirmed(prepared: Any) -> str:
    """What the venues confirmed: only the clients actually asked count (not a simulated venue, not a keyless feed)."""
    from ntprofile.node.online import asked, targets_of

    targets = targets_of(prepared)
    venues = sum(asked(t) for t in targets)
    rest = len(targets) - venues
    more = f"; {rest} client(s) not asked: simulated, keyless market data or no online check" if rest else ""
    return f"{venues} venue(s) confirmed the keys, read-only{more}"


def check_online(prepared: Any) -> list[Any]:
    """Every online finding for ``prepared``, printed; see ``ntprofile.node.online``."""
    from ntprofile.diagnostics import render
    from ntprofile.node.online import online_checks

    found = online_checks(prepared)
    if found:
        out(render(found))
    return found
