"""The scoring model as data. Changing a number here means a new MODEL_VERSION.

Dimension weights follow DESIGN.md §4: six dimensions, 100 points. Rule weights say how much
each rule counts inside its dimension; a rule with weight 0 is reported but not scored.
"""

from elderscan.dimensions import DIMENSIONS, RULE_DIMENSIONS

MODEL_VERSION = "elderscan-score-2026.12"
"""2026.12: a rule that could not run is left out and named (`score.unjudged`) instead of
leaving the total unscored; `PROVEN_BY_REVIEW`."""
PASS_LINE = 60.0
VETO_CAP = 59.0
"""A veto (e.g. ads inside elder mode) caps the total just under the pass line."""

DIMENSION_WEIGHTS: dict[str, float] = {
    "elder_mode": 20,
    "font": 20,
    "contrast": 15,
    "voice": 15,
    "ads": 15,
    "accessibility": 15,
}

RULE_WEIGHT: dict[str, float] = {
    "elder.entry": 3, "elder.entry-prominent": 1, "elder.effective": 3,
    "font.size": 4, "font.line-spacing": 1, "font.text-spacing": 1, "zoom.allowed": 2,
    "zoom.reflow": 1, "elder.max-scale": 1,
    "contrast.text": 4, "contrast.over-image": 2, "contrast.enhanced": 0,
    "voice.readaloud": 2, "voice.functional": 3, "voice.screenreader": 2,
    "ads.popup": 3, "ads.elder-mode": 3, "ads.inducement": 0,
    "wcag.*": 4, "target.size": 1, "focus.visible": 1, "motion.timing": 1,
    "captcha.alternative": 1, "lang.version-required": 1,
}
"""How much each rule counts inside its dimension."""

RULE_WEIGHTS: dict[str, dict[str, float]] = {
    dimension: {rule: weight for rule, weight in RULE_WEIGHT.items()
                if RULE_DIMENSIONS[rule] == dimension}
    for dimension in DIMENSIONS
}
"""The rule weights by the dimension each rule counts in (`elderscan.dimensions`)."""

VETO_RULES: tuple[str, ...] = ("ads.elder-mode",)

PROVEN_BY_REVIEW: dict[str, float] = {"ads.popup": 1.0, "ads.elder-mode": 1.0}
"""Rules that fail whatever they can prove (a pop-up, a floating promotion, an ad request): on a
page where such a rule found only things for a person to look at (a fixed box of unknown
purpose), it has still proven the rest absent, and that page counts as passed with this weight
(a clean page's). The boxes stay listed for review; the dimension is not dropped."""

BEST_MODE_DIMENSIONS: tuple[str, ...] = ("font", "contrast")
"""A site is judged on its best mode here: large text in the elder version counts."""

# axe-core rules inside `wcag.*`: a violated rule weighs by its impact, a passed one as moderate.
AXE_IMPACT_WEIGHTS: dict[str, float] = {"critical": 4, "serious": 3, "moderate": 2, "minor": 1}
AXE_PASS_WEIGHT = 2.0

GRADES: tuple[tuple[float, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "E"))
