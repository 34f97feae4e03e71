"""The result's sections as typed dicts: `score`, `elder_mode`, `voice`, `versions` and each
page's `metrics`.

Typed dicts, not models, so readers keep reading them as the JSON objects they are
(`score["total"]`, `score.get("grade")`). Numbers are `Number`: a JSON number reads back as
written (60 stays 60, 60.0 stays 60.0), and keys the engine does not know yet are kept, so a
result reads and writes back byte for byte. Keys are declared in the order the engine writes
them, which is the order they are written back in. No key is required on reading: the model
never checked them before, and older results lack the keys added since (the schema says which
keys the engine always writes).
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

Number = int | float
"""A JSON number, kept as it was written."""

KEEP = ConfigDict(extra="allow")
"""Keys a later release adds are read and written back, not dropped."""


@with_config(KEEP)
class Veto(TypedDict, total=False):
    rule: str
    message: str


@with_config(KEEP)
class UnjudgedRule(TypedDict, total=False):
    """A rule that could not run, its dimension, the first reason given and how often."""

    rule: str
    dimension: str | None
    reason: str
    count: int


@with_config(KEEP)
class Score(TypedDict, total=False):
    """The result's `score`: dimension scores, a total, vetoes and a grade."""

    total: Number | None
    pass_line: Number
    passed: bool | None
    grade: str | None
    dimensions: dict[str, Number | None]
    vetoes: list[Veto]
    model: str
    best_mode: dict[str, str]
    unscored: list[str]
    unjudged: list[UnjudgedRule]


@with_config(KEEP)
class ElderMode(TypedDict, total=False):
    """The result's `elder_mode`: the elder-mode entry the probe found and what it did."""

    found: bool
    kind: str
    entry: dict[str, Any] | None
    effective: bool | None
    main_text_px: dict[str, Number | None] | None
    toolbar: str | None
    activation: str | None
    changes: list[str]
    elder_url: str | None
    failure: str | None
    reason: str | None
    toolbar_vendor: str | None
    candidates: list[dict[str, Any]]


@with_config(KEEP)
class Voice(TypedDict, total=False):
    """The result's `voice`: the read-aloud entry the probe found and whether it spoke."""

    found: bool
    functional: bool | None
    kind: str
    stoppable: bool | None
    entry: dict[str, Any] | None
    evidence: dict[str, int]
    reason: str | None
    candidates: list[dict[str, Any]]
    requests: list[dict[str, Any]]


@with_config(KEEP)
class Version(TypedDict, total=False):
    """One entry of the result's `versions`: a language or other version of the site."""

    kind: str
    lang: str | None
    label: str
    how: str
    url: str | None
    status: int | None
    verified: Number | None
    lang_attr: str | None
    glyphs_ok: bool | None


@with_config(KEEP)
class FontMetrics(TypedDict, total=False):
    dominant_px: Number | None
    min_px: Number | None
    share_ge_18px: Number | None
    line_height_ratio_median: Number | None
    distribution: dict[str, Number]


@with_config(KEEP)
class ContrastMetrics(TypedDict, total=False):
    checked: int
    failed: int
    review: int
    worst_ratio: Number | None


@with_config(KEEP)
class AdsMetrics(TypedDict, total=False):
    popup_on_load: bool
    floating: int
    floating_ads: int
    app_download_prompt: bool


@with_config(KEEP)
class PageMetrics(TypedDict, total=False):
    """A page's `metrics`: measured numbers, not judgements; empty for a page that failed."""

    font: FontMetrics
    contrast: ContrastMetrics
    ads: AdsMetrics
