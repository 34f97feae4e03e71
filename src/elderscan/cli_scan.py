"""What `elderscan scan` and `elderscan ci` share: the scan options, running a scan with a
progress bar and a memory gauge, the printed summary, and the one-line error exits.

Options are declared once as `Annotated` aliases, so a new scan option is added in one place and
both commands take it with the same name, default and help.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from elderscan.checks._registry import Lang
from elderscan.devserver import SiteServer
from elderscan.errors import ElderscanError, UsageError, first_line
from elderscan.memory import PeakMemory
from elderscan.reports.digest import unjudged, unjudged_text
from elderscan.reports.versions import version_rows
from elderscan.result import ScanReport
from elderscan.runner.settings import ScanSettings, describe_error, load_settings

err = Console(stderr=True)
out = Console()

DEMO_SITE = "gov-elder-link"

# ------------------------------------------------------------------------ shared options

Url = Annotated[str | None, typer.Argument(
    help="Site to scan. Omit it to scan a bundled fixture site served locally.")]
MaxPages = Annotated[int | None, typer.Option(min=1, help="Pages per scan [10].")]
MaxDepth = Annotated[int | None, typer.Option(min=0, help="Link hops from start [3].")]
ViewportOpt = Annotated[str | None, typer.Option(help="desktop, mobile or both [desktop].")]
JsonFile = Annotated[Path | None, typer.Option("--json", help="Write the result here.")]
Screenshots = Annotated[Path | None, typer.Option(help="Keep page screenshots in this folder.")]
Concurrency = Annotated[int | None, typer.Option(min=1, max=32, help="Pages at once [2].")]
Timeout = Annotated[float | None, typer.Option(min=1, help="Hard limit per page, in seconds [60].")]
Include = Annotated[list[str] | None, typer.Option(help="Only URLs matching (regex).")]
Exclude = Annotated[list[str] | None, typer.Option(help="Skip URLs matching (regex).")]
Cookie = Annotated[list[str] | None, typer.Option(
    "--cookie", metavar="NAME=VALUE",
    help="Send this cookie to the scanned site's own host (repeatable): scan pages behind a "
    "sign-in. Never written to the result.")]
PerTemplate = Annotated[int | None, typer.Option(
    min=1, help="Pages per URL template, e.g. news articles [3].")]
Delay = Annotated[float | None, typer.Option(
    min=0, help="Seconds between requests to one host [0].")]
IgnoreRobots = Annotated[bool, typer.Option(help="Ignore robots.txt (for your own site).")]
NoSitemap = Annotated[bool, typer.Option(help="Do not read sitemap.xml.")]
Fixture = Annotated[str, typer.Option(help="Bundled fixture site to scan when no URL is given.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
Debug = Annotated[bool, typer.Option(help="Show tracebacks.")]
LangOpt = Annotated[str, typer.Option(help="Language of messages and reports: zh or en.")]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", help="Province, autonomous region or prefecture (西藏, 新疆, 内蒙古, 延边 …): "
    "the language versions it requires are checked (rule lang.version-required).")]
ReportFormats = Annotated[str | None, typer.Option(
    "--report", help="Also write reports: comma-separated html,json,csv,xlsx,junit,sarif,md.")]
OutDir = Annotated[Path | None, typer.Option(
    "--out", help="Folder for --report files [./elderscan-report].")]


@dataclass
class ScanArgs:
    """The scan options as given on the command line (None: the setting's default)."""

    url: str | None = None
    max_pages: int | None = None
    max_depth: int | None = None
    viewport: str | None = None
    json_file: Path | None = None
    screenshots: Path | None = None
    concurrency: int | None = None
    timeout: float | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    cookies: list[str] | None = None
    per_template: int | None = None
    delay: float | None = None
    ignore_robots: bool = False
    no_sitemap: bool = False
    fixture: str = DEMO_SITE
    quiet: bool = False
    lang: str = "zh"
    region: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Further setting overrides from the calling command."""


@dataclass
class ScanRun:
    report: ScanReport
    elapsed: float
    peak_mb: float
    screenshots: Path | None


def check_lang(lang: str) -> Lang:
    value = lang.strip().lower()
    if value not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")
    return "zh" if value == "zh" else "en"


# ------------------------------------------------------------------------ errors


@contextlib.contextmanager
def cli_errors(debug: bool) -> Iterator[None]:
    """Every error a user can cause → one line on stderr and exit 2 (`--debug`: traceback)."""
    try:
        yield
    except typer.Exit:
        raise
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


# ------------------------------------------------------------------------ running a scan


def fixtures_root() -> Path:
    """Bundled fixture sites: $ELDERSCAN_FIXTURES, else `fixtures/sites` of the source tree."""
    env = os.environ.get("ELDERSCAN_FIXTURES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "fixtures" / "sites"


def normalise_target(url: str) -> str:
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


def _region(region: str | None) -> str | None:
    if region is None:
        return None
    if not region.strip():
        raise UsageError("--region must name a province, autonomous region or prefecture")
    return region.strip()


def _settings(args: ScanArgs) -> ScanSettings:
    if args.viewport is not None and args.viewport not in ("desktop", "mobile", "both"):
        raise UsageError(f"--viewport must be desktop, mobile or both, not {args.viewport!r}")
    if args.json_file is not None and not args.json_file.parent.is_dir():
        raise UsageError(f"cannot write {args.json_file}: folder {args.json_file.parent} "
                         "does not exist")
    if args.screenshots is not None:
        try:
            args.screenshots.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create screenshot folder {args.screenshots}: "
                             f"{exc.strerror or exc}") from exc
    overrides: dict[str, Any] = {
        "max_pages": args.max_pages, "max_depth": args.max_depth, "viewport": args.viewport,
        "screenshots_dir": args.screenshots, "concurrency": args.concurrency,
        "page_timeout": args.timeout,
        "include": tuple(args.include) if args.include else None,
        "exclude": tuple(args.exclude) if args.exclude else None,
        "cookies": tuple(args.cookies) if args.cookies else None,
        "per_template": args.per_template, "host_delay": args.delay,
        "obey_robots": False if args.ignore_robots else None,
        "sitemap": False if args.no_sitemap else None, "region": _region(args.region),
        **args.extra,
    }
    try:
        return load_settings(**overrides)
    except ValueError as exc:
        raise UsageError(f"bad setting: {describe_error(exc)}") from exc


def run_scan(args: ScanArgs) -> ScanRun:
    """Validate the options, scan (the demo fixture site when no URL), write `--json`."""
    lang = check_lang(args.lang)
    settings = _settings(args)
    with contextlib.ExitStack() as stack:
        if args.url is None:
            target = stack.enter_context(_demo_site(args.fixture))
            err.print(f"No URL given: scanning the bundled fixture site '{args.fixture}' at "
                      f"{target}", highlight=False)
        else:
            target = normalise_target(args.url)
        with PeakMemory() as memory:
            report, elapsed = _run_with_progress(target, settings, args.quiet, lang)
    if args.json_file is not None:
        report.write_json(args.json_file)
    return ScanRun(report, elapsed, memory.peak_pss_mb, args.screenshots)


def _run_with_progress(target: str, settings: ScanSettings, quiet: bool,
                       lang: Lang) -> tuple[ScanReport, float]:
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

        report = asyncio.run(scan_site(target, settings, progress=on_event, lang=lang))
    return report, time.perf_counter() - started


# ------------------------------------------------------------------------ printed summary


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if len(path) <= 40 else path[:37] + "..."


DIMENSION_NAMES = {
    "elder_mode": "适老模式 elder mode", "font": "字号 font", "contrast": "对比度 contrast",
    "voice": "语音 voice", "ads": "广告弹窗 ads", "accessibility": "无障碍 a11y",
}


def print_verdict(report: ScanReport, lang: Lang = "zh") -> None:
    score = report.score
    if score is None:
        return
    total = score["total"]
    if total is None:
        out.print(f"score: not computed ({', '.join(score.get('unscored') or [])} could not be "
                  "judged)")
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
    not_run = unjudged(score, lang)
    if not_run:
        out.print(f"[yellow]{unjudged_text('head', lang)}: {unjudged_text('note', lang)}[/yellow]",
                  highlight=False)
    for item in not_run:
        out.print(f"[yellow]  {escape(item.text)}[/yellow]", highlight=False)
    elder, voice = report.elder_mode or {}, report.voice or {}
    if elder:
        px = elder.get("main_text_px") or {}
        out.print(f"elder mode: {elder['kind']}"
                  + (f" via “{elder['entry']['text']}”" if elder.get("entry") else "")
                  + (f", effective={elder['effective']} ({px.get('standard')}→{px.get('elder')} px)"
                     if elder["kind"] != "none" else ""), highlight=False)
        if elder.get("reason") and elder.get("effective") is not True:
            out.print(f"  {elder['reason']}", highlight=False)
    if voice:
        out.print(f"voice: found={voice['found']} functional={voice['functional']} "
                  f"kind={voice['kind']}", highlight=False)
        if voice.get("reason"):
            out.print(f"  {voice['reason']}", highlight=False)
    if report.versions:
        rows = version_rows(report.versions, "en")
        out.print("versions: " + " · ".join(
            f"{r['name']} ({r['how']}, HTTP {r['status']}, {r['verified']} in its script, "
            f"glyphs {r['glyphs']})" for r in rows), markup=False, highlight=False)


def _floating(ads: dict[str, object]) -> str:
    """Floating ads, then every floating box (widgets included) when there are more of those:
    "1 (3 boxes)". Results stored before `floating_ads` existed show the box count alone."""
    boxes, judged = ads.get("floating"), ads.get("floating_ads")
    if judged is None:
        return f"? ({boxes} boxes)" if boxes else "0"
    return f"{judged} ({boxes} boxes)" if boxes != judged else str(judged)


def print_summary(run: ScanRun, lang: Lang = "zh") -> None:
    report = run.report
    table = Table(title=f"elderscan · {report.target}", title_justify="left")
    for column in ("page", "view", "HTTP", "text px", "≥18px", "low contrast", "worst",
                   "pop-up", "float ads"):
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
            _floating(ads),
        )
    out.print(table)
    print_verdict(report, lang)
    s = report.summary
    rate = s.pages / run.elapsed if run.elapsed > 0 else 0.0
    out.print(
        f"status [bold]{report.status}[/bold] · {s.pages} page captures "
        f"({s.failed_pages} failed, {s.skipped} links skipped) in {run.elapsed:.1f}s "
        f"= {rate:.2f} pages/s · peak memory {run.peak_mb:.0f} MB · "
        f"Chromium {report.engine.chromium}"
        + (f" ({report.engine.browser})" if report.engine.browser else "")
        + f" · axe-core {report.engine.axe_core}"
    )
    for page in report.pages:
        if page.findings and page.findings[0].rule == "page.load":
            out.print(f"  failed: {page.url} ({page.viewport}): {page.findings[0].message}",
                      markup=False, highlight=False, soft_wrap=True)


def fail_if_failed(report: ScanReport) -> None:
    """A scan that reached no page is a run error (exit 2) for every command."""
    if report.status == "failed":
        message = report.error.message if report.error else "the scan failed"
        err.print(f"elderscan: error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
