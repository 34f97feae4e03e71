"""How axe-core results map onto the rule catalogue, as plain data: no logic."""

# axe rules our own rules measure better (pixels, text over images, elder thresholds): skipped
# in the `wcag.*` family so the same defect is not counted twice.
SKIPPED_AXE_RULES = frozenset({
    "color-contrast",           # contrast.text / contrast.over-image (WCAG 1.4.3)
    "color-contrast-enhanced",  # contrast.enhanced (WCAG 1.4.6)
    "target-size",              # target.size (APP 2.1, 44/60 px rather than WCAG's 24)
})

# axe level tags → GB/T 37668-2019 level (一级 ≈ WCAG A, 二级 ≈ AA, 三级 ≈ AAA).
LEVEL_TAGS = {
    "wcag2a": "一级",
    "wcag21a": "一级",
    "wcag22a": "一级",
    "wcag2aa": "二级",
    "wcag21aa": "二级",
    "wcag22aa": "二级",
    "wcag2aaa": "三级",
    "wcag21aaa": "三级",
    "wcag22aaa": "三级",
}
GBT = "GB/T 37668-2019"
