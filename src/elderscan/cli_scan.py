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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from elderscan.checks._registry import Lang
from elderscan.cli_lang import choose, phase_text, reason_text, say, terminal_lang
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.errors import ElderscanError, UsageError, first_line
from elderscan.memory import PeakMemory
from elderscan.reports.digest import dimension_name, unjudged, unjudged_text
from elderscan.reports.versions import version_rows
from elderscan.settings import ScanSettings, describe_error, load_settings

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
Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only errors and the final one-line verdict.")]
Debug = Annotated[bool, typer.Option(help="Show tracebacks.")]
LangOpt = Annotated[str | None, typer.Option(
    help="Language of the terminal, messages and reports: zh or en [ELDERSCAN_LANG, else the "
    "locale: zh unless it names another language].")]
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
    lang: str | None = None
    region: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Further setting overrides from the calling command."""


@dataclass
class ScanRun:
    report: ScanReport
    elapsed: float
    peak_mb: float
    screenshots: Path | None


def check_lang(lang: str | None) -> Lang:
    """`--lang`, or the terminal's language (ELDERSCAN_LANG, the locale) when it is not given."""
    if lang is None:
        return terminal_lang()
    value = lang.strip().lower()
    if value not in ("zh", "en"):
        raise UsageError(say("bad_lang", terminal_lang(), value=repr(lang)))
    return choose("zh" if value == "zh" else "en")


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
        err.print(say("error", message=exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print(say("interrupted"), markup=False)
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            raise
        err.print(say("internal", message=first_line(exc)),
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
                                 reason=exc.strerror or exc)) from exc
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
        raise UsageError(say("err.setting", detail=describe_error(exc))) from exc


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

        report = asyncio.run(scan_site(target, settings, progress=on_event, lang=lang))
    return report, time.perf_counter() - started


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


# ------------------------------------------------------------------------ printed summary


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if len(path) <= 40 else path[:37] + "..."


def _num(value: object) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def score_line(report: ScanReport, lang: Lang) -> tuple[str, str]:
    """The one-line verdict and its colour: total, grade, passed or not, the pass line."""
    score = report.score or {}
    total = score.get("total")
    if total is None:
        dims = ", ".join(dimension_name(d, lang) for d in score.get("unscored") or [])
        return say("score.none", lang, dims=dims or "—"), "yellow"
    passed = bool(score.get("passed"))
    verdict = say("score.passed" if passed else "score.failed", lang)
    return (say("score.line", lang, total=f"{total:g}", grade=score.get("grade") or "—",
                verdict=verdict, line=f"{score['pass_line']:g}"), "green" if passed else "red")


def _elder_line(elder: Mapping[str, Any], lang: Lang) -> str:
    kind = str(elder.get("kind"))
    entry = elder.get("entry") or {}
    effect = ""
    if kind != "none":
        effective = elder.get("effective")
        word = ("elder.undecided" if effective is None else
                "elder.effective" if effective else "elder.ineffective")
        px = elder.get("main_text_px") or {}
        effect = say("elder.effect", lang, effective=say(word, lang),
                     before=_num(px.get("standard")), after=_num(px.get("elder")))
    return say("elder.line", lang, kind=say(f"elder.kind.{kind}", lang),
               entry=say("elder.entry", lang, text=entry["text"]) if entry.get("text") else "",
               effect=effect)


def _voice_line(voice: Mapping[str, Any], lang: Lang) -> str:
    functional = voice.get("functional")
    works = ("voice.untried" if functional is None else
             "voice.works" if functional else "voice.silent")
    return say("voice.line", lang, found=say("voice.found" if voice.get("found")
                                              else "voice.missing", lang),
               functional=say(works, lang), kind=say(f"voice.kind.{voice.get('kind')}", lang))


def print_verdict(report: ScanReport, lang: Lang = "zh") -> None:
    score = report.score
    if score is None:
        return
    line, color = score_line(report, lang)
    out.print(Text(line, style=f"bold {color}"))
    dims = " · ".join(f"{dimension_name(d, lang)} {_num(v)}"
                      for d, v in score["dimensions"].items())
    out.print(dims, markup=False, highlight=False)
    for veto in score["vetoes"]:
        out.print(Text(say("veto", lang, rule=veto["rule"], message=veto["message"]),
                       style="red"))
    not_run = unjudged(score, lang)
    if not_run:
        out.print(f"[yellow]{unjudged_text('head', lang)}: {unjudged_text('note', lang)}[/yellow]",
                  highlight=False)
    for item in not_run:
        out.print(f"[yellow]  {escape(item.text)}[/yellow]", highlight=False)
    elder, voice = report.elder_mode or {}, report.voice or {}
    if elder:
        out.print(_elder_line(elder, lang), markup=False, highlight=False)
        if elder.get("reason") and elder.get("effective") is not True:
            out.print(f"  {elder['reason']}", markup=False, highlight=False)
    if voice:
        out.print(_voice_line(voice, lang), markup=False, highlight=False)
        if voice.get("reason"):
            out.print(f"  {voice['reason']}", markup=False, highlight=False)
    if report.versions:
        rows = version_rows(report.versions, lang)
        separator = "；" if lang == "zh" else " · "
        out.print(say("versions", lang, list=separator.join(
            say("version", lang, name=r["name"], how=r["how"], status=r["status"],
                verified=r["verified"], glyphs=r["glyphs"]) for r in rows)),
            markup=False, highlight=False)


def _floating(ads: dict[str, object], lang: Lang) -> str:
    """Floating ads, then every floating box (widgets included) when there are more of those:
    "1 (3 boxes)". Results stored before `floating_ads` existed show the box count alone."""
    boxes, judged = ads.get("floating"), ads.get("floating_ads")
    if judged is None:
        return say("floating", lang, ads="?", boxes=boxes) if boxes else "0"
    return say("floating", lang, ads=judged, boxes=boxes) if boxes != judged else str(judged)


def status_name(status: str, lang: Lang) -> str:
    return say(f"status.{status}", lang) if status in ("ok", "partial", "failed") else status


def _page_rows(report: ScanReport, lang: Lang) -> list[list[str | Text]]:
    rows: list[list[str | Text]] = []
    for page in report.pages:
        view = viewport_name(page.viewport, lang) + (say("elder", lang)
                                                     if page.mode == "elder" else "")
        if page.findings and page.findings[0].rule == "page.load":
            rows.append([_path_of(page.url), view, str(page.http_status or "—"),
                         Text(str(page.findings[0].value), style="red"), "", "", "", "", ""])
            continue
        font, contrast, ads = (page.metrics.get(k, {}) for k in ("font", "contrast", "ads"))
        share = font.get("share_ge_18px")
        rows.append([
            _path_of(page.url), view, str(page.http_status or "—"),
            _num(font.get("dominant_px")), f"{share:.0%}" if share is not None else "—",
            f"{_num(contrast.get('failed'))}/{_num(contrast.get('checked'))}",
            _num(contrast.get("worst_ratio")),
            say("yes" if ads.get("popup_on_load") else "no", lang), _floating(ads, lang),
        ])
    return rows


def print_summary(run: ScanRun, lang: Lang = "zh") -> None:
    report = run.report
    headers = [say(f"col.{c}", lang) for c in ("page", "view", "http", "text_px", "share18",
                                                "contrast", "worst", "popup", "float")]
    rows = _page_rows(report, lang)
    # Every column but the page's keeps its whole width; the path gives way, with an ellipsis.
    natural = [max([cell_len(h), *(cell_len(str(r[i])) for r in rows)])
               for i, h in enumerate(headers)]
    fixed = sum(natural[1:]) + 2 * len(headers)  # two spaces between columns
    page_width = max(12, min(natural[0], out.width - fixed))
    table = Table(title=say("table.title", lang, target=report.target), title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column(headers[0], overflow="ellipsis", no_wrap=True, max_width=page_width)
    for header, width in zip(headers[1:], natural[1:], strict=True):
        table.add_column(header, no_wrap=True, min_width=width)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    print_verdict(report, lang)
    s = report.summary
    rate = s.pages / run.elapsed if run.elapsed > 0 else 0.0
    engine = report.engine
    out.print(say("status.line", lang, status=status_name(report.status, lang), pages=s.pages,
                  failed=s.failed_pages, skipped=s.skipped, seconds=f"{run.elapsed:.1f}",
                  rate=f"{rate:.2f}", mb=f"{run.peak_mb:.0f}",
                  chromium=engine.chromium + (f" ({engine.browser})" if engine.browser else ""),
                  axe=engine.axe_core), markup=False, highlight=False)
    for page in report.pages:
        if page.findings and page.findings[0].rule == "page.load":
            out.print(say("page.failed", lang, url=page.url,
                          viewport=viewport_name(page.viewport, lang),
                          message=page.findings[0].message),
                      markup=False, highlight=False, soft_wrap=True)


def print_one_line(report: ScanReport, lang: Lang) -> None:
    """`--quiet`: the verdict alone (errors go to stderr as always)."""
    if report.score is None:
        return
    line, color = score_line(report, lang)
    out.print(Text(line, style=f"bold {color}"), soft_wrap=True)


def fail_if_failed(report: ScanReport, lang: Lang | None = None) -> None:
    """A scan that reached no page is a run error (exit 2) for every command."""
    if report.status == "failed":
        lang = lang or terminal_lang()
        message = (reason_text(report.error.code, report.error.message, lang)
                   if report.error else say("scan.failed", lang))
        if lang == "en" and report.error:
            message = report.error.message  # the scanner's sentence, with its detail
        err.print(say("error", lang, message=message), markup=False, highlight=False,
                  soft_wrap=True)
        raise typer.Exit(2)
