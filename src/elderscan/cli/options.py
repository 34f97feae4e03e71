"""Options several commands take, declared once.

`ScanArgs` is both the scan options' declaration and their values: each field carries its
Typer option, and `with_scan_options` gives a command all of them, so `scan` and `ci` take the
same options with the same names, defaults and help, and a new one is added in one place.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any, get_type_hints

import typer

from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.terminal_lang import choose, say, terminal_lang

DEMO_SITE = "gov-elder-link"
DEFAULT_OUT = Path("elderscan-report")
"""Where `--report` files go without `--out`."""

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
IgnoreRobots = Annotated[bool | None, typer.Option(
    "--ignore-robots/--no-ignore-robots",
    help="Ignore robots.txt (for your own site) [ELDERSCAN_OBEY_ROBOTS, else obey it].")]
NoSitemap = Annotated[bool | None, typer.Option(
    "--no-sitemap/--sitemap", help="Do not read sitemap.xml [ELDERSCAN_SITEMAP, else read it].")]
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
DatabaseUrl = Annotated[str | None, typer.Option(
    "--url", help="Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR].")]


@dataclass
class ScanArgs:
    """The scan options as given on the command line (None: the setting's default), in the
    order `--help` lists them."""

    url: Url = None
    max_pages: MaxPages = None
    max_depth: MaxDepth = None
    viewport: ViewportOpt = None
    json_file: JsonFile = None
    screenshots: Screenshots = None
    concurrency: Concurrency = None
    timeout: Timeout = None
    include: Include = None
    exclude: Exclude = None
    cookies: Cookie = None
    per_template: PerTemplate = None
    delay: Delay = None
    ignore_robots: IgnoreRobots = None
    no_sitemap: NoSitemap = None
    fixture: Fixture = DEMO_SITE
    report: ReportFormats = None
    out_dir: OutDir = None
    lang: LangOpt = None
    region: RegionOpt = None
    quiet: Quiet = False
    extra: dict[str, Any] = field(default_factory=dict, metadata={"option": False})
    """Further setting overrides from the calling command (not an option)."""


def _scan_parameters() -> list[inspect.Parameter]:
    hints = get_type_hints(ScanArgs, include_extras=True)
    return [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default,
                              annotation=hints[f.name])
            for f in fields(ScanArgs) if f.metadata.get("option", True)]


def with_scan_options(command: Callable[..., None]) -> Callable[..., None]:
    """`command(args: ScanArgs, …)` as a command taking the URL, then its own options, then
    every scan option (and `--debug` last): it receives the scan options gathered in `args`."""
    scan_params = _scan_parameters()
    own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
           for p in inspect.signature(command, eval_str=True).parameters.values()
           if p.name != "args"]
    last = [p for p in own if p.name == "debug"]
    params = [scan_params[0], *(p for p in own if p.name != "debug"), *scan_params[1:], *last]
    names = {p.name for p in scan_params}

    def run(**values: Any) -> None:
        command(args=ScanArgs(**{name: values.pop(name) for name in names}), **values)

    run.__name__, run.__doc__, run.__module__ = (command.__name__, command.__doc__,
                                                 command.__module__)
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run


def check_lang(lang: str | None) -> Lang:
    """`--lang`, or the terminal's language (ELDERSCAN_LANG, the locale) when it is not given;
    once checked, the command's later lines and errors speak it."""
    if lang is None:
        return terminal_lang()
    value = lang.strip().lower()
    if value not in ("zh", "en"):
        raise UsageError(say("bad_lang", terminal_lang(), value=repr(lang)))
    return choose("zh" if value == "zh" else "en")
