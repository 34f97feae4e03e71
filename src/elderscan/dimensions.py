"""The six dimensions a site is scored on, and which one each rule counts in (the catalogue's
`dimension` column): said once here, below both the rule registry and the scoring model, which
read it (`RuleMeta.dimension`, `scoring.weights.RULE_WEIGHTS`)."""

from __future__ import annotations

from typing import Literal

Dimension = Literal["elder_mode", "font", "contrast", "voice", "ads", "accessibility"]
DIMENSIONS: tuple[Dimension, ...] = (
    "elder_mode", "font", "contrast", "voice", "ads", "accessibility",
)

RULE_DIMENSIONS: dict[str, Dimension] = {
    "elder.entry": "elder_mode",
    "elder.entry-prominent": "elder_mode",
    "elder.effective": "elder_mode",
    "elder.max-scale": "font",
    "font.size": "font",
    "font.line-spacing": "font",
    "font.text-spacing": "font",
    "zoom.allowed": "font",
    "zoom.reflow": "font",
    "contrast.text": "contrast",
    "contrast.over-image": "contrast",
    "contrast.enhanced": "contrast",
    "voice.readaloud": "voice",
    "voice.functional": "voice",
    "voice.screenreader": "voice",
    "ads.popup": "ads",
    "ads.elder-mode": "ads",
    "ads.inducement": "ads",
    "wcag.*": "accessibility",
    "target.size": "accessibility",
    "focus.visible": "accessibility",
    "motion.timing": "accessibility",
    "captcha.alternative": "accessibility",
    "lang.version-required": "accessibility",
}
