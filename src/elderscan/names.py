"""The order people expect names in: Chinese by pinyin (重庆 under C, 银行 read yin hang),
other text by its letters whatever their case. One `sort_key` for every list a person reads
(sites, rankings' ties, batch and region choices), so they never disagree.

Code-point order, SQL's, puts 北京 after 上海 (U+5317 > U+4E0A); no database collation reads
pinyin portably, so names are sorted here, in Python.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SYLLABLE = re.compile(r"[a-zü]+[1-5]")

@lru_cache(maxsize=65536)
def sort_key(name: str | None) -> tuple[str, str, str]:
    """(pinyin or letters, lower case; the same with tones, for homophones; the name itself)."""
    # imported here: its phrase tables take ~0.2 s to load, paid by every `serve`, worker and
    # command that imports the store, most of which never sort a name
    from pypinyin import Style, lazy_pinyin

    text = (name or "").strip()
    # one pass (about 0.3 ms a name): Chinese characters come back as `bei3`, other text as
    # it is; the plain key drops the tone digits of the syllables
    syllables = lazy_pinyin(text, style=Style.TONE3, errors="default",
                            neutral_tone_with_five=True)
    toned = " ".join(syllables).casefold()
    plain = " ".join(s[:-1] if _SYLLABLE.fullmatch(s) else s for s in syllables).casefold()
    return plain, toned, text


def sorted_names(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)
