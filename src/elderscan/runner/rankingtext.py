"""A round's ranking as terminal lines that fit the width: numbers are never cut, names are
shortened with an ellipsis, and Chinese text is measured in display columns (two each)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from wcwidth import wcswidth, wcwidth

from elderscan.dimensions import DIMENSIONS
from elderscan.i18n import Lang
from elderscan.store.views import RankingRow
from elderscan.terminal_lang import say

ELLIPSIS = "…"
MIN_WIDTH = {"site": 8, "category": 4, "region": 4}
"""Text columns shrink to these before the table may pass the width."""


def width_of(text: str) -> int:
    """Display columns of `text` (a control character counts as one, not as -1)."""
    measured = wcswidth(text)
    return measured if measured >= 0 else sum(max(wcwidth(c), 1) for c in text)


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` columns, its end replaced by an ellipsis when it is cut."""
    if width_of(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = max(wcwidth(char), 0)
        if used + size + 1 > width:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - width_of(text))
    return gap + text if right else text + gap


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    cells: list[str]
    right: bool
    flexible: bool

    @property
    def natural(self) -> int:
        return max([width_of(self.title), *(width_of(c) for c in self.cells)])


def category_name(category: str, lang: Lang) -> str:
    return say(f"category.{category}", lang) if category in ("gov", "bank", "other") \
        else category


def ranking_lines(rows: Sequence[RankingRow], title: str, lang: Lang,
                  width: int) -> list[Text]:
    """The title, the header and one line per site, each at most `width` columns wide."""
    columns = [
        Column("rank", say("rank.col.rank", lang),
               ["—" if r.rank is None else str(r.rank) for r in rows], True, False),
        Column("site", say("rank.col.site", lang), [r.name for r in rows], False, True),
        Column("category", say("rank.col.category", lang),
               [category_name(r.category, lang) for r in rows], False, True),
        Column("region", say("rank.col.region", lang), [r.region or "" for r in rows], False,
               True),
        Column("score", say("rank.col.score", lang), [_score(r.score_total) for r in rows],
               True, False),
        Column("grade", say("rank.col.grade", lang), [r.grade or "—" for r in rows], False,
               False),
        *(Column(d, say(f"rank.dim.{d}", lang),
                 [_score(r.dimensions.get(d)) for r in rows], True, False)
          for d in DIMENSIONS),
    ]
    widths = {c.key: c.natural for c in columns}
    spare = width - (sum(widths.values()) + len(columns) - 1)
    while spare < 0:  # the widest text column gives way, a column at a time
        shrinkable = [k for k in MIN_WIDTH if widths[k] > MIN_WIDTH[k]]
        if not shrinkable:
            break  # even at their floors the names do not fit: never cut a number
        widest = max(shrinkable, key=lambda k: widths[k])
        widths[widest] -= 1
        spare += 1
    lines = [Text(shorten(title, width), style="bold")]
    lines.append(Text(" ".join(pad(shorten(c.title, widths[c.key]), widths[c.key], c.right)
                               for c in columns), style="bold"))
    for index, row in enumerate(rows):
        line = Text()
        for number, column in enumerate(columns):
            if number:
                line.append(" ")
            cell = column.cells[index]
            if column.flexible:
                cell = shorten(cell, widths[column.key])
            style = ""
            if column.key == "score" and row.passed is not None:
                style = "green" if row.passed else "red"
            line.append(pad(cell, widths[column.key], column.right), style=style)
        lines.append(line)
    return lines
