"""The HTML report: one self-contained file a developer opens to see what to fix and where.

Images are embedded as data: URIs, so the file can be mailed or attached to a CI run. Every
string from the scanned site goes through Jinja2's autoescaping, and the page carries a CSP
that allows no script at all, so even a slip in escaping could not run a scanned page's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from elderscan import clock
from elderscan.checks.elder_trials import say
from elderscan.contract import PageResult
from elderscan.i18n import COLON, LANGS, text
from elderscan.reports import marking
from elderscan.reports.digest import (
    Lang,
    Located,
    RuleGroup,
    dimension_name,
    guard_refusals,
    message,
    outcome_name,
    rule_groups,
    rule_title,
    rule_why,
    severity_name,
    unjudged,
    unjudged_text,
)
from elderscan.reports.fixes import (
    ColourGroup,
    FixHelp,
    colour_groups,
    dashboard_url,
    help_for,
    how_to_fix,
    judged_screenshot,
    rule_path,
    suggest_line,
)
from elderscan.reports.probes import elder_candidates, elder_reason, veto_messages, voice_reason
from elderscan.reports.review_text import (
    DecisionText,
    decision_text,
    open_headline,
    summary_text,
)
from elderscan.reports.source import ReportSource
from elderscan.reports.versions import TEXT as VERSION_TEXT
from elderscan.reports.versions import version_rows
from elderscan.reports.wording import (
    clause_text,
    error_text,
    http_status,
    mode_name,
    skip_reason,
    status_name,
    value_text,
    viewport_name,
)
from elderscan.scoring import weights as w

MAX_MARKED = 80
"""Marked crops embedded in one report (≈ 20–40 KB each); the rest are listed without one."""
MAX_PER_RULE = 25
"""Elements shown per rule; a rule failing on 900 links is one problem to fix, not 900."""
FIRST_SCREEN = 900


@dataclass(frozen=True)
class Shown:
    """One finding as the template shows it."""

    outcome: str
    outcome_label: str
    severity: str
    page: str
    page_label: str
    selector: str | None
    value: Any
    threshold: Any
    message: str
    image: marking.Marked | None
    review: DecisionText | None = None
    review_open: bool = False
    """A `review` finding of a stored scan no person has decided yet."""
    fix: FixHelp | None = None
    suggest: str = ""


@dataclass(frozen=True)
class ShownColours:
    """Failures with one colour pair, shown once with their elements listed inside."""

    heading: str
    size_text: str
    elements_text: str
    colour: str
    background: str
    suggest: str
    items: list[Shown]
    kind: str = "colours"


@dataclass(frozen=True)
class ShownGroup:
    rule: str
    title: str
    why: str
    dimension: str
    severity: str
    severity_label: str
    clause: str
    fails: int
    reviews: int
    passes: int
    pages: int
    impact: float
    veto: bool
    shown: list[Shown | ShownColours]
    hidden: int
    how: str = ""
    link: str | None = None


def _page_label(page: PageResult, lang: Lang) -> str:
    mode = mode_name(page.mode, lang) if page.mode == "elder" else ""
    return " · ".join(p for p in (viewport_name(page.viewport, lang), mode) if p)


class _Budget:
    """How many more findings get a marked crop, and where the crops are asked for."""

    def __init__(self, limit: int, marks: marking.Marks) -> None:
        self.left = limit
        self.marks = marks

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def _shown(item: Located, source: ReportSource, lang: Lang, budget: _Budget) -> Shown:
    f = item.finding
    image = None
    shot = source.screenshot_path(item.page)
    if shot is not None and f.box is not None and budget.take():
        image = budget.marks.crop(judged_screenshot(shot, f.rule), f.box)
    fix = help_for(item, lang, shot)
    position = (item.page_index, item.index)
    decided = source.decisions.get(position)
    return Shown(outcome=f.outcome, outcome_label=outcome_name(f.outcome, lang),
                 severity=f.severity, page=item.page.url,
                 page_label=_page_label(item.page, lang), selector=f.selector,
                 value=None if f.value is None else value_text(f.value, lang),
                 threshold=None if f.threshold is None else value_text(f.threshold, lang),
                 message=message(f, lang), image=image, fix=fix,
                 suggest=suggest_line(fix.suggest, f.threshold, lang),
                 review=decision_text(decided, source.scan_id, lang) if decided else None,
                 review_open=position in source.decisions and decided is None)


def _colours(group: ColourGroup, source: ReportSource, lang: Lang,
             budget: _Budget) -> ShownColours:
    """One colour pair: a marked crop for its first element only (the rest look the same)."""
    items = [_shown(item, source, lang, budget if k == 0 else _Budget(0, budget.marks))
             for k, item in enumerate(group.items)]
    return ShownColours(heading=group.heading(lang),
                        size_text=text("fix.group.size", lang, size=group.size_class(lang)),
                        elements_text=text("fix.group.elements", lang, count=len(items)),
                        colour=group.colour, background=group.background,
                        suggest=group.suggest.colour if group.suggest else "", items=items)


def _entries(problems: list[Located], source: ReportSource, lang: Lang,
             budget: _Budget) -> tuple[list[Shown | ShownColours], int]:
    entries = colour_groups(problems)
    shown = [_colours(e, source, lang, budget) if isinstance(e, ColourGroup)
             else _shown(e, source, lang, budget) for e in entries[:MAX_PER_RULE]]
    return shown, max(0, len(entries) - MAX_PER_RULE)


def _group(group: RuleGroup, source: ReportSource, lang: Lang, budget: _Budget) -> ShownGroup:
    problems = group.problems
    shown, hidden = _entries(problems, source, lang, budget)
    base = dashboard_url()
    return ShownGroup(
        rule=group.rule, title=rule_title(group.rule, lang), why=rule_why(group.rule, lang),
        dimension=dimension_name(group.dimension, lang) if group.dimension else "",
        severity=group.severity, severity_label=severity_name(group.severity, lang),
        clause=clause_text(group.clause, lang), fails=len(group.fail),
        reviews=len(group.review), passes=group.passed,
        pages=len({i.page_index for i in problems}), impact=group.impact, veto=group.veto,
        shown=shown, hidden=hidden, how=how_to_fix(group.rule, lang),
        link=base + rule_path(group.rule) if base else None)


def _first_screen(source: ReportSource, page: PageResult | None, box: list[float] | None,
                  marks: marking.Marks) -> marking.Marked | None:
    if page is None:
        return None
    shot = source.screenshot_path(page)
    if shot is None:
        return None
    return marks.page(shot, [box] if box else [], max_width=560, max_height=FIRST_SCREEN)


def _home(source: ReportSource, mode: str) -> PageResult | None:
    pages = [p for p in source.report.pages if p.mode == mode and p.metrics]
    start = source.report.target.rstrip("/")
    return next((p for p in pages if p.url.rstrip("/") == start), pages[0] if pages else None)


def _pages(source: ReportSource, lang: Lang, marks: marking.Marks) -> list[dict[str, Any]]:
    rows = []
    for page in source.report.pages:
        fails = [f for f in page.findings if f.outcome == "fail"]
        shot = source.screenshot_path(page)
        overview = None
        if shot is not None and fails:
            overview = marks.page(shot, [f.box for f in fails if f.box], max_width=360)
        rows.append({"page": page, "label": _page_label(page, lang), "fails": len(fails),
                     "reviews": sum(f.outcome == "review" for f in page.findings),
                     "overview": overview, "http": http_status(page.http_status, lang),
                     "load_error": message(fails[0], lang)
                     if fails and fails[0].rule == "page.load" else None})
    return rows


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("elderscan.reports", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _num
    env.filters["href"] = _href
    env.filters["hexcolour"] = _hexcolour
    env.filters["when"] = clock.show
    return env


def _hexcolour(value: object) -> str:
    """A colour fit for a style attribute: plain `#rrggbb`, else nothing (a crafted result
    file must not smuggle CSS)."""
    ok = isinstance(value, str) and len(value) == 7 and value.startswith("#") \
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    return value if ok and isinstance(value, str) else ""


def _href(url: str | None) -> str:
    """Links only to http(s): a crafted result file must not smuggle a `javascript:` link."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def context(source: ReportSource, lang: Lang, marks: marking.Marks) -> dict[str, Any]:
    """Everything the template shows, computed here so the template stays simple; its marked
    images are asked of `marks`, and there once `marks.draw()` ran."""
    report = source.report
    budget = _Budget(MAX_MARKED, marks)
    groups = rule_groups(report)
    problems = [_group(g, source, lang, budget) for g in groups if g.problems]
    passing = [{"rule": g.rule, "title": rule_title(g.rule, lang), "passes": g.passed,
                "dimension": dimension_name(g.dimension, lang) if g.dimension else ""}
               for g in groups if not g.problems]
    score = report.score or {}
    elder = report.elder_mode or {}
    voice = report.voice or {}
    standard, elder_page = _home(source, "standard"), _home(source, "elder")
    entry = elder.get("entry") or {}
    voice_entry = voice.get("entry") or {}
    return {
        "lang": lang, "t": TEXT[lang], "report": report, "site": source.site,
        "score": score, "pass_line": w.PASS_LINE,
        "dimensions": [{"key": d, "name": dimension_name(d, lang), "value": v,
                        "weight": w.DIMENSION_WEIGHTS.get(d, 0)}
                       for d, v in (score.get("dimensions") or {}).items()],
        "vetoes": [{**v, "title": rule_title(str(v["rule"]), lang)}
                   for v in veto_messages(report, lang)],
        "status": status_name(report.status, lang),
        "error": error_text(report.error.code, report.error.message, lang)
        if report.error else None,
        "elder_kind": text(f"kind.{elder.get('kind') or 'none'}", lang),
        "voice_kind": text(f"voice.{voice.get('kind') or 'none'}", lang),
        "elder_reason": elder_reason(report, lang), "voice_reason": voice_reason(report, lang),
        "elder_candidates": elder_candidates(report, lang),
        "skipped": [{"url": s.url, "reason": skip_reason(s.reason, lang)}
                    for s in report.skipped],
        "colon": COLON[lang],
        "unjudged": unjudged(score, lang),
        "unjudged_head": unjudged_text("head", lang), "unjudged_note": unjudged_text("note", lang),
        "elder": elder, "voice": voice,
        "elder_how": {c["how"]: say(f"how.{c['how']}", lang)
                      for c in elder.get("candidates") or [] if c.get("how")},
        "elder_before": _first_screen(source, standard, entry.get("box"), marks),
        "elder_after": _first_screen(source, elder_page, None, marks),
        "voice_shot": _first_screen(source, standard, voice_entry.get("box"), marks),
        "rectification": [g for g in problems if g.fails],
        "groups": problems, "passing": passing, "pages": _pages(source, lang, marks),
        "marked_left_out": budget.left <= 0,
        "guard_refused": guard_refusals(report, lang),
        "versions": version_rows(report.versions, lang) if report.versions is not None
        else None, "tv": VERSION_TEXT[lang], "tf": _fix_text(lang),
        "reviewed": summary_text(source.reviewed, lang) if source.reviewed else None,
        "rt": {"summary": text("review.summary", lang), "open": open_headline(lang)},
    }


