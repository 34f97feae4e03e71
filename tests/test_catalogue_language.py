"""Every phrase of the catalogue is in its own language: no Han character or full-width
punctuation in an English phrase (outside the names kept in Chinese, see `langcheck`), no
ASCII colon, comma or bracket next to Chinese text in a Chinese one."""

from __future__ import annotations

import re

from elderscan.i18n import CATALOGUE
from langcheck import HAN, HAN_ALLOWED

ASCII_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][:,;] |[\u4e00-\u9fff] ?\(|\)[\u4e00-\u9fff]")


def test_english_phrases_have_no_chinese() -> None:
    mixed = []
    for key, (_, en) in CATALOGUE.items():
        bare = en
        for name in HAN_ALLOWED:
            bare = bare.replace(name, "")
        if HAN.search(bare):
            mixed.append((key, en))
    assert not mixed, mixed


def test_chinese_phrases_use_full_width_punctuation() -> None:
    mixed = [(key, zh) for key, (zh, _) in CATALOGUE.items() if ASCII_IN_CHINESE.search(zh)]
    assert not mixed, mixed
