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
from typing import Any

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
from elderscan.reports.source import ReportSource
from elderscan.result import ScanReport

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
    zh = lang == "zh"
    score: dict[str, Any] = report.score or {}
    title = f"### elderscan: {md(report.target, 200)}"
    if not score:
        error = report.error
        reason = f"{md(error.code)}: {md(error.message, 300)}" if error else md(report.status)
        return [title, "", ("❌ 扫描失败：" if zh else "❌ Scan failed: ") + reason]
    passed = score.get("passed")
    if passed:
        verdict = "✅ 达标" if zh else "✅ passed"
    else:
        verdict = "❌ 未达标" if zh else "❌ not passed"
    line = (f"**{_number(score.get('total'))}** / 100 · {'等级' if zh else 'grade'} "
            f"**{md(score.get('grade') or '—')}** · {verdict} "
            f"({'达标线' if zh else 'pass line'} {_number(score.get('pass_line', 60))})")
    s = report.summary
    counts = (f"{s.pages} 个页面（{s.failed_pages} 个加载失败）· {s.fail} 处不通过 · "
              f"{s.review} 处需人工复核 · {s.pass_} 项通过" if zh else
              f"{s.pages} pages ({s.failed_pages} failed to load) · {s.fail} failing · "
              f"{s.review} to review · {s.pass_} passing")
    return [title, "", line, "", counts]


def _vetoes(report: ScanReport, lang: Lang) -> list[str]:
    vetoes = (report.score or {}).get("vetoes") or []
    if not vetoes:
        return []
    head = "**一票否决**：" if lang == "zh" else "**Vetoes:** "
    items = "; ".join(f"{md(v.get('rule'))} {md(v.get('message'))}" for v in vetoes[:3])
    more = f" (+{len(vetoes) - 3})" if len(vetoes) > 3 else ""
    return ["", head + items + more]


def _unjudged(report: ScanReport, lang: Lang) -> list[str]:
    items = unjudged(report.score, lang)
    if not items:
        return []
    head = f"**{unjudged_text('head', lang)}**" + ("：" if lang == "zh" else ": ")
    lines = [f"- {md(u.text, 300)}" for u in items[:5]]
    more = [f"- … (+{len(items) - 5})"] if len(items) > 5 else []
    return ["", head + md(unjudged_text("note", lang)), "", *lines, *more]


def _dimensions(report: ScanReport, lang: Lang) -> list[str]:
    dims: dict[str, Any] = (report.score or {}).get("dimensions") or {}
    if not dims:
        return []
    head = "| 维度 | 得分 |" if lang == "zh" else "| Dimension | Score |"
    return ["", head, "|---|---:|",
            *(f"| {dimension_name(d, lang)} | {_number(dims.get(d))} |" for d in DIMENSIONS)]


def _examples(group: RuleGroup, lang: Lang) -> str:
    shown = []
    for item in group.fail[:EXAMPLES]:
        f = item.finding
        where = f"{md(f.selector, 80)}: " if f.selector else ""
        shown.append(where + md(message(f, lang)))
    return "<br>".join(shown)


def _rectification(report: ScanReport, lang: Lang) -> list[str]:
    groups = rectification(report)
    if not groups:
        return []
    zh = lang == "zh"
    shown = groups[:TOP_RULES]
    title = (f"#### 整改清单（前 {len(shown)} 项，共 {len(groups)} 项）" if zh else
             f"#### What to fix first ({len(shown)} of {len(groups)} rules)")
    head = ("| # | 规则 | 不通过 | 页面 | 预计可提分 | 示例 |" if zh else
            "| # | Rule | Failing | Pages | Est. points | Examples |")
    lines = ["", title, "", head, "|---:|---|---:|---:|---:|---|"]
    for n, group in enumerate(shown, start=1):
        pages = len({i.page_index for i in group.fail})
        veto = (" **一票否决**" if zh else " **veto**") if group.veto else ""
        rule = f"{md(group.rule)} {md(rule_title(group.rule, lang))}{veto}"
        lines.append(f"| {n} | {rule} | {len(group.fail)} | {pages} | "
                     f"{_number(group.impact)} | {_examples(group, lang)} |")
    if len(groups) > len(shown):
        rest = len(groups) - len(shown)
        lines += ["", f"另有 {rest} 条规则未列出，见 HTML 报告。" if zh else
                  f"{rest} more rules are in the HTML report."]
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
