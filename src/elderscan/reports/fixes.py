"""Fix help for people: what each finding's element looks like in HTML, the colour that would
pass, identical colour pairs grouped, and where a rule is explained.

Shared by the HTML report and the dashboard so both say the same. Everything here reads the
stored result only (`Finding.data`, `Finding.snippet`), so an old scan renders too: a result
written before `suggest` existed gets its suggestion computed here from the judged colours.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from elderscan.capture import unmasked_screenshot
from elderscan.checks._common.color import contrast_ratio, passing_colour
from elderscan.i18n import Lang, has, text
from elderscan.reports.digest import Located, meta_of

GROUPED_RULES = frozenset({"contrast.text", "contrast.enhanced"})
"""Rules whose failures are judged on a (text colour, background, size class) triple."""
DASHBOARD_URL_ENV = "ELDERSCAN_DASHBOARD_URL"


def _rgb(hex_colour: object) -> tuple[int, int, int] | None:
    if not isinstance(hex_colour, str) or len(hex_colour) != 7 or hex_colour[0] != "#":
        return None
    try:
        return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)
    except ValueError:
        return None


def _threshold(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _behind(data: dict[str, object]) -> tuple[int, int, int] | None:
    return _rgb(data.get("judged_background")) or _rgb(data.get("background"))


@dataclass(frozen=True)
class Suggestion:
    colour: str
    """`#rrggbb`, or "" when no colour of the hue (nor black or white) can pass"""
    ratio: float


def suggestion(rule: str, data: dict[str, object], threshold: object) -> Suggestion | None:
    """The passing colour for a DOM contrast failure: the one the check recorded, else
    computed from the judged colours (results written before checks recorded it)."""
    if rule not in GROUPED_RULES:
        return None
    colour, behind, needed = _rgb(data.get("color")), _behind(data), _threshold(threshold)
    if colour is None or behind is None or needed is None:
        return None
    recorded = _rgb(data.get("suggest"))
    found = recorded or passing_colour(colour, behind, needed)
    if found is None:
        return Suggestion("", 0.0)
    hex_found = "#{:02x}{:02x}{:02x}".format(*found)
    return Suggestion(hex_found, round(contrast_ratio(found, behind), 2))


@dataclass(frozen=True)
class FixHelp:
    """What a person needs beside one finding to fix it."""

    snippet: str | None
    colour: str | None
    background: str | None
    declared: str | None
    """the translucent colour the page declared, when the judged one is its blend"""
    suggest: Suggestion | None
    covered: str | None
    """the message that the crop was taken under a pop-up's mask"""

    @property
    def any(self) -> bool:
        return bool(self.snippet or self.suggest or self.declared or self.covered)


def judged_screenshot(screenshot: Path, rule: str) -> Path:
    """The screenshot to crop for a finding of `rule`: for DOM contrast, the one taken with
    pop-up masks hidden when the scanner took it (the text as judged), else the page's own."""
    if rule in GROUPED_RULES:
        clear = unmasked_screenshot(screenshot)
        if clear.is_file():
            return clear
    return screenshot


def help_for(item: Located, lang: Lang, screenshot: Path | None = None) -> FixHelp:
    """Fix help for one finding; `screenshot` (the page's, when there is one) tells whether
    its crop comes from the screenshot without the pop-up's mask."""
    f = item.finding
    data = f.data
    declared = data.get("color_declared")
    covered = data.get("covered_by")
    clear = screenshot is not None and judged_screenshot(screenshot, f.rule) != screenshot
    return FixHelp(
        snippet=f.snippet,
        colour=data.get("color") if isinstance(data.get("color"), str) else None,
        background=data.get("background") if isinstance(data.get("background"), str) else None,
        declared=text("fix.declared", lang, declared=declared, color=data.get("color", ""))
        if isinstance(declared, str) else None,
        suggest=suggestion(f.rule, data, f.threshold) if f.outcome == "fail" else None,
        covered=text("fix.covered.clear" if clear else "fix.covered", lang, where=covered)
        if isinstance(covered, str) else None,
    )


def suggest_line(found: Suggestion | None, threshold: object, lang: Lang) -> str:
    if found is None:
        return ""
    if not found.colour:
        return text("fix.suggest.none", lang)
    return text("fix.suggest.line", lang, suggest=found.colour, ratio=f"{found.ratio:.2f}",
                threshold=f"{_threshold(threshold) or 0:g}")


@dataclass
class ColourGroup:
    """Failures of one rule with the same text colour, background and size class: one fix."""

    colour: str
    background: str
    large: bool
    threshold: float
    ratio: float
    suggest: Suggestion | None
    items: list[Located] = field(default_factory=list)

    def heading(self, lang: Lang) -> str:
        line = text("fix.group", lang, count=len(self.items), color=self.colour,
                    background=self.background, ratio=f"{self.ratio:.2f}",
                    threshold=f"{self.threshold:g}")
        if self.suggest is not None and self.suggest.colour:
            sep = " — " if lang == "en" else " —— "
            line += sep + text("fix.group.suggest", lang, suggest=self.suggest.colour)
        return line

    def size_class(self, lang: Lang) -> str:
        return text("fix.group.large" if self.large else "fix.group.normal", lang)


Entry = Located | ColourGroup


def _pair(item: Located) -> tuple[str, str, bool, float] | None:
    f = item.finding
    if f.rule not in GROUPED_RULES or f.outcome != "fail":
        return None
    data = f.data
    colour, background, needed = data.get("color"), data.get("background"), \
        _threshold(f.threshold)
    if not isinstance(colour, str) or not isinstance(background, str) or needed is None:
        return None
    return colour, background, bool(data.get("large")), needed


def colour_groups(items: list[Located], min_size: int = 2) -> list[Entry]:
    """`items` in their order, with failures sharing (text colour, background, size class)
    folded into one group where the first of them stood; a pair seen once stays a finding."""
    pairs = [_pair(item) for item in items]
    counts: dict[tuple[str, str, bool, float], int] = {}
    for key in pairs:
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    groups: dict[tuple[str, str, bool, float], ColourGroup] = {}
    entries: list[Entry] = []
    for item, key in zip(items, pairs, strict=True):
        if key is None or counts[key] < min_size:
            entries.append(item)
            continue
        group = groups.get(key)
        if group is None:
            value = item.finding.value
            group = groups[key] = ColourGroup(
                colour=key[0], background=key[1], large=key[2], threshold=key[3],
                ratio=float(value) if isinstance(value, int | float) else 0.0,
                suggest=suggestion(item.finding.rule, item.finding.data, key[3]))
            entries.append(group)
        value = item.finding.value
        if isinstance(value, int | float):
            group.ratio = min(group.ratio, float(value)) if group.items else float(value)
        group.items.append(item)
    return entries


def dashboard_url() -> str | None:
    """The dashboard's base URL for links from standalone reports
    (`ELDERSCAN_DASHBOARD_URL`); None, and the report explains rules inline, when unset."""
    base = os.environ.get(DASHBOARD_URL_ENV, "").strip()
    if not base.lower().startswith(("http://", "https://")):
        return None
    return base.rstrip("/")


def rule_path(rule_id: str) -> str:
    """The dashboard page of a rule (`/rules/{rule_id}`; an axe rule has its own page)."""
    return "/rules/" + quote(rule_id, safe=".-*")


def how_to_fix(rule_id: str, lang: Lang) -> str:
    meta = meta_of(rule_id)
    key = f"fix.how.{meta.id if meta else rule_id}"
    return text(key, lang) if has(key) else ""
