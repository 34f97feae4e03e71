"""Every phrase a person reads, in Chinese and English, from one catalogue.

Each module of this package holds one area's phrases as `TEXT = {key: (zh, en)}`; they are merged
here into one key space, and a key defined twice is an error at import, so two areas cannot
quietly disagree. Rule titles and finding messages stay beside their rules (their metadata is the
rule's own), and `elderscan.reports.digest` reads them from there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
COLON: dict[Lang, str] = {"zh": "：", "en": ": "}
"""What joins a label (a field, a row) to what is said of it."""
SEMICOLON: dict[Lang, str] = {"zh": "；", "en": "; "}
"""What joins several such statements on one line."""


def _collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(module, "TEXT", {}).items():
            if key in merged:
                raise RuntimeError(f"catalogue key {key!r} is defined in both "
                                   f"{owner[key]} and {info.name}")
            merged[key] = pair
            owner[key] = info.name
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _collect()


_ONE = re.compile(
    r"(?<![\d.,])1 (more )?(text run|request|control|page|time|character|paragraph|failure|site|"
    r"rule|element|link|image|problem|scan|entry|finding|row|round|point|version|second|item)s\b"
    r"([^,;:.()\d]*?\b(?:are|have|were)\b)?")
_VERB = re.compile(r"\b(are|have|were)$")
_SINGULAR_VERB = {"are": "is", "have": "has", "were": "was"}


def singular(phrase: str) -> str:
    """English counts agree with one: "1 pages" → "1 page", "1 more problems are" → "1 more
    problem is" (Chinese has no plural; a phrase need not carry two forms for this)."""
    def one(match: re.Match[str]) -> str:
        rest = _VERB.sub(lambda v: _SINGULAR_VERB[v.group(1)], match.group(3) or "")
        return f"1 {match.group(1) or ''}{match.group(2)}{rest}"
    return _ONE.sub(one, phrase)


def text(key: str, lang: Lang, /, **values: object) -> str:
    """The phrase in `lang`; an unknown key shows itself, so a typo is visible, not blank."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    phrase = pair[0] if lang == "zh" else pair[1]
    if not values:
        return phrase
    said = phrase.format(**values)
    return singular(said) if lang == "en" else said


def english(key: str, /, **values: object) -> str:
    """The English phrase with `values` filled in as they are: for text kept or logged as it
    is (an error, a stored reason), where `text`'s count agreement would also change the
    values (a path `/srv/1 sites/`, a driver's "1 rows")."""
    pair = CATALOGUE.get(key)
    return key if pair is None else pair[1].format(**values)


def has(key: str) -> bool:
    return key in CATALOGUE
