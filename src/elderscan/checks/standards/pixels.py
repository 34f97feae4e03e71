"""How text over images is measured from screenshot pixels, as plain data: no logic."""

# Margin around the text box, in CSS px and as a share of the font size: the ring of pure
# background that the measurement always includes.
MARGIN_MIN_PX = 4.0
MARGIN_FONT_SHARE = 0.25
# A pixel within this distance (largest channel difference, 0–255) of the text colour is taken
# for a glyph pixel inside the text box; glyph pixels grown by this many px cover anti-aliasing.
GLYPH_TOLERANCE = 40
GLYPH_GROW_PX = 1
# More of the box than this near the text colour is not all glyphs: the background is the text's
# own colour, and the margin ring is measured instead of the halo.
GLYPH_MAX_SHARE = 0.8
# Less of the box than this in the text colour: the text is not visible as the DOM describes it
# (covered by a pop-up mask, or painted otherwise), so the pixels say nothing about it.
GLYPH_MIN_SHARE = 0.02
# The halo around the glyphs that is compared with them: this many px beyond the grown glyphs,
# at least HALO_MIN_PX, else this share of the font size.
HALO_MIN_PX = 1
HALO_FONT_SHARE = 0.08
# The contrast distribution of the background pixels: "worst" is this low percentile (the
# pixels the text stands out from least), "typical" the median.
WORST_PERCENTILE = 0.10
TYPICAL_PERCENTILE = 0.50
# Fewer background pixels than this and the measurement is not trusted.
MIN_BACKGROUND_PIXELS = 40
# Above this many pixels a crop is sampled down (nearest neighbour keeps real colours).
MAX_SAMPLE_PIXELS = 40000
