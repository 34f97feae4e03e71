"""The `md` report: a short summary to post as a pull-request comment.

Bounded whatever the scan's size (at most `TOP_RULES` rules with `EXAMPLES` elements each, every
cell clipped), so it fits a comment (GitHub's limit is 65,536 characters) and stays readable.
Everything taken from a scanned page is escaped: HTML as entities, Markdown punctuation with
backslashes, line breaks folded, `@` kept from pinging people, so a page title like
`<script>` or `| x |` stays text and cannot break the table.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from elderscan.contract import ScanReport
from elderscan.i18n import text
from elderscan.reports.digest import (
    DIMENSIONS,
    Lang,
    RuleGroup,
    dimension_name,
    message,
    rectification,
    rule_title,
    unjudged,
    unjudged_text,
)
from elderscan.reports.probes import veto_messages
from elderscan.reports.source import ReportSource
from elderscan.reports.wording import count, error_text, status_name

TOP_RULES = 10
EXAMPLES = 3
CELL_CHARS = 120
"""Characters of scanned text per cell, before escaping."""
MAX_CHARS = 60_000
_INLINE_SYNTAX = frozenset("\\`*_[]()#!|~$@")
"""What starts inline Markdown in a table cell (GitHub adds `~` strikethrough, `$` maths)."""
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def md(text: object, limit: int = CELL_CHARS) -> str:
    """Scanned text as inert Markdown: one line, clipped, no HTML, no syntax, no mentions."""
    plain = _SPACE.sub(" ", _CONTROL.sub(" ", str(text))).strip()
    if len(plain) > limit:
        plain = plain[: limit - 1] + "…"
    out: list[str] = []
    for ch in plain:
        if ch in "<>&":
            out.append(html.escape(ch))
        elif ch in _INLINE_SYNTAX:
            out.append("\\" + ch)
        else:
            out.append(ch)
    # A zero-width space after `@` keeps GitHub from turning `@name` into a mention.
    return "".join(out).replace("\\@", "@\u200b")


def _number(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, int | float) else md(value)


def _headline(report: ScanReport, lang: Lang) -> list[str]:
    score: Mapping[str, Any] = report.score or {}
    title = f"### elderscan: {md(report.target, 200)}"
    if not score:
        error = report.error
        reason = (md(error_text(error.code, error.message, lang)) if error
                  else md(status_name(report.status, lang)))
        return [title, "", text("reports.md.failed", lang, reason=reason)]
    verdict = text("reports.md.passed" if score.get("passed") else "reports.md.not-passed", lang)
    line = text("reports.md.line", lang, total=_number(score.get("total")),
                grade=md(score.get("grade") or "—"), verdict=verdict,
                pass_line=_number(score.get("pass_line", 60)))
    s = report.summary
    counts = text("reports.md.counts", lang,
                  pages=count("reports.count.pages", s.pages, lang),
                  failed_pages=count("reports.count.failed-pages", s.failed_pages, lang),
                  fail=count("reports.count.failing", s.fail, lang),
                  review=count("reports.count.review", s.review, lang),
                  passes=count("reports.count.passing", s.pass_, lang))
    return [title, "", line, "", counts]


def _vetoes(report: ScanReport, lang: Lang) -> list[str]:
    vetoes = veto_messages(report, lang)
    if not vetoes:
        return []
    head = text("reports.md.vetoes", lang)
    items = text("reports.list", lang).join(f"{md(v.get('rule'))} {md(v.get('message'))}"
                                            for v in vetoes[:3])
    more = f" (+{len(vetoes) - 3})" if len(vetoes) > 3 else ""
    return ["", head + items + more]


def _unjudged(report: ScanReport, lang: Lang) -> list[str]:
    items = unjudged(report.score, lang)
    if not items:
        return []
    head = text("reports.md.head-colon", lang, head=unjudged_text("head", lang))
    lines = [f"- {md(u.text, 300)}" for u in items[:5]]
    more = [f"- … (+{len(items) - 5})"] if len(items) > 5 else []
    return ["", head + md(unjudged_text("note", lang)), "", *lines, *more]


def _dimensions(report: ScanReport, lang: Lang) -> list[str]:
    dims: dict[str, Any] = (report.score or {}).get("dimensions") or {}
    if not dims:
        return []
    head = text("reports.md.dimensions", lang)
    return ["", head, "|---|---:|",
            *(f"| {dimension_name(d, lang)} | {_number(dims.get(d))} |" for d in DIMENSIONS)]


def _examples(group: RuleGroup, lang: Lang) -> str:
    shown = []
    for item in group.fail[:EXAMPLES]:
        f = item.finding
        where = text("reports.colon", lang, label=md(f.selector, 80), value="") if f.selector \
            else ""
        shown.append(where + md(message(f, lang)))
    return "<br>".join(shown)


def _rectification(report: ScanReport, lang: Lang) -> list[str]:
    groups = rectification(report)
    if not groups:
        return []
    shown = groups[:TOP_RULES]
    title = text("reports.md.rect-title", lang, shown=len(shown), total=len(groups))
    head = text("reports.md.rect-head", lang)
    lines = ["", title, "", head, "|---:|---|---:|---:|---:|---|"]
    for n, group in enumerate(shown, start=1):
        pages = len({i.page_index for i in group.fail})
        veto = text("reports.md.veto", lang) if group.veto else ""
        rule = f"{md(group.rule)} {md(rule_title(group.rule, lang))}{veto}"
        lines.append(f"| {n} | {rule} | {len(group.fail)} | {pages} | "
                     f"{_number(group.impact)} | {_examples(group, lang)} |")
    if len(groups) > len(shown):
        rest = len(groups) - len(shown)
        lines += ["", count("reports.md.rest", rest, lang)]
    return lines


def _engine(report: ScanReport) -> list[str]:
    e = report.engine
    chromium = f"Chromium {e.chromium}" + (f" ({e.browser})" if e.browser else "")
    parts = [f"elderscan {e.elderscan}", chromium, f"axe-core {e.axe_core}"]
    parts += [p for p in (e.ruleset, e.scoring_model) if p]
    return ["", "<sub>" + " · ".join(md(p, 80) for p in parts) + "</sub>"]


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    report = source.report
    lines = [*_headline(report, lang), *_vetoes(report, lang), *_unjudged(report, lang),
             *_dimensions(report, lang),
             *_rectification(report, lang), *_engine(report)]
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_CHARS:  # cannot happen with the caps above; a last resort
        text = text[: MAX_CHARS - 2].rsplit("\n", 1)[0] + "\n…\n"
    return text.encode("utf-8")
