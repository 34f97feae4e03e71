"""Running a scan in the terminal: the options checked and turned into settings, the bundled
fixture site served when no URL is given, a progress bar that names the page or probe in
progress, the peak memory measured, and `--json` written."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from elderscan.cli.console import err
from elderscan.cli.options import ScanArgs, check_lang
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.memory import PeakMemory
from elderscan.settings import ScanSettings, describe_error, load_settings
from elderscan.terminal_lang import os_reason, phase_text, say, terminal_lang


@dataclass
class ScanRun:
    report: ScanReport
    elapsed: float
    peak_mb: float | None
    """PSS of the scan's processes at their peak; None under `--quiet`, which shows no summary"""
    screenshots: Path | None



def fixtures_root() -> Path:
    """Bundled fixture sites: $ELDERSCAN_FIXTURES, else `fixtures/sites` of the source tree."""
    env = os.environ.get("ELDERSCAN_FIXTURES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "fixtures" / "sites"


def normalise_target(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        if not url or url.startswith(("/", ".")) or " " in url:
            raise UsageError(say("err.not_url", url=repr(url)))
        url = "https://" + url
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(say("err.scheme", scheme=url.split(":", 1)[0]))
    return url


@contextlib.contextmanager
def _demo_site(name: str) -> Iterator[str]:
    root = fixtures_root() / name
    if not root.is_dir():
        available = sorted(p.name for p in fixtures_root().glob("*") if p.is_dir())
        raise UsageError(say("err.fixture", name=repr(name), available=", ".join(available)))
    with SiteServer(root) as server:
        yield server.url


def _region(region: str | None) -> str | None:
    if region is None:
        return None
    if not region.strip():
        raise UsageError(say("err.region"))
    return region.strip()


def _settings(args: ScanArgs) -> ScanSettings:
    if args.viewport is not None and args.viewport not in ("desktop", "mobile", "both"):
        raise UsageError(say("err.viewport", value=repr(args.viewport)))
    if args.json_file is not None and not args.json_file.parent.is_dir():
        raise UsageError(say("err.no_folder", path=args.json_file,
                             folder=args.json_file.parent))
    if args.screenshots is not None:
        try:
            args.screenshots.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(say("err.shots", path=args.screenshots,
                                 reason=os_reason(exc))) from exc
    overrides: dict[str, Any] = {
        "max_pages": args.max_pages, "max_depth": args.max_depth, "viewport": args.viewport,
        "screenshots_dir": args.screenshots, "concurrency": args.concurrency,
        "page_timeout": args.timeout,
        "include": tuple(args.include) if args.include else None,
        "exclude": tuple(args.exclude) if args.exclude else None,
        "cookies": tuple(args.cookies) if args.cookies else None,
        "per_template": args.per_template, "host_delay": args.delay,
        # either side of these two flags overrides ELDERSCAN_OBEY_ROBOTS / ELDERSCAN_SITEMAP
        "obey_robots": None if args.ignore_robots is None else not args.ignore_robots,
        "sitemap": None if args.no_sitemap is None else not args.no_sitemap,
        "region": _region(args.region),
        **args.extra,
    }
    try:
        return load_settings(**overrides)
    except ValueError as exc:
        raise UsageError(say("err.setting", detail=describe_error(exc, terminal_lang()))) from exc


def run_scan(args: ScanArgs) -> ScanRun:
    """Validate the options, scan (the demo fixture site when no URL), write `--json`."""
    lang = check_lang(args.lang)
    settings = _settings(args)
    with contextlib.ExitStack() as stack:
        if args.url is None:
            target = stack.enter_context(_demo_site(args.fixture))
            if not args.quiet:
                err.print(say("scan.fixture", lang, name=args.fixture, url=target),
                          highlight=False)
        else:
            target = normalise_target(args.url)
        # Only the summary shows the peak, and `--quiet` prints none: PSS sampling costs ~2 %
        # of a 50-page scan's CPU (the kernel walks every Chromium process's mappings).
        memory = None if args.quiet else stack.enter_context(PeakMemory())
        report, elapsed = _run_with_progress(target, settings, args.quiet, lang)
    if args.json_file is not None:
        report.write_json(args.json_file)
    return ScanRun(report, elapsed, memory.peak_pss_mb if memory else None, args.screenshots)


def _run_with_progress(target: str, settings: ScanSettings, quiet: bool,
                       lang: Lang) -> tuple[ScanReport, float]:
    from elderscan.scanner import driver_process

    started = time.perf_counter()
    show = not quiet and err.is_terminal
    columns = (SpinnerColumn(), TextColumn(f"[bold]{escape(say('scan.bar', lang))}"),
               BarColumn(bar_width=16), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    phase = ScanPhase(lang)
    with Progress(*columns, console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("", total=settings.MAX_PAGES * len(settings.viewports))

        def on_event(kind: str, data: dict[str, object]) -> None:
            phase.hear(kind, data)
            if kind == "page":
                bar.update(task, completed=int(str(data["done"])))
                if not show and not quiet:
                    mark = say("ok" if data.get("ok") else "failed", lang)
                    err.print(say("scan.page", lang, done=data["done"],
                                  viewport=viewport_name(str(data["viewport"]), lang),
                                  url=data["url"], mark=mark),
                              markup=False, highlight=False, soft_wrap=True)
            elif kind == "phase" and data.get("phase") == "probes":
                done = int(bar.tasks[0].completed)
                bar.update(task, total=max(done, 1), completed=max(done, 1))
            bar.update(task, description=escape(phase.text()))

        async def scan() -> ScanReport:
            # The browser's driver (a Node.js process, most of a browser's start) starts first,
            # and the scan's modules are imported while it does (see `driver_process`).
            driver_process.start_early()
            try:
                scan_site = await asyncio.to_thread(_scan_site)
                return await scan_site(target, settings, progress=on_event, lang=lang)
            finally:
                await driver_process.discard_early()

        report = asyncio.run(scan())
    return report, time.perf_counter() - started


def _scan_site() -> Callable[..., Awaitable[ScanReport]]:
    from elderscan.runner.scan import scan_site

    return scan_site


def viewport_name(viewport: str, lang: Lang) -> str:
    return say(viewport, lang) if viewport in ("desktop", "mobile") else viewport


class ScanPhase:
    """Where a running scan is, from its progress events, worded for the terminal: the page
    being loaded, then the probe still running, then scoring."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.phase = "loading"
        self.probe: str | None = None
        self.detail = ""

    def hear(self, kind: str, data: dict[str, object]) -> None:
        if kind == "page":
            self.detail = f"{viewport_name(str(data['viewport']), self.lang)} {data['url']}"
        elif kind == "probe":
            self.probe = str(data.get("probe"))
        elif kind == "phase":
            self.phase = str(data.get("phase"))

    def text(self) -> str:
        return phase_text(self.phase, self.probe, self.lang, self.detail)
