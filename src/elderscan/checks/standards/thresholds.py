"""Numbers the rules compare against, each with where it comes from."""

# Text size (CSS px ≈ dp). MIIT APP 1.1 / WEB 1.2.3: main text at least 18 in elder mode.
ELDER_MIN_TEXT_PX = 18.0
# APP 1.1: the largest offered size for main functions.
ELDER_MAX_SCALE_PX = 30.0
# Share of main-content characters that must reach the target size for font.size to pass.
FONT_SHARE_TARGET = 0.8

# WCAG 1.4.3 (AA) and 1.4.6 (AAA); large = 18 pt, or 14 pt bold.
CONTRAST_MIN = 4.5
CONTRAST_MIN_LARGE = 3.0
CONTRAST_ENHANCED = 7.0
CONTRAST_ENHANCED_LARGE = 4.5
LARGE_TEXT_PX = 24.0
LARGE_BOLD_TEXT_PX = 18.66

# APP 1.2 / WCAG 1.4.12: line height ÷ font size.
LINE_HEIGHT_MIN_RATIO = 1.3

# WCAG 1.4.12: spacing a reader must be able to set (and !important must not forbid).
TEXT_SPACING_LINE_HEIGHT = 1.5
TEXT_SPACING_LETTER = 0.12
TEXT_SPACING_WORD = 0.16

# WCAG 1.4.4: zoom must not be blocked; maximum-scale below 2 blocks 200 %.
ZOOM_MIN_MAXIMUM_SCALE = 2.0

# APP 2.1: touch targets; elder-mode main components larger.
TARGET_MIN_PX = 44.0
TARGET_ELDER_MIN_PX = 60.0
# APP 2.4: the close control of a promotion.
CLOSE_MIN_PX = 44.0

# WCAG 2.2.2: moving content that starts automatically and lasts more than 5 s needs a pause.
MOTION_MAX_SECONDS = 5.0

# Measured sizes (CSS px) carry rounding: 17.995 px counts as 18.
PX_TOLERANCE = 0.01
# Line height ÷ font size is compared to two decimals: 1.295 counts as 1.3.
LINE_HEIGHT_TOLERANCE = 0.005
# Text spacing ratios come from computed px: a float's own rounding is not a failure.
SPACING_TOLERANCE = 1e-6

# Line spacing matters where text wraps: runs of at least this many characters.
PARAGRAPH_CHARS = 40
# WCAG 1.4.12 line height applies only where a text node takes at least this many lines.
WRAPPED_MIN_LINES = 2

# One change of content is an update (it loaded); motion is this many changes or more.
MOTION_MIN_CHANGES = 2

# WCAG 1.4.4: a clip this small (1×1 px) is the "visually hidden" idiom, hidden on purpose.
VISUALLY_HIDDEN_PX = 1.0

# WCAG 2.5.8 inline exception: a link sits on its sentence's lines within this many px.
INLINE_LINE_SLACK_PX = 1.0

# An HTTP status from which a page did not open.
HTTP_ERROR_STATUS = 400
