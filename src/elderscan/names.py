"""The order people expect names in: Chinese by pinyin (重庆 under C, 银行 read yin hang),
other text by its letters whatever their case. One `sort_key` for every list a person reads
(sites, rankings' ties, batch and region choices), so they never disagree.

Code-point order, SQL's, puts 北京 after 上海 (U+5317 > U+4E0A); no database collation reads
pinyin portably, so names are sorted here, in Python.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def sort_key(name: str | None) -> tuple[str, str, str]:
    """(pinyin or letters, lower case; the same with tones, for homophones; the name itself)."""
    text = (name or "").strip()
    plain = " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).casefold()
    toned = " ".join(lazy_pinyin(text, style=Style.TONE3, errors="default")).casefold()
    return plain, toned, text


def sorted_names(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)