def _fix_text(lang: Lang) -> dict[str, str]:
    """The fix-help labels the template shows."""
    words = {key: text(f"fix.{key}", lang) for key in ("snippet", "suggest", "colour", "how",
                                                       "rule.link")}
    for key in ("snippet", "suggest", "colour", "how"):
        words[f"{key}_label"] = text("fix.label", lang, label=words[key])
    return words


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    template = _environment().get_template("report.html.j2")
    marks = marking.Marks()
    words = context(source, lang, marks)
    marks.draw()  # every marked image, each screenshot decoded once
    # A lone surrogate in page text (a JS string cut inside an emoji) cannot be UTF-8: it
    # becomes "?" rather than sinking the report.
    return template.render(**words).encode("utf-8", "replace")


_WORDS = (
    "title", "target", "scanned", "status", "engine", "total", "grade", "passed", "failed",
    "pass_line", "not_scored", "dimensions", "weight", "vetoes", "veto_note", "elder_mode",
    "voice", "found", "kind", "entry", "effective", "text_px", "before", "after", "functional",
    "yes", "no", "unknown", "none", "rectification", "rect_note", "rule", "dimension",
    "severity", "problems", "pages_affected", "gain", "clause", "findings", "page", "element",
    "measured", "threshold", "why", "more", "no_image", "passing", "passes", "pages", "http",
    "fails", "reviews", "skipped", "reason", "marked_left_out", "mode_elder", "load_failed",
    "summary", "points", "review_note", "candidates", "how", "outcome", "toolbar", "guard",
    "guard_note", "guard_count")
TEXT: dict[Lang, dict[str, str]] = {
    lang: {word: text(f"reports.html.{word}", lang) for word in _WORDS} for lang in LANGS}
"""The template's words by language (from the catalogue, `reports.html.*`)."""
