"""The scan as the terminal prints it: a table of the pages (the path gives way to fit the
width, never a number), the score and its dimensions, vetoes, rules not judged, what the
elder-mode and voice probes found, the site's other versions, and one status line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from rich import box
from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from elderscan.cli.console import out
from elderscan.cli.scanning import ScanRun, viewport_name
from elderscan.contract import ScanReport
from elderscan.i18n import Lang
from elderscan.terminal_lang import say


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
    from elderscan.reports.digest import dimension_name  # see print_verdict

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
    # Imported when a result is printed, not when the command starts: the digest loads the
    # rules, which a scan imports while its browser starts (runner.scan), off the start-up.
    from elderscan.reports.digest import dimension_name, unjudged, unjudged_text
    from elderscan.reports.versions import version_rows

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
                  rate=f"{rate:.2f}", mb=f"{run.peak_mb or 0:.0f}",
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
