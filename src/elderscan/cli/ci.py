"""`elderscan ci`: scan, write the reports a CI job keeps, then pass or fail the build.

Exit codes: 0 every threshold held, 1 the gate failed (the failed thresholds and the new
findings are listed), 2 usage or run error (bad option, unreadable baseline, no page loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.text import Text

from elderscan.cli.console import out
from elderscan.cli.options import Debug, ScanArgs, check_lang, with_scan_options
from elderscan.cli.scan import scan_and_report
from elderscan.dimensions import DIMENSIONS
from elderscan.errors import UsageError
from elderscan.gate.baseline import Baseline, load_baseline, path_of, write_baseline
from elderscan.gate.gate import (
    WORSENED,
    GateCheck,
    GateVerdict,
    Problem,
    Thresholds,
    evaluate,
    parse_dimensions,
)
from elderscan.i18n import Lang, text
from elderscan.reports.digest import dimension_name
from elderscan.terminal_lang import say

SHOW_NEW = 20
"""New findings listed in the log; the reports hold all of them."""


def _check_name(check: GateCheck, lang: Lang) -> str:
    if check.name == "total":
        return say("gate.total", lang)
    if check.name == "new failing findings":
        return say("gate.new", lang)
    if check.name == "vetoes":
        return say("gate.vetoes", lang)
    if check.name == WORSENED:
        return text("compare.gate.check", lang)
    # English keeps the name given to --dimension; Chinese names the dimension in words
    return dimension_name(check.name, lang) if lang == "zh" else check.name


def _pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, width - cell_len(text))


def _check_line(check: GateCheck, lang: Lang) -> str:
    mark = say("gate.ok" if check.passed else "gate.fail", lang)
    name = _check_name(check, lang)
    if check.name == "vetoes":
        return f"  {_pad(name, 24)} {mark}" + (f" ({check.note})" if check.note else "")
    shown = say("gate.unscored", lang) if check.value is None else f"{check.value:g}"
    relation = "<=" if check.name in ("new failing findings", WORSENED) else ">="
    return f"  {_pad(name, 24)} {shown:>6} {relation} {check.limit:g}  {mark}"


def _worsened_line(problem: Problem, lang: Lang) -> str:
    f, before = problem.finding, problem.before
    threshold = f"{f.threshold}" if f.threshold is not None else ""
    line = text("compare.gate.line", lang, rule=f.rule, url=path_of(problem.url),
                element=problem.element, a=before.value if before else "—", b=f.value,
                threshold=text("compare.threshold", lang, threshold=threshold)
                if threshold else "")
    for name, old in (before.data if before else {}).items():
        new = f.data.get(name)
        if new is not None and new != old:
            line += text("compare.gate.measure", lang, name=text(f"compare.measure.{name}", lang),
                         a=f"{old:g}" if isinstance(old, float) else old,
                         b=f"{new:g}" if isinstance(new, float) else new)
    return line


def _problem_line(problem: Problem, lang: Lang) -> str:
    f = problem.finding
    measured = ""
    if f.value is not None or f.threshold is not None:
        value = f.value if f.value is not None else "—"
        threshold = f.threshold if f.threshold is not None else "—"
        measured = f"  {value}" + say("gate.threshold", lang, threshold=threshold)
    selector = f"  [{f.selector}]" if f.anchor is not None and f.selector else ""
    return f"  {f.rule}  {path_of(problem.url)}  {problem.element}{selector}{measured}"


def final_line(verdict: GateVerdict, lang: Lang) -> Text:
    """`gate passed`, or `gate FAILED:` and why: the line `--quiet` keeps."""
    if verdict.passed:
        return Text(say("gate.passed", lang), style="bold green")
    reasons = say("gate.separator", lang).join(_reason(c, lang) for c in verdict.failed)
    return Text(say("gate.failed", lang, reasons=reasons), style="bold red")


def _print_some(head: str, problems: list[Problem], line_of: Callable[[Problem, Lang], str],
                more: Callable[[int], str], lang: Lang) -> None:
    """A head, the first SHOW_NEW problems a line each, and how many more the reports hold."""
    for printed in (head, *(line_of(p, lang) for p in problems[:SHOW_NEW])):
        out.print(printed, markup=False, highlight=False, soft_wrap=True)
    if len(problems) > SHOW_NEW:
        out.print(more(len(problems) - SHOW_NEW), markup=False, highlight=False)


def print_verdict(verdict: GateVerdict, baseline: Baseline | None, lang: Lang = "zh") -> None:
    out.print(say("gate.head", lang), markup=False, highlight=False)
    for check in verdict.checks:
        out.print(_check_line(check, lang), markup=False, highlight=False, soft_wrap=True)
    comparison = verdict.comparison
    if comparison is not None and baseline is not None:
        out.print(say("gate.baseline", lang, source=baseline.source, known=comparison.known,
                      fixed=comparison.fixed, new=len(comparison.new)),
                  markup=False, highlight=False, soft_wrap=True)
        for page in comparison.not_compared:
            out.print(say("gate.not_compared", lang, page=page), markup=False, highlight=False,
                      soft_wrap=True)
        if comparison.new:
            _print_some(say("gate.new_head", lang, count=len(comparison.new)), comparison.new,
                        _problem_line, lambda n: say("gate.more", lang, count=n), lang)
        if comparison.worsened:
            _print_some(text("compare.gate.head", lang, n=len(comparison.worsened)),
                        comparison.worsened, _worsened_line,
                        lambda n: text("compare.gate.more", lang, n=n), lang)
    out.print(final_line(verdict, lang), soft_wrap=True)


def _reason(check: GateCheck, lang: Lang) -> str:
    if check.name == WORSENED:
        return text("compare.gate.reason", lang, n=f"{check.value:g}", limit=f"{check.limit:g}")
    name = _check_name(check, lang)
    if check.name == "vetoes":
        return say("gate.reason.veto", lang, rules=check.note)
    if check.name == "new failing findings":
        count = int(check.value or 0)
        return say("gate.reason.new", lang, count=count, limit=f"{check.limit:g}",
                   noun="finding" if count == 1 else "findings")
    if check.value is None:
        return say("gate.reason.unscored", lang, name=name, limit=f"{check.limit:g}")
    return say("gate.reason.low", lang, name=name, value=f"{check.value:g}",
               limit=f"{check.limit:g}")


@with_scan_options
def ci(
    args: ScanArgs,
    fail_under: Annotated[float, typer.Option(
        min=0, max=100, help="Fail when the total score is below this.")] = 60.0,
    dimension: Annotated[list[str] | None, typer.Option(
        help="Fail when a dimension scores below a limit: NAME=SCORE, e.g. contrast=70 "
        f"(repeatable). Names: {', '.join(DIMENSIONS)}.")] = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Known problems: a result JSON of an earlier scan, or a --write-baseline file.")
    ] = None,
    max_new_failures: Annotated[int | None, typer.Option(
        min=0, help="With --baseline: failing findings allowed that the baseline lacks [0].")
    ] = None,
    max_worsened: Annotated[int | None, typer.Option(
        min=0, help="With --baseline: known failing problems allowed to measure worse than in "
        "the baseline (a lower contrast, a smaller font) [0].")] = None,
    write_baseline_to: Annotated[Path | None, typer.Option(
        "--write-baseline", help="Write this scan's problems as a compact, diff-friendly "
        "baseline file.")] = None,
    fail_on_veto: Annotated[bool, typer.Option(
        help="Fail on any veto, whatever the score (a veto already caps the total at 59).")
    ] = False,
    debug: Debug = False,
) -> None:
    """Scan a site and fail the build on a low score or on problems the baseline lacks."""
    # Every option is checked before the scan, so a typo costs a second, not a scan.
    language = check_lang(args.lang)
    thresholds = Thresholds(fail_under=fail_under,
                            dimensions=parse_dimensions(dimension or []),
                            fail_on_veto=fail_on_veto, max_new=max_new_failures or 0,
                            max_worsened=max_worsened or 0)
    if max_new_failures is not None and baseline is None:
        raise UsageError(say("err.max_new", language))
    if max_worsened is not None and baseline is None:
        raise UsageError(say("err.max_worsened", language))
    known = load_baseline(baseline) if baseline is not None else None
    if write_baseline_to is not None and not write_baseline_to.parent.is_dir():
        raise UsageError(say("err.no_folder", language, path=write_baseline_to,
                             folder=write_baseline_to.parent))
    run = scan_and_report(args, verdict=False)
    if write_baseline_to is not None:
        written = write_baseline(run.report, write_baseline_to)
        if not args.quiet:
            out.print(say("written.baseline", language, path=write_baseline_to,
                          count=len(written.entries)), markup=False, highlight=False)
    verdict = evaluate(run.report, thresholds, known)
    if args.quiet:
        out.print(final_line(verdict, language), soft_wrap=True)
    else:
        print_verdict(verdict, known, language)
    if not verdict.passed:
        raise typer.Exit(1)

