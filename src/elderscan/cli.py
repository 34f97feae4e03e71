"""The `elderscan` command.

Exit codes, for CI: 0 success, 1 a gate failed (the `ci` command, later), 2 usage or run error.
Every error a user can cause ends as one line on stderr, never a traceback (`--debug` shows it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import psutil
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from elderscan.api import cli as api_cli
from elderscan.devserver import SiteServer
from elderscan.errors import ElderscanError, UsageError, first_line
from elderscan.result import ScanReport
from elderscan.runner.cli import runner_app
from elderscan.runner.settings import describe_error, load_settings
from elderscan.store.cli import db_app
from elderscan.version import __version__

app = typer.Typer(
    name="elderscan",
    help="Scores how well websites serve older people (适老化): font size, contrast, voice, "
    "elder mode, ads and accessibility.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(runner_app)
api_cli.register(app)
err = Console(stderr=True)
out = Console()

DEMO_SITE = "gov-elder-link"


def fixtures_root() -> Path:
    """Bundled fixture sites: $ELDERSCAN_FIXTURES, else `fixtures/sites` of the source tree."""
    env = os.environ.get("ELDERSCAN_FIXTURES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "fixtures" / "sites"


def _version(value: bool) -> None:
    if value:
        out.print(f"elderscan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """elderscan command line."""


def _normalise_target(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        if not url or url.startswith(("/", ".")) or " " in url:
            raise UsageError(f"not a URL: {url!r} (expected e.g. https://www.example.gov.cn/)")
        url = "https://" + url
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"only http(s) URLs can be scanned, not {url.split(':', 1)[0]}:")
    return url


@contextlib.contextmanager
def _demo_site(name: str) -> Iterator[str]:
    root = fixtures_root() / name
    if not root.is_dir():
        available = sorted(p.name for p in fixtures_root().glob("*") if p.is_dir())
        raise UsageError(f"no bundled fixture site {name!r}; available: {', '.join(available)}")
    with SiteServer(root) as server:
        yield server.url


class _MemorySampler:
    """Peak memory of this process and its children (the browser), sampled twice a second.

    PSS, not RSS: Chromium's processes share most of their pages, and summing RSS counts the
    shared ones once per process (about twice the real figure on a small scan).
    """

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> float:
        total = 0
        with contextlib.suppress(psutil.Error):
            me = psutil.Process()
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    try:
                        total += proc.memory_full_info().pss
                    except (psutil.AccessDenied, AttributeError):
                        total += proc.memory_info().rss
        return total / 1024 / 1024

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_mb = max(self.peak_mb, self._sample())

    def __enter__(self) -> _MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if len(path) <= 40 else path[:37] + "..."


DIMENSION_NAMES = {
    "elder_mode": "适老模式 elder mode", "font": "字号 font", "contrast": "对比度 contrast",
    "voice": "语音 voice", "ads": "广告弹窗 ads", "accessibility": "无障碍 a11y",
}


def _verdict(report: ScanReport) -> None:
    score = report.score
    if score is None:
        return
    total = score["total"]
    if total is None:
        out.print(f"score: not computed ({', '.join(score['unscored'])} could not be judged)")
    else:
        color = "green" if score["passed"] else "red"
        out.print(f"[bold {color}]score {total:g}/100 · grade {score['grade']} · "
                  f"{'passed' if score['passed'] else 'FAILED'} (pass line {score['pass_line']:g})"
                  f"[/bold {color}]")
    dims = " · ".join(f"{DIMENSION_NAMES[d]} {'—' if v is None else f'{v:g}'}"
                      for d, v in score["dimensions"].items())
    out.print(dims, highlight=False)
    for veto in score["vetoes"]:
        out.print(f"[red]veto {veto['rule']}: {veto['message']}[/red]", highlight=False)
    elder, voice = report.elder_mode or {}, report.voice or {}
    if elder:
        px = elder.get("main_text_px") or {}
        out.print(f"elder mode: {elder['kind']}"
                  + (f" via “{elder['entry']['text']}”" if elder.get("entry") else "")
                  + (f", effective={elder['effective']} ({px.get('standard')}→{px.get('elder')} px)"
                     if elder["kind"] != "none" else ""), highlight=False)
    if voice:
        out.print(f"voice: found={voice['found']} functional={voice['functional']} "
                  f"kind={voice['kind']}", highlight=False)


def _summary(report: ScanReport, elapsed: float, peak_mb: float) -> None:
    table = Table(title=f"elderscan · {report.target}", title_justify="left")
    for column in ("page", "view", "HTTP", "text px", "≥18px", "low contrast", "worst",
                   "pop-up", "float"):
        table.add_column(column, overflow="fold")
    for page in report.pages:
        view = page.viewport[0] + (" 老" if page.mode == "elder" else "")
        if page.findings and page.findings[0].rule == "page.load":
            table.add_row(_path_of(page.url), view, str(page.http_status or "—"),
                          f"[red]{page.findings[0].value}[/red]", "", "", "", "", "")
            continue
        font, contrast, ads = (page.metrics.get(k, {}) for k in ("font", "contrast", "ads"))
        share = font.get("share_ge_18px")
        table.add_row(
            _path_of(page.url), view, str(page.http_status), f"{font.get('dominant_px')}",
            f"{share:.0%}" if share is not None else "—",
            f"{contrast.get('failed')}/{contrast.get('checked')}",
            f"{contrast.get('worst_ratio')}", "yes" if ads.get("popup_on_load") else "no",
            str(ads.get("floating")),
        )
    out.print(table)
    _verdict(report)
    s = report.summary
    rate = s.pages / elapsed if elapsed > 0 else 0.0
    out.print(
        f"status [bold]{report.status}[/bold] · {s.pages} page captures "
        f"({s.failed_pages} failed, {s.skipped} links skipped) in {elapsed:.1f}s "
        f"= {rate:.2f} pages/s · peak memory {peak_mb:.0f} MB · "
        f"Chromium {report.engine.chromium} · axe-core {report.engine.axe_core}"
    )
    for page in report.pages:
        if page.findings and page.findings[0].rule == "page.load":
            out.print(f"  failed: {page.url} ({page.viewport}): {page.findings[0].message}",
                      markup=False, highlight=False, soft_wrap=True)


@app.command()
def scan(
    url: Annotated[str | None, typer.Argument(
        help="Site to scan. Omit it to scan a bundled fixture site served locally.")] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="Pages per scan [10].")] = None,
    max_depth: Annotated[int | None, typer.Option(min=0, help="Link hops from start [3].")] = None,
    viewport: Annotated[str | None, typer.Option(
        help="desktop, mobile or both [desktop].")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the result here.")] = None,
    screenshots: Annotated[Path | None, typer.Option(
        help="Keep page screenshots in this folder.")] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, max=32,
                                                    help="Pages at once [2].")] = None,
    timeout: Annotated[float | None, typer.Option(
        min=1, help="Hard limit per page, in seconds [60].")] = None,
    include: Annotated[list[str] | None, typer.Option(help="Only URLs matching (regex).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Skip URLs matching (regex).")] = None,
    per_template: Annotated[int | None, typer.Option(
        min=1, help="Pages per URL template, e.g. news articles [3].")] = None,
    delay: Annotated[float | None, typer.Option(
        min=0, help="Seconds between requests to one host [0].")] = None,
    ignore_robots: Annotated[bool, typer.Option(
        help="Ignore robots.txt (for your own site).")] = False,
    no_sitemap: Annotated[bool, typer.Option(help="Do not read sitemap.xml.")] = False,
    fixture: Annotated[str, typer.Option(
        help="Bundled fixture site to scan when no URL is given.")] = DEMO_SITE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Scan a site: crawl it, capture each page in Chromium, write the result."""
    try:
        code = _scan(url, max_pages, max_depth, viewport, json_file, screenshots, concurrency,
                     timeout, include, exclude, per_template, delay, ignore_robots, no_sitemap,
                     fixture, quiet)
    except ElderscanError as exc:
        if debug:
            raise
        err.print(f"elderscan: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("elderscan: interrupted", markup=False)
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            raise
        err.print(f"elderscan: internal error: {first_line(exc)} (run with --debug for details)",
                  markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def _scan(
    url: str | None, max_pages: int | None, max_depth: int | None, viewport: str | None,
    json_file: Path | None, screenshots: Path | None, concurrency: int | None,
    timeout: float | None, include: list[str] | None, exclude: list[str] | None,
    per_template: int | None, delay: float | None, ignore_robots: bool, no_sitemap: bool,
    fixture: str, quiet: bool,
) -> int:
    if viewport is not None and viewport not in ("desktop", "mobile", "both"):
        raise UsageError(f"--viewport must be desktop, mobile or both, not {viewport!r}")
    if json_file is not None and not json_file.parent.is_dir():
        raise UsageError(f"cannot write {json_file}: folder {json_file.parent} does not exist")
    if screenshots is not None:
        try:
            screenshots.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create screenshot folder {screenshots}: {exc}") from exc
    overrides: dict[str, Any] = {
        "max_pages": max_pages, "max_depth": max_depth, "viewport": viewport,
        "screenshots_dir": screenshots, "concurrency": concurrency, "page_timeout": timeout,
        "include": tuple(include) if include else None,
        "exclude": tuple(exclude) if exclude else None, "per_template": per_template,
        "host_delay": delay, "obey_robots": False if ignore_robots else None,
        "sitemap": False if no_sitemap else None,
    }
    try:
        settings = load_settings(**overrides)
    except ValueError as exc:
        raise UsageError(f"bad setting: {describe_error(exc)}") from exc
    with contextlib.ExitStack() as stack:
        if url is None:
            target = stack.enter_context(_demo_site(fixture))
            err.print(f"No URL given: scanning the bundled fixture site '{fixture}' at {target}",
                      highlight=False)
        else:
            target = _normalise_target(url)
        with _MemorySampler() as memory:
            report, elapsed = _run_with_progress(target, settings, quiet)
    if json_file is not None:
        report.write_json(json_file)
    if report.status == "failed":
        message = report.error.message if report.error else "the scan failed"
        err.print(f"elderscan: error: {message}", markup=False, highlight=False, soft_wrap=True)
        return 2
    _summary(report, elapsed, memory.peak_mb)
    if json_file is not None:
        out.print(f"result written to {json_file}")
    return 0


def _run_with_progress(target: str, settings: Any, quiet: bool) -> tuple[ScanReport, float]:
    from elderscan.runner.scan import scan_site

    started = time.perf_counter()
    show = not quiet and err.is_terminal
    columns = (TextColumn("[bold]scanning"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("", total=settings.MAX_PAGES * len(settings.viewports))

        def on_event(kind: str, data: dict[str, object]) -> None:
            if kind == "page":
                bar.update(task, completed=int(str(data["done"])),
                           description=f"{data['viewport']} {data['url']}")
            if not show and not quiet:
                mark = "ok" if data.get("ok") else "FAILED"
                err.print(f"[{data['done']}] {data['viewport']} {data['url']} {mark}",
                          markup=False, highlight=False, soft_wrap=True)

        report = asyncio.run(scan_site(target, settings, progress=on_event))
    return report, time.perf_counter() - started


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
