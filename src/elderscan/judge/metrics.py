"""Measured page metrics for the result (`pages[].metrics`): numbers, not judgements.

They describe the page as captured (the text-size distribution, how many text runs clear the
WCAG contrast minimum, which boxes float over the page) so reports and regulators' sheets can
show the raw facts beside the rule findings.
"""

from __future__ import annotations

import re
from collections import Counter
from statistics import median
from typing import Any

from elderscan.capture import Capture, TextRun
from elderscan.checks._common.adscan import scan_ads
from elderscan.checks._common.color import is_large_text
from elderscan.checks._common.overlays import is_floating, outermost
from elderscan.checks.contrast import dom_ratio, judged
from elderscan.contract import AdsMetrics, ContrastMetrics, FontMetrics

APP_DOWNLOAD = re.compile(
    r"(下载|安装)\s*(APP|App|app|客户端|手机银行)|(APP|App|客户端)\s*下载|立即下载|扫码下载"
)
TARGET_PX = 18.0


def font_metrics(runs: list[TextRun]) -> FontMetrics:
    chars: Counter[float] = Counter()
    for run in runs:
        chars[round(run.font_px * 2) / 2] += run.length
    total = sum(chars.values())
    if not total:
        return {"dominant_px": None, "min_px": None, "share_ge_18px": None,
                "line_height_ratio_median": None, "distribution": {}}
    ratios = sorted(
        run.line_height_px / run.font_px
        for run in runs
        if run.line_height_px is not None and run.font_px > 0
    )
    return {
        "dominant_px": max(chars.items(), key=lambda kv: (kv[1], -kv[0]))[0],
        "min_px": min(chars),
        "share_ge_18px": round(sum(n for px, n in chars.items() if px >= TARGET_PX) / total, 4),
        "line_height_ratio_median": round(median(ratios), 3) if ratios else None,
        "distribution": {f"{px:g}": round(n / total, 4) for px, n in sorted(chars.items())},
    }


def contrast_metrics(runs: list[TextRun]) -> ContrastMetrics:
    checked = failed = review = 0
    worst: float | None = None
    for run in runs:
        if not judged(run):
            continue
        if run.over_image:
            review += 1
            continue
        ratio = dom_ratio(run)
        checked += 1
        threshold = 3.0 if is_large_text(run.font_px, run.font_weight) else 4.5
        if ratio < threshold:
            failed += 1
        worst = ratio if worst is None else min(worst, ratio)
    return {"checked": checked, "failed": failed, "review": review,
            "worst_ratio": round(worst, 2) if worst is not None else None}


def ads_metrics(capture: Capture) -> AdsMetrics:
    texts = [run.text for run in capture.text_runs] + [i.name for i in capture.interactive]
    outer = outermost(capture.overlays)
    found = scan_ads(capture)
    return {
        "popup_on_load": bool(found.popups),
        "floating": sum(1 for o in outer if is_floating(o, capture.viewport_size[0])),
        "floating_ads": found.floating_ads(),
        "app_download_prompt": any(APP_DOWNLOAD.search(t) for t in texts if t),
    }


def page_metrics(capture: Capture) -> dict[str, Any]:
    """A `PageMetrics`, kept a plain dict in the result: readers look its groups up by name."""
    return {
        "font": font_metrics(capture.text_runs),
        "contrast": contrast_metrics(capture.text_runs),
        "ads": ads_metrics(capture),
    }
