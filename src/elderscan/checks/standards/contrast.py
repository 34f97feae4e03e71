"""What the contrast rules leave out or treat as icons, as plain data: no logic."""

# SVG text elements: WCAG 1.4.3's text in an image of its own (ACT afw4f7 leaves them out).
SVG_TEXT_TAGS = frozenset({"text", "tspan", "textpath"})

# Text whose colour equals its background (within rounding) is hidden, not low-contrast.
INVISIBLE_RATIO = 1.005

# Unicode private-use areas, where icon fonts put their glyphs.
PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0x10FFFF))

# CJK ideographs (Extension A, the unified block, compatibility, Extensions B–F): one of these
# alone is a word, not an icon.
CJK = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))
