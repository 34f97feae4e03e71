"""`elderscan scan`, and the scan-then-report flow `elderscan ci` shares with it: the report
options checked before the scan (a typo costs seconds, not a scan), the summary, `--json`, the
`--report` files, and exit 2 when no page could be loaded."""

from __future__ import annotations

from pathlib import Path

import typer

from elderscan.cli.console import line, out
from elderscan.cli.options import DEFAULT_OUT, Debug, ScanArgs, check_lang, with_scan_options
from elderscan.cli.scanning import ScanRun, run_scan
from elderscan.cli.summary import print_one_line, print_summary
from elderscan.contract import ScanReport
from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.terminal_lang import reason_text, say, terminal_lang


@with_scan_options
def scan(args: ScanArgs, debug: Debug = False) -> None:
    """Scan a site: crawl it, capture each page in Chromium, write the result and reports."""
    scan_and_report(args)


def formats_option(value: str | None, out_dir: Path | None) -> list[str]:
    """`--report`: the formats, or none; `--out` alone is a mistake worth naming."""
    if value is None:
        if out_dir is not None:
            raise UsageError(say("err.out_needs_report"))
        return []
    # The report writers are imported only when reports are asked for: they load the rules,
    # which a plain scan imports while its browser starts, not before (see runner.scan).
    from elderscan.reports.formats import parse_formats

    return parse_formats(value)


def say_written(paths: list[Path], lang: Lang, quiet: bool = False) -> None:
    if quiet:
        return
    for path in paths:
        out.print(say("written.report", lang, path=path), markup=False, highlight=False)


def scan_and_report(args: ScanArgs, *, verdict: bool = True) -> ScanRun:
    """What `scan` and `ci` both do: check the report options, scan, print the summary, write
    `--json` and the `--report` files (a failed scan too: a CI job shows its error), and exit 2
    when no page could be loaded. `--quiet` prints only the one-line verdict (unless
    `verdict` is False: the caller prints its own)."""
    check_lang(args.lang)  # errors from here on speak the chosen language
    formats = formats_option(args.report, args.out_dir)
    target_dir = args.out_dir or DEFAULT_OUT
    if formats:
        from elderscan.reports.formats import prepare_out_dir

        prepare_out_dir(target_dir)
        # Reports mark findings on the screenshots: keep them beside the reports.
        args.screenshots = args.screenshots or target_dir / "screenshots"
    run = run_scan(args)
    lang = check_lang(args.lang)
    if run.report.status != "failed" and not args.quiet:
        print_summary(run, lang)
    if args.json_file is not None and not args.quiet:
        out.print(say("written.result", lang, path=args.json_file), markup=False,
                  highlight=False)
    if formats:
        from elderscan.reports.formats import write_reports
        from elderscan.reports.source import ReportSource

        paths = write_reports(ReportSource(run.report, run.screenshots), formats, target_dir,
                              lang)
        say_written(paths, lang, args.quiet)
    fail_if_failed(run.report, lang)
    if args.quiet and verdict:
        print_one_line(run.report, lang)
    return run


def fail_if_failed(report: ScanReport, lang: Lang | None = None) -> None:
    """A scan that reached no page is a run error (exit 2), said in the scan's own words."""
    if report.status == "failed":
        lang = lang or terminal_lang()
        message = (reason_text(report.error.code, report.error.message, lang)
                   if report.error else say("scan.failed", lang))
        if lang == "en" and report.error:
            message = report.error.message  # the scanner's sentence, with its detail
        elif report.error and report.error.code == "no-pages":
            message = say("reason.first_page", lang, reason=message, why=_first_failure(report,
                                                                                       lang))
        line(say("error", lang, message=message))
        raise typer.Exit(2)


def _first_failure(report: ScanReport, lang: Lang) -> str:
    """Why the first page failed, in `lang` (its page.load finding said again)."""
    from elderscan.reports.digest import message

    failed = next((f for p in report.pages for f in p.findings if f.rule == "page.load"), None)
    return message(failed, lang) if failed is not None else say("failed", lang)
