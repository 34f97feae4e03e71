"""axe-core's own words in the reader's language.

axe-core ships its messages in English and a Simplified Chinese locale (`axe_locale/zh_CN.json`,
vendored unchanged from the npm package of the engine's version, MPL-2.0, see its NOTICE). A
Chinese scan hands the locale to `axe.configure` so what axe writes into a finding (help, failure
summary) is Chinese; a report re-renders a finding's help in its own language from the rule id,
so an English page of a Chinese scan (and the other way round) is not mixed.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from elderscan.i18n import Lang

TEXT: dict[str, tuple[str, str]] = {}
"""No phrases of our own: the area is axe-core's catalogue, read from its locale file."""


@cache
def locale(lang: Lang) -> dict[str, Any] | None:
    """The object `axe.configure({locale})` takes for `lang`; None for English (axe's own)."""
    if lang != "zh":
        return None
    raw = resources.files("elderscan.i18n").joinpath("axe_locale/zh_CN.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def rule_help(axe_id: str, lang: Lang, data: dict[str, Any]) -> str:
    """A wcag finding's `help` in `lang`: the locale's for Chinese, the English help the scan
    kept (`help_en`, or `help` itself in an English scan) for English."""
    stored = str(data.get("help") or "")
    if lang == "zh":
        zh = (locale("zh") or {}).get("rules", {}).get(axe_id, {}).get("help")
        return str(zh) if zh else stored
    return str(data.get("help_en") or stored)
