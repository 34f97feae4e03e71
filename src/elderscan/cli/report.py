"""`elderscan report`: the reports of a stored scan (`elderscan report 42`) or of a result JSON
file (`elderscan report result.json`), or a batch round's ranking (`--batch NAME`), by the same
renderers as `scan --report`, the API and the dashboard, so the files are identical whichever
way they were asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from elderscan.cli.console import err
from elderscan.cli.options import DEFAULT_OUT, Debug, LangOpt, OutDir, check_lang
from elderscan.cli.scan import say_written
from elderscan.cli.store import open_store
from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.reports.formats import (
    FORMATS,
    parse_formats,
    prepare_out_dir,
    write_atomic,
    write_reports,
)
from elderscan.reports.rankings import RANKING_FILES as RANKING_FORMATS
from elderscan.reports.source import ReportSource, load_report_file, load_stored_scan
from elderscan.terminal_lang import os_reason, say, terminal_lang


def _scan_source(target: str, screenshots: Path | None) -> ReportSource:
    from elderscan.store.db import NotFound

    if target.isdigit():
        with open_store() as session:
            try:
                return load_stored_scan(session, int(target))
            except NotFound as exc:
                raise UsageError(exc.said(terminal_lang())) from exc
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
    with open_store() as session:
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
                                 reason=os_reason(exc))) from exc
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
    language = check_lang(lang)
    formats = parse_formats(fmt)
    folder = out_dir or DEFAULT_OUT
    if batch is not None:
        if target is not None:
            raise UsageError(say("err.scan_and_batch"))
        say_written(_write_ranking(batch, round_, formats, folder, category, region,
                                    language), language)
        return
    if target is None:
        raise UsageError(say("err.no_target"))
    if round_ is not None or category is not None or region is not None:
        raise UsageError(say("err.batch_only"))
    source = _scan_source(target, screenshots)
    say_written(write_reports(source, formats, folder, language), language)

