"""`elderscan …` as the command line runs it, inside the test's process: the same entry point,
arguments, environment, working folder and exit code as `python -m elderscan …`, without the
0.5–1 s a new Python process spends importing (about 120 command runs in the suite).

    proc = elderscan(["token", "list"], env, cwd=tmp_path)   # a subprocess.CompletedProcess

What stays in a process of its own: commands that start a service (`serve`, `worker`,
`scheduler`: they configure logging and signals for the process and may run until stopped),
and every command when `ELDERSCAN_TEST_CLI=process` (to rule out anything this harness hides).
Tests about the process itself (its imports, Ctrl-C, start-up time) start one themselves.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType

from rich.console import Console
from typer.testing import CliRunner

from elderscan.cli import console
from elderscan.cli.root import _command_named, build
from elderscan.runner import scan as runner_scan
from elderscan.runner.browsers import KeptBrowsers
from elderscan.store import reset_engines
from recorded import REPLAY_ENV, REPLAY_PACE_ENV, no_browser_lease, replaying

SERVICES = ("serve", "worker", "scheduler")
"""commands run in a process of their own"""
MODE_ENV = "ELDERSCAN_TEST_CLI"


def elderscan(args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None,
              timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `elderscan *args` with exactly `env` as its environment; stdout and stderr as text."""
    args = [str(a) for a in args]
    if os.environ.get(MODE_ENV) == "process" or _command_named(args) in SERVICES:
        return subprocess.run([sys.executable, "-m", "elderscan", *args], env=dict(env),
                              cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    # the variables this process has and the command must not see are unset for the run
    overrides: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    overrides.update(env)
    with _in(cwd), _replaying(env), _deadline(timeout, args):
        runner = CliRunner()
        with runner.isolation(env=overrides) as (stdout, stderr, _):
            with _fresh_consoles():
                code = _main(args)
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
    # a new process would open its own: no pooled connection or broker outlives the run
    reset_engines()
    celery = sys.modules.get("elderscan.runner.celery_app")
    if celery is not None:
        celery.forget_app()
    return subprocess.CompletedProcess(["elderscan", *args], code, out.decode("utf-8"),
                                       err.decode("utf-8"))


def _main(args: list[str]) -> int:
    """`elderscan.cli.root.main` with `args`: the exit code a process would end with; an
    exception that escapes is printed as Python would print it (tests look for tracebacks)."""
    try:
        build(_command_named(args))(args=args, prog_name="elderscan", standalone_mode=True)
    except SystemExit as done:
        code = done.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except _Overdue:
        raise
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


@contextlib.contextmanager
def _fresh_consoles() -> Iterator[None]:
    """The command's Rich consoles set up as a new process would set them up: from this run's
    environment (`COLUMNS`, `FORCE_COLOR`, `NO_COLOR`) and streams; put back afterwards."""
    saved = {c: dict(vars(c)) for c in (console.out, console.err)}
    for each in saved:
        Console.__init__(each, stderr=each.stderr)
    try:
        yield
    finally:
        for each, state in saved.items():
            vars(each).clear()
            vars(each).update(state)


@contextlib.contextmanager
def _in(cwd: Path | None) -> Iterator[None]:
    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _replaying(env: Mapping[str, str]) -> Iterator[None]:
    """What `tests/replaying/sitecustomize.py` does at a new process's start, for this run."""
    served = env.get(REPLAY_ENV)
    if served is None:
        yield
        return
    real_scan, real_lease = runner_scan.scan_site, KeptBrowsers.lease
    runner_scan.scan_site = replaying(  # type: ignore[assignment]
        dict(pair.rsplit("=", 1) for pair in served.split(",") if pair),
        pace=float(env.get(REPLAY_PACE_ENV) or 0))
    KeptBrowsers.lease = no_browser_lease  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        runner_scan.scan_site = real_scan  # type: ignore[assignment]
        KeptBrowsers.lease = real_lease  # type: ignore[method-assign]


class _Overdue(BaseException):
    """Raised into a command that outlives its `timeout` (a hang fails the test, as a
    subprocess's timeout would, instead of stopping the suite)."""


@contextlib.contextmanager
def _deadline(timeout: float, args: list[str]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def overdue(signum: int, frame: FrameType | None) -> None:
        raise _Overdue

    previous = signal.signal(signal.SIGALRM, overdue)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    except _Overdue:
        raise subprocess.TimeoutExpired(["elderscan", *args], timeout) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
