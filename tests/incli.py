"""`elderscan …` as the command line runs it, inside the test's process: `elderscan.cli.root.main`
with the same arguments, environment, working folder, program name and exit code as
`python -m elderscan …`, without the 0.5–1 s a new Python process spends importing (the suite
runs about 120 commands).

    proc = elderscan(["token", "list"], env, cwd=tmp_path)   # a subprocess.CompletedProcess

What a new process would print on its own reaches the command's stderr here too: warnings and
log records at WARNING and above (Python's defaults, where pytest would keep them), exceptions of
threads and unraisable ones, and whatever a child process (Playwright's driver, Chromium) writes
to the inherited descriptors. What the process keeps for its life (the store's engines, the
Celery app, the terminal's language) is dropped before and after each run.

What stays in a process of its own: commands that start a service (`serve`, `worker`,
`scheduler`: they set up logging and signals for the process and may run until stopped), and
every command when `ELDERSCAN_TEST_CLI=process` is set as the tests start (to rule out anything
this harness hides). Tests about the process itself (its imports, Ctrl-C, start-up) start one.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console
from typer.testing import CliRunner

from elderscan.cli import console
from elderscan.cli.root import _command_named, main
from elderscan.runner import celery_app
from elderscan.runner import scan as runner_scan
from elderscan.runner.browsers import KeptBrowsers
from elderscan.store import reset_engines
from elderscan.terminal_lang import forget
from recorded import no_browser_lease, replay_from

SERVICES = ("serve", "worker", "scheduler")
"""commands run in a process of their own"""
MODE_ENV = "ELDERSCAN_TEST_CLI"
IN_PROCESSES = os.environ.get(MODE_ENV) == "process"
"""read at import, before the session drops the developer's ELDERSCAN_* variables"""
PROG = "python -m elderscan"
"""the name Click gives the program in its usage lines when run as `python -m elderscan`"""


def elderscan(args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None,
              timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `elderscan *args` with exactly `env` as its environment; stdout and stderr as text."""
    args = [str(a) for a in args]
    if IN_PROCESSES or _command_named(args) in SERVICES:
        return subprocess.run([sys.executable, "-m", "elderscan", *args], env=dict(env),
                              cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    runner = CliRunner()
    overdue = ""
    with _process_state(), _in(cwd), _replaying(env), _descriptors() as children, \
            runner.isolation(env={k: None for k in os.environ} | dict(env)) as (out, err, _), \
            _fresh_consoles(), _what_a_process_prints():
        try:
            with _deadline(timeout, children.original_stderr):
                code = _run(args)
        except _Overdue:
            overdue = traceback.format_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = _text(out.getvalue()), _text(err.getvalue())
    if overdue:
        raise subprocess.TimeoutExpired(["elderscan", *args], timeout, output=stdout,
                                        stderr=stderr + overdue)
    return subprocess.CompletedProcess(["elderscan", *args], code, stdout,
                                       stderr + _text(children.written))


def _run(args: list[str]) -> int:
    """The exit code `python -m elderscan *args` would end with; an exception that escapes is
    printed as the interpreter prints it (the tests look for tracebacks)."""
    try:
        main(args, prog_name=PROG)
    except SystemExit as done:
        if done.code is None:
            return 0
        if isinstance(done.code, int):
            return done.code & 0xFF
        print(done.code, file=sys.stderr)
        return 1
    except _Overdue:
        raise
    except BaseException:  # as the interpreter would: print it, exit 1
        traceback.print_exc()
        return 1
    return 0


def _text(data: bytes) -> str:
    """As `text=True` reads a pipe: UTF-8 with universal newlines."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _process_state() -> Iterator[None]:
    """The command starts with nothing this process kept (as a new process would) and leaves
    nothing behind: the store's engines, the Celery app, the chosen terminal language, and the
    environment as a whole (a variable the command set for itself is gone afterwards)."""
    environ = dict(os.environ)
    forgotten = (reset_engines, celery_app.forget_app, forget)
    for each in forgotten:
        each()
    try:
        yield
    finally:
        for each in forgotten:
            each()
        os.environ.clear()
        os.environ.update(environ)


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
    replayed = replay_from(env)
    if replayed is None:
        yield
        return
    real_scan, real_lease = runner_scan.scan_site, KeptBrowsers.lease
    runner_scan.scan_site = replayed
    KeptBrowsers.lease = no_browser_lease
    try:
        yield
    finally:
        runner_scan.scan_site = real_scan
        KeptBrowsers.lease = real_lease


@dataclass
class _Descriptors:
    original_stderr: int
    """a copy of descriptor 2 as it was before the run"""
    written: bytes = b""
    """what children wrote to descriptors 1 and 2 during the run (read once it is over)"""


@contextlib.contextmanager
def _descriptors() -> Iterator[_Descriptors]:
    """Descriptors 1 and 2 pointed at a file for the run: a child process started by the
    command (Playwright's driver, Chromium) writes there, as it would to the command's own
    output; what it wrote is more of the command's stderr."""
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    found = _Descriptors(saved[2])
    with tempfile.TemporaryFile() as sink:
        try:
            for fd in saved:
                os.dup2(sink.fileno(), fd)
            yield found
        finally:
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            sink.seek(0)
            found.written = sink.read()


@contextlib.contextmanager
def _fresh_consoles() -> Iterator[None]:
    """The command's Rich consoles set up as a new process would set them up: from this run's
    environment (`COLUMNS`, `FORCE_COLOR`, `NO_COLOR`) and streams; put back afterwards.
    (Typer's own usage-error box reads the terminal's settings once, at import.)"""
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
def _what_a_process_prints() -> Iterator[None]:
    """Python's own defaults for what reaches stderr, where pytest would collect it instead:
    warnings under the interpreter's default filters, log records at WARNING and above (the
    last-resort handler of a process that set up no logging), and exceptions of threads and
    unraisable ones."""
    handler = logging.StreamHandler()  # writes to sys.stderr as it is when a record comes
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    hooks = (threading.excepthook, sys.unraisablehook)
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("default")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                         ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = _show_warning
        root.addHandler(handler)
        threading.excepthook, sys.unraisablehook = (threading.__excepthook__,
                                                    sys.__unraisablehook__)
        try:
            yield
        finally:
            threading.excepthook, sys.unraisablehook = hooks
            root.removeHandler(handler)


def _show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: Any = None, line: str | None = None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


class _Overdue(BaseException):
    """Raised into a command that outlives its `timeout`, so the test fails as a subprocess's
    timeout would fail it."""


@contextlib.contextmanager
def _deadline(timeout: float, stacks_to: int) -> Iterator[None]:
    """`_Overdue` into the command once `timeout` has passed; a command that swallows it and
    is still running a minute later ends this test process with every thread's stack written
    to the descriptor `stacks_to`, so a hang fails the run instead of stopping it for good."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def overdue(signum: int, frame: FrameType | None) -> None:
        raise _Overdue

    previous = signal.signal(signal.SIGALRM, overdue)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    faulthandler.dump_traceback_later(timeout + 60, exit=True, file=stacks_to)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
