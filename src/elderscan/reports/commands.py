"""`elderscan report` and the `--report/--out` options of `elderscan scan`.

A report is rendered from a stored scan (`elderscan report 42`), from a result JSON file
(`elderscan report result.json`), or from a batch round's ranking (`--batch NAME`), always by
the same renderers, so the files are identical whichever way they were asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from elderscan.cli_lang import say
from elderscan.cli_scan import (
    Debug,
    LangOpt,
    OutDir,
    ScanArgs,
    ScanRun,
    check_lang,
    cli_errors,
    err,
    fail_if_failed,
    out,
    print_one_line,
    print_summary,
    run_scan,
)
from elderscan.errors import UsageError
from elderscan.reports.digest import Lang
from elderscan.reports.formats import (
    FORMATS,
    parse_formats,
    prepare_out_dir,
    write_atomic,
    write_reports,
)
from elderscan.reports.rankings import RANKING_FILES as RANKING_FORMATS
from elderscan.reports.source import ReportSource, load_report_file, load_stored_scan

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_OUT = Path("elderscan-report")


def formats_option(value: str | None, out_dir: Path | None) -> list[str]:
    """`--report` of `scan`: the formats, or none; `--out` alone is a mistake worth naming."""
    if value is None:
        if out_dir is not None:
            raise UsageError(say("err.out_needs_report"))
        return []
    return parse_formats(value)


def prepare(out_dir: Path) -> Path:
    """Check the report folder before a scan, so a typo costs seconds, not a whole scan."""
    return prepare_out_dir(out_dir)


def _say_written(paths: list[Path], lang: Lang, quiet: bool = False) -> None:
    if quiet:
        return
    for path in paths:
        out.print(say("written.report", lang, path=path), markup=False, highlight=False)


def write_after_scan(run: ScanRun, formats: list[str], out_dir: Path,
                     lang: Lang, quiet: bool = False) -> list[Path]:
    source = ReportSource(run.report, run.screenshots)
    paths = write_reports(source, formats, out_dir, lang)
    _say_written(paths, lang, quiet)
    return paths


def scan_and_report(args: ScanArgs, report_formats: str | None,
                    out_dir: Path | None, *, verdict: bool = True) -> ScanRun:
    """What `scan` and `ci` both do: check the report options, scan, print the summary, write
    `--json` and the `--report` files (a failed scan too: a CI job shows its error), and exit 2
    when no page could be loaded. `--quiet` prints only the one-line verdict (unless
    `verdict` is False: the caller prints its own)."""
    check_lang(args.lang)  # errors from here on speak the chosen language
    formats = formats_option(report_formats, out_dir)
    target_dir = out_dir or DEFAULT_OUT
    if formats:
        prepare(target_dir)
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
        write_after_scan(run, formats, target_dir, lang, args.quiet)
    fail_if_failed(run.report, lang)
    if args.quiet and verdict:
        print_one_line(run.report, lang)
    return run


@contextlib.contextmanager
def _store() -> Iterator[Session]:
    """A session on the configured store, store errors as one readable line."""
    from sqlalchemy.exc import SQLAlchemyError

    from elderscan.store.db import database_url, describe_db_error, get_engine, session_scope
    from elderscan.store.migrate import require_head

    url = database_url()
    try:
        engine = get_engine(url)
        require_head(engine)
        with session_scope(engine) as session:
            yield session
    except SQLAlchemyError as exc:
        raise UsageError(describe_db_error(exc, url)) from exc


def _scan_source(target: str, screenshots: Path | None) -> ReportSource:
    from elderscan.store.db import NotFound

    if target.isdigit():
        with _store() as session:
            try:
                return load_stored_scan(session, int(target))
            except NotFound as exc:
                raise UsageError(str(exc)) from exc
    path = Path(target)
    if not path.exists():
        raise UsageError(say("err.not_scan", target=repr(target)))
    return load_report_file(path, screenshots)


def _write_ranking(batch: str, round_: int | None, formats: list[str], out_dir: Path,
                   category: str | None, region: str | None,
                   lang: Lang) -> list[Path]:
    from elderscan.reports.rankings import load_ranking, ranking_file
    from elderscan.store import find_batch

    wrong = [f for f in formats if f not in RANKING_FORMATS]
    if wrong:
        raise UsageError(say("err.ranking_formats", formats=", ".join(wrong)))
    with _store() as session:
        found = find_batch(session, batch, round_)
        if found is None:
            if round_ is not None:
                raise UsageError(say("err.no_batch_round", name=repr(batch), round=round_))
            raise UsageError(say("err.no_batch", name=repr(batch)))
        data = load_ranking(session, found.id, category=category, region=region)
    if not data.rows:
        err.print(say("ranking.empty", lang), markup=False, highlight=False)
    prepare_out_dir(out_dir)
    paths: list[Path] = []
    for name in formats:
        path = out_dir / RANKING_FORMATS[name]
        body = ranking_file(data, "csv" if name == "csv" else "xlsx", lang)
        try:
            write_atomic(path, body)
        except OSError as exc:
            raise UsageError(say("err.cannot_write", path=path,
                                 reason=exc.strerror or exc)) from exc
        paths.append(path)
    return paths


def report(
    target: Annotated[str | None, typer.Argument(
        help="A stored scan's id, or a result JSON written by `scan --json`.",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help=f"Comma-separated: {', '.join(FORMATS)}.")] = "html",
    out_dir: OutDir = None,
    lang: LangOpt = None,
    screenshots: Annotated[Path | None, typer.Option(
        help="Folder a result JSON's screenshot paths are relative to [the JSON's folder].")
    ] = None,
    batch: Annotated[str | None, typer.Option(
        help="Write the ranking of this batch (csv, xlsx) instead of one scan's report.")
    ] = None,
    round_: Annotated[int | None, typer.Option(
        "--round", min=1, help="Round of --batch [latest].")] = None,
    category: Annotated[str | None, typer.Option(help="Ranking: only this category.")] = None,
    region: Annotated[str | None, typer.Option(help="Ranking: only this region.")] = None,
    debug: Debug = False,
) -> None:
    """Write reports of a stored scan, a result file, or a batch ranking."""
    with cli_errors(debug):
        language = check_lang(lang)
        formats = parse_formats(fmt)
        folder = out_dir or DEFAULT_OUT
        if batch is not None:
            if target is not None:
                raise UsageError(say("err.scan_and_batch"))
            _say_written(_write_ranking(batch, round_, formats, folder, category, region,
                                        language), language)
            return
        if target is None:
            raise UsageError(say("err.no_target"))
        if round_ is not None or category is not None or region is not None:
            raise UsageError(say("err.batch_only"))
        source = _scan_source(target, screenshots)
        _say_written(write_reports(source, formats, folder, language), language)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
