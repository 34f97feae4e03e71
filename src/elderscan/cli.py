"""The `elderscan` command.

Exit codes, for CI: 0 success, 1 a gate failed (`elderscan ci`), 2 usage or run error.
Every error a user can cause ends as one line on stderr, never a traceback (`--debug` shows it).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from elderscan.api import cli as api_cli
from elderscan.cli_lang import forget, say
from elderscan.cli_scan import (
    Concurrency,
    Cookie,
    Debug,
    Delay,
    Exclude,
    Fixture,
    IgnoreRobots,
    Include,
    JsonFile,
    LangOpt,
    MaxDepth,
    MaxPages,
    NoSitemap,
    OutDir,
    PerTemplate,
    Quiet,
    RegionOpt,
    ReportFormats,
    ScanArgs,
    Screenshots,
    Timeout,
    Url,
    ViewportOpt,
    cli_errors,
    err,
    out,
)
from elderscan.clock import configured_zone
from elderscan.errors import UsageError
from elderscan.gate import cli as gate_cli
from elderscan.reports import commands as report_commands
from elderscan.runner.cli import runner_app
from elderscan.schedules import cli as schedules_cli
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
report_commands.register(app)
gate_cli.register(app)
schedules_cli.register(app)

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
    forget()
    try:
        configured_zone()  # a bad ELDERSCAN_TIMEZONE is one line before anything runs
    except UsageError as exc:
        err.print(say("error", message=exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def scan(
    url: Url = None,
    max_pages: MaxPages = None,
    max_depth: MaxDepth = None,
    viewport: ViewportOpt = None,
    json_file: JsonFile = None,
    screenshots: Screenshots = None,
    concurrency: Concurrency = None,
    timeout: Timeout = None,
    include: Include = None,
    exclude: Exclude = None,
    cookie: Cookie = None,
    per_template: PerTemplate = None,
    delay: Delay = None,
    ignore_robots: IgnoreRobots = False,
    no_sitemap: NoSitemap = False,
    fixture: Fixture = "gov-elder-link",
    report: ReportFormats = None,
    out_dir: OutDir = None,
    lang: LangOpt = None,
    region: RegionOpt = None,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Scan a site: crawl it, capture each page in Chromium, write the result and reports."""
    with cli_errors(debug):
        args = ScanArgs(url=url, max_pages=max_pages, max_depth=max_depth, viewport=viewport,
                        json_file=json_file, screenshots=screenshots, concurrency=concurrency,
                        timeout=timeout, include=include, exclude=exclude, cookies=cookie,
                        per_template=per_template, delay=delay, ignore_robots=ignore_robots,
                        no_sitemap=no_sitemap, fixture=fixture, quiet=quiet, lang=lang,
                        region=region)
        report_commands.scan_and_report(args, report, out_dir)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
